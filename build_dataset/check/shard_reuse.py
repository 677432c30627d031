"""A shard checked again after an edit takes, from its previous clean outcome, the rows of every
article whose inputs did not change: only the edited articles are checked, and the shard's
tables and its part of the corpus index are put together again from the pieces, in Arrow, as
a check of the whole shard writes them (tests compare the bytes). So a rebuild after one edit
checks one article, not the thousand of its shard.

The articles of a shard are checked independently of each other but in one respect: a claim id
already read earlier in the shard is skipped (and reported across shards). A clean outcome has
skipped none: a claim id starts with its article's id, and the articles table's check finds an
article id twice. When an edited article repeats an id of a kept one, the same checks of the
tables put together find it; then, as whenever anything is wrong, nothing is taken: the whole
shard is checked, and every problem is found and worded as it always is."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from build_dataset.check.articles import ArticleResults, add_articles
from build_dataset.check.corpus_index import TABLES, part_arrow, part_bytes, read_part_tables
from build_dataset.check.coverage import ArticleCoverage
from build_dataset.read.inputs import ArticleSource
from build_dataset.read.registries import Registries

PART_TABLES = ("articles", "claims")
"""The tables a shard of articles has parts of."""

COUNTED = (
    *(f"part:{name}" for name in PART_TABLES),
    "declared_claims",
    "claims",
    "declared_articles",
    "articles",
    "relations",
    "supersedes",
    "mentions",
    "figure_claims",
)
"""What each article's rows are counted in: the shard's tables, then the corpus index's tables
but those whose rows belong to a figure claim (OWNED)."""

OWNED = {"figure_quantities": "figure_claims", "figure_supersedes": "figure_claims"}
"""Tables of the index whose rows carry the seq of the row they belong to."""

SourceKey = tuple[str, int | None, str]
"""An article's source as a shard's key names it: file, line, SHA-256 of its bytes."""


def source_key(source: ArticleSource) -> SourceKey | None:
    """None when the source's bytes were not read."""
    sha256 = source.sha256 or (
        None if source.text is None else hashlib.sha256(source.text).hexdigest()
    )
    return None if sha256 is None else (source.file, source.line, sha256)


def sizes(out: ArticleResults) -> tuple[int, ...]:
    """How many rows the results hold in each of COUNTED."""
    return (
        len(out.articles),
        len(out.claims),
        len(out.declared_claims),
        len(out.claim_origins),
        len(out.declared_articles),
        len(out.article_origins),
        len(out.relations),
        len(out.supersedes),
        len(out.mentions),
        len(out.figure_claims),
    )


def counting(counts: list[tuple[int, ...]]) -> Callable[[ArticleResults], None]:
    """A hook for add_articles that appends what each article added to COUNTED."""
    last = [(0,) * len(COUNTED)]

    def counted(out: ArticleResults) -> None:
        now = sizes(out)
        counts.append(tuple(b - a for a, b in zip(last[0], now, strict=True)))
        last[0] = now

    return counted


@dataclass(frozen=True)
class Previous:
    """A shard's last clean outcome, by article (each article's source, rows and seed)."""

    sources: tuple[SourceKey, ...]
    reusable: tuple[bool, ...]
    """Whether each article's seed still has the bytes it was checked against."""
    article_rows: tuple[tuple[int, ...], ...]
    """Each article's rows in each of COUNTED."""
    parts: dict[str, bytes]
    index_part: bytes
    coverage: tuple[ArticleCoverage, ...]
    seeds: tuple[tuple[str, str], ...]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Reused:
    """The shard's outcome put together from its previous one and its edited articles."""

    rows: dict[str, int]
    parts: dict[str, bytes]
    index_tables: dict[str, Any]
    index_part: bytes
    coverage: list[ArticleCoverage]
    seeds: tuple[tuple[str, str], ...]
    articles: tuple[str, ...]
    article_rows: tuple[tuple[int, ...], ...]
    checked: int


@dataclass(frozen=True)
class _Side:
    """The rows of one side (previous or edited) by table, with each article's first row."""

    tables: dict[str, Any]
    starts: dict[str, list[int]]
    counts: list[tuple[int, ...]]

    @classmethod
    def of(cls, tables: dict[str, Any], counts: Sequence[tuple[int, ...]]) -> "_Side":
        starts = {name: [0, *accumulate(c[i] for c in counts)] for i, name in enumerate(COUNTED)}
        return cls(tables, starts, list(counts))

    def piece(self, name: str, first: int, stop: int) -> tuple[Any, int, int]:
        """The rows of a table of the articles from first to stop (None when the side has no
        such table), the seq they count from (in their own table or, for OWNED, the
        owner's), and how many rows of that table the articles have."""
        counted = OWNED.get(name, name)
        start, end = self.starts[counted][first], self.starts[counted][stop]
        table = self.tables.get(name)
        if table is None:
            return None, start, end - start
        if name in OWNED:
            import numpy as np

            seq = table.column("seq").to_numpy()
            low, high = np.searchsorted(seq, [start, end])
            return table.slice(int(low), int(high - low)), start, end - start
        return table.slice(start, end - start), start, end - start


