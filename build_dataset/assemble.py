"""A whole build's checks: the registries first, then the articles a shard at a time (in
worker processes or on a cluster when there are several shards, or from the cache), then what
crosses articles: duplicate ids, relations between claims, and the events with their mentions
and figures.

The shard step (shard_step.check_shard) returns each shard's Parquet parts and its part of the
corpus index; this process writes them into staging and merges the index in shard order, so no
process holds the corpus and any runner gives the bytes of a serial build. The events registry
and what this process keeps of each shard are on disk. The events of a large corpus are built
in runs by the workers (events_step.build_run) while this process checks across shards; it
cuts their tables into the events table's row groups."""

import hashlib
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_dataset.build_cache import (
    BuildCache,
    EventsTable,
    crossing_key,
    events_document_key,
    events_registry_key,
    events_table_key,
    looked_up,
    shared_key,
)
from build_dataset.check.corpus_index import CorpusIndex
from build_dataset.check.coverage import CoverageReport
from build_dataset.check.crossing_change import PartChange, still_passes
from build_dataset.check.events_step import (
    EVENTS_PER_RUN,
    EventRun,
    event_rows,
    event_runs,
    event_tables,
    outcome_table,
)
from build_dataset.check.shard_step import (
    Shard,
    ShardContext,
    ShardOutcome,
    StepSettings,
    collector_paused,
)
from build_dataset.files import scratch_folder, write_new
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.cleaning import load_rules
from build_dataset.read.gazetteer import lookup
from build_dataset.read.inputs import (
    ANNOTATIONS_DIR,
    Inputs,
    article_sources,
    batches,
    read_inputs,
    unread_files,
    with_bytes,
)
from build_dataset.read.registries import Gazetteer, Registries, read_registries
from build_dataset.runners import (
    Pending,
    PendingEvents,
    Processes,
    Ready,
    Runner,
    open_runner,
)
from karabakh_schema import TABLES

if TYPE_CHECKING:  # Arrow is imported only to write
    from build_dataset.write.release import KnownPart

# Articles and claims are written a shard per this many articles, events a shard per this many
# rows: `claims-00000-of-00004.parquet` and so on, which load_dataset, DuckDB and polars read
# through the glob `claims*.parquet`. A table that fits one shard is `claims.parquet`.
ARTICLES_PER_SHARD = 1_000
ROWS_PER_SHARD = 250_000


@dataclass(frozen=True)
class Settings:
    """What every shard is checked and written with."""

    root: Path
    version: str
    staging: Path | None = None
    tables: bool = True
    articles_per_shard: int = ARTICLES_PER_SHARD
    rows_per_shard: int = ROWS_PER_SHARD
    events_per_run: int = EVENTS_PER_RUN
    """How many events a worker builds at a time (see events_step)."""
    only: frozenset[str] | None = None
    """Check only these article annotation files (paths from root), for a quick answer about
    them; what needs the other articles is not checked."""


@dataclass(frozen=True)
class Assembled:
    rows: dict[str, int]
    coverage: CoverageReport
    known_parts: dict[str, "KnownPart"] = field(default_factory=dict)
    """What is known of the parts written into staging from bytes checked in the cache, by
    their names there, so that sealing the release does not read them again."""


HELD = 16
"""How many outcomes from the cache may wait behind a shard still being checked, so that
looking up the next shards goes on meanwhile."""


def _outcomes(
    shards: Iterator[Shard], runner: Runner, cache: BuildCache | None
) -> Iterator[tuple[Shard, ShardOutcome]]:
    """Each shard with its outcome, in shard order: from the cache when it holds the shard,
    else from the runner, which has at most runner.ahead shards in flight; at most HELD
    outcomes wait behind them, so memory stays bounded. What the runner checked is offered
    to the cache."""
    window: deque[tuple[Shard, Pending]] = deque()
    checking = 0

    def taken() -> tuple[Shard, ShardOutcome]:
        nonlocal checking
        shard, pending = window.popleft()
        outcome = pending.result()
        if not isinstance(pending, Ready):
            checking -= 1
            if cache is not None:
                cache.store(shard, outcome)
        return shard, outcome

    for shard, cached in looked_up(shards, cache):
        if cached is not None:
            window.append((shard, Ready(cached)))
        else:
            checking += 1
            checked = shard if cache is None else cache.to_check(shard)
            window.append((checked, runner.submit(checked)))
        while window and (
            isinstance(window[0][1], Ready)
            or checking > runner.ahead
            or len(window) > runner.ahead + HELD
        ):
            yield taken()
    while window:
        yield taken()


