"""The events registry on disk: what the workers ask of it, one article at a time."""

import pickle
import sqlite3
from pathlib import Path

import pytest

from build_dataset.problems import Problem
from build_dataset.read.event_registry import EventRegistry
from build_dataset.read.inputs import read_inputs
from build_dataset.read.registries import read_registries
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


def test_a_worker_copy_reads_the_same_file_and_cannot_write(registry: EventRegistry) -> None:
    copy = pickle.loads(pickle.dumps(registry))
    article = committed().articles[0].id
    assert copy.for_article(article, [], []) == registry.for_article(article, [], [])
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        copy.declare(["ev-new"])
    copy.close()
