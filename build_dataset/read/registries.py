"""The registries every article is checked against: actors, places and the events with the
quotes that mention them, read once before the articles and shared read-only by the workers."""

import bisect
import difflib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from build_dataset.files import write_new
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.event_registry import EventRegistry
from build_dataset.read.gazetteer import GeoName, lookup
from build_dataset.read.inputs import SEED_NAMES, Inputs, Seeds, leads_out, link_problem
from build_dataset.read.jsonl_source import (
    check_keys,
    line_document,
    line_text,
    lines,
    parse_line,
)
from build_dataset.read.yaml_source import Loc, YamlDocument, read_yaml
from karabakh_schema.annotation import (
    ActorsFile,
    EventAnnotation,
    EventsFile,
    PlacesFile,
    SeedNamesFile,
)
from karabakh_schema.values import ISO_DATE_FORMS, ISO_DATE_PATTERN

M = TypeVar("M", bound=BaseModel)
Row = dict[str, Any]
Gazetteer = Callable[[int], GeoName | None]
"""Where places' GeoNames ids are looked up: gazetteer.lookup, or what a build's cache kept of
it (build_cache.BuildCache.gazetteer)."""


@dataclass
class Registries:
    events: EventRegistry
    seeds: Seeds
    actors: dict[str, Row] = field(default_factory=dict)
    places: dict[str, Row] = field(default_factory=dict)
    place_names: dict[str, set[str]] = field(default_factory=dict)
    actor_names: dict[str, set[str]] = field(default_factory=dict)
    context_dependent: set[str] = field(default_factory=set)
    """References a claimant_text may be whichever actor it names (actors.yaml)."""
    actors_file: str = ""
    places_file: str = ""
    """The registries' files from root, for the hints that ask to add a spelling."""
    declared: set[str] = field(default_factory=set)
    """Actor and place ids written, valid or not (the events registry keeps those of events)."""
    events_doc: YamlDocument | None = None
    """events.yaml; None when the events are JSON Lines, whose problems point at their line."""
    events_file: str = ""
    """events.jsonl from root, when the events are JSON Lines."""
    unreadable: set[str] = field(default_factory=set)
    """The files that could not be read as a whole (their structure, or a line of events.jsonl,
    is broken): checking articles against them would call every reference unknown."""

    def unknown(self, doc: YamlDocument, loc: Loc, kind: str, key: str) -> list[Problem]:
        """A reference to no actor, place or event; one to a record that failed is reported
        there, not here."""
        if key in self.declared or (kind == "event" and self.events.declared(key)):
            return []
        if kind == "event":
            hint = known(key, self.events.nearby(key, NEARBY_IDS), self.events.count())
        else:
            ids = sorted(self.actors if kind == "actor" else self.places)
            hint = known(key, nearby(ids, key), len(ids))
        return [doc.problem(loc, f"unknown {kind} {key!r}", hint)]

    def event_doc(self, line: int | None) -> YamlDocument:
        """The document an event's problems point into."""
        if self.events_doc is not None:
            return self.events_doc
        return line_document(self.events_file, line or 0, None)


SHOWN_IDS = 5
NEARBY_IDS = 100
"""How many known ids on either side of an unknown one in sorted order are compared with it:
a misspelt id mostly keeps its start, and comparing it with every id of a large corpus would
take seconds."""


def known(key: str, nearby: Iterable[str], count: int, scope: str = "in all") -> str:
    """The hint for an unknown id: the known ids most like it, closest first, then how many
    there are (of which nearby are those compared)."""
    if not count:
        return "none are defined yet"
    closest = difflib.get_close_matches(key, list(nearby), SHOWN_IDS, cutoff=0)
    more = ", ..." if count > len(closest) else ""
    return f"known ids, closest first: {', '.join(closest)}{more} ({count} {scope})"


def nearby(ids: Sequence[str], key: str) -> Sequence[str]:
    """The ids next to key in ids, which are sorted."""
    at = bisect.bisect_left(ids, key)
    return ids[max(0, at - NEARBY_IDS) : at + NEARBY_IDS]


_HINTS = {
    "extra_forbidden": "remove the field or correct its name",
    "missing": "add the field",
    "literal_error": "use one of the values listed",
    "finite_number": "write a number that is not .nan or .inf, in the range of a double",
}


