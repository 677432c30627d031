"""The events, built from the events registry and what the shards found of them in the corpus
index. A run of the events table's order (events start..stop, sorted by id) is a pure function
of the registries, the index's parts and the settings, so the runs of a large corpus are built
in the worker processes (or a cluster's) while the main process checks what crosses shards;
the main process takes their tables in order and cuts them into the table's row groups, so
any runner gives the bytes of one process building every event (see assemble)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_dataset.check.articles import date_row
from build_dataset.check.corpus_index import CorpusIndex, EventInputs
from build_dataset.check.figures import FigureClaim, FigureError, derive_figure
from build_dataset.check.shard_step import ShardContext
from build_dataset.files import scratch_folder
from build_dataset.problems import Problem
from build_dataset.read.event_registry import EventRecord, FigureRecord
from build_dataset.read.inputs import batches
from build_dataset.read.registries import Registries
from build_dataset.read.yaml_source import Loc, YamlDocument

if TYPE_CHECKING:  # Arrow is imported only to build tables
    import pyarrow as pa

Row = dict[str, Any]

EVENTS_PER_RUN = 10_000
"""How many events a run builds: a corpus with fewer is built in one run, in the main process
(starting workers would cost more than it saves)."""

ROWS_CONVERTED = 1_000
"""How many events' rows are held at once, to be converted to Arrow: the rows of a whole row
group are a few hundred thousand objects, which made each pass of the garbage collector
through them cost a third of the events' time."""


@dataclass(frozen=True)
class EventRun:
    """The events start..stop of the events table's order, built from the index's parts."""

    start: int
    stop: int
    parts: tuple[Path, ...]
    """The corpus index's Parquet parts, in shard order (see CorpusIndex.parts)."""
    partial: bool
    """Whether some articles are unknown, so that references into them are not checked."""
    version: str


@dataclass(frozen=True)
class EventsOutcome:
    problems: list[Problem]
    rows: int
    table: bytes
    """The run's rows as an Arrow IPC stream, not yet checked: the checks run on the table's
    row groups, which the main process cuts across runs."""


def event_runs(count: int, size: int = EVENTS_PER_RUN) -> list[tuple[int, int]]:
    """The runs (start, stop) of size events that count events make."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def build_run(run: EventRun, context: ShardContext) -> EventsOutcome:
    """A run of the events, in a process of its own: the index is asked through its parts."""
    import pyarrow as pa

    from build_dataset.write.tables import table_schema

    problems: list[Problem] = []
    with scratch_folder("events") as folder:
        index = CorpusIndex.over(run.parts, folder / "index")
        try:
            sink = pa.BufferOutputStream()
            rows = 0
            with pa.ipc.new_stream(sink, table_schema("events", run.version)) as writer:
                for table in event_tables(
                    context.reg, index, problems, run.partial, run.version, run.start, run.stop
                ):
                    writer.write_table(table)
                    rows += table.num_rows
        finally:
            index.close()
    return EventsOutcome(problems, rows, bytes(sink.getvalue()))


def outcome_table(outcome: EventsOutcome) -> "pa.Table":
    import pyarrow as pa

    return pa.ipc.open_stream(pa.BufferReader(outcome.table)).read_all()


def event_tables(
    reg: Registries,
    index: CorpusIndex,
    problems: list[Problem],
    partial: bool,
    version: str,
    start: int = 0,
    stop: int | None = None,
) -> Iterator["pa.Table"]:
    """The events start..stop that resolve, as tables of at most ROWS_CONVERTED rows."""
    from build_dataset.write.tables import to_table

    rows = event_rows(reg, index, problems, partial, start, stop)
    for batch in batches(rows, ROWS_CONVERTED):
        yield to_table("events", list(batch), version)


def event_rows(
    reg: Registries,
    index: CorpusIndex,
    problems: list[Problem],
    partial: bool,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Row]:
    """Each of the events start..stop that resolves, in id order, the order of the events
    table (problems are sorted by file and line when reported)."""
    with _collecting_new_objects():
        positions = list(reg.events.positions(start, stop))
        if start == 0 and stop is None:
            refs = reg.events.figure_refs()
        else:
            run = set(positions)
            refs = (ref for ref in reg.events.figure_refs() if ref[0] in run)
        index.load_events(positions, refs)
        # figure claims that no annotation declares, valid or not
        undeclared = set() if partial else index.undeclared_figure_claims()
        events = reg.events.records(start, stop)
        for (position, line, ann), found in zip(events, index.events(), strict=True):
            ctx = _EventContext(reg, index, problems, partial, line, undeclared, found)
            if (row := _event(position, ann, ctx)) is not None:
                yield row


@contextmanager
def _collecting_new_objects() -> Iterator[None]:
    """The garbage collector's passes look only at the objects made in the block. Building the
    events makes a million short-lived objects, and each full pass also went through every
    object made before (modules, registries): at 50,000 articles a quarter of the events' time.
    Nothing is freed later than it would be: objects without cycles are freed when their last
    reference goes, and the older ones are collected again after the block."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(slots=True)
