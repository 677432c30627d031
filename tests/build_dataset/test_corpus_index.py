"""The corpus index: each shard's part, written where the shard was checked, merged in shard
order, so that the checks across shards see the input order."""

from pathlib import Path

from build_dataset.articles import ArticleResults, MentionResult, Where
from build_dataset.corpus_index import CorpusIndex, write_part
from build_dataset.figures import FigureClaim, FigureQuantity

FIRST, SECOND = "seeds/annotations/articles-00000.jsonl", "seeds/annotations/articles-00001.jsonl"


def _claim(file: str, line: int, index: int) -> Where:
    return Where(file, line, None, f"claims[{index}].id")


def test_parts_merge_in_shard_order_and_are_removed(tmp_path: Path) -> None:
    quantity = FigureQuantity("fatalities", 32, 27, 32, "range")
    figure = FigureClaim("a-c001", (quantity,), frozenset())
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
    index = CorpusIndex()
    for number, results in enumerate((first, second)):
        part = tmp_path / f"index-{number:05d}.sqlite"
        write_part(results, part)
        index.merge(part)
        assert not part.exists()

    assert list(index.repeated("articles")) == [
        ("a", Where(SECOND, 7, None, "article.id"), Where(FIRST, 1, None, "article.id"))
    ]
    assert list(index.repeated("claims")) == [("a-c002", _claim(SECOND, 7, 0), _claim(FIRST, 1, 1))]
    unknown = list(index.unknown_relations())
    assert unknown == [("z-c009", Where(SECOND, 7, None, "claims[0].relations[0].claim"))]
    assert index.declared("claims", "b-c001") and not index.declared("claims", "z-c009")
    assert index.nearby("articles", "b", 5) == ["a"] and index.count("claims") == 2
    assert index.mentions_of(0) == {m.index: m for m in first.mentions + second.mentions}
    assert index.figure_claim("a-c001") == figure and index.figure_claim("a-c002") is None
    third = tmp_path / "index-00002.sqlite"
    write_part(ArticleResults(claim_origins=[("c-c001", _claim(FIRST, 9, 0))]), third)
    index.merge(third)
    assert index.count("claims") == 3  # the count kept for hints is taken again
    index.close()
