"""Where shards are checked: in this process, in worker processes of this machine, or on a Dask
cluster. Each runner maps the pure shard step (shard_step.check_shard) and hands back a pending
result per shard; the builder takes results in shard order, and keeps only `ahead` shards in
flight, so memory stays flat and any runner gives the same bytes. The runs of the events
(events_step.build_run) go the same way, once every shard is in."""

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from build_dataset.check.events_step import EventRun, EventsOutcome, build_run
from build_dataset.check.shard_step import Shard, ShardContext, ShardOutcome, check_shard
from build_dataset.files import write_new

if TYPE_CHECKING:  # imported when workers start: `validate FILE` starts none
    from concurrent.futures import Future, ProcessPoolExecutor

DASK_EXTRA = "dask"
T = TypeVar("T")


class RunnerUnavailable(Exception):
    """A runner that cannot run here: its optional dependencies are not installed, or its
    cluster cannot be reached."""


class Pending(Protocol):
    def result(self) -> ShardOutcome: ...


class PendingEvents(Protocol):
    def result(self) -> EventsOutcome: ...


class Runner(Protocol):
    ahead: int
    """How many shards may be in flight before the first is taken."""

    def submit(self, shard: Shard) -> Pending: ...

    def submit_events(self, run: EventRun) -> PendingEvents: ...


class Ready:
    """An outcome already at hand (a cache's)."""

    def __init__(self, outcome: ShardOutcome) -> None:
        self._outcome = outcome

    def result(self) -> ShardOutcome:
        return self._outcome


class _Deferred(Generic[T]):
    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute

    def result(self) -> T:
        return self._compute()


class Serial:
    """Each shard checked in this process when its result is taken."""

    ahead = 0

    def __init__(self, context: ShardContext) -> None:
        self._context = context

    def submit(self, shard: Shard) -> Pending:
        return _Deferred(lambda: check_shard(shard, self._context))

    def submit_events(self, run: EventRun) -> PendingEvents:
        return _Deferred(lambda: build_run(run, self._context))


_WORKER: ShardContext | None = None
_CONTEXT_FILE: Path | None = None

CONTEXT_FILE = "shard-context.pickle"
"""The context the workers read, written by the main process into its own scratch folder."""

WARMED_UP = ("pyarrow", "pyarrow.compute", "pyarrow.parquet", "build_dataset.write.tables")
"""What checking a first shard imports: a worker started early imports it beforehand."""


def _start_worker(context_file: Path) -> None:
    global _CONTEXT_FILE
    _CONTEXT_FILE = context_file


def _worker_context() -> ShardContext:
    """The context, read once from the file the main process wrote before its first task."""
    global _WORKER
    if _WORKER is None:
        assert _CONTEXT_FILE is not None
        _WORKER = pickle.loads(_CONTEXT_FILE.read_bytes())
    return _WORKER


def _warm_up() -> None:
    import importlib

    for module in WARMED_UP:
        importlib.import_module(module)
    import pyarrow as pa

    pa.array([0])  # pyarrow imports pandas at its first conversion of Python objects


def _check_in_worker(shard: Shard) -> ShardOutcome:
    return check_shard(shard, _worker_context())


def _build_in_worker(run: EventRun) -> EventsOutcome:
    return build_run(run, _worker_context())


class _Lone:
    """The first shard submitted while no worker has started: checked in this process when it
    is taken, unless another shard is submitted first, which starts the workers and sends it
    to them too. A rebuild that misses the cache for one shard then starts no worker."""

    def __init__(self, shard: Shard, context: ShardContext) -> None:
        self.shard = shard
        self._context = context
        self.sent: Future[ShardOutcome] | None = None
        self.taken = False

    def result(self) -> ShardOutcome:
        self.taken = True
        if self.sent is not None:
            return self.sent.result()
        return check_shard(self.shard, self._context)


