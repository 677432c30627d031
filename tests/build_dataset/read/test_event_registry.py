"""The events registry on disk: what the workers ask of it, one article at a time, and what
the main process reads back to build the events."""

import copy
import json
import pickle
import sqlite3
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from build_dataset.problems import Problem
from build_dataset.read.event_registry import EventRegistry, FigureRecord
from build_dataset.read.inputs import read_inputs
from build_dataset.read.registries import read_registries
from karabakh_schema.annotation import EventAnnotation
from tests.records import committed

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> EventRegistry:
    problems: list[Problem] = []
    reg = read_registries(read_inputs(REPO), problems, tmp_path_factory.mktemp("events"))
    assert problems == []
    return reg.events


def test_an_article_gets_its_mentions_events_and_figure_claims(registry: EventRegistry) -> None:
    articles, claims, events = committed()
    in_figures = {c for e in events for f in e.figures for c in f.claim_ids}
    for article in articles:
        mine = [c for c in claims if c.article_id == article.id]
        named = {e for c in mine for e in c.event_ids}
        found = registry.for_article(article.id, [c.id for c in mine], [*named, "ev-no-such-event"])
        mentions = [(m.article_id, m.span.text) for e in events for m in e.mentions]
        # in the order of the events file, which is not the release's (sorted by id)
        assert sorted((article.id, ref.quote) for ref in found.mentions) == sorted(
            m for m in mentions if m[0] == article.id
        )
        assert found.events == named
        assert found.figure_claims == {c.id for c in mine} & in_figures


def test_claim_ids_without_the_article_prefix_are_looked_up_too(registry: EventRegistry) -> None:
    _, _, events = committed()
    listed = sorted({c for e in events for f in e.figures for c in f.claim_ids})
    other_article = "999_0000000000000000"
    found = registry.for_article(other_article, [listed[0], "not-a-claim"], [])
    assert (found.mentions, found.figure_claims) == ([], {listed[0]})


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_a_shard_asked_at_once_gets_each_article_the_claims_figures_list(
    registry: EventRegistry, data: st.DataObject
) -> None:
    """Whatever the articles' ids and their claims' (another article's, one that starts with
    an article id that is a prefix of another's, any text), each article gets those of its
    claims that an event figure lists."""
    articles, claims, events = committed()
    in_figures = {c for e in events for f in e.figures for c in f.claim_ids}
    listed = sorted(in_figures)
    prefixes = st.builds(lambda c, n: c[:n], st.sampled_from(listed), st.integers(0, 25))
    article_ids = st.sampled_from([a.id for a in articles]) | prefixes | st.text(max_size=8)
    claim_ids = st.sampled_from(listed) | st.sampled_from([c.id for c in claims]) | st.text()
    asked = data.draw(
        st.lists(st.tuples(article_ids, st.lists(claim_ids, max_size=8)), max_size=12)
    )
    found = registry.for_articles([(article, ids, []) for article, ids in asked])
    assert [f.figure_claims for f in found] == [set(ids) & in_figures for _, ids in asked]


def test_a_worker_copy_reads_the_same_file_and_cannot_write(registry: EventRegistry) -> None:
    copy = pickle.loads(pickle.dumps(registry))
    article = committed().articles[0].id
    assert copy.for_article(article, [], []) == registry.for_article(article, [], [])
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        copy.declare(["ev-new"])
    copy.close()


def _events_file() -> list[dict[str, Any]]:
    yaml = YAML(typ="safe", pure=True)
    events: list[dict[str, Any]] = yaml.load(
        (REPO / "seeds/annotations/events.yaml").read_text(encoding="utf-8")
    )["events"]
    return events


def _model_record(event: EventAnnotation) -> tuple[Any, ...]:
    """What building the event reads, taken from the model itself."""
    return (
        event.id,
        event.type,
        event.category,
        event.description,
        None if event.date is None else event.date.value,
        event.place,
        tuple((a.actor, a.role) for a in event.actors),
        tuple(m.article for m in event.mentions),
        tuple((f.measure, f.scope, f.best, f.low, f.high, tuple(f.claims)) for f in event.figures),
        event.note,
    )


def _written(events: list[EventAnnotation], folder: Path) -> EventRegistry:
    registry = EventRegistry.create(folder / "events.sqlite")
    for index, event in enumerate(events):
        registry.add(index, index + 1, event)
    registry.seal()
    return registry


