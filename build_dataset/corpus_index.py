"""What the main process keeps of every shard, on disk in SQLite so that its memory stays flat
however large the corpus: the article and claim ids with where each was written, the relations
between claims, the located event mentions and the claims behind event figures. The checks
that cross shards (duplicate ids, references to nothing) are queries, and the events are
built from it at the end. The process that checks a shard writes the shard's part of it, and
the main process merges the parts in shard order."""

import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from build_dataset.articles import ArticleResults, MentionResult, Where
from build_dataset.event_registry import nearby_ids
from build_dataset.figures import FigureClaim

Kind = Literal["articles", "claims"]
"""The ids kept with where each was written (table `<kind>`), and those declared, valid or not
(table `declared_<kind>`)."""

_TABLES = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE declared_claims (id TEXT NOT NULL);
CREATE TABLE claims (seq INTEGER PRIMARY KEY, id TEXT NOT NULL,
                     file TEXT NOT NULL, line INTEGER, col INTEGER, field TEXT NOT NULL);
CREATE TABLE declared_articles (id TEXT NOT NULL);
CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL,
                       file TEXT NOT NULL, line INTEGER, col INTEGER, field TEXT NOT NULL);
CREATE TABLE relations (seq INTEGER PRIMARY KEY, target TEXT NOT NULL,
                        file TEXT NOT NULL, line INTEGER, col INTEGER, field TEXT NOT NULL);
CREATE TABLE supersedes (seq INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL,
                         file TEXT NOT NULL, line INTEGER, col INTEGER, field TEXT NOT NULL);
CREATE TABLE mentions (event INTEGER NOT NULL, mention INTEGER NOT NULL,
                       start INTEGER, end INTEGER, text TEXT, problem BLOB);
