"""The corpus index: each shard's part, written where the shard was checked, merged in shard
order, so that the checks across shards see the input order. A build asks DuckDB over the parts'
Parquet files and a quick check asks SQLite in memory the same questions: every test runs on
both and expects the same answers."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from build_dataset.check.articles import ArticleResults, MentionResult, Where
from build_dataset.check.corpus_index import CorpusIndex, write_part, write_rows
from build_dataset.check.figures import FigureClaim, FigureQuantity

FIRST, SECOND = "seeds/annotations/articles-00000.jsonl", "seeds/annotations/articles-00001.jsonl"


def _claim(file: str, line: int, index: int) -> Where:
    return Where(file, line, None, f"claims[{index}].id")


def _supersedes(source: str, target: str, line: int) -> tuple[str, str, Where]:
    return (source, target, Where(FIRST, line, None, "claims[0].relations[0].claim"))


@pytest.fixture(params=["parquet", "memory"])
def index(request: pytest.FixtureRequest) -> Iterator[CorpusIndex]:
    built = CorpusIndex(in_memory=request.param == "memory")
    yield built
    built.close()


def _merge(index: CorpusIndex, folder: Path, *shards: ArticleResults, start: int = 0) -> None:
    """The shards' parts in order, as a build (Parquet) or a quick check (rows) writes them."""
    for number, results in enumerate(shards, start):
        part = folder / f"index-{number:05d}.part"
        (write_rows if index.in_memory else write_part)(results, part)
        index.merge(part)
        assert not part.exists()


def test_parts_merge_in_shard_order_and_are_removed(index: CorpusIndex, tmp_path: Path) -> None:
    quantity = FigureQuantity("fatalities", 32, 27, 32, "range")
    figure = FigureClaim("a-c001", (quantity,), frozenset({"z-c001"}))
    first = ArticleResults(
        declared_articles=["a"],
        article_origins=[("a", Where(FIRST, 1, None, "article.id"))],
        claim_origins=[("a-c001", _claim(FIRST, 1, 0)), ("a-c002", _claim(FIRST, 1, 1))],
        relations=[("a-c002", "a-c001", Where(FIRST, 1, None, "claims[1].relations[0].claim"))],
        mentions=[MentionResult(0, 0, {"start": 4, "end": 9, "text": "truce"})],
        figure_claims={"a-c001": figure},
    )
    second = ArticleResults(
        declared_articles=["b", "a"],
        declared_claims=["b-c001"],
        article_origins=[("a", Where(SECOND, 7, None, "article.id"))],
        claim_origins=[("a-c002", _claim(SECOND, 7, 0))],
        relations=[("a-c002", "z-c009", Where(SECOND, 7, None, "claims[0].relations[0].claim"))],
        mentions=[MentionResult(0, 1, None, (("mentions", 1, "quote"), "quote not found", None))],
    )
    _merge(index, tmp_path, first, second)

    assert list(index.repeated("articles")) == [
        ("a", Where(SECOND, 7, None, "article.id"), Where(FIRST, 1, None, "article.id"))
    ]
    assert list(index.repeated("claims")) == [("a-c002", _claim(SECOND, 7, 0), _claim(FIRST, 1, 1))]
    unknown = list(index.unknown_relations())
    assert unknown == [("z-c009", Where(SECOND, 7, None, "claims[0].relations[0].claim"))]
    assert index.declared("claims", "b-c001") and not index.declared("claims", "z-c009")
    assert index.repeated_among("claims", ["a-c001", "a-c002"])
    assert not index.repeated_among("claims", ["a-c001", "z-c009"])
    assert index.repeated_among("articles", ["a"]) and not index.repeated_among("articles", ["b"])
    assert not index.undeclared_among("claims", ["a-c001", "b-c001"])
    assert index.undeclared_among("claims", ["a-c001", "z-c009"])
    assert not index.undeclared_among("articles", ["b"])
    assert index.nearby("articles", "b", 5) == ["a"] and index.count("claims") == 2
    index.load_events([0, 1], [(0, "a-c001"), (0, "a-c404"), (1, "a-c002")])
    assert index.undeclared_figure_claims() == {"a-c404"}  # a-c002 is declared, if no figure
    found = list(index.events())
    assert found[0].mentions == {m.index: m for m in first.mentions + second.mentions}
    assert found[0].figure_claims == {"a-c001": figure}
    assert (found[1].mentions, found[1].figure_claims) == ({}, {})
    third = ArticleResults(claim_origins=[("c-c001", _claim(FIRST, 9, 0))])
    _merge(index, tmp_path, third, start=2)
    assert index.count("claims") == 3  # the count kept for hints is taken again