def _numbers() -> st.SearchStrategy[float | int]:
    return st.one_of(
        st.integers(0, 2**64), st.floats(0, 1e300, allow_nan=False, allow_infinity=False)
    )


@st.composite
def _event_changes(draw: st.DrawFn) -> dict[str, Any]:
    """A committed event with some of its values changed to others the model takes."""
    events = _events_file()
    data = copy.deepcopy(events[draw(st.integers(0, len(events) - 1))])
    text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1)
    data["description"] = draw(text)
    data["note"] = draw(st.none() | text)
    if draw(st.booleans()):
        data["date"] = None
    if draw(st.booleans()):
        data["place"] = None
    for figure in data.get("figures", []):
        figure["best"] = draw(_numbers())
        figure["low"] = draw(st.none() | _numbers())
        figure["high"] = draw(st.none() | _numbers())
    return data


@given(_event_changes())
@settings(max_examples=60, deadline=None)
def test_an_event_reads_back_as_its_model_gave_it(data: dict[str, Any]) -> None:
    """The registry keeps what building an event reads, so that it is validated once: what it
    gives back equals the model's values, types included (an integer best is a float)."""
    events = [EventAnnotation.model_validate_json(json.dumps(data))]
    with tempfile.TemporaryDirectory() as folder:
        registry = _written(events, Path(folder))
        [(index, line, record)] = list(registry)
        registry.close()
    assert (index, line) == (0, 1)
    expected = _model_record(events[0])
    assert tuple(record) == (
        *expected[:8],
        tuple(map(FigureRecord._make, expected[8])),
        expected[9],
    )
    assert [type(v) for f in record.figures for v in f[2:5]] == [
        type(v) for f in expected[8] for v in f[2:5]
    ]


def test_the_committed_events_read_back_in_id_order(tmp_path: Path) -> None:
    events = [EventAnnotation.model_validate(e) for e in _events_file()]
    registry = _written(events, tmp_path)
    records = [(index, tuple(record)) for index, _, record in registry]
    registry.close()
    by_id = sorted(range(len(events)), key=lambda i: events[i].id)
    assert [index for index, _ in records] == by_id
    for index, record in records:
        expected = _model_record(events[index])
        assert record[:8] == expected[:8] and record[9] == expected[9]
        assert [tuple(f) for f in record[8]] == list(expected[8])


def test_of_the_events_of_one_id_the_first_is_kept(tmp_path: Path) -> None:
    """seal drops the later events of an id, their mentions and figure claims with them, and
    returns them in file order to be reported."""
    first, second = (EventAnnotation.model_validate(e) for e in _events_file()[:2])
    again = first.model_copy(update={"mentions": second.mentions, "figures": second.figures})
    registry = EventRegistry.create(tmp_path / "events.sqlite")
    for index, event in enumerate([first, second, again, second]):
        registry.add(index, 10 + index, event)
    assert registry.seal() == [(2, 12, first.id), (3, 13, second.id)]
    assert [(index, record.id) for index, _, record in registry] == sorted(
        [(0, first.id), (1, second.id)], key=lambda pair: pair[1]
    )
    mentions = [
        (ref.event, ref.mention)
        for article in {m.article for m in (*first.mentions, *second.mentions)}
        for ref in registry.for_article(article, [], []).mentions
    ]
    assert sorted(mentions) == [(0, i) for i in range(len(first.mentions))] + [
        (1, i) for i in range(len(second.mentions))
    ]
    assert sorted(registry.figure_refs()) == sorted(
        {(i, c) for i, e in enumerate([first, second]) for f in e.figures for c in f.claims}
    )
    registry.close()


@given(st.lists(st.integers(0, 12), max_size=6))
def test_runs_of_the_events_read_back_the_events_in_order(
    registry: EventRegistry, cuts: list[int]
) -> None:
    """A process that builds a run of the events reads only the run's records and positions,
    and the runs, one after another, read what one process reading them all reads."""
    whole = list(registry)
    bounds = [0, *sorted(cuts), len(whole) + 1]
    runs = list(pairwise(bounds))
    assert [r for start, stop in runs for r in registry.records(start, stop)] == whole
    positions = [p for start, stop in runs for p in registry.positions(start, stop)]
    assert positions == [index for index, _, _ in whole] == list(registry.positions())