Run = tuple[bool, int, int]
"""Articles next to each other in the shard taken from one side (True: the previous outcome),
where they are next to each other too: the side, the first article's place there, and the
place after the last."""


def _rows(tables: dict[str, Any], name: str) -> int:
    return int(tables[name].num_rows) if name in tables else 0


def _runs(plan: list[tuple[bool, int]]) -> list[Run]:
    runs: list[Run] = []
    for old, i in plan:
        if runs and runs[-1][0] == old and runs[-1][2] == i:
            runs[-1] = (old, runs[-1][1], i + 1)
        else:
            runs.append((old, i, i + 1))
    return runs


def reused(
    root: Path,
    sources: Sequence[ArticleSource],
    reg: Registries,
    previous: Previous,
    version: str,
) -> Reused | None:
    """The shard's outcome from its previous one, checking only the articles whose source or
    seed changed; None when the whole shard is to be checked."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from build_dataset.write.release import parquet_bytes
    from build_dataset.write.tables import check_table, table_schema, to_table

    lengths = (len(previous.reusable), len(previous.article_rows), len(previous.articles))
    if lengths != (len(previous.sources),) * 3 or any(
        len(rows) != len(COUNTED) or min(rows) < 0 for rows in previous.article_rows
    ):
        return None
    kept = {
        key: i
        for i, (key, ok) in enumerate(zip(previous.sources, previous.reusable, strict=True))
        if ok
    }
    plan: list[tuple[bool, int]] = []
    edited: list[ArticleSource] = []
    for source in sources:
        at = kept.pop(key, None) if (key := source_key(source)) is not None else None
        plan.append((at is not None, len(edited) if at is None else at))
        if at is None:
            edited.append(source)
    if len(edited) == len(sources):
        return None
    results, counts = ArticleResults(), list[tuple[int, ...]]()
    add_articles(root, edited, reg, results, counting(counts))
    if results.problems or results.unreadable or len(results.articles) != len(edited):
        return None
    try:
        old_tables = read_part_tables(previous.index_part)
        for name, data in previous.parts.items():
            old_tables[f"part:{name}"] = pq.ParquetFile(pa.BufferReader(data)).read()
    except (pa.ArrowException, OSError):  # not what a build wrote: a forged entry
        return None
    old = _Side.of(old_tables, previous.article_rows)
    if any(old.starts[name][-1] != _rows(old_tables, name) for name in COUNTED):
        return None
    new_tables = part_arrow(results)
    for name in PART_TABLES:
        if rows := getattr(results, name):
            new_tables[f"part:{name}"] = to_table(name, rows, version)
    sides = (_Side.of(new_tables, counts), old)
    runs = _runs(plan)
    out_rows, parts = {}, {}
    for name in PART_TABLES:
        table = _joined(f"part:{name}", runs, sides, renumber=False)
        out_rows[name] = 0 if table is None else table.num_rows
        if table is None:
            continue
        table = pa.Table.from_arrays(table.columns, schema=table_schema(name, version))
        if check_table(name, table, f"<{name} table>"):
            return None
        parts[name] = parquet_bytes(table)
    index_tables = {
        name: table
        for name in TABLES
        if (table := _joined(name, runs, sides, renumber=True)) is not None
    }
    coverage = {c.article_id: c for c in (*previous.coverage, *results.coverage)}
    checked_seeds = [(a["source_file"], a["sha256"]) for a in results.articles]
    checked_ids = [a["id"] for a in results.articles]
    seeds = tuple(previous.seeds[i] if old else checked_seeds[i] for old, i in plan)
    articles = tuple(previous.articles[i] if old else checked_ids[i] for old, i in plan)
    return Reused(
        out_rows,
        parts,
        index_tables,
        part_bytes(index_tables),
        [coverage[a] for a in articles if a in coverage],
        seeds,
        articles,
        tuple(sides[old].counts[i] for old, i in plan),
        len(edited),
    )


def _joined(name: str, runs: list[Run], sides: tuple[_Side, _Side], renumber: bool) -> Any:
    """The table's rows of every article in the shard's order, as one chunk, each row's seq
    counted again from the start of the shard; None when there are none."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pieces, first_seq = [], 0
    for old, first, stop in runs:
        rows, start, count = sides[old].piece(name, first, stop)
        if rows is not None and rows.num_rows:
            if renumber:
                seq = rows.schema.get_field_index("seq")
                shifted = pc.add(rows.column(seq), pa.scalar(first_seq - start, pa.int64()))
                rows = rows.set_column(seq, "seq", shifted)
            pieces.append(rows)
        first_seq += count
    if not pieces:
        return None
    return pa.concat_tables(pieces).combine_chunks()