class Processes:
    """Worker processes of this machine, started by the 'forkserver' method (forking a process
    that already runs polars or Arrow threads can deadlock) when a second shard is submitted,
    so that a build whose shards all come from the cache starts none, and one that checks a
    single shard checks it in this process (see _Lone). The context reaches the workers
    through a file in folder, so that a build sure to check many shards starts them, and
    they import what checking needs, while it reads the registries (see warm_up)."""

    def __init__(self, workers: int, folder: Path) -> None:
        self._workers = workers
        self._context_file = folder / CONTEXT_FILE
        self._context: ShardContext | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._lone: _Lone | None = None
        self._building_events = False
        self.ahead = 2 * workers

    def warm_up(self) -> None:
        """Start the workers now, each importing what checking a shard needs."""
        pool = self._started()
        for _ in range(self._workers):
            pool.submit(_warm_up)

    def given(self, context: ShardContext) -> None:
        """The context of every shard, before the first is submitted."""
        write_new(self._context_file, pickle.dumps(context))
        self._context = context

    def submit(self, shard: Shard) -> Pending:
        assert self._context is not None
        if self._pool is None and self._lone is None:
            self._lone = _Lone(shard, self._context)
            return self._lone
        pool = self._started()
        if self._lone is not None and not self._lone.taken and self._lone.sent is None:
            self._lone.sent = pool.submit(_check_in_worker, self._lone.shard)
        return pool.submit(_check_in_worker, shard)

    def submit_events(self, run: EventRun) -> PendingEvents:
        """A run of the events, sent to workers of their own: those that checked shards are
        replaced by new ones, forked from the server that forked them, so that the memory
        that checking left in them is given back (the main process meanwhile checks across
        shards, in memory of its own)."""
        if self._pool is not None and not self._building_events:
            self._pool.shutdown()
            self._pool = None
        self._building_events = True
        return self._started().submit(_build_in_worker, run)

    def _started(self) -> "ProcessPoolExecutor":
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["build_dataset.runners"])
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self._context_file,),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class Dask:
    """The workers of a Dask cluster, reached through its scheduler's address. The context is
    sent once to every worker; the seeds are read from the root it names, which the workers
    must see at the same path (a cluster of this machine, or a shared file system)."""

    def __init__(self, context: ShardContext, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise RunnerUnavailable(
                f"the Dask runner needs the optional extra '{DASK_EXTRA}': "
                f"pip install -c constraints.txt -e '.[{DASK_EXTRA}]'"
            ) from None
        try:
            self._client = Client(scheduler, timeout=30, set_as_default=False)
        except OSError as error:
            raise RunnerUnavailable(
                f"no Dask scheduler answers at {scheduler} ({error}); start one, or build "
                "without --scheduler"
            ) from None
        except ValueError as error:  # not an address at all: the distributed client says why
            raise RunnerUnavailable(
                f"--scheduler {scheduler!r} is not a Dask scheduler's address ({error}); give "
                "one as tcp://HOST:PORT"
            ) from None
        workers = len(self._client.scheduler_info()["workers"]) or 1
        self.ahead = 2 * workers
        self._local = context
        self._context: Any = self._client.scatter(context, broadcast=True)

    def submit(self, shard: Shard) -> Pending:
        future: Pending = self._client.submit(check_shard, shard, self._context, pure=False)
        return future

    def submit_events(self, run: EventRun) -> PendingEvents:
        """Built in this process: the index's parts are in this machine's scratch folder,
        which the cluster's workers need not see."""
        return _Deferred(lambda: build_run(run, self._local))

    def close(self) -> None:
        self._client.close()


@contextmanager
def open_runner(
    context: ShardContext,
    workers: int,
    scheduler: str | None,
    shards: int,
    folder: Path,
    started: Processes | None = None,
) -> Iterator[Runner]:
    """The runner for a build: the Dask cluster at scheduler when given, else worker processes
    when they were started (see Processes.warm_up) or there are several workers and at least
    two shards, else this process. Worker processes are given the context in folder."""
    if scheduler is not None:
        dask = Dask(context, scheduler)
        try:
            yield dask
        finally:
            dask.close()
    elif started is not None or (workers >= 2 and shards >= 2):
        processes = started or Processes(workers, folder)
        processes.given(context)
        try:
            yield processes
        finally:
            processes.close()
    else:
        yield Serial(context)
