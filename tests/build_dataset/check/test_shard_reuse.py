"""A shard checked again with its previous outcome checks only the articles whose source or seed
changed, and returns exactly what a check of the whole shard returns; when an edit could make
the articles depend on each other (a claim id in two of them), the whole shard is checked."""

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from build_dataset.check.shard_reuse import Previous, source_key
from build_dataset.check.shard_step import (
    Shard,
    ShardContext,
    ShardOutcome,
    StepSettings,
    check_shard,
    previous_of,
)
from build_dataset.read.cleaning import load_rules
from build_dataset.read.inputs import article_sources, read_inputs, with_bytes
from build_dataset.read.registries import read_registries

ARTICLES = 12
Record = dict[str, Any]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ShardContext]:
    root = tmp_path_factory.mktemp("reuse") / "corpus"
    generate(root, ARTICLES, seed=0, per_file=6)
    load_rules()
    problems: list[Any] = []
    reg = read_registries(read_inputs(root), problems, tmp_path_factory.mktemp("registries"))
    assert problems == []
    return root, ShardContext(StepSettings(root, "9.9.9", cached=True), reg)


def shard(root: Path, edit: Callable[[list[Record]], None] | None = None) -> Shard:
    """The corpus as one shard, its records edited in memory (in input order) if asked."""
    sources = [with_bytes(root, s) for s in article_sources(root)]
    if edit is not None:
        records = [json.loads(s.text or b"") for s in sources]
        edit(records)
        sources = [
            s
            if r == json.loads(s.text or b"")
            else replace(s, text=json.dumps(r, ensure_ascii=False).encode(), sha256=None)
            for s, r in zip(sources, records, strict=True)
        ]
    return Shard(0, tuple(sources))


def previous(checked: Shard, outcome: ShardOutcome, stale: int | None = None) -> Previous:
    """What a cache holds of the shard's outcome; the seed of article stale changed since."""
    keys = tuple(key for s in checked.sources if (key := source_key(s)) is not None)
    assert len(keys) == len(checked.sources) and outcome.clean
    return previous_of(outcome, keys, tuple(i != stale for i in range(len(keys))))


def note(index: int) -> Callable[[list[Record]], None]:
    def edit(records: list[Record]) -> None:
        records[index]["claims"][0]["note"] = "edited"

    return edit


def drop_claim(index: int) -> Callable[[list[Record]], None]:
    def edit(records: list[Record]) -> None:
        del records[index]["claims"][-1]

    return edit


def relate(index: int) -> Callable[[list[Record]], None]:
    """A relation from the article's first claim to the first claim of the article before."""

    def edit(records: list[Record]) -> None:
        other = records[index - 1]["claims"][0]["id"]
        relation = {"type": "agrees", "claim": other, "note": None}
        records[index]["claims"][0].setdefault("relations", []).append(relation)

    return edit


def both(*edits: Callable[[list[Record]], None]) -> Callable[[list[Record]], None]:
    def edit(records: list[Record]) -> None:
        for each in edits:
            each(records)

    return edit


@pytest.mark.parametrize(
    ("edit", "checked"),
    [
        (note(4), 1),
        (note(0), 1),
        (note(ARTICLES - 1), 1),
        (drop_claim(2), 1),
        (relate(7), 1),
        (both(note(1), relate(5), relate(9)), 3),
    ],
    ids=["note", "first article", "last article", "claim removed", "relation", "three articles"],
)
def test_only_edited_articles_are_checked_and_the_outcome_is_a_whole_checks(
    corpus: tuple[Path, ShardContext], edit: Callable[[list[Record]], None], checked: int
) -> None:
    root, context = corpus
    first = shard(root)
    before = check_shard(first, context)
    assert before.checked == ARTICLES
    edited = shard(root, edit)
    whole = check_shard(edited, context)
    again = check_shard(replace(edited, previous=previous(first, before)), context)
    assert again.checked == checked
    assert replace(again, checked=ARTICLES) == whole
    assert whole.parts != before.parts


def test_an_article_whose_seed_changed_is_checked_again(
    corpus: tuple[Path, ShardContext],
) -> None:
    root, context = corpus
    first = shard(root)
    before = check_shard(first, context)
    edited = shard(root, note(3))
    again = check_shard(replace(edited, previous=previous(first, before, stale=8)), context)
    assert again.checked == 2
    assert replace(again, checked=ARTICLES) == check_shard(edited, context)


def test_a_claim_id_shared_with_a_kept_article_has_the_whole_shard_checked(
    corpus: tuple[Path, ShardContext],
) -> None:
    """The later of two claims with one id is skipped in a shard (and reported across shards):
    which one depends on the other article, so nothing is taken. An article annotated twice
    repeats its id and every claim id."""

    def repeat(records: list[Record]) -> None:
        records[6] = records[2]

    root, context = corpus
    first = shard(root)
    before = check_shard(first, context)
    edited = shard(root, repeat)
    again = check_shard(replace(edited, previous=previous(first, before)), context)
    whole = check_shard(edited, context)
    assert again == whole
    assert again.checked == ARTICLES


def test_an_edit_with_a_problem_has_the_whole_shard_checked(
    corpus: tuple[Path, ShardContext],
) -> None:
    def spoil(records: list[Record]) -> None:
        records[5]["claims"][0]["quote"] = "words that are nowhere in the article"

    root, context = corpus
    first = shard(root)
    before = check_shard(first, context)
    edited = shard(root, spoil)
    again = check_shard(replace(edited, previous=previous(first, before)), context)
    assert again.checked == ARTICLES
    assert again == check_shard(edited, context)
    assert [p.field for p in again.problems] == ["claims[0].quote"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda p: replace(p, article_rows=p.article_rows[1:] + p.article_rows[:1]),
        lambda p: replace(p, article_rows=tuple(rows[:-1] for rows in p.article_rows)),
        lambda p: replace(p, index_part=b"not Parquet"),
        lambda p: replace(p, parts={**p.parts, "claims": p.parts["articles"]}),
        lambda p: replace(p, reusable=p.reusable[1:]),
    ],
    ids=[
        "rows of other articles",
        "rows cut short",
        "index part not Parquet",
        "parts swapped",
        "seeds of fewer articles",
    ],
)
def test_a_previous_outcome_that_does_not_hold_together_has_the_whole_shard_checked(
    corpus: tuple[Path, ShardContext], forge: Callable[[Previous], Previous]
) -> None:
    """What an entry holds is what a build wrote, unless someone forged it whole: then the
    shard is checked as if there were none."""
    root, context = corpus
    first = shard(root)
    before = check_shard(first, context)
    edited = shard(root, note(4))
    forged = forge(previous(first, before))
    again = check_shard(replace(edited, previous=forged), context)
    assert again.checked == ARTICLES
    assert again == check_shard(edited, context)
