"""The check of one shard of articles, a pure function of its inputs: the shard's annotation
bytes, the seeds and registries it is checked against, and the settings that shape its output.
It writes nothing: it returns the Parquet bytes of its articles and claims, its part of the
corpus index, and its findings, for the main process to write and merge in shard order. So
the same shard gives the same bytes in this process, a worker process or a cluster's worker,
and its outcome can be kept in a cache (see build_cache)."""

import gc
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_dataset.check.articles import ArticleResults, add_articles
from build_dataset.check.corpus_index import (
    EVENT_TABLES,
    TABLES,
    part_arrow,
    part_bytes,
    rows_text,
)
from build_dataset.check.coverage import ArticleCoverage
from build_dataset.check.shard_reuse import PART_TABLES, Previous, SourceKey, counting, reused
from build_dataset.problems import Problem
from build_dataset.read.event_registry import EventRegistry
from build_dataset.read.inputs import ArticleSource
from build_dataset.read.registries import Registries


@dataclass(frozen=True)
class Shard:
    index: int
    sources: tuple[ArticleSource, ...]
    """The articles in input order, each with its bytes (see inputs.with_bytes)."""
    previous: Previous | None = None
    """The shard's last clean outcome, whose articles are taken where their inputs did not
    change (see shard_reuse)."""


@dataclass(frozen=True)
class StepSettings:
    """What a shard's outcome depends on besides its inputs and the registries."""

    root: Path
    """Where the seeds are read."""
    version: str
    tables: bool = True
    """Whether the tables are built and checked (with pandera)."""
    parts: bool = True
    """Whether the tables' Parquet bytes are returned (a check that writes nothing needs none)."""
    index_in_memory: bool = False
    """Whether the part of the corpus index is rows for an index in memory (a quick check of a
    few files, which loads no Arrow) rather than a Parquet file (see corpus_index)."""
    cached: bool = False
    """Whether the outcome goes into a cache, which needs its events_digest."""


@dataclass(frozen=True)
class ShardContext:
    """What every shard is checked against: sent once to each worker."""

    settings: StepSettings
    reg: Registries


@dataclass(frozen=True)
class ShardOutcome:
    rows: dict[str, int]
    problems: list[Problem]
    coverage: list[ArticleCoverage]
    unreadable: bool
    parts: dict[str, bytes]
    """The Parquet bytes of each table that has rows, when settings.parts."""
    index_part: bytes
    """The shard's part of the corpus index (corpus_index.write_part's file)."""
    seeds: tuple[tuple[str, str], ...]
    """Each article's seed (path from root) and the SHA-256 of the bytes read from it."""
    articles: tuple[str, ...]
    """The ids of the articles checked. In a shard without problems these are the articles
    whose events were looked up, and seeds lists every seed that was read."""
    events: str
    """events_digest of the articles: what the events registry told the shard of them (when
    settings.cached)."""
    event_inputs: str
    """A SHA-256 of what the shard found of the events, the tables of its part of the corpus
    index that the events are built from (when settings.cached)."""
    article_rows: tuple[tuple[int, ...], ...] = ()
    """Each article's rows in each of shard_reuse.COUNTED (when settings.cached)."""
    checked: int = 0
    """How many articles were checked: the others were taken from the shard's previous
    outcome, or the whole outcome from the cache."""

    @property
    def clean(self) -> bool:
        """Whether the shard found nothing wrong: only such an outcome is kept in the cache,
        whose key names what a clean outcome depends on."""
        return not self.problems and not self.unreadable


@contextmanager
def collector_paused() -> Iterator[None]:
    """A shard makes a million small acyclic objects; the cyclic collector would rescan them
    all again and again, so it waits until the shard is done (reference counting frees them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_shard(shard: Shard, context: ShardContext) -> ShardOutcome:
    with collector_paused():
        settings = context.settings
        if shard.previous is not None and settings.cached and settings.tables and settings.parts:
            found = reused(
                settings.root, shard.sources, context.reg, shard.previous, settings.version
            )
            if found is not None:
                return ShardOutcome(
                    found.rows,
                    [],
                    found.coverage,
                    False,
                    found.parts,
                    found.index_part,
                    found.seeds,
                    found.articles,
                    events_digest(context.reg.events, list(found.articles)),
                    event_inputs_digest(found.index_tables),
                    found.article_rows,
                    found.checked,
                )
        return _check_shard(shard, settings, context.reg)


def _check_shard(shard: Shard, settings: StepSettings, reg: Registries) -> ShardOutcome:
    results = ArticleResults()
    counts: list[tuple[int, ...]] = []
    add_articles(
        settings.root, shard.sources, reg, results, counting(counts) if settings.cached else None
    )
    rows = {"articles": len(results.articles), "claims": len(results.claims)}
    parts = {}
    if settings.tables:
        from build_dataset.write.release import parquet_bytes
        from build_dataset.write.tables import check_table, to_table

        for name in PART_TABLES:
            records = getattr(results, name)
            if not records:
                continue
            table = to_table(name, records, settings.version)
            results.problems += check_table(name, table, f"<{name} table>")
            if settings.parts:
                parts[name] = parquet_bytes(table)
    if settings.index_in_memory:
        index_tables, index_part = {}, rows_text(results).encode()
    else:
        index_tables = part_arrow(results)
        index_part = part_bytes(index_tables)
    return ShardOutcome(
        rows,
        results.problems,
        results.coverage,
        results.unreadable,
        parts,
        index_part,
        tuple((a["source_file"], a["sha256"]) for a in results.articles),
        tuple(a["id"] for a in results.articles),
        events_digest(reg.events, [a["id"] for a in results.articles]) if settings.cached else "",
        event_inputs_digest(index_tables) if settings.cached else "",
        tuple(counts),
        len(shard.sources),
    )


def previous_of(
    outcome: ShardOutcome, sources: tuple[SourceKey, ...], reusable: tuple[bool, ...]
) -> Previous:
    """A shard's clean outcome as the next check of the shard takes it: each article's source,
    and whether its seed still has the bytes it was checked against."""
    return Previous(
        sources,
        reusable,
        outcome.article_rows,
        outcome.parts,
        outcome.index_part,
        tuple(outcome.coverage),
        outcome.seeds,
        outcome.articles,
    )


def event_inputs_digest(index_tables: dict[str, Any]) -> str:
    """A SHA-256 of the tables of the shard's part of the corpus index that the events are
    built from (see corpus_index.EVENT_TABLES), whether the part was checked whole or put
    together from pieces (see shard_reuse)."""
    found = {
        name: index_tables[name].select(["seq", *(c for c, _ in TABLES[name])]).to_pydict()
        for name in EVENT_TABLES
        if name in index_tables
    }
    return hashlib.sha256(json.dumps(found).encode()).hexdigest()


def events_digest(events: EventRegistry, articles: list[str]) -> str:
    """A SHA-256 of everything the events registry can tell a shard about its articles (see
    EventRegistry.article_records), so that a cache can tell whether it still says the same."""
    return hashlib.sha256(json.dumps(events.article_records(articles)).encode()).hexdigest()
