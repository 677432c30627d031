"""What the main process keeps of every shard: the article and claim ids with where each was
written, the relations between claims, the located event mentions and the claims behind event
figures. The process that checks a shard writes the shard's part as one Parquet file; the main
process takes the parts in shard order and asks DuckDB, over those files, the questions that
cross shards (duplicate ids, references to nothing, cycles of supersedes relations), each one
set operation, and streams the mentions and figure claims of the events in the order the events
are built. Memory stays flat however large the corpus: the rows stay on disk.

The questions are SQL written once. A quick check of a few files asks them of the same tables
held in an in-memory SQLite database instead, so that it loads neither DuckDB nor pyarrow."""

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from build_dataset.check.articles import ArticleResults, MentionResult, Where
from build_dataset.check.figures import FigureClaim, FigureQuantity
from build_dataset.read.inputs import batches
from build_dataset.read.registries import NEARBY_IDS, known

Kind = Literal["articles", "claims"]
"""The ids kept with where each was written (table `<kind>`), and those declared, valid or not
(table `declared_<kind>`)."""

Row = tuple[Any, ...]
Columns = tuple[tuple[str, str], ...]
"""A table's columns: name and type (str, int or float)."""

_WHERE: Columns = (("file", "str"), ("line", "int"), ("col", "int"), ("field", "str"))
TABLES: dict[str, Columns] = {
    "declared_claims": (("id", "str"),),
    "claims": (("id", "str"), *_WHERE),
    "declared_articles": (("id", "str"),),
    "articles": (("id", "str"), *_WHERE),
    "relations": (("target", "str"), *_WHERE),
    "supersedes": (("source", "str"), ("target", "str"), *_WHERE),
    "mentions": (
        ("event", "int"),
        ("mention", "int"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("text", "str"),
        ("loc", "str"),
        ("message", "str"),
        ("hint", "str"),
    ),
    "figure_claims": (("id", "str"),),
    "figure_quantities": (
        ("id", "str"),
        ("quantity", "int"),
        ("measure", "str"),
        ("value", "float"),
        ("low", "float"),
        ("high", "float"),
        ("qualifier", "str"),
    ),
    "figure_supersedes": (("id", "str"), ("target", "str")),
}
"""The tables of the index. Every row of a part also has its `seq`, its place among the part's
rows of its table (for figure_quantities and figure_supersedes, that of their figure claim);
the index orders rows by `ord`, the part's number and seq in one integer."""

EVENT_TABLES = ("mentions", "figure_claims", "figure_quantities", "figure_supersedes")
"""The tables the events are built from: a shard's mentions of events, and the claims that
event figures list."""

PartTables = dict[str, list[Row]]
"""A part's rows by table, each row its seq and then the table's columns."""


def part_tables(results: ArticleResults) -> PartTables:
    """What the index keeps of a shard's results, as rows of its tables."""
    return {
        name: list(zip(*columns, strict=True)) for name, columns in part_columns(results).items()
    }


def _mention_row(m: MentionResult) -> Row:
    span = m.span or {"start": None, "end": None, "text": None}
    loc, message, hint = (None, None, None) if m.problem is None else m.problem
    located = None if loc is None else json.dumps(loc)
    return (m.event, m.index, span["start"], span["end"], span["text"], located, message, hint)


def _mention(event: int, row: Row) -> MentionResult:
    mention, start, end, text, loc, message, hint = row
    span = None if text is None else {"start": start, "end": end, "text": text}
    problem = None if loc is None else (tuple(json.loads(loc)), message, hint)
    return MentionResult(event, mention, span, problem)


def part_arrow(results: ArticleResults) -> dict[str, Any]:
    """A shard's part as Arrow tables of the part's columns, one for each table with rows,
    each row tagged by its table's name in the column `table` (and null in the other tables'
    columns). The tables are made column by column from the results: a shard has 20,000
    claims, whose rows would each be made and taken apart again."""
    return {
        name: tagged_table(name, columns)
        for name, columns in part_columns(results).items()
        if columns[0]
    }


def part_columns(results: ArticleResults) -> dict[str, list[Sequence[Any]]]:
    """What the index keeps of a shard's results, as the columns of each of its tables, seq
    first: each row's place among the table's rows, or for figure_quantities and
    figure_supersedes that of their figure claim."""
    _, targets, relations = _split(results.relations, 3)
    sources, superseded, supersedes = _split(results.supersedes, 3)
    figures = list(results.figure_claims.values())
    return {
        "declared_claims": _counted(results.declared_claims),
        "claims": _origins(results.claim_origins),
        "declared_articles": _counted(results.declared_articles),
        "articles": _origins(results.article_origins),
        "relations": _counted(targets, *_split(relations, 4)),
        "supersedes": _counted(sources, superseded, *_split(supersedes, 4)),
        "mentions": _counted(*_split(list(map(_mention_row, results.mentions)), 8)),
        "figure_claims": _counted([claim.id for claim in figures]),
        "figure_quantities": _split(
            [
                (seq, claim.id, i, *quantity)
                for seq, claim in enumerate(figures)
                for i, quantity in enumerate(claim.quantities)
            ],
            8,
        ),
        "figure_supersedes": _split(
            [
                (seq, claim.id, target)
                for seq, claim in enumerate(figures)
                for target in sorted(claim.supersedes)
            ],
            3,
        ),
    }


def _split(rows: Sequence[Sequence[Any]], width: int) -> list[Sequence[Any]]:
    """Rows of this width as columns."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _counted(*columns: Sequence[Any]) -> list[Sequence[Any]]:
    """The columns after a seq column that numbers their rows."""
    return [range(len(columns[0])), *columns]


def _origins(origins: list[tuple[str, Where]]) -> list[Sequence[Any]]:
    """The columns of ids and where each was written."""
    ids, wheres = _split(origins, 2)
    return _counted(ids, *_split(wheres, 4))


def tagged_table(name: str, columns: list[Sequence[Any]]) -> Any:
    """Columns of one table of the index (seq first) as an Arrow table of the part's columns."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    given = dict(zip((c for c, _ in (("seq", "int"), *TABLES[name])), columns, strict=True))
    size = len(columns[0])
    arrays = {
        column: pa.array(given[column], types[t]) if column in given else pa.nulls(size, types[t])
        for column, t in _PART_COLUMNS[1:]
    }
    return pa.table({"table": pa.array([name] * size, pa.string()), **arrays})


def write_part_tables(tables: dict[str, Any], sink: Any) -> None:
    """What the main process keeps of a shard, written by the process that checked it as one
    Parquet file (a path or an Arrow sink): a row group per table with rows, in the order of
    TABLES."""
    import pyarrow.parquet as pq

    with pq.ParquetWriter(sink, _arrow_table(_PART_COLUMNS, []).schema) as writer:
        for name in TABLES:
            if name in tables:
                writer.write_table(tables[name])


def read_part_tables(part: bytes) -> dict[str, Any]:
    """The tables of a part's Parquet bytes (see write_part_tables), read at once and cut at
    its row groups, each of which holds rows of one table (named by the statistics of its
    column `table`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = pq.ParquetFile(pa.BufferReader(part))
    whole = data.read(use_threads=False)
    groups: dict[str, list[Any]] = {name: [] for name in TABLES}
    start = 0
    for i in range(data.num_row_groups):
        group = data.metadata.row_group(i)
        rows = whole.slice(start, group.num_rows)
        statistics = group.column(0).statistics
        name = statistics.min if statistics is not None and statistics.has_min_max else None
        groups.setdefault(name or rows.column("table")[0].as_py(), []).append(rows)
        start += group.num_rows
    empty = whole.slice(0, 0)
    return {name: pa.concat_tables([empty, *groups[name]]).combine_chunks() for name in TABLES}


def part_bytes(tables: dict[str, Any]) -> bytes:
    """The Parquet bytes of a shard's part made of these tables (see write_part_tables)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    write_part_tables(tables, sink)
    return bytes(sink.getvalue())


def write_part(results: ArticleResults, path: Path) -> None:
    write_part_tables(part_arrow(results), path)


def rows_text(results: ArticleResults) -> str:
    """The part as JSON rows of its tables, for an index in memory (see CorpusIndex.merge):
    a quick check of a few files writes and reads it without loading Arrow."""
    return json.dumps(part_tables(results))


def write_rows(results: ArticleResults, path: Path) -> None:
    path.write_text(rows_text(results), encoding="utf-8")


_PART_COLUMNS: Columns = tuple(
    {
        column: None
        for columns in ((("table", "str"), ("seq", "int")), *TABLES.values())
        for column in columns
    }
)
"""A part's columns: those of every table, each name with one type whatever its table."""


def _arrow_table(columns: Columns, rows: list[Row], given: Columns | None = None) -> Any:
    """An Arrow table of these columns from rows of the given ones (by default the same);
    a column the rows lack is null."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    names = [name for name, _ in given or columns]
    values = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {}
    return pa.table(
        {name: pa.array(values.get(name, [None] * len(rows)), types[t]) for name, t in columns}
    )


_SQL_TYPES = {"str": "TEXT", "int": "BIGINT", "float": "DOUBLE"}
_BATCH = 10_000  # rows fetched at a time from a streamed result


class _ParquetParts:
    """The parts as Parquet files in a folder of the index's own, asked by DuckDB; its memory
    is capped, and what a query needs beyond it spills into the folder.

    Both kinds of parts answer query (rows streamed), execute, and load: a table of rows from
    Python, for the questions to join with, of which it returns the length."""

    MEMORY_LIMIT = "256MB"
    """At 50,000 articles (a million claims) the questions use about 150 MB at most; a larger
    corpus spills rather than grows the main process."""
    VIEW_MEMORY_LIMIT = "64MB"
    """A worker's view, to build a run of the events (see CorpusIndex.over), while the main
    process asks the questions across shards: its two queries join a run's events with the
    mentions and figure claims, and spill beyond this."""

    def __init__(self, folder: Path | None) -> None:
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="corpus-index-"))
        else:
            folder.mkdir()
        self.folder = folder
        self.memory_limit = self.MEMORY_LIMIT
        self._connection: Any = None
        self._parts: list[Path] = []
        self._viewed = 0
        self._streaming: set[Any] = set()
        """The cursors of results being streamed, closed with the index even if a reader
        stopped before their end (DuckDB's bindings report a connection left open at exit)."""

    @property
    def _db(self) -> Any:
        """DuckDB, loaded once the parts are asked, so that it takes no memory while the
        shards are checked (the peak of a build with several workers)."""
        if self._connection is None:
            import duckdb

            self._connection = duckdb.connect()
            spill = str(self.folder / "spill").replace("'", "''")
            self._connection.execute(f"SET memory_limit = '{self.memory_limit}'")
            self._connection.execute(f"SET temp_directory = '{spill}'")
        return self._connection

    def refer(self, parts: Sequence[Path], memory_limit: str) -> None:
        """Ask parts that another index took, where they are: they stay where they are, and
        its own folder holds only what spills beyond memory_limit."""
        self._parts = list(parts)
        self.memory_limit = memory_limit

    @property
    def parts(self) -> tuple[Path, ...]:
        return tuple(self._parts)

    def take(self, part: Path) -> None:
        """Move the part into the index's folder, after those taken before it."""
        kept = self.folder / f"part-{len(self._parts):05d}.parquet"
        shutil.move(part, kept)
        self._parts.append(kept)

    def _views(self) -> None:
        """A view per table over the parts taken so far (an empty part if there are none)."""
        if self._viewed == len(self._parts) and self._parts:
            return
        if not self._parts:
            write_part(ArticleResults(), self.folder / "empty.parquet")
        files = self._parts or [self.folder / "empty.parquet"]
        listed = ", ".join("'{}'".format(os.fspath(f).replace("'", "''")) for f in files)
        for name, columns in TABLES.items():
            names = ", ".join(c for c, _ in columns)
            self._db.execute(
                f"CREATE OR REPLACE VIEW {name} AS SELECT {names}, "
                "(file_index::BIGINT << 32) | seq AS ord "
                f"FROM read_parquet([{listed}]) WHERE \"table\" = '{name}'"
            )
        self._viewed = len(self._parts)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        self._views()
        cursor = self._db.cursor()
        self._streaming.add(cursor)
        try:
            result = cursor.execute(sql, params)
            while batch := result.fetchmany(_BATCH):
                yield from batch
        finally:
            self._streaming.discard(cursor)
            cursor.close()

    def execute(self, sql: str) -> None:
        self._views()
        self._db.execute(sql)

    def load(self, name: str, columns: Columns, rows: Iterable[Row]) -> int:
        """Taken into DuckDB a batch at a time, so that Python never holds them all (and read
        in this thread: the rows may come from a database connection of this thread's)."""
        typed = ", ".join(f"{c} {_SQL_TYPES[t]}" for c, t in columns)
        self._db.execute(f"CREATE OR REPLACE TABLE {name} ({typed})")
        loaded = 0
        for batch in batches(iter(rows), _BATCH):
            self._db.register("batch_rows", _arrow_table(columns, list(batch)))
            self._db.execute(f"INSERT INTO {name} SELECT * FROM batch_rows")
            self._db.unregister("batch_rows")
            loaded += len(batch)
        return loaded

    def close(self) -> None:
        for cursor in self._streaming:
            cursor.close()
        if self._connection is not None:
            self._connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _MemoryParts:
    """The parts as tables of an in-memory SQLite database, for a quick check of a few files."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:")
        for name, columns in TABLES.items():
            self._create(name, (*columns, ("ord", "int")))
        self._parts = 0

    def _create(self, name: str, columns: Columns) -> None:
        typed = ", ".join(f"{c} {_SQL_TYPES[t]}" for c, t in columns)
        self._db.execute(f"CREATE TABLE {name} ({typed})")

    def add(self, tables: PartTables) -> None:
        number = self._parts << 32
        for name, rows in tables.items():
            marks = ", ".join("?" * (len(TABLES[name]) + 1))
            self._db.executemany(
                f"INSERT INTO {name} VALUES ({marks})",
                ((*row[1:], number | row[0]) for row in rows),
            )
        self._parts += 1

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        return iter(self._db.execute(sql, params))

    def execute(self, sql: str) -> None:
        self._db.execute(sql)

    def load(self, name: str, columns: Columns, rows: Iterable[Row]) -> int:
        self._db.execute(f"DROP TABLE IF EXISTS {name}")
        self._create(name, columns)
        marks = ", ".join("?" * len(columns))
        before = self._db.total_changes
        self._db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        return self._db.total_changes - before

    def close(self) -> None:
        self._db.close()


# Each occurrence of an id after its first, in input order, with where the first is.
_REPEATED = """
WITH firsts AS (SELECT id, min(ord) AS first FROM {0} GROUP BY id HAVING count(*) > 1)
SELECT o.id, o.file, o.line, o.col, o.field, f.file, f.line, f.col, f.field
FROM {0} AS o JOIN firsts AS d ON d.id = o.id JOIN {0} AS f ON f.ord = d.first
WHERE o.ord > d.first
ORDER BY o.ord
"""
_REPEATED_AMONG = """
SELECT 1 FROM {0} WHERE id IN (SELECT id FROM asked_ids) GROUP BY id HAVING count(*) > 1 LIMIT 1
"""
_UNDECLARED_AMONG = """
SELECT 1 FROM asked_ids AS a
WHERE NOT EXISTS (SELECT 1 FROM {0} AS k WHERE k.id = a.id)
AND NOT EXISTS (SELECT 1 FROM declared_{0} AS d WHERE d.id = a.id)
LIMIT 1
"""
_UNKNOWN_RELATIONS = """
SELECT target, file, line, col, field FROM relations AS r
WHERE NOT EXISTS (SELECT 1 FROM claims AS c WHERE c.id = r.target)
AND NOT EXISTS (SELECT 1 FROM declared_claims AS d WHERE d.id = r.target)
ORDER BY ord
"""
_UNANNOTATED = """
SELECT id, path FROM seeds AS s
WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.id = s.id)
AND NOT EXISTS (SELECT 1 FROM declared_articles AS d WHERE d.id = s.id)
ORDER BY rank
"""
_UNDECLARED_FIGURE_CLAIMS = """
SELECT DISTINCT claim FROM figure_refs AS r
WHERE NOT EXISTS (SELECT 1 FROM figure_claims AS f WHERE f.id = r.claim)
AND NOT EXISTS (SELECT 1 FROM claims AS c WHERE c.id = r.claim)
AND NOT EXISTS (SELECT 1 FROM declared_claims AS d WHERE d.id = r.claim)
"""
# The supersedes relations that may lead into a cycle: those whose target supersedes another
# claim, until none is left out; each with its source's first relation, which orders the search.
_SUPERSEDES = """
CREATE TABLE live_supersedes AS
SELECT source, target, file, line, col, field, ord, min(ord) OVER (PARTITION BY source) AS first
FROM supersedes
"""
_DEAD_ENDS = """
DELETE FROM live_supersedes WHERE target NOT IN (SELECT source FROM live_supersedes)
"""
_LIVE_SUPERSEDES = """
SELECT source, target, file, line, col, field FROM live_supersedes ORDER BY first, ord
"""
# The mentions of the events, in the order the events are built; the last of a repeated mention.
_EVENT_MENTIONS = """
SELECT o.rank, m.event, m.mention, m.span_start, m.span_end, m.text, m.loc, m.message, m.hint
FROM mentions AS m JOIN event_order AS o ON o.position = m.event
ORDER BY o.rank, m.mention, m.ord
"""
# The claims that the events' figures list, in the order the events are built: for each, the
# last part's figure claim of that id, its quantities (kind 0) and what it supersedes (kind 1).
_EVENT_FIGURE_CLAIMS = """
WITH chosen AS (SELECT id, max(ord) AS ord FROM figure_claims GROUP BY id),
listed AS (
    SELECT DISTINCT o.rank, c.id, c.ord
    FROM figure_refs AS r JOIN event_order AS o ON o.position = r.event
    JOIN chosen AS c ON c.id = r.claim
)
SELECT l.rank, l.id, 0, q.quantity, q.measure, q.value, q.low, q.high, q.qualifier, NULL
FROM listed AS l LEFT JOIN figure_quantities AS q ON q.id = l.id AND q.ord = l.ord
UNION ALL
SELECT l.rank, l.id, 1, NULL, NULL, NULL, NULL, NULL, NULL, s.target
FROM listed AS l JOIN figure_supersedes AS s ON s.id = l.id AND s.ord = l.ord
ORDER BY 1, 2, 3, 4, 10
"""


@dataclass(frozen=True)
class EventInputs:
    """What the index holds for one event: its located mentions by their index in the event,
    and the figure claims its figures list, by id (those no part holds are missing)."""

    mentions: dict[int, MentionResult]
    figure_claims: dict[str, FigureClaim]


class CorpusIndex:
    def __init__(self, folder: Path | None = None, in_memory: bool = False) -> None:
        """On disk, in a new folder of that name (by default a temporary one), asked by DuckDB;
        or, for a quick check of a few files, in memory. The folder is removed on close."""
        self.in_memory = in_memory
        self._engine: _ParquetParts | _MemoryParts = (
            _MemoryParts() if in_memory else _ParquetParts(folder)
        )
        self._counts: dict[Kind, int] = {}
        self._sorted: set[str] = set()
        self._events = 0

    @classmethod
    def over(cls, parts: Sequence[Path], folder: Path) -> "CorpusIndex":
        """The index of parts that another index took (see parts), asked where they are, in a
        new folder of that name that holds only what DuckDB spills: another process's view
        of the index, to build a run of the events from (see events_step)."""
        index = cls(folder)
        assert isinstance(index._engine, _ParquetParts)
        index._engine.refer(parts, _ParquetParts.VIEW_MEMORY_LIMIT)
        return index

    @property
    def parts(self) -> tuple[Path, ...]:
        """The Parquet files of the parts, in order (none for an index in memory)."""
        return self._engine.parts if isinstance(self._engine, _ParquetParts) else ()

    def merge(self, part: Path) -> None:
        """A shard's part, after those merged before it: on disk, write_part's file, which
        the index takes (it is moved into the index's folder); in memory, write_rows' file,
        whose rows are read and the file removed."""
        if isinstance(self._engine, _ParquetParts):
            self._engine.take(part)
        else:
            self._engine.add(json.loads(part.read_text(encoding="utf-8")))
            part.unlink()
        self._stale()

    def _stale(self) -> None:
        self._counts.clear()
        self._sorted.clear()

    def repeated(self, kind: Kind) -> Iterator[tuple[str, Where, Where]]:
        """Each occurrence of an article or claim id after its first, in input order, with
        where the first is."""
        for key, *where in self._engine.query(_REPEATED.format(kind)):
            yield key, Where(*where[:4]), Where(*where[4:])

    def declared(self, kind: Kind, key: str) -> bool:
        """Whether an annotation declares the article or claim, validly or not."""
        table = self._sorted_ids(
            f"declared_ids_{kind}", f"SELECT id FROM {kind} UNION SELECT id FROM declared_{kind}"
        )
        found = self._engine.query(f"SELECT 1 FROM {table} WHERE id = ?", (key,))
        return next(found, None) is not None

    def repeated_among(self, kind: Kind, ids: Iterable[str]) -> bool:
        """Whether one of these ids is an article or claim id written more than once."""
        self._engine.load("asked_ids", (("id", "str"),), ((i,) for i in ids))
        return next(self._engine.query(_REPEATED_AMONG.format(kind)), None) is not None

    def undeclared_among(self, kind: Kind, ids: Iterable[str]) -> bool:
        """Whether one of these ids is an article or claim id that no annotation declares."""
        self._engine.load("asked_ids", (("id", "str"),), ((i,) for i in ids))
        return next(self._engine.query(_UNDECLARED_AMONG.format(kind)), None) is not None

    def unknown_relations(self) -> Iterator[tuple[str, Where]]:
        """Each relation whose target no annotation declares, in input order."""
        for target, *where in self._engine.query(_UNKNOWN_RELATIONS):
            yield target, Where(*where)

    def unannotated(self, seeds: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """Of the seeds (id and path), those whose article no annotation declares, in order."""
        ranked = ((*seed, rank) for rank, seed in enumerate(seeds))
        self._engine.load("seeds", (("id", "str"), ("path", "str"), ("rank", "int")), ranked)
        yield from self._engine.query(_UNANNOTATED)

    def nearby(self, kind: Kind, key: str, count: int) -> list[str]:
        """The valid article or claim ids next to key in sorted order, count on either side,
        to compare with it when it is unknown."""
        table = self._sorted_ids(f"known_{kind}", f"SELECT id FROM {kind}")
        below = f"SELECT id FROM {table} WHERE id < ? ORDER BY id DESC LIMIT ?"
        above = f"SELECT id FROM {table} WHERE id >= ? ORDER BY id LIMIT ?"
        ids = [row[0] for row in self._engine.query(below, (key, count))]
        return ids + [row[0] for row in self._engine.query(above, (key, count))]

    def hint(self, kind: Kind, key: str) -> str:
        """The hint for an unknown article or claim: the known ids it is close to."""
        return known(key, self.nearby(kind, key, NEARBY_IDS), self.count(kind))

    def count(self, kind: Kind) -> int:
        """How many valid article or claim ids there are; counted once (each unknown
        reference's hint asks for it)."""
        if kind not in self._counts:
            table = self._sorted_ids(f"known_{kind}", f"SELECT id FROM {kind}")
            (total,) = next(self._engine.query(f"SELECT count(*) FROM {table}"))
            self._counts[kind] = int(total)
        return self._counts[kind]

    def _sorted_ids(self, table: str, ids: str) -> str:
        """The table of the distinct ids the query selects, sorted, made once after each part:
        looking an id up in it reads only the few blocks whose range holds it, where each
        hint or lookup of an unknown id would otherwise read every part."""
        if table not in self._sorted:
            self._engine.execute(f"DROP TABLE IF EXISTS {table}")
            self._engine.execute(
                f"CREATE TABLE {table} AS SELECT DISTINCT id FROM ({ids}) AS i ORDER BY id"
            )
            self._sorted.add(table)
        return table

    def supersedes_cycles(self) -> Iterator[tuple[list[str], Where]]:
        """Each cycle of supersedes relations, once: its claims in order, the first repeated
        at the end, and where the relation that closes it is written.

        A depth-first search from each source in input order, following relations in input
        order and skipping claims already finished. Relations that lead to no cycle cannot
        change what it finds, so the database drops them first (a claim that supersedes
        nothing ends every path through it, and so on back); memory holds what is left."""
        engine = self._engine
        engine.execute("DROP TABLE IF EXISTS live_supersedes")
        engine.execute(_SUPERSEDES)
        left, before = self._live_supersedes(), -1
        while left != before:
            engine.execute(_DEAD_ENDS)
            left, before = self._live_supersedes(), left
        graph: dict[str, list[tuple[str, Where]]] = {}
        for source, target, *written in engine.query(_LIVE_SUPERSEDES):
            graph.setdefault(source, []).append((target, Where(*written)))
        finished: set[str] = set()
        for source in graph:
            if source in finished:
                continue
            path, on_path, pending = [source], {source: 0}, [iter(graph[source])]
            while pending:
                step = next(pending[-1], None)
                if step is None:
                    done = path.pop()
                    del on_path[done]
                    finished.add(done)
                    pending.pop()
                    continue
                target, where = step
                if target in on_path:
                    yield [*path[on_path[target] :], target], where
                elif target not in finished:
                    on_path[target] = len(path)
                    path.append(target)
                    pending.append(iter(graph.get(target, [])))

    def _live_supersedes(self) -> int:
        return int(next(self._engine.query("SELECT count(*) FROM live_supersedes"))[0])

    def load_events(self, positions: Iterable[int], refs: Iterable[tuple[int, str]]) -> None:
        """The events in the order they are built (each by its index in the events file), and
        the claims their figures list (event index and claim id), for the questions below."""
        ranked = ((position, rank) for rank, position in enumerate(positions))
        order: Columns = (("position", "int"), ("rank", "int"))
        self._events = self._engine.load("event_order", order, ranked)
        self._engine.load("figure_refs", (("event", "int"), ("claim", "str")), refs)

    def undeclared_figure_claims(self) -> set[str]:
        """Of the claims that event figures list, those no annotation declares, valid or not."""
        return {claim for (claim,) in self._engine.query(_UNDECLARED_FIGURE_CLAIMS)}

    def events(self) -> Iterator[EventInputs]:
        """For each event in the order loaded, what the index holds for it: two queries stream
        everything, ordered as the events are built."""
        mentions = groupby(self._engine.query(_EVENT_MENTIONS), key=lambda row: int(row[0]))
        figures = groupby(self._engine.query(_EVENT_FIGURE_CLAIMS), key=lambda row: int(row[0]))
        next_mentions, next_figures = next(mentions, None), next(figures, None)
        for rank in range(self._events):
            located: dict[int, MentionResult] = {}
            if next_mentions is not None and next_mentions[0] == rank:
                for _, position, *row in next_mentions[1]:
                    located[row[0]] = _mention(position, tuple(row))
                next_mentions = next(mentions, None)
            claims: dict[str, FigureClaim] = {}
            if next_figures is not None and next_figures[0] == rank:
                claims = _figure_claims(next_figures[1])
                next_figures = next(figures, None)
            yield EventInputs(located, claims)

    def close(self) -> None:
        self._engine.close()


def _figure_claims(rows: Iterable[Row]) -> dict[str, FigureClaim]:
    """The figure claims of one event from its rows of _EVENT_FIGURE_CLAIMS."""
    claims = {}
    for claim_id, claim_rows in groupby(rows, key=lambda row: str(row[1])):
        quantities, superseded = [], set()
        for _, _, kind, quantity, *values, target in claim_rows:
            if kind == 1:
                superseded.add(target)
            elif quantity is not None:
                quantities.append(FigureQuantity(*values))
        claims[claim_id] = FigureClaim(claim_id, tuple(quantities), frozenset(superseded))
    return claims
