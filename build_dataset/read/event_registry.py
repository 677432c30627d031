"""The events every article is checked against, kept on disk in SQLite rather than in memory:
a corpus of a hundred thousand articles reports about as many events. The main process writes
it once, before the articles; the workers open the same file read-only and ask, one article
at a time, for what they need; the main process reads the events back at the end, in id
order, to build them, as the records it wrote (validated once, when read from the file)."""

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from karabakh_schema.annotation import EventAnnotation
from karabakh_schema.vocabularies import ActorRole, EventCategory, EventType, Measure


def nearby_ids(db: sqlite3.Connection, table: str, key: str, count: int) -> list[str]:
    """The distinct ids of the table next to key in sorted order, count on either side, to
    compare with key when it is unknown; an index on id makes it two short range scans."""
    query = (
        f"SELECT id FROM (SELECT DISTINCT id FROM {table} WHERE id < ?1 ORDER BY id DESC"
        f" LIMIT ?2) UNION ALL SELECT id FROM (SELECT DISTINCT id FROM {table} WHERE id >= ?1"
        " ORDER BY id LIMIT ?2)"
    )
    return [row[0] for row in db.execute(query, (key, count))]


class MentionRef(NamedTuple):
    """A mention of an event, to be located in its article's clean text."""

    event: int
    mention: int
    quote: str
    occurrence: int | None
    event_id: str


class FigureRecord(NamedTuple):
    """What building an event's figure reads of its annotation."""

    measure: Measure
    scope: str
    best: float
    low: float | None
    high: float | None
    claims: tuple[str, ...]


class EventRecord(NamedTuple):
    """What building an event reads of its valid annotation, with the values its model gave."""

    id: str
    type: EventType
    category: EventCategory
    description: str
    date: str | None
    place: str | None
    actors: tuple[tuple[str, ActorRole], ...]
    """Each actor's id and role."""
    articles: tuple[str, ...]
    """The article of each mention, in order."""
    figures: tuple[FigureRecord, ...]
    note: str | None


def _stored(event: EventAnnotation) -> str:
    """What an EventRecord holds of the event, as JSON of plain values: read back in a small
    part of a validation, and safe to read from a database the build cache kept (see
    build_cache), as a pickle would not be."""
    date = event.date.value if event.date is not None else None
    actors = [(a.actor, a.role) for a in event.actors]
    articles = [m.article for m in event.mentions]
    figures = [(f.measure, f.scope, f.best, f.low, f.high, f.claims) for f in event.figures]
    record = (event.id, event.type, event.category, event.description, date, event.place)
    return json.dumps((*record, actors, articles, figures, event.note))


def _limit(start: int, stop: int | None) -> tuple[int, int]:
    """SQLite's LIMIT and OFFSET of the rows start..stop (a negative limit is none)."""
    return (-1 if stop is None else max(stop - start, 0)), start


def _record(stored: str) -> EventRecord:
    event, kind, category, description, date, place, actors, articles, figures, note = json.loads(
        stored
    )
    return EventRecord(
        event,
        kind,
        category,
        description,
        date,
        place,
        tuple((actor, role) for actor, role in actors),
        tuple(articles),
        tuple(
            FigureRecord(measure, scope, best, low, high, tuple(claims))
            for measure, scope, best, low, high, claims in figures
        ),
        note,
    )


class ArticleEvents(NamedTuple):
    mentions: list[MentionRef]
    """The article's mentions, in the order of the events file."""
    events: set[str]
    """Of the events its claims name, those that exist."""
    figure_claims: set[str]
    """Of its claim ids, those an event figure lists."""


_TABLES = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, line INTEGER,
                     record TEXT NOT NULL);
CREATE TABLE mentions (article TEXT NOT NULL, event INTEGER NOT NULL, mention INTEGER NOT NULL,
                       quote TEXT NOT NULL, occurrence INTEGER, event_id TEXT NOT NULL);
