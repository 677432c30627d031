"""Release folders: data/<version>/{tables}.parquet and manifest.json, written atomically,
never rewritten once released (CHANGELOG.md records the manifest's SHA-256), and verifiable
against their manifest."""

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from build_dataset.files import process_running
from karabakh_schema import TABLES

MANIFEST = "manifest.json"
ROWS_PER_ROW_GROUP = 10_000


class ReleasedVersionChanged(Exception):
    """The build gives other bytes than a version that is already released, or the version's
    folder no longer holds the released bytes."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


LAST_AT_ZSTD_9 = (3, 0, 0)
"""The last version written at zstd level 9. Later versions are written at zstd's default
level, which takes a third of the CPU time for files about 10% larger; the released versions
keep level 9, so that their folders rebuild byte for byte."""


def zstd_level(version: str | None) -> int | None:
    """The zstd level of a version's Parquet files; None is zstd's default. A table that names
    no version (it is not a release's) is written as the next version will be."""
    if version is not None and version_key(version) <= LAST_AT_ZSTD_9:
        return 9
    return None


def write_parquet(table: pa.Table, path: Path) -> None:
    """Fixed writer options, so the same table always gives the same bytes."""
    write_row_groups([table], path)


def parquet_bytes(table: pa.Table) -> bytes:
    """The bytes write_parquet writes, in memory: a shard's part, returned by the process that
    checked it for the main process to write."""
    sink = pa.BufferOutputStream()
    write_row_groups([table], sink)
    return bytes(sink.getvalue())


def write_row_groups(tables: Iterable[pa.Table], path: Path | pa.NativeFile) -> None:
    """Tables of one schema written one after another into one file, as if concatenated:
    a table built a row group at a time is never whole in memory. The zstd level is the one
    of the version the schema's metadata names (see zstd_level)."""
    writer = None
    try:
        for table in tables:
            if writer is None:
                version = (table.schema.metadata or {}).get(b"dataset_version")
                writer = pq.ParquetWriter(
                    path,
                    table.schema,
                    compression="zstd",
                    compression_level=zstd_level(version.decode() if version else None),
                    write_statistics=True,
                )
            writer.write_table(table, row_group_size=ROWS_PER_ROW_GROUP)
    finally:
        if writer is not None:
            writer.close()


class RowStream:
    """Tables of one schema taken one after another as one stream of rows, and cut into
    tables of the lengths asked, each of one chunk: so the row groups written do not depend
    on how the rows came (the events' runs, see events_step)."""

    def __init__(self, tables: Iterator[pa.Table]) -> None:
        self._tables = tables
        self._held: deque[pa.Table] = deque()
        self._rows = 0

    def _fill(self, rows: int) -> None:
        while self._rows < rows and (table := next(self._tables, None)) is not None:
            if table.num_rows:
                self._held.append(table)
                self._rows += table.num_rows

    def more(self) -> bool:
        self._fill(1)
        return self._rows > 0

    def take(self, rows: int) -> pa.Table | None:
        """The next rows rows (fewer at the end), or None when none is left."""
        self._fill(rows)
        if not self._rows:
            return None
        taken, wanted = [], rows
        while wanted and self._held:
            first = self._held[0]
            if first.num_rows <= wanted:
                taken.append(self._held.popleft())
                wanted -= first.num_rows
            else:
                taken.append(first.slice(0, wanted))
                self._held[0] = first.slice(wanted)
                wanted = 0
        self._rows -= rows - wanted
        return pa.concat_tables(taken).combine_chunks()


def shard_names(table: str, shards: int) -> list[str]:
    if shards == 1:
        return [f"{table}.parquet"]
    return [f"{table}-{index:05d}-of-{shards:05d}.parquet" for index in range(shards)]


def table_files(files: dict[str, object], table: str) -> list[str]:
    """The manifest's file names that hold one table, in shard order."""
    return sorted(n for n in files if n == f"{table}.parquet" or n.startswith(f"{table}-"))


SECOND_ANNOTATION = "second_annotation"
"""Starts the names of the tables of the second annotation (agreement/annotations), which a
release holds beside the gold ones: second_annotation_claims, second_annotation_events."""
_SHARD = re.compile(r"-[0-9]{5}-of-[0-9]{5}$")


def released_tables(files: Mapping[str, object]) -> list[str]:
    """The tables a manifest's files hold: the gold ones in their order, then the second
    annotation's."""
    names = {_SHARD.sub("", n.removesuffix(".parquet")) for n in files if n.endswith(".parquet")}
    gold = [table for table in TABLES if table in names]
    return gold + sorted(names - set(gold))


def table_kind(table: str) -> str:
    """The record kind of a released table: 'claims' for second_annotation_claims."""
    return table.removeprefix(f"{SECOND_ANNOTATION}_")


def _differences(staged: Path, released: Path) -> list[str]:
    names = sorted({p.name for p in staged.iterdir()} | {p.name for p in released.iterdir()})
    return [
        name
        for name in names
        if not (staged / name).is_file()
        or not (released / name).is_file()
        or (released / name).is_symlink()
        or (staged / name).read_bytes() != (released / name).read_bytes()
    ]


STAGING_PREFIX = ".tmp-"
"""Starts the name of a folder where a build stages a release, beside the released ones."""
_STAGING_OWNER = re.compile(rf"{re.escape(STAGING_PREFIX)}(?P<version>[0-9.]+)-(?P<pid>[0-9]+)-")


def open_staging(data_dir: Path, version: str) -> Path:
    """A temporary folder beside the releases, where a build writes its parts. Its name holds
    the building process's id, so that the staging folders of killed builds are removed by the
    next build (which holds the checkout's lock: see build_dataset.write.lock)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for folder in data_dir.glob(f"{STAGING_PREFIX}*"):
        owner = _STAGING_OWNER.match(folder.name)
        if owner is not None and not process_running(int(owner["pid"])) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
    prefix = f"{STAGING_PREFIX}{version}-{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=data_dir))
    staging.chmod(0o755)
    return staging


def discard_staging(data_dir: Path, version: str) -> None:
    """Remove this process's staging folders for version. Found by name, so that a folder made
    just before a signal arrived, before its path was returned, goes too."""
    for folder in data_dir.glob(f"{STAGING_PREFIX}{version}-{os.getpid()}-*"):
        shutil.rmtree(folder, ignore_errors=True)


def part_path(staging: Path, table: str, index: int) -> Path:
    return staging / f"{table}.part-{index:05d}.parquet"


@dataclass(frozen=True)
class KnownPart:
    """What the manifest says of a staged part, known because the part was written from bytes
    whose SHA-256 and Parquet rows were checked just before (a cache entry's)."""

    size: int
    rows: int
    sha256: str


def _seal(
    staging: Path,
    version: str,
    schema_fingerprint: str,
    release_date: str,
    known: Mapping[str, KnownPart],
) -> dict[str, object]:
    """Name the staged parts as shards and write the manifest beside them; a part that known
    holds by its staged name is not read again."""
    files: dict[str, dict[str, object]] = {}
    parts = sorted(staging.glob("*.part-*.parquet"))
    for table in sorted({path.name.split(".part-")[0] for path in parts}):
        mine = [path for path in parts if path.name.split(".part-")[0] == table]
        for path, file_name in zip(mine, shard_names(table, len(mine)), strict=True):
            path.rename(staging / file_name)
            part = known.get(path.name) or _read_part(staging / file_name)
            files[file_name] = {"bytes": part.size, "rows": part.rows, "sha256": part.sha256}
    manifest: dict[str, object] = {
        "version": version,
        "release_date": release_date,
        "schema_fingerprint": schema_fingerprint,
        "files": files,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _read_part(path: Path) -> KnownPart:
    return KnownPart(path.stat().st_size, pq.ParquetFile(path).metadata.num_rows, sha256_file(path))


_RESTORE_FIRST = (
    "unless the data changed, restore data/{0} first (git checkout -- data/{0}) and build "
    "again, which then names the files that differ, and whether their writer alone does (a "
    "pyarrow other than the one constraints.txt pins); if it did, "
)
_BUMP = (
    "bump DATASET_VERSION in build_dataset/write/version.py (see Versioning in README.md) and "
    "add a CHANGELOG.md entry"
)


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def writer(path: Path) -> str:
    """The program that wrote a Parquet file, as its footer records it (`created_by`, e.g.
    'parquet-cpp-arrow version 26.0.1')."""
    return str(pq.ParquetFile(path).metadata.created_by)


def _pyarrow_advice(written_by: str) -> str:
    match = re.fullmatch(r"parquet-cpp-arrow version (\S+)", written_by)
    if match is None:
        return f"write them with {written_by} again"
    return (
        f"install pyarrow {match[1]}, which wrote them (pip install pyarrow=={match[1]}; "
        "constraints.txt pins the pyarrow releases are made with), and build again"
    )


def _writer_difference(staged: Path, released: Path) -> str | None:
    """When the built tables equal the released ones, schema metadata included, and only the
    program that wrote them differs: what to say (the bytes differ by the footer's
    `created_by`, which no version bump is for). None otherwise."""
    parquet = sorted(p.name for p in staged.glob("*.parquet"))
    if parquet != sorted(p.name for p in released.glob("*.parquet")):
        return None
    differing = [n for n in parquet if (staged / n).read_bytes() != (released / n).read_bytes()]
    for name in differing:
        if (released / name).is_symlink() or writer(staged / name) == writer(released / name):
            return None
        built, kept = pq.read_table(staged / name), pq.read_table(released / name)
        if not built.equals(kept, check_metadata=True):
            return None
    if not differing:
        return None
    old, new = writer(released / differing[0]), writer(staged / differing[0])
    return (
        f"this build gives the same tables and metadata, but written by {new}, where the "
        f"released files were written by {old}: {', '.join(differing)} differ by the writer "
        f"recorded in their footer alone. Do not bump the version; {_pyarrow_advice(old)}"
    )


def seal_release(
    staging: Path,
    data_dir: Path,
    version: str,
    schema_fingerprint: str,
    release_date: str,
    recorded_sha256: str | None,
    known: Mapping[str, KnownPart] | None = None,
) -> tuple[dict[str, object], bool]:
    """Seal the staged parts, and check them against data_dir/<version>; returns the manifest
    and whether the folder must be replaced by the staging folder (it is missing, or a draft
    with other bytes). known holds what is known of some parts (see KnownPart).

    recorded_sha256 is the manifest SHA-256 that CHANGELOG.md records for the version. With
    one, the version is released: a build must give exactly that manifest, even where its
    folder was deleted, and a folder that exists must hold exactly the built bytes (the same
    bytes again are a no-op). Without one, the version is a draft, whose folder a build may
    replace."""
    target = data_dir / version
    manifest = _seal(staging, version, schema_fingerprint, release_date, known or {})
    built_sha256 = sha256_file(staging / MANIFEST)
    if recorded_sha256 is not None and built_sha256 != recorded_sha256:
        other_writer = _writer_difference(staging, target) if _is_folder(target) else None
        if other_writer is not None:
            raise ReleasedVersionChanged(f"data/{version} is released, and {other_writer}")
        raise ReleasedVersionChanged(
            f"{version} is released: CHANGELOG.md records its manifest SHA-256 as "
            f"{recorded_sha256}, but this build gives a manifest of SHA-256 "
            f"{built_sha256}; {'' if target.exists() else _RESTORE_FIRST.format(version)}{_BUMP}"
        )
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ReleasedVersionChanged(
            f"data/{version} is not a folder but a link or a file; a build does not write "
            f"through it: remove it (git checkout -- data/{version} restores a released one)"
        )
    changed = _differences(staging, target) if target.exists() else []
    if changed and recorded_sha256 is not None:  # the build matches what was released
        raise ReleasedVersionChanged(
            f"data/{version} is released, and this build gives the manifest CHANGELOG.md "
            f"records, but the folder holds other {', '.join(changed)}: it was changed "
            f"since; restore it (git checkout -- data/{version}), or delete it and build "
            "again"
        )
    return manifest, not target.exists() or bool(changed)


def release_table(release_dir: Path, table: str, columns: list[str] | None = None) -> pa.Table:
    """One table of a release, its shards read in order."""
    files = json.loads((release_dir / MANIFEST).read_text())["files"]
    paths = [release_dir / name for name in table_files(files, table)]
    return pa.concat_tables(pq.read_table(path, columns=columns) for path in paths)


def verify_release(release_dir: Path) -> list[str]:
    """Every way the folder differs from its manifest; empty when it verifies."""
    manifest_path = release_dir / MANIFEST
    for link in (release_dir, manifest_path):
        if link.is_symlink():
            return [f"{link}: a link, not a release's own; restore it (git checkout -- {link})"]
    if not manifest_path.is_file():
        return [f"{release_dir}: no {MANIFEST}"]
    files, problem = read_manifest_files(manifest_path)
    if problem is not None:
        return [problem]
    problems = []
    for name, expected in sorted(files.items()):
        path = release_dir / name
        if path.is_symlink():
            problems.append(f"{path}: a link, not a file; restore it (git checkout -- {path})")
        elif not path.is_file():
            problems.append(f"{path}: missing")
        elif path.stat().st_size != expected["bytes"]:
            problems.append(
                f"{path}: {path.stat().st_size} bytes, manifest says {expected['bytes']}"
            )
        elif sha256_file(path) != expected["sha256"]:
            problems.append(f"{path}: sha256 differs from the manifest")
    for path in sorted(release_dir.iterdir()):
        if path.name != MANIFEST and path.name not in files:
            problems.append(f"{path}: not in the manifest")
    return problems


def read_manifest_files(path: Path) -> tuple[dict[str, dict[str, object]], str | None]:
    """The manifest's files, each with its bytes, rows and sha256; or a problem naming what is
    wrong with the manifest instead of failing on it."""
    restore = f"restore it (git checkout -- {path}), or delete the folder and build again"
    try:
        manifest = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}, f"{path}: not a JSON manifest; {restore}"
    files = manifest.get("files") if isinstance(manifest, dict) else None
    well_formed = isinstance(files, dict) and all(
        isinstance(name, str)
        and "/" not in name
        and isinstance(info, dict)
        and isinstance(info.get("bytes"), int)
        and isinstance(info.get("sha256"), str)
        for name, info in files.items()
    )
    if not well_formed:
        return {}, (
            f"{path}: not the shape of a manifest (files: name -> bytes, rows, sha256); {restore}"
        )
    assert isinstance(files, dict)
    return files, None


def released_versions(data_dir: Path) -> list[str]:
    """Version folders under data/, oldest first by semantic version; not the hidden folders
    where a build stages a version or keeps the draft it replaces."""
    if not data_dir.is_dir():
        return []
    versions = [
        p.name
        for p in data_dir.iterdir()
        if not p.name.startswith(".") and (p / MANIFEST).is_file()
    ]
    return sorted(versions, key=version_key)


def version_key(version: str) -> tuple[int, ...]:
    """Sorts semantic versions oldest first."""
    return tuple(int(part) for part in version.split("."))
