"""The claim ids of every shard, kept on disk in SQLite so that the main process's memory stays
flat however many claims there are, for the checks that cross shards: duplicate ids, and
references to claims that nothing declares."""

import sqlite3
from collections.abc import Iterable, Iterator

from build_dataset.articles import Where


class ClaimIndex:
    def __init__(self) -> None:
        # An empty name gives a private temporary database on disk, removed on close.
        self._db = sqlite3.connect("")
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE declared (id TEXT NOT NULL);
            CREATE TABLE origins (
                seq INTEGER PRIMARY KEY, id TEXT NOT NULL,
                file TEXT NOT NULL, line INTEGER, col INTEGER, field TEXT NOT NULL
            );
            """
        )
        self._indexed = False

    def add(self, declared: Iterable[str], origins: Iterable[tuple[str, Where]]) -> None:
        """declared: claim ids written, valid or not (those of valid claims may be left out);
        origins: the valid claims' ids with where each was written, in input order."""
        self._db.executemany("INSERT INTO declared VALUES (?)", ((i,) for i in declared))
        self._db.executemany(
            "INSERT INTO origins (id, file, line, col, field) VALUES (?, ?, ?, ?, ?)",
            ((i, w.file, w.line, w.column, w.field) for i, w in origins),
        )

    def _index(self) -> None:
        if not self._indexed:
            self._db.execute("CREATE INDEX declared_id ON declared (id)")
            self._db.execute("CREATE INDEX origins_id ON origins (id, seq)")
            self._indexed = True

    def repeated(self) -> Iterator[tuple[str, Where]]:
        """Each occurrence of a claim id after its first, in input order."""
        self._index()
        rows = self._db.execute(
            """
            SELECT id, file, line, col, field FROM origins AS o
            WHERE EXISTS (SELECT 1 FROM origins AS p WHERE p.id = o.id AND p.seq < o.seq)
            ORDER BY seq
            """
        )
        for claim_id, file, line, column, field in rows:
            yield claim_id, Where(file, line, column, field)

    def undeclared(self, ids: Iterable[str]) -> set[str]:
        """Those of ids that no annotation declares as a claim, not even an invalid one."""
        self._index()
        query = "SELECT 1 FROM origins WHERE id = ?1 UNION ALL SELECT 1 FROM declared WHERE id = ?1"
        return {i for i in set(ids) if self._db.execute(query, (i,)).fetchone() is None}

    def first(self, count: int) -> list[str]:
        """The first ids in sorted order, to show as known ids."""
        self._index()
        query = "SELECT DISTINCT id FROM origins ORDER BY id LIMIT ?"
        return [row[0] for row in self._db.execute(query, (count,))]

    def close(self) -> None:
        self._db.close()