CREATE TABLE figure_claims (claim TEXT NOT NULL, event INTEGER NOT NULL);
CREATE TABLE declared (id TEXT NOT NULL);
"""
_BATCH = 10_000  # events or mentions inserted at a time
_MAX_VARIABLES = 999  # SQLite's lowest limit on the parameters of one statement
# The events after the first of their id, whose mentions and figures go with them.
_DUPLICATES = """
CREATE INDEX events_id ON events (id, seq);
CREATE TEMPORARY TABLE duplicates AS
SELECT seq, line, id FROM events AS e
WHERE seq > (SELECT min(seq) FROM events AS f WHERE f.id = e.id);
"""
_DROP_DUPLICATES = """
DELETE FROM events WHERE seq IN (SELECT seq FROM duplicates);
DELETE FROM mentions WHERE event IN (SELECT seq FROM duplicates);
DELETE FROM figure_claims WHERE event IN (SELECT seq FROM duplicates);
DROP TABLE duplicates;
"""
_INDEXES = """
CREATE INDEX mentions_article ON mentions (article, event, mention);
CREATE INDEX figure_claims_claim ON figure_claims (claim);
CREATE INDEX declared_id ON declared (id);
"""


class EventRegistry:
    """Valid events by their index in the events file, and what the articles need of them.

    Pickled (to a worker), it is its path; each process opens its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._writing = False
        self._events: list[tuple[Any, ...]] = []
        self._mentions: list[tuple[Any, ...]] = []
        self._figure_claims: list[tuple[str, int]] = []

    @classmethod
    def create(cls, path: Path) -> "EventRegistry":
        registry = cls(path)
        registry._db = sqlite3.connect(path)
        registry._db.executescript(_TABLES)
        registry._writing = True
        return registry

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        return self._db

    def declare(self, ids: Iterable[str]) -> None:
        """Ids written in the events file, valid or not, so that references to them stay
        quiet (the invalid event is reported where it is written)."""
        self._conn.executemany("INSERT INTO declared VALUES (?)", ((i,) for i in ids))

    def add(self, index: int, line: int | None, event: EventAnnotation) -> None:
        """Add a valid event, by its index and line in the file; of the events of one id, only
        the first is kept (seal returns the others)."""
        self._events.append((index, event.id, line, _stored(event)))
        self._mentions += (
            (m.article, index, i, m.quote, m.occurrence, event.id)
            for i, m in enumerate(event.mentions)
        )
        self._figure_claims += ((c, index) for figure in event.figures for c in figure.claims)
        if len(self._mentions) >= _BATCH or len(self._events) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        self._conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", self._events)
        self._conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)", self._mentions)
        self._conn.executemany("INSERT INTO figure_claims VALUES (?, ?)", self._figure_claims)
        self._events, self._mentions, self._figure_claims = [], [], []

    def seal(self) -> list[tuple[int, int | None, str]]:
        """Done writing: drop the events whose id an earlier one took, index what the articles
        look up, and commit for the readers. Returns the events dropped (index, line and id),
        in file order."""
        if not self._writing:
            return []
        self._flush()
        self._conn.executescript(_DUPLICATES)
        dropped = self._conn.execute("SELECT seq, line, id FROM duplicates ORDER BY seq")
        duplicates: list[tuple[int, int | None, str]] = dropped.fetchall()
        self._conn.executescript(_DROP_DUPLICATES + _INDEXES)
        self._conn.commit()
        self._writing = False
        return duplicates

    def for_article(
        self, article: str, claim_ids: Iterable[str], named_events: Iterable[str]
    ) -> ArticleEvents:
        """What checking one article needs."""
        return self.for_articles([(article, list(claim_ids), list(named_events))])[0]

    def for_articles(
        self, articles: Sequence[tuple[str, Sequence[str], Sequence[str]]]
    ) -> list[ArticleEvents]:
        """What checking each of a shard's articles (its id, claim ids and the events its
        claims name) needs, in a few queries for the whole shard rather than a few for each
        article."""
        mentions: dict[str, list[MentionRef]] = {}
        ids = sorted({article for article, _, _ in articles})
        for start in range(0, len(ids), _MAX_VARIABLES):
            chunk = ids[start : start + _MAX_VARIABLES]
            rows = self._conn.execute(
                "SELECT article, event, mention, quote, occurrence, event_id FROM mentions"
                f" WHERE article IN ({', '.join('?' * len(chunk))})"
                " ORDER BY article, event, mention",
                chunk,
            )
            for article, *ref in rows:
                mentions.setdefault(article, []).append(MentionRef(*ref))
        # Only events that exist have mentions, and a figure's claims are listed whatever
        # their ids.
        named = {event for _, _, events in articles for event in events}
        events = self._among("SELECT id FROM events WHERE id IN ({})", named)
        in_figures = self._figure_claims_of(ids)
        other_claims: set[str] = set()  # whose ids do not start with their article's
        for article, claim_ids, _ in articles:
            prefix = f"{article}-"
            other_claims.update(claim for claim in claim_ids if not claim.startswith(prefix))
        query = "SELECT claim FROM figure_claims WHERE claim IN ({})"
        in_figures |= self._among(query, other_claims)
        return [
            ArticleEvents(
                mentions.get(article, []),
                events.intersection(named_events),
                in_figures.intersection(claim_ids),
            )
            for article, claim_ids, named_events in articles
        ]

    def article_records(self, articles: list[str]) -> list[tuple[Any, ...]]:
        """Everything for_article can answer about these articles when their claims' ids start
        with theirs: their mentions, and the claims of theirs that event figures list; the
        shard cache keys a shard by it (see build_cache)."""
        ids = json.dumps(articles)
        mentions = self._conn.execute(
            "SELECT article, event, mention, quote, occurrence, event_id FROM mentions"
            " WHERE article IN (SELECT value FROM json_each(?)) ORDER BY article, event, mention",
            (ids,),
        )
        records = [("mention", *row) for row in mentions]
        figure_claims = self._conn.execute(
            "SELECT DISTINCT a.value, f.claim FROM json_each(?) AS a JOIN figure_claims AS f"
            " ON f.claim >= a.value || '-' AND f.claim < a.value || '.' ORDER BY 1, 2",
            (ids,),
        )
        return records + [("figure_claim", *row) for row in figure_claims]

    def invalid_declared(self) -> list[str]:
        """The ids written in the events file whose events are not valid: a claim may name one
        without a problem of its own (the event's is reported), and its check changes when
        the event becomes valid."""
        query = (
            "SELECT DISTINCT id FROM declared WHERE id NOT IN (SELECT id FROM events) ORDER BY id"
        )
        return [row[0] for row in self._conn.execute(query)]

    def declared(self, event_id: str) -> bool:
        query = "SELECT 1 FROM events WHERE id = ?1 UNION ALL SELECT 1 FROM declared WHERE id = ?1"
        return self._conn.execute(query, (event_id,)).fetchone() is not None

    def _figure_claims_of(self, articles: list[str]) -> set[str]:
        """The claims that event figures list whose ids start with one of the articles' and a
        hyphen, in one query (a range of the index for each article) rather than one look-up
        for each claim."""
        rows = self._conn.execute(
            "SELECT f.claim FROM json_each(?) AS a JOIN figure_claims AS f"
            " ON f.claim >= a.value || '-' AND f.claim < a.value || '.'",
            (json.dumps(articles),),
        )
        return {claim for (claim,) in rows}

    def _among(self, query: str, ids: set[str]) -> set[str]:
        """Those of ids the query finds, in one query per _MAX_VARIABLES ids."""
        wanted = sorted(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), _MAX_VARIABLES):
            chunk = wanted[start : start + _MAX_VARIABLES]
            rows = self._conn.execute(query.format(", ".join("?" * len(chunk))), chunk)
            found.update(row[0] for row in rows)
        return found

    def figure_refs(self) -> Iterator[tuple[int, str]]:
        """Each event (by its index in the file) with each claim id its figures list."""
        yield from self._conn.execute("SELECT DISTINCT event, claim FROM figure_claims")

    def positions(self, start: int = 0, stop: int | None = None) -> Iterator[int]:
        """Each valid event's index in the file, in the order of iter(self), of the events
        start..stop of that order."""
        query = "SELECT seq FROM events ORDER BY id LIMIT ? OFFSET ?"
        for (index,) in self._conn.execute(query, _limit(start, stop)):
            yield index

    def nearby(self, key: str, count: int) -> list[str]:
        """The event ids next to key in sorted order, count on either side, to compare with it
        when it is unknown."""
        return nearby_ids(self._conn, "events", key, count)

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def __iter__(self) -> Iterator[tuple[int, int | None, EventRecord]]:
        """Each valid event with its index and line in the file, sorted by id: the order of
        the events table."""
        return self.records()

    def records(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, int | None, EventRecord]]:
        """The events start..stop of the events table's order, as iter(self) gives them: a
        process that builds a run of the events table reads only its own."""
        query = "SELECT seq, line, record FROM events ORDER BY id LIMIT ? OFFSET ?"
        for index, line, stored in self._conn.execute(query, _limit(start, stop)):
            yield index, line, _record(stored)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
