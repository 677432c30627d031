"""One build: read, assemble and check everything, then write the release and every document
derived from it (card, citation, Croissant, datasheet figures)."""

import hashlib
import json
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from build_dataset.assemble import (
    ARTICLES_PER_SHARD,
    ROWS_PER_SHARD,
    Assembled,
    Settings,
    assemble,
)
from build_dataset.build_cache import BuildCache, open_cache
from build_dataset.check.events_step import EVENTS_PER_RUN
from build_dataset.documents.paths import DOCUMENTS, read_document
from build_dataset.evaluate.annotation_folder import AGREEMENT_DIR, built
from build_dataset.files import (
    FileRefused,
    leftover_copies,
    link_out,
    staged_copy,
    writable_folder,
)
from build_dataset.write.changelog import (
    Entry,
    build_entry,
    checked_versions,
    read_changelog,
    version_problems,
)
from build_dataset.write.commit import (
    DATA_DIR,
    Swap,
    commit,
    finish_interrupted,
    interrupted,
    place_folder,
)
from build_dataset.write.lock import exclusive
from build_dataset.write.release import (
    MANIFEST,
    SECOND_ANNOTATION,
    discard_staging,
    open_staging,
    part_path,
    released_versions,
    seal_release,
    sha256_file,
    table_files,
)
from build_dataset.write.tables import features_dict, table_schema
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE
from karabakh_schema import RECORD_MODELS


@dataclass(frozen=True)
class BuildResult:
    """What a build released; a draft is a version whose CHANGELOG.md entry does not record
    manifest_sha256 yet."""

    version: str
    release_dir: Path
    manifest: dict[str, object]
    assembled: Assembled
    manifest_sha256: str
    draft: bool


def schema_fingerprint() -> str:
    """Changes exactly when a column, type or label list changes."""
    shape = {
        name: {
            "arrow": table_schema(name).remove_metadata().to_string(),
            "features": features_dict(name),
        }
        for name in RECORD_MODELS
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def check(root: Path, version: str = DATASET_VERSION, workers: int | None = None) -> Assembled:
    """Everything a build validates, tables included, writing nothing."""
    return assemble(Settings(root, version), workers)


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """An interrupt or a termination waits until the documents are all written: they are few
    and small, and a build stopped among them would leave the card and the data disagreeing.
    (Blocking the signals would not do: a thread of Arrow's or polars' would take them.)"""
    if threading.current_thread() is not threading.main_thread():  # no handlers to set there
        yield
        return
    received: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    handlers = {
        stop: signal.signal(stop, lambda signum, _: received.append(signum)) for stop in stops
    }
    try:
        yield
    finally:
        for stop, handler in handlers.items():
            signal.signal(stop, handler)
        for signum in received:
            signal.raise_signal(signum)


@dataclass(frozen=True)
class _Staged:
    """A checked release in its staging folder: what it holds, and whether it replaces the
    folder of its version."""

    assembled: Assembled
    manifest: dict[str, object]
    replaces: bool


def _stage(
    root: Path,
    data_dir: Path,
    staging: Path,
    version: str,
    release_date: str,
    recorded_sha256: str | None,
    workers: int | None,
    articles_per_shard: int,
    rows_per_shard: int,
    cache: BuildCache | None,
    scheduler: str | None,
    events_per_run: int = EVENTS_PER_RUN,
) -> _Staged:
    """Check everything while writing the tables into staging, then seal it and check it
    against the version's folder (see release.seal_release)."""
    settings = Settings(
        root, version, staging, True, articles_per_shard, rows_per_shard, events_per_run
    )
    assembled = assemble(settings, workers, cache, scheduler)
    _stage_second_annotation(root, staging, version)
    manifest, replaces = seal_release(
        staging,
        data_dir,
        version,
        schema_fingerprint(),
        release_date,
        recorded_sha256,
        assembled.known_parts,
    )
    return _Staged(assembled, manifest, replaces)


def _stage_second_annotation(root: Path, staging: Path, version: str) -> None:
    """The second annotation's claims and events, when the repository has one, as tables of
    their own beside the gold ones (see release.SECOND_ANNOTATION)."""
    folder = root / AGREEMENT_DIR
    if not folder.is_dir():
        return
    if (outside := link_out(root, folder)) is not None:
        raise FileRefused(f"{AGREEMENT_DIR} leads outside the repository, to {outside}")
    with built(folder, root, AGREEMENT_DIR, version) as second:
        files = json.loads((second / MANIFEST).read_text())["files"]
        for kind in ("claims", "events"):
            table = f"{SECOND_ANNOTATION}_{kind}"
            for index, name in enumerate(table_files(files, kind)):
                shutil.copyfile(second / name, part_path(staging, table, index))


def release_data(
    root: Path,
    data_dir: Path,
    version: str,
    release_date: str,
    recorded_sha256: str | None,
    workers: int | None = None,
    articles_per_shard: int = ARTICLES_PER_SHARD,
    rows_per_shard: int = ROWS_PER_SHARD,
    cache: bool = False,
    scheduler: str | None = None,
    events_per_run: int = EVENTS_PER_RUN,
) -> tuple[Assembled, dict[str, object]]:
    """Release the data alone as data_dir/<version>, without the documents (for benchmarks
    and tests of the tables), returning the assembled summary and the manifest.
    recorded_sha256 is the manifest SHA-256 CHANGELOG.md records for the version, None for a
    draft. Nothing under data_dir changes unless every check passes. With cache, shards whose
    inputs did not change since the last build with it are taken from root's cache (see
    shard_cache); scheduler is the address of a Dask cluster that checks the shards; the events
    are built events_per_run at a time (see events_step)."""
    with _shard_cache(root, cache) as shard_cache:
        try:
            staging = open_staging(data_dir, version)
            staged = _stage(
                root,
                data_dir,
                staging,
                version,
                release_date,
                recorded_sha256,
                workers,
                articles_per_shard,
                rows_per_shard,
                shard_cache,
                scheduler,
                events_per_run,
            )
            if staged.replaces:
                place_folder(data_dir, staging.name, version)
        finally:
            discard_staging(data_dir, version)
        if shard_cache is not None:
            shard_cache.keep()
    return staged.assembled, staged.manifest


@contextmanager
def _shard_cache(root: Path, enabled: bool) -> Iterator[BuildCache | None]:
    if not enabled:
        yield None
        return
    with open_cache(root) as shard_cache:
        yield shard_cache


@dataclass
class _Staging:
    """What a build stages beside the release's folder: the documents' copies, and the folders
    it made for them."""

    root: Path
    data_dir: Path
    version: str
    copies: list[tuple[Path, Path]] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)

    def copy(self, path: Path, data: bytes) -> None:
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
            self.created.append(path.parent)
        self.copies.append((staged_copy(path, data), path))

    def discard(self) -> None:
        """Remove what is still staged, found by name: this build holds the lock, and a folder
        or copy made just before a signal arrived is not yet in these lists. After a release,
        nothing is (and the folders made are not empty)."""
        discard_staging(self.data_dir, self.version)
        _remove_leftovers(self.root)
        for folder in reversed(self.created):
            with suppress(OSError):
                folder.rmdir()


