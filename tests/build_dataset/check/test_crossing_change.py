"""What an edit changed in a shard's part of the corpus index decides whether the checks across
shards must run again; a part that is not what a build writes always sends them."""

from pathlib import Path

from build_dataset.check.articles import ArticleResults, Where
from build_dataset.check.corpus_index import CorpusIndex, part_arrow, part_bytes
from build_dataset.check.crossing_change import PartChange, still_passes

FILE = "seeds/annotations/articles-00000.jsonl"


def _part(*claims: str, relations: tuple[str, ...] = ()) -> bytes:
    where = Where(FILE, 1, None, "claims[0].id")
    results = ArticleResults(
        declared_articles=["a"],
        article_origins=[("a", where)],
        claim_origins=[(claim, where) for claim in claims],
        relations=[("a-c001", target, where) for target in relations],
    )
    return part_bytes(part_arrow(results))


def test_a_note_passes_and_an_id_no_longer_declared_or_a_foreign_part_does_not(
    tmp_path: Path,
) -> None:
    index = CorpusIndex(tmp_path / "index")
    try:
        before = _part("a-c001", "a-c002")
        assert still_passes(index, [PartChange(before, before)])
        assert not still_passes(index, [PartChange(before, _part("a-c001"))])
        assert not still_passes(index, [PartChange(b"not Parquet", before)])
        assert not still_passes(index, [PartChange(before, b"not Parquet")])
    finally:
        index.close()