def pydantic_message(error: Any) -> tuple[str, str | None]:
    """A validation error's message and hint. A date in another form is told the forms there
    are, not shown the pattern that checks them."""
    kind = error["type"]
    if kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == ISO_DATE_PATTERN:
        return (
            f"{error['input']!r} is not a date in a form the dataset takes",
            f"write {ISO_DATE_FORMS}",
        )
    return error["msg"], _HINTS.get(kind)


def declared_ids(data: Any, key: str) -> list[str]:
    """The ids a file declares under key, valid or not, so that references to them stay quiet."""
    items = data.get(key) if isinstance(data, dict) else None
    return [
        item["id"]
        for item in (items if isinstance(items, list) else [items])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def validate_document(
    doc: YamlDocument, model: type[M], items: str, problems: list[Problem], text: str | None = None
) -> tuple[M | None, list[int]]:
    """The document as a model after reporting every field error with its line.

    Items of the list field `items` that fail are dropped so the rest can still be checked;
    the second value gives each kept item's index in the file. None when anything else fails.
    text, when given, is the document's JSON as written, validated without re-encoding."""
    data = doc.data
    try:
        valid = model.model_validate_json(text if text is not None else json.dumps(data))
        return valid, list(range(len(getattr(valid, items) or [])))
    except ValidationError as error:
        bad_items, other = set(), False
        for item in error.errors():
            loc = tuple(item["loc"])
            problems.append(doc.problem(loc, *pydantic_message(item)))
            if len(loc) >= 2 and loc[0] == items and isinstance(loc[1], int):
                bad_items.add(loc[1])
            else:
                other = True
    if other:
        return None, []
    kept = [i for i in range(len(data[items])) if i not in bad_items]
    salvaged = {**data, items: [data[items][i] for i in kept]}
    return model.model_validate_json(json.dumps(salvaged)), kept


def _actors(doc: YamlDocument, reg: Registries, problems: list[Problem]) -> None:
    reg.declared.update(declared_ids(doc.data, "actors"))
    reg.actors_file = doc.path
    actors, kept = validate_document(doc, ActorsFile, "actors", problems)
    if actors is None:
        reg.unreadable.add(doc.path)
    for index, entry in zip(kept, actors.actors if actors else [], strict=True):
        if entry.id in reg.actors:
            problems.append(
                doc.problem(("actors", index, "id"), f"duplicate actor id {entry.id!r}")
            )
        reg.actors[entry.id] = entry.model_dump(exclude={"variants", "note"})
        reg.actor_names[entry.id] = {entry.name, *entry.variants}
    if actors is not None:
        reg.context_dependent.update(actors.context_dependent)


def _places(
    doc: YamlDocument, reg: Registries, problems: list[Problem], gazetteer: Gazetteer | None
) -> None:
    reg.declared.update(declared_ids(doc.data, "places"))
    reg.places_file = doc.path
    places, kept = validate_document(doc, PlacesFile, "places", problems)
    if places is None:
        reg.unreadable.add(doc.path)
    for index, place in zip(kept, places.places if places else [], strict=True):
        loc: Loc = ("places", index)
        if place.id in reg.places:
            problems.append(doc.problem((*loc, "id"), f"duplicate place id {place.id!r}"))
        geo = None
        if gazetteer is not None and place.geonames_id is not None:
            geo = gazetteer(place.geonames_id)
            if geo is None:
                problems.append(
                    doc.problem(
                        (*loc, "geonames_id"),
                        f"GeoNames id {place.geonames_id} is not in the bundled GeoNames extract",
                        "use an id from the extract, or null with a note",
                    )
                )
        if geo is not None and place.country_code not in (None, geo.country_code):
            problems.append(
                doc.problem(
                    (*loc, "country_code"),
                    f"GeoNames places {geo.name} in {geo.country_code}, not {place.country_code}",
                )
            )
        reg.places[place.id] = {
            "id": place.id,
            "name": place.name,
            "geonames_id": place.geonames_id if geo else None,
            "latitude": geo.latitude if geo else None,
            "longitude": geo.longitude if geo else None,
            "country_code": place.country_code,
        }
        reg.place_names[place.id] = {place.name, *place.variants}


def _event_annotations(
    doc: YamlDocument, reg: Registries, problems: list[Problem]
) -> Iterator[tuple[int, int | None, EventAnnotation]]:
    """Each valid event with its index and line in the file."""
    reg.events.declare(declared_ids(doc.data, "events"))
    events, kept = validate_document(doc, EventsFile, "events", problems)
    if events is None:
        reg.unreadable.add(doc.path)
    for index, event in zip(kept, events.events if events else [], strict=True):
        yield index, None, event


def _event_lines(
    path: Path, display: str, reg: Registries, problems: list[Problem]
) -> Iterator[tuple[int, int | None, EventAnnotation]]:
    """Each valid event of a JSON Lines file, read a line at a time and validated as written;
    a line is parsed only to report what is wrong with it. A line that cannot be read at all
    makes the file unreadable, which stops the build once every line has been read."""
    unreadable: list[Problem] = []
    for index, (number, raw) in enumerate(lines(path)):
        try:
            text = line_text(display, number, raw)
            event = EventAnnotation.model_validate_json(text)
            check_keys(display, number, text)
        except InvalidInput as error:
            unreadable += error.problems
            continue
        except ValidationError as error:
            doc = line_document(display, number, None)
            try:
                data = parse_line(display, number, text)
            except InvalidInput as unparsable:
                unreadable += unparsable.problems
                continue
            reg.events.declare(declared_ids({"events": [data]}, "events"))
            for item in error.errors():
                loc = ("events", index, *item["loc"])
                problems.append(doc.problem(loc, *pydantic_message(item)))
            continue
        yield index, number, event
    if unreadable:
        problems += unreadable
        reg.unreadable.add(display)


def _events(
    events: Iterator[tuple[int, int | None, EventAnnotation]],
    reg: Registries,
    problems: list[Problem],
) -> None:
    for index, line, event in events:
        reg.events.add(index, line, event)
    for index, line, event_id in reg.events.seal():
        doc = reg.event_doc(line)
        problems.append(doc.problem(("events", index, "id"), f"duplicate event id {event_id!r}"))


def _seeds(inputs: Inputs, problems: list[Problem]) -> Seeds:
    """The seeds, with the names their collector gave some of them, if SEED_NAMES lists any."""
    path = inputs.root / SEED_NAMES
    if not path.is_file():
        return inputs.seeds
    if (outside := leads_out(inputs.root, path)) is not None:
        problems.append(link_problem(SEED_NAMES, outside))
        return inputs.seeds
    try:
        names, _ = validate_document(read_yaml(path, SEED_NAMES), SeedNamesFile, "seeds", problems)
    except InvalidInput as error:
        problems += error.problems
        return inputs.seeds
    return replace(inputs.seeds, named_by_collector=frozenset(names.seeds if names else ()))


def read_registries(
    inputs: Inputs,
    problems: list[Problem],
    workdir: Path,
    gazetteer: Gazetteer | None = lookup,
    events_database: bytes | None = None,
) -> Registries:
    """The registries, with every problem in them appended to problems; the events go into
    a database in workdir. Places are looked up in GeoNames by gazetteer; without one, they are
    not (for checks that need only their ids and names). events_database is the database that
    events.jsonl's bytes gave a build before, without a problem (see build_cache): it is used
    as it is."""
    path = workdir / "events.sqlite"
    if events_database is not None and inputs.event_lines is not None:
        write_new(path, events_database)
        events = EventRegistry(path)
    else:
        events = EventRegistry.create(path)
    reg = Registries(events, _seeds(inputs, problems), events_doc=inputs.events)
    _actors(inputs.actors, reg, problems)
    _places(inputs.places, reg, problems, gazetteer)
    if events_database is not None and inputs.event_lines is not None:
        reg.events_file = inputs.event_lines
    elif inputs.events is not None:
        _events(_event_annotations(inputs.events, reg, problems), reg, problems)
    else:
        assert inputs.event_lines is not None
        reg.events_file = inputs.event_lines
        path = inputs.root / inputs.event_lines
        _events(_event_lines(path, inputs.event_lines, reg, problems), reg, problems)
    return reg