@dataclass
class _Merged:
    """What the main process keeps of all shards: the index on disk, the rest small."""

    problems: list[Problem]
    index: CorpusIndex
    rows: Counter[str] = field(default_factory=Counter)
    coverage: CoverageReport = field(default_factory=CoverageReport)
    unreadable: bool = False
    subset: bool = False
    known_parts: dict[str, "KnownPart"] = field(default_factory=dict)
    """See Assembled.known_parts."""

    @property
    def partial(self) -> bool:
        """Some articles are unknown (unreadable, or not asked for): references into them, and
        seeds without annotations, cannot be checked."""
        return self.unreadable or self.subset

    def add(self, outcome: ShardOutcome, index_part: Path) -> None:
        """A shard's outcome, its part of the index written at index_part and merged."""
        self.rows.update(outcome.rows)
        self.problems += outcome.problems
        write_new(index_part, outcome.index_part)
        self.index.merge(index_part)
        for entry in outcome.coverage:
            self.coverage.add(entry)
        self.unreadable |= outcome.unreadable


def _crossing(merged: _Merged, seeds: list[tuple[str, str]]) -> None:
    """Ids repeated across files, cycles of supersedes relations, and (unless some articles are
    unknown) relations to claims that nothing declares and seeds that nothing annotates."""
    index, problems = merged.index, merged.problems
    for kind in ("article", "claim"):
        for key, where, first in index.repeated("articles" if kind == "article" else "claims"):
            first_at = f"it is first declared at {first.file}:{first.line}"
            problems.append(where.problem(f"duplicate {kind} id {key!r}", first_at))
    for cycle, where in index.supersedes_cycles():  # a cycle among the claims read is one
        message = f"supersedes relations make a cycle: {' supersedes '.join(cycle)}"
        hint = "only the later of two reports supersedes the other; remove the wrong relation"
        problems.append(where.problem(message, hint))
    if merged.partial:
        return
    for target, where in index.unknown_relations():
        hint = merged.index.hint("claims", target)
        problems.append(where.problem(f"unknown claim {target!r}", hint))
    for seed_id, seed_path in index.unannotated(seeds):
        hint = f"create {ANNOTATIONS_DIR}/{seed_id}.yaml"
        problems.append(Problem(seed_path, None, None, "", "seed has no annotation file", hint))


@contextmanager
def _progress(settings: Settings, unit: str) -> Iterator[Callable[[int], object]]:
    """A count and rate on a terminal's stderr during a full run, so that a long build shows it
    is moving and how fast; nothing for a quick check of some files, or when stderr is not a
    terminal (a pipe, a log, CI)."""
    if settings.only is not None or not sys.stderr.isatty():
        yield lambda _: None
        return
    from tqdm import tqdm

    with tqdm(desc=f"checking {unit}", unit=f" {unit}") as bar:
        yield bar.update


