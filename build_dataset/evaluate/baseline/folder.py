"""The baseline's annotation folder: an article file per seed, the registries copied beside
them and the events its claims report, so that the folder validates in place of
seeds/annotations."""

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from build_dataset.evaluate.baseline.article import annotate
from build_dataset.evaluate.baseline.events import events
from build_dataset.evaluate.baseline.names import NameIndex
from build_dataset.files import FileRefused, read_inside, staged_copy
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.importers.yaml_out import dump_annotation, dump_events
from build_dataset.read.inputs import ANNOTATIONS_DIR, SEEDS_DIR
from build_dataset.read.registries import validate_document
from build_dataset.read.yaml_source import MAX_BYTES, parse_yaml
from karabakh_schema.annotation import ActorsFile, PlacesFile
from karabakh_schema.values import Record

M = TypeVar("M", bound=Record)


class UnknownArticles(ValueError):
    """Articles asked for that have no seed."""


@dataclass(frozen=True)
class Written:
    claims: dict[str, int]
    """Claims per article written, by article id."""


def _registry(root: Path, name: str, model: type[M], items: str) -> tuple[M, bytes]:
    path = root / ANNOTATIONS_DIR / name
    data = read_inside(root, path)
    problems: list[Problem] = []
    valid, _ = validate_document(
        parse_yaml(data.decode("utf-8"), path.name), model, items, problems
    )
    if valid is None or problems:
        raise InvalidInput(problems)
    return valid, data


def _chosen(root: Path, articles: Iterable[str] | None) -> dict[str, Path]:
    seeds = {path.stem: path for path in sorted((root / SEEDS_DIR).glob("*.txt"))}
    if articles is None:
        return seeds
    wanted = list(dict.fromkeys(articles))
    if unknown := [a for a in wanted if a not in seeds]:
        raise UnknownArticles(f"no seed for {', '.join(unknown)} in {root / SEEDS_DIR}")
    return {a: seeds[a] for a in wanted}


def _lines(records: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def events_file(events: list[dict[str, Any]], limit: int = MAX_BYTES) -> tuple[str, bytes]:
    """The name and bytes of the events file: events.yaml, in the hand-written files' style,
    while it is within the size a YAML annotation file may have (limit); beyond, events.jsonl,
    an event a line, which the builder reads at any size (the baseline's events of a thousand
    articles pass the limit)."""
    lines = _lines(events)
    if len(lines) <= limit:  # YAML is longer than compact JSON: it is dumped only if it may fit
        text = dump_events(events).encode("utf-8")
        if len(text) <= limit:
            return "events.yaml", text
    return "events.jsonl", lines


def write_baseline(
    root: Path, out: Path, articles: Iterable[str] | None = None, as_lines: bool = False
) -> Written:
    """Annotate the seeds (all, or those asked for) into the folder out: a YAML file an
    article, as the hand-written ones, for people to read; or, as_lines, every article in
    articles.jsonl and the events in events.jsonl, which are written and read far faster (a
    thousand articles took 48 s to write as YAML) and at any size, for a build's documents,
    which only score the folder."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileRefused(
            f"{out} is not an empty folder; the baseline writes into a new or empty one, so "
            "that no annotation is replaced"
        )
    actors, actors_bytes = _registry(root, "actors.yaml", ActorsFile, "actors")
    places, places_bytes = _registry(root, "places.yaml", PlacesFile, "places")
    actor_names = NameIndex.of((a.id, [a.name, *a.variants]) for a in actors.actors)
    place_names = NameIndex.of((p.id, [p.name, *p.variants]) for p in places.places)
    seeds = _chosen(root, articles)
    annotated = {
        article_id: annotate(article_id, read_inside(root, path), actor_names, place_names)
        for article_id, path in seeds.items()
    }
    found, reported = events((a, c) for a, data in annotated.items() for c in data["claims"])
    records = {
        article_id: {
            **data,
            "claims": [
                {**claim, "events": [reported[claim["id"]]]} if claim["id"] in reported else claim
                for claim in data["claims"]
            ],
        }
        for article_id, data in annotated.items()
    }
    if as_lines:
        files = {"articles.jsonl": _lines(records.values()), "events.jsonl": _lines(found)}
    else:
        files = {f"{a}.yaml": dump_annotation(r).encode("utf-8") for a, r in records.items()}
        events_name, events_bytes = events_file(found)
        files[events_name] = events_bytes
    files.update({"actors.yaml": actors_bytes, "places.yaml": places_bytes})
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():  # replacing what is there, a link included, not
        os.replace(staged_copy(out / name, content), out / name)  # writing through it
    return Written({a: len(data["claims"]) for a, data in annotated.items()})