class _EventContext:
    reg: Registries
    index: CorpusIndex
    problems: list[Problem]
    partial: bool
    line: int | None
    """The event's line in the events file (None in events.yaml, whose document knows it)."""
    undeclared: set[str]
    found: EventInputs
    """What the corpus index holds for the event: its located mentions and figure claims."""

    @property
    def doc(self) -> YamlDocument:
        """The document its problems point into, made only for a problem."""
        return self.reg.event_doc(self.line)

    def report(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.problems.append(self.doc.problem(loc, message, hint))

    def unknown(self, loc: Loc, kind: str, key: str) -> None:
        self.problems += self.reg.unknown(self.doc, loc, kind, key)


def _unbounded(side: str) -> str:
    if side == "high":
        return (
            "'at least', 'more than' and 'about' state no upper bound, and a lower bound is not "
            "a high"
        )
    return "'about', 'at most' and 'less than' state no lower bound"


def _figure_text(best: float, low: float | None, high: float | None) -> str:
    return "/".join("null" if x is None else f"{x:g}" for x in (best, low, high))


def _figure(loc: Loc, ann: FigureRecord, ctx: _EventContext) -> Row | None:
    report = ctx.report
    claims: list[FigureClaim] = []
    for i, claim_id in enumerate(ann.claims):
        claim = ctx.found.figure_claims.get(claim_id)
        if claim is not None:
            claims.append(claim)
        elif claim_id in ctx.undeclared:
            hint = ctx.index.hint("claims", claim_id)
            report((*loc, "claims", i), f"unknown claim {claim_id!r}", hint)
    if len(claims) < len(ann.claims):
        return None
    try:
        best, low, high = derive_figure(ann.measure, claims)
    except FigureError as error:
        report((*loc, "claims"), str(error))
        return None
    derived = _figure_text(best, low, high)
    unstated = False
    for side, stated, bound in (("low", ann.low, low), ("high", ann.high, high)):
        if stated is not None and bound is None:  # a bound that none of its claims states
            unstated = True
            report(
                (*loc, side),
                f"{side} {stated:g} is a bound that no current claim of the figure states: "
                f"{_unbounded(side)}",
                f"set {side} to null; best/low/high follow from the claims as {derived}",
            )
    if not unstated and (ann.best, ann.low, ann.high) != (best, low, high):
        report(
            loc,
            f"figures do not follow from their claims: best/low/high should be {derived}, "
            f"not {_figure_text(ann.best, ann.low, ann.high)}",
            "see the rules of best, low and high in karabakh_schema/event.py FigureValues",
        )
    return {
        "measure": ann.measure,
        "scope": ann.scope,
        "best": best,
        "low": low,
        "high": high,
        "claim_ids": list(ann.claims),
    }


def _event(index: int, ann: EventRecord, ctx: _EventContext) -> Row | None:
    """The event, or None if a mention, actor or place cannot be resolved (all are reported).

    Figures that disagree with their claims are reported, and the derived values kept."""
    reg, report = ctx.reg, ctx.report
    loc: Loc = ("events", index)

    failed = False
    mentions = []
    located = ctx.found.mentions
    for i, article in enumerate(ann.articles):
        result = located.get(i)
        if result is None:
            failed = True
            if not ctx.partial and not ctx.index.declared("articles", article):
                report(
                    (*loc, "mentions", i, "article"),
                    f"unknown article {article!r}",
                    ctx.index.hint("articles", article),
                )
            continue
        if result.problem is not None:
            failed = True
            at, message, hint = result.problem
            report((*loc, *at), message, hint)
        if result.span is not None:
            mentions.append({"article_id": article, "span": result.span})
    actors = []
    for i, (actor_id, role) in enumerate(ann.actors):
        actor = reg.actors.get(actor_id)
        if actor is None:
            failed = True
            ctx.unknown((*loc, "actors", i, "actor"), "actor", actor_id)
        else:
            actors.append({"actor": actor, "role": role})
    place = reg.places.get(ann.place) if ann.place else None
    if ann.place and place is None:
        failed = True
        ctx.unknown((*loc, "place"), "place", ann.place)
    figures = [f for i, a in enumerate(ann.figures) if (f := _figure((*loc, "figures", i), a, ctx))]
    try:
        date = date_row(ann.date) if ann.date is not None else None
    except ValueError as error:
        report((*loc, "date", "value"), str(error))
        return None
    if failed:
        return None
    return {
        "id": ann.id,
        "type": ann.type,
        "category": ann.category,
        "description": ann.description,
        "date": date,
        "place": place,
        "actors": actors,
        "mentions": mentions,
        "figures": figures,
        "note": ann.note,
    }