def _check_earlier_releases(entries: dict[str, Entry], data_dir: Path, version: str) -> None:
    """The card pins every release: each must be there and verify first, or the card would
    silently lose the configs of one that is gone."""
    for earlier in checked_versions(entries, data_dir):
        if earlier != version and (problems := version_problems(entries, data_dir, earlier)):
            raise FileRefused(
                f"data/{earlier} does not verify, and the card is made from it too (it pins every "
                f"release); restore it (git checkout -- data/{earlier}):\n" + "\n".join(problems)
            )


def _remove_leftovers(root: Path) -> None:
    """The staged copies of documents that a build killed before its journal left."""
    for name in DOCUMENTS:
        for path in leftover_copies((root / name).parent, Path(name).name):
            path.unlink(missing_ok=True)


def build(
    root: Path,
    version: str = DATASET_VERSION,
    release_date: str = RELEASE_DATE,
    workers: int | None = None,
    articles_per_shard: int = ARTICLES_PER_SHARD,
    rows_per_shard: int = ROWS_PER_SHARD,
    on_wait: Callable[[str], object] = lambda _: None,
    cache: bool = True,
    scheduler: str | None = None,
) -> BuildResult:
    """Release the data and its documents together, holding the checkout's lock (on_wait is
    told when another build holds it). A build stopped halfway before is finished first.
    Refused before anything is written unless CHANGELOG.md has an entry for the version dated
    release_date; a released entry (one that records its manifest's SHA-256) must be rebuilt
    exactly. Nothing under data/ or among the documents changes unless every check passes,
    and then all of them change together (see build_dataset.write.commit). cache and scheduler are
    release_data's."""
    with exclusive(root, on_wait), _shard_cache(root, cache) as shard_cache:
        finish_interrupted(root, DOCUMENTS)
        _remove_leftovers(root)
        entries = read_changelog(root)
        entry = build_entry(entries, version, release_date)
        data_dir = root / DATA_DIR
        writable_folder(root, data_dir)
        _check_earlier_releases(entries, data_dir, version)
        for name in DOCUMENTS:
            writable_folder(root, (root / name).parent)
        staging = _Staging(root, data_dir, version)
        try:
            folder = open_staging(data_dir, version)
            staged = _stage(
                root,
                data_dir,
                folder,
                version,
                release_date,
                entry.manifest_sha256,
                workers,
                articles_per_shard,
                rows_per_shard,
                shard_cache,
                scheduler,
            )
            folders = {v: data_dir / v for v in released_versions(data_dir)} | {version: folder}
            from build_dataset.documents.generated import documents  # see its docstring

            for name, text in documents(root, version, release_date, folders).items():
                if read_document(root, name) != text:
                    staging.copy(root / name, text.encode("utf-8"))
            swap = Swap(
                version,
                folder.name if staged.replaces else None,
                tuple((_relative(root, c), _relative(root, p)) for c, p in staging.copies),
            )
            with _uninterrupted():
                commit(root, swap)
        finally:
            if not interrupted(root):  # else the journal needs them to finish the release
                staging.discard()
        if shard_cache is not None:
            shard_cache.keep()
    release_dir = data_dir / version
    return BuildResult(
        version,
        release_dir,
        staged.manifest,
        staged.assembled,
        sha256_file(release_dir / MANIFEST),
        not entry.released,
    )


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