CREATE TABLE figure_claims (id TEXT PRIMARY KEY, claim BLOB NOT NULL);
"""
_INDEXES = """
CREATE INDEX declared_claims_id ON declared_claims (id);
CREATE INDEX claims_id ON claims (id, seq);
CREATE INDEX declared_articles_id ON declared_articles (id);
CREATE INDEX articles_id ON articles (id, seq);
CREATE INDEX mentions_event ON mentions (event, mention);
CREATE INDEX supersedes_source ON supersedes (source, seq);
CREATE TEMP TABLE finished (id TEXT PRIMARY KEY);
"""
_ORIGINS = "INSERT INTO {} ({}, file, line, col, field) VALUES (?, ?, ?, ?, ?)"
# Each occurrence of an id after its first, in input order, with where the first is.
_REPEATED = """
SELECT o.id, o.file, o.line, o.col, o.field, f.file, f.line, f.col, f.field
FROM {0} AS o JOIN {0} AS f ON f.seq = (SELECT min(seq) FROM {0} WHERE id = o.id)
WHERE f.seq < o.seq
ORDER BY o.seq
"""
_DECLARED = "SELECT 1 FROM {0} WHERE id = ?1 UNION ALL SELECT 1 FROM declared_{0} WHERE id = ?1"


def _where(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, Where]]:
    for key, file, line, column, field in rows:
        yield key, Where(file, line, column, field)


def write_part(results: ArticleResults, path: Path) -> None:
    """What the main process keeps of a shard, written by the process that checked it into a
    file of the index's tables: the main process merges it with one query a table, instead of
    taking the rows through a pipe and inserting them one at a time."""
    db = sqlite3.connect(path)
    try:
        db.executescript(_TABLES)
        db.executemany("INSERT INTO declared_claims VALUES (?)", _rows(results.declared_claims))
        db.executemany(_ORIGINS.format("claims", "id"), _origins(results.claim_origins))
        db.executemany("INSERT INTO declared_articles VALUES (?)", _rows(results.declared_articles))
        db.executemany(_ORIGINS.format("articles", "id"), _origins(results.article_origins))
        db.executemany(
            _ORIGINS.format("relations", "target"),
            _origins((target, where) for _, target, where in results.relations),
        )
        db.executemany(
            "INSERT INTO supersedes (source, target, file, line, col, field) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((s, t, w.file, w.line, w.column, w.field) for s, t, w in results.supersedes),
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)", map(_mention, results.mentions)
        )
        db.executemany(
            "INSERT OR REPLACE INTO figure_claims VALUES (?, ?)",
            ((i, pickle.dumps(claim)) for i, claim in results.figure_claims.items()),
        )
        db.commit()
    finally:
        db.close()


# The columns a part adds to each table, in the part's order; seq numbers continue the index's.
_MERGED = {
    "declared_claims": "id",
    "claims": "id, file, line, col, field",
    "declared_articles": "id",
    "articles": "id, file, line, col, field",
    "relations": "target, file, line, col, field",
    "supersedes": "source, target, file, line, col, field",
    "mentions": "event, mention, start, end, text, problem",
}


class CorpusIndex:
    def __init__(self) -> None:
        # An empty name gives a private temporary database on disk, removed on close.
        self._db = sqlite3.connect("")
        self._db.executescript(_TABLES)
        self._indexed = False
        self._counts: dict[Kind, int] = {}

    def merge(self, part: Path) -> None:
        """A shard's part (see write_part), appended in its order; the file is removed.
        Declared ids are those written, valid or not, and origins the valid ones with where
        each was written, in input order."""
        db = self._db
        db.execute("ATTACH DATABASE ? AS part", (os.fspath(part),))
        try:
            for table, columns in _MERGED.items():
                db.execute(
                    f"INSERT INTO {table} ({columns}) "
                    f"SELECT {columns} FROM part.{table} ORDER BY rowid"
                )
            db.execute(
                "INSERT OR REPLACE INTO figure_claims "
                "SELECT id, claim FROM part.figure_claims ORDER BY rowid"
            )
            db.commit()
        finally:
            db.execute("DETACH DATABASE part")
        part.unlink()
        self._counts.clear()

    def _index(self) -> None:
        if not self._indexed:
            self._db.executescript(_INDEXES)
            self._indexed = True

    def repeated(self, kind: Kind) -> Iterator[tuple[str, Where, Where]]:
        """Each occurrence of an article or claim id after its first, in input order, with
        where the first is."""
        self._index()
        for key, *where in self._db.execute(_REPEATED.format(kind)):
            yield key, Where(*where[:4]), Where(*where[4:])

    def declared(self, kind: Kind, key: str) -> bool:
        """Whether an annotation declares the article or claim, validly or not."""
        self._index()
        return self._db.execute(_DECLARED.format(kind), (key,)).fetchone() is not None

    def nearby(self, kind: Kind, key: str, count: int) -> list[str]:
        """The valid article or claim ids next to key in sorted order, count on either side,
        to compare with it when it is unknown."""
        self._index()
        return nearby_ids(self._db, kind, key, count)

    def count(self, kind: Kind) -> int:
        """How many valid article or claim ids there are; counted once (at a million claims a
        count takes a fifth of a second, and each unknown reference's hint asks for it)."""
        if kind not in self._counts:
            self._index()
            query = f"SELECT count(DISTINCT id) FROM {kind}"
            self._counts[kind] = int(self._db.execute(query).fetchone()[0])
        return self._counts[kind]

    def unknown_relations(self) -> Iterator[tuple[str, Where]]:
        """Each relation whose target no annotation declares, in input order."""
        self._index()
        rows = self._db.execute(
            """
            SELECT target, file, line, col, field FROM relations AS r
            WHERE NOT EXISTS (SELECT 1 FROM claims WHERE id = r.target)
            AND NOT EXISTS (SELECT 1 FROM declared_claims WHERE id = r.target)
            ORDER BY seq
            """
        )
        return _where(rows)

    def supersedes_cycles(self) -> Iterator[tuple[list[str], Where]]:
        """Each cycle of supersedes relations, once: its claims in order, the first repeated
        at the end, and where the relation that closes it is written. A depth-first search
        whose finished claims are kept in the database, so that memory holds only the path."""
        self._index()
        db = self._db
        sources = db.execute("SELECT source FROM supersedes GROUP BY source ORDER BY min(seq)")
        for (source,) in sources:
            if self._finished(source):
                continue
            path, on_path, pending = [source], {source: 0}, [self._superseded(source)]
            while pending:
                step = next(pending[-1], None)
                if step is None:
                    done = path.pop()
                    del on_path[done]
                    db.execute("INSERT INTO finished VALUES (?)", (done,))
                    pending.pop()
                    continue
                target, where = step
                if target in on_path:
                    yield [*path[on_path[target] :], target], where
                elif not self._finished(target):
                    on_path[target] = len(path)
                    path.append(target)
                    pending.append(self._superseded(target))

    def _finished(self, claim: str) -> bool:
        return (
            self._db.execute("SELECT 1 FROM finished WHERE id = ?", (claim,)).fetchone() is not None
        )

    def _superseded(self, claim: str) -> Iterator[tuple[str, Where]]:
        query = (
            "SELECT target, file, line, col, field FROM supersedes WHERE source = ? ORDER BY seq"
        )
        return _where(self._db.execute(query, (claim,)).fetchall())

    def mentions_of(self, event: int) -> dict[int, MentionResult]:
        """The located mentions of the event with this index in the events file."""
        self._index()
        query = "SELECT * FROM mentions WHERE event = ? ORDER BY mention, rowid"
        located = {}
        for _, mention, start, end, text, problem in self._db.execute(query, (event,)):
            span = None if text is None else {"start": start, "end": end, "text": text}
            where = None if problem is None else pickle.loads(problem)
            located[mention] = MentionResult(event, mention, span, where)
        return located

    def has_figure_claim(self, claim_id: str) -> bool:
        query = "SELECT 1 FROM figure_claims WHERE id = ?"
        return self._db.execute(query, (claim_id,)).fetchone() is not None

    def figure_claim(self, claim_id: str) -> FigureClaim | None:
        row = self._db.execute("SELECT claim FROM figure_claims WHERE id = ?", (claim_id,))
        found = row.fetchone()
        return None if found is None else pickle.loads(found[0])

    def close(self) -> None:
        self._db.close()


def _mention(m: MentionResult) -> tuple[Any, ...]:
    span = m.span or {"start": None, "end": None, "text": None}
    problem = None if m.problem is None else pickle.dumps(m.problem)
    return (m.event, m.index, span["start"], span["end"], span["text"], problem)


def _rows(ids: Iterable[str]) -> Iterator[tuple[str]]:
    return ((i,) for i in ids)


def _origins(origins: Iterable[tuple[str, Where]]) -> Iterator[tuple[Any, ...]]:
    return ((i, w.file, w.line, w.column, w.field) for i, w in origins)