def _counted(tables: Iterator[Any], advance: Callable[[int], object]) -> Iterator[Any]:
    for table in tables:
        advance(table.num_rows)
        yield table


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def assemble(
    settings: Settings,
    workers: int | None = None,
    cache: BuildCache | None = None,
    scheduler: str | None = None,
) -> Assembled:
    """Check every input, writing the tables' parts into settings.staging if given; raises
    InvalidInput listing every problem found. Shards that cache holds are not checked again
    (see build_cache); scheduler is the address of a Dask cluster to check the others on.

    With more than one shard and worker, workers start by the 'forkserver' method (forking a
    process that already runs polars or Arrow threads can deadlock), so a script that calls
    this needs the usual `if __name__ == "__main__":` guard. Without the cache they start
    before the registries are read (see _workers_first)."""
    problems = list(unread_files(settings.root)) if settings.only is None else []
    try:
        load_rules()  # every article is cleaned by them
        inputs = read_inputs(settings.root)
    except InvalidInput as error:  # the rules or a registry unreadable, and what is left unread
        raise InvalidInput(problems + error.problems, blocking=error.blocking) from None
    if settings.only is not None or settings.staging is None:  # a quick check keeps nothing
        cache = None
    workers = workers or default_workers()
    with (
        scratch_folder("build") as workdir,
        _workers_first(settings, workers, cache, scheduler, workdir) as started,
    ):
        reg, registry_key = _registries(inputs, problems, workdir, settings, cache)
        quick = settings.only is not None
        index = CorpusIndex(workdir / "corpus-index", in_memory=quick)
        merged = _Merged(problems, index, subset=quick)
        try:
            if not reg.unreadable:
                runner = _RunnerSettings(workers, scheduler, workdir, started)
                _assemble(settings, runner, reg, merged, workdir, cache, registry_key)
        finally:
            merged.index.close()
            reg.events.close()
    if reg.unreadable:  # the articles would only repeat that every reference into it is unknown
        raise InvalidInput(problems, blocking=reg.unreadable)
    if settings.only is None and not problems:  # a problem may explain an empty table
        problems += _empty_tables(merged.rows)
    if problems:
        raise InvalidInput(problems)
    return Assembled(dict(merged.rows), merged.coverage, merged.known_parts)


def _registries(
    inputs: Inputs,
    problems: list[Problem],
    workdir: Path,
    settings: Settings,
    cache: BuildCache | None,
) -> tuple[Registries, str | None]:
    """The registries, and the key of what the events registry was read from when there is a
    cache. Read from events.jsonl, the events registry comes from the cache when it holds one
    read from the same bytes, and goes into it when it was read from bytes that did not change
    meanwhile and nothing was wrong."""
    gazetteer: Gazetteer | None = None  # a quick check needs only the places' ids and names
    if settings.only is None:
        gazetteer = lookup if cache is None else cache.gazetteer()
    if cache is None:
        return read_registries(inputs, problems, workdir, gazetteer), None
    if inputs.event_lines is None:  # events.yaml, read as a document with the other registries
        assert inputs.events is not None
        reg = read_registries(inputs, problems, workdir, gazetteer)
        return reg, events_document_key(inputs.events.path, inputs.events.data)
    sha256 = cache.file_sha256(inputs.event_lines)
    if sha256 is None:  # unreadable: read_registries reports it
        return read_registries(inputs, problems, workdir, gazetteer), None
    key = events_registry_key(inputs.event_lines, sha256)
    database = cache.events_registry(key)
    found = len(problems)
    reg = read_registries(inputs, problems, workdir, gazetteer, database)
    clean = len(problems) == found and not reg.unreadable
    if database is None and clean and _sha256_or_none(inputs.root / inputs.event_lines) == sha256:
        cache.store_events_registry(key, reg.events.path.read_bytes())
    return reg, key