def test_events_stream_in_the_order_given_with_the_last_part_of_a_repeated_claim(
    index: CorpusIndex, tmp_path: Path
) -> None:
    """The events come in the order loaded (the events table's, by id), not the file's; a
    claim repeated across shards gives its figure claim from the last shard, as a mention
    located twice (its article repeated) keeps the later location."""
    older = FigureClaim(
        "a-c001", (FigureQuantity("fatalities", 3, None, None, "exact"),), frozenset()
    )
    newer = FigureClaim(
        "a-c001",
        (
            FigureQuantity("fatalities", None, 5, None, "at_least"),
            FigureQuantity("injuries", 7, None, None, "about"),
        ),
        frozenset({"a-c000", "b-c000"}),
    )
    bare = FigureClaim("b-c001", (), frozenset())
    shards = [
        ArticleResults(
            mentions=[
                MentionResult(2, 0, {"start": 0, "end": 5, "text": "first"}),
                MentionResult(0, 1, {"start": 9, "end": 12, "text": "two"}),
            ],
            figure_claims={"a-c001": older, "b-c001": bare},
        ),
        ArticleResults(
            mentions=[MentionResult(2, 0, {"start": 6, "end": 11, "text": "again"})],
            figure_claims={"a-c001": newer},
        ),
    ]
    _merge(index, tmp_path, *shards)
    index.load_events([2, 1, 0], [(2, "a-c001"), (0, "a-c001"), (0, "b-c001")])
    found = list(index.events())
    assert [sorted(f.mentions) for f in found] == [[0], [], [1]]
    assert found[0].mentions[0] == MentionResult(2, 0, {"start": 6, "end": 11, "text": "again"})
    assert found[0].figure_claims == {"a-c001": newer}
    assert found[2].figure_claims == {"a-c001": newer, "b-c001": bare}


def test_supersedes_cycles_are_found_from_the_first_source_through_claims_outside_them(
    index: CorpusIndex, tmp_path: Path
) -> None:
    """The search starts where the input first supersedes: x leads into the cycle at c, so the
    cycle is told from c, though b's relation comes first; the chain y -> z leads nowhere."""
    shard = ArticleResults(
        supersedes=[
            _supersedes("x", "c", 1),
            _supersedes("b", "c", 2),
            _supersedes("c", "d", 3),
            _supersedes("d", "b", 4),
            _supersedes("y", "z", 5),
            _supersedes("e", "e2", 6),
            _supersedes("e2", "e", 7),
        ]
    )
    _merge(index, tmp_path, shard)
    cycles = [(cycle, where.line) for cycle, where in index.supersedes_cycles()]
    assert cycles == [(["c", "d", "b", "c"], 2), (["e", "e2", "e"], 7)]


def test_seeds_without_an_annotation_are_those_no_part_declares(
    index: CorpusIndex, tmp_path: Path
) -> None:
    shard = ArticleResults(
        declared_articles=["s2"], article_origins=[("s1", Where(FIRST, 1, None, "article.id"))]
    )
    _merge(index, tmp_path, shard)
    seeds = [(f"s{n}", f"seeds/s{n}.txt") for n in (3, 1, 2, 0)]
    assert list(index.unannotated(iter(seeds))) == [("s3", "seeds/s3.txt"), ("s0", "seeds/s0.txt")]


def test_an_empty_index_answers_every_question(index: CorpusIndex) -> None:
    assert list(index.repeated("claims")) == [] and list(index.supersedes_cycles()) == []
    assert index.count("articles") == 0 and index.nearby("claims", "a", 3) == []
    index.load_events([0], [])
    assert [(f.mentions, f.figure_claims) for f in index.events()] == [({}, {})]