def _sha256_or_none(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _empty_tables(rows: Counter[str]) -> list[Problem]:
    """The tables without rows, which a release cannot have."""
    message = "no rows; an empty config cannot load"
    empty = [name for name in TABLES if not rows[name]]
    return [Problem(f"<{name} table>", None, None, "", message) for name in empty]


@contextmanager
def _workers_first(
    settings: Settings,
    workers: int,
    cache: BuildCache | None,
    scheduler: str | None,
    workdir: Path,
) -> Iterator[Processes | None]:
    """Worker processes started before the registries are read, importing meanwhile what
    checking needs, when the build is sure to check several shards in them: a whole check
    without the cache, of more articles than a shard holds. Any other build starts its
    workers, if any, at its second shard to check (see runners.Processes)."""
    if cache is not None or scheduler is not None or settings.only is not None or workers < 2:
        yield None
        return
    try:
        listed = islice(article_sources(settings.root), settings.articles_per_shard + 1)
        several = sum(1 for _ in listed) > settings.articles_per_shard
    except (InvalidInput, OSError):  # reported when the articles are read
        several = False
    if not several:
        yield None
        return
    processes = Processes(workers, workdir)
    try:
        processes.warm_up()
        yield processes
    finally:
        processes.close()


@dataclass(frozen=True)
class _RunnerSettings:
    """Where the shards are to be checked (see runners.open_runner)."""

    workers: int
    scheduler: str | None
    folder: Path
    started: Processes | None


def _assemble(
    settings: Settings,
    where: _RunnerSettings,
    reg: Registries,
    merged: _Merged,
    workdir: Path,
    cache: BuildCache | None,
    registry_key: str | None,
) -> None:
    sources = (
        with_bytes(settings.root, source)
        for source in (article_sources(settings.root) if cache is None else cache.sources())
        if settings.only is None or source.file in settings.only
    )
    shards = (
        Shard(index, batch)
        for index, batch in enumerate(batches(sources, settings.articles_per_shard))
    )
    staging = settings.staging
    step = StepSettings(
        settings.root,
        settings.version,
        settings.tables,
        staging is not None,
        index_in_memory=settings.only is not None,
        cached=cache is not None,
    )
    shared = None
    if cache is not None:
        shared = shared_key(step, settings.articles_per_shard, reg)
        cache.start(shared, reg.events, registry_key)
    ahead = list(islice(shards, 2))
    context = ShardContext(step, reg)
    index_parts: list[str] = []
    parts_before: list[str] = []
    """The SHA-256 of each part as the last build had it, while all are known."""
    before_known = True
    changes: list[PartChange] = []
    event_inputs: list[str] = []
    with open_runner(
        context, where.workers, where.scheduler, len(ahead), where.folder, where.started
    ) as runner:
        with (
            _progress(settings, "articles") as advance,
            collector_paused(),  # what comes back of each shard is freed by reference counting
        ):
            for shard, outcome in _outcomes(chain(ahead, shards), runner, cache):
                if staging is not None:
                    from build_dataset.write.release import part_path  # Arrow, only to write

                    for name, data in outcome.parts.items():
                        path = part_path(staging, name, shard.index)
                        _write_part(path, data, cache, merged.known_parts)
                merged.add(outcome, workdir / f"index-{shard.index:05d}.part")
                index_parts.append(hashlib.sha256(outcome.index_part).hexdigest())
                before = _part_before(shard, outcome)
                before_known = before_known and before is not None
                if before is not None and before_known:
                    parts_before.append(hashlib.sha256(before).hexdigest())
                if before is not None and before != outcome.index_part:
                    changes.append(PartChange(before, outcome.index_part))
                event_inputs.append(outcome.event_inputs)
                advance(len(shard.sources))
        # listed once, for the cache's key and the seeds without annotation (unless unknown)
        seeds = [] if cache is None and merged.partial else list(reg.seeds)
        if cache is None or shared is None or registry_key is None:
            _across_shards(settings, reg, merged, seeds, False, None, cache, runner)
            return
        names = [path for _, path in seeds]
        crossing = crossing_key(shared, registry_key, names, index_parts)
        events = events_table_key(shared, registry_key, settings.rows_per_shard, event_inputs)
        reusable = not merged.problems and not merged.partial
        known = reusable and cache.crossing_checked(crossing)
        passed = known or (
            reusable
            and before_known
            and cache.crossing_checked(crossing_key(shared, registry_key, names, parts_before))
            and still_passes(merged.index, changes)
        )
        kept = cache.events_table(events) if reusable else None
        _across_shards(settings, reg, merged, seeds, passed, kept, cache, runner)
    if reusable and not merged.problems:  # what the next build can take
        if not known:
            cache.store_crossing(crossing)
        if kept is None:
            cache.store_events_table(events, _written_events(settings, merged.rows["events"]))


def _part_before(shard: Shard, outcome: ShardOutcome) -> bytes | None:
    """The shard's part of the corpus index as the last build had it, when known: the same
    when the cache held the outcome, else its previous outcome's (see shard_reuse)."""
    if outcome.checked == 0:
        return outcome.index_part
    return None if shard.previous is None else shard.previous.index_part


def _across_shards(
    settings: Settings,
    reg: Registries,
    merged: _Merged,
    seeds: list[tuple[str, str]],
    checked: bool,
    kept: EventsTable | None,
    cache: BuildCache | None,
    runner: Runner,
) -> None:
    """The checks across shards (seeds: every seed's id and path), unless a build found
    nothing wrong in the same corpus index, then the events table, unless kept (see
    build_cache). The runs of a large events table are sent to the runner first, so that
    they are built while this process checks across shards."""
    if kept is not None:
        if not checked:
            _crossing(merged, seeds)
        assert cache is not None
        _kept_events(settings, merged, kept, cache)
        return
    if not settings.tables:  # a quick check: its index is in memory, and no table is built
        if not checked:
            _crossing(merged, seeds)
        problems, partial = merged.problems, merged.partial
        merged.rows["events"] += sum(1 for _ in event_rows(reg, merged.index, problems, partial))
        return
    spans = event_runs(reg.events.count(), settings.events_per_run)
    runs = (EventRun(*span, merged.index.parts, merged.partial, settings.version) for span in spans)
    # One run is built here: starting workers for it would cost more than it saves.
    ahead = max(runner.ahead, 1) if len(spans) > 1 else 0
    window = deque(runner.submit_events(run) for run in islice(runs, ahead))
    if not checked:
        _crossing(merged, seeds)
    if window:
        tables = _run_tables(merged, runner, window, runs)
    else:
        tables = event_tables(reg, merged.index, merged.problems, merged.partial, settings.version)
    with _progress(settings, "events") as advance:
        _event_tables(settings, _counted(tables, advance), merged)


def _run_tables(
    merged: _Merged, runner: Runner, window: deque[PendingEvents], runs: Iterator[EventRun]
) -> Iterator[Any]:
    """The tables of the runs, in order, as each is taken, the next run sent as one is taken
    (so that at most the window's runs wait in memory); their problems go to merged."""
    while window:
        outcome = window.popleft().result()
        window.extend(runner.submit_events(run) for run in islice(runs, 1))
        merged.problems += outcome.problems
        if outcome.rows:
            yield outcome_table(outcome)


def _kept_events(settings: Settings, merged: _Merged, kept: EventsTable, cache: BuildCache) -> None:
    """The events table as a build of the same events and mentions wrote it (see
    build_cache)."""
    from build_dataset.write.release import part_path

    assert settings.staging is not None
    merged.rows["events"] = kept.rows
    for index, data in enumerate(kept.parts):
        _write_part(part_path(settings.staging, "events", index), data, cache, merged.known_parts)


def _write_part(
    path: Path, data: bytes, cache: BuildCache | None, known: dict[str, "KnownPart"]
) -> None:
    """A table's part written into staging, and what is known of it if its bytes came from
    the cache (see Assembled.known_parts)."""
    write_new(path, data)
    if cache is not None and (part := cache.known_part(data)) is not None:
        known[path.name] = part


def _written_events(settings: Settings, rows: int) -> EventsTable:
    """The events table's parts just written into staging."""
    from build_dataset.write.release import part_path

    assert settings.staging is not None
    parts: list[bytes] = []
    while (path := part_path(settings.staging, "events", len(parts))).exists():
        parts.append(path.read_bytes())
    return EventsTable(rows, tuple(parts))


def _event_tables(settings: Settings, tables: Iterator[Any], merged: _Merged) -> None:
    """The events, taken as tables of any length, as parts of at most rows_per_shard rows,
    each checked and written a row group at a time: the row groups of one process building
    every event, whatever the runs."""
    from build_dataset.write.release import (
        ROWS_PER_ROW_GROUP,
        RowStream,
        part_path,
        write_row_groups,
    )
    from build_dataset.write.tables import check_table

    rows = RowStream(tables)

    def checked(rows: RowStream) -> Iterator[Any]:
        left = settings.rows_per_shard
        while left and (table := rows.take(min(ROWS_PER_ROW_GROUP, left))) is not None:
            merged.problems.extend(check_table("events", table, "<events table>"))
            merged.rows["events"] += table.num_rows
            left -= table.num_rows
            yield table

    index = 0
    while rows.more():
        if settings.staging is not None:
            write_row_groups(checked(rows), part_path(settings.staging, "events", index))
        else:
            for _ in checked(rows):  # checked, not written
                pass
        index += 1
