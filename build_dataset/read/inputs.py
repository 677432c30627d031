"""Finding the seeds and annotation files, and reading the small registries: the input I/O of a
build. Article annotations are not read here but listed as sources, so that they can be read
and checked a shard at a time, in parallel, without holding the corpus in memory."""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import TypeVar

from build_dataset.files import link_out
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.jsonl_source import lines
from build_dataset.read.yaml_source import MAX_BYTES, YamlDocument, read_yaml
from karabakh_schema.json_schema import schema_file_for

SEEDS_DIR = "seeds"
ANNOTATIONS_DIR = "seeds/annotations"
SEED_NAMES = "seeds/named_by_collector.yaml"
"""The seeds named before a seed's name was its content's, which keep their names."""
ANNOTATION_SUFFIXES = (".yaml", ".jsonl")
REGISTRY_FILES = ("actors", "places", "events")
T = TypeVar("T")


@dataclass(frozen=True)
class ArticleSource:
    """One article annotation: a YAML file, or one line of a JSON Lines file (its bytes)."""

    file: str
    line: int | None = None
    text: bytes | None = None
    sha256: str | None = None
    """The SHA-256 of the line's bytes when it is known without reading them (see
    build_cache.FileDigests): text is None until the source is to be checked."""


@dataclass(frozen=True)
class Seeds:
    """The seed files, looked up on disk rather than listed in memory: a corpus may have a
    hundred thousand."""

    root: Path
    named_by_collector: frozenset[str] = frozenset()
    """The seeds whose names are not their content's (SEED_NAMES)."""

    def misnamed(self, seed_id: str, sha256: str) -> str | None:
        """The name the seed's content gives it, when that is not its name: a seed is named
        NNN_<the first 16 hex digits of its SHA-256>, but for those named by their collector."""
        number, _, digits = seed_id.partition("_")
        if digits == sha256[:16] or seed_id in self.named_by_collector:
            return None
        return f"{number}_{sha256[:16]}"

    def path(self, seed_id: str) -> str | None:
        """The seed's path from root, if the file exists."""
        display = f"{SEEDS_DIR}/{seed_id}.txt"
        return display if (self.root / display).is_file() else None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Each seed's id and path from root, in directory order (not those whose name is not
        UTF-8: unread_files reports them)."""
        with os.scandir(self.root / SEEDS_DIR) as entries:
            for entry in entries:
                name = entry.name
                if _seed_name(name) and entry.is_file():
                    yield name.removesuffix(".txt"), f"{SEEDS_DIR}/{name}"

    def ids(self) -> list[str]:
        """Every seed id in sorted order, to compare with an unknown one."""
        return sorted(seed_id for seed_id, _ in self)


@dataclass(frozen=True)
class Inputs:
    root: Path
    seeds: Seeds
    actors: YamlDocument
    places: YamlDocument
    events: YamlDocument | None
    """events.yaml, or None when the events are JSON Lines (event_lines)."""
    event_lines: str | None = None
    """events.jsonl from root, read a line at a time when the registries are read."""


def schema_reference(file_name: str) -> str:
    """The first line of an annotation file: editors validate and complete it by this schema."""
    return f"# yaml-language-server: $schema=../../schema/{schema_file_for(file_name)}"


def reference_problem(path: Path, display: str) -> Problem | None:
    with path.open(encoding="utf-8", errors="replace") as stream:
        return first_line_problem(stream.readline(), display)


def reference_problem_in(data: bytes, display: str) -> Problem | None:
    """reference_problem of a file's bytes, once read."""
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace") as stream:
        return first_line_problem(stream.readline(), display)


def first_line_problem(line: str, display: str) -> Problem | None:
    reference = schema_reference(PurePosixPath(display).name)
    if line.rstrip("\n") == reference:
        return None
    message = "does not start with its JSON Schema reference"
    return Problem(display, 1, 1, "", message, f"make line 1: {reference}")


def _display(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def leads_out(root: Path, path: Path) -> str | None:
    """Where path, a link, leads outside root; None for a plain file or a link that stays
    inside. Only a link is followed (one system call for a plain file): the folders that hold
    the inputs are checked once, by read_inputs."""
    return link_out(root, path) if path.is_symlink() else None


def link_problem(display: str, outside: str) -> Problem:
    message = f"is a link to {outside}, outside the repository, so it is not read"
    return Problem(display, None, None, "", message, "replace the link with the file itself")


def _named_in_utf8(name: str) -> bool:
    """Whether a file name read from the disk is UTF-8 (Python keeps other bytes as
    surrogates, which cannot be printed or written)."""
    if name.isascii():  # as a seed's name is: told without encoding it
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _seed_name(name: str) -> bool:
    return name.endswith(".txt") and not name.startswith(".") and _named_in_utf8(name)


def read_inputs(root: Path) -> Inputs:
    """The seeds' paths and the registries (actors, places, events, as YAML or events as JSON
    Lines); all problems with these files are raised together."""
    annotation_dir = root / ANNOTATIONS_DIR
    docs: dict[str, YamlDocument] = {}
    event_lines: str | None = None
    problems: list[Problem] = []
    for folder in (SEEDS_DIR, ANNOTATIONS_DIR):
        if (outside := link_out(root, root / folder)) is not None:
            problems.append(link_problem(folder, outside))
    if problems:  # no input under it is read
        raise InvalidInput(problems, blocking={problem.file for problem in problems})
    for name in REGISTRY_FILES:
        path = annotation_dir / f"{name}.yaml"
        if not path.is_file():
            continue
        display = _display(root, path)
        if (outside := leads_out(root, path)) is not None:
            problems.append(link_problem(display, outside))
            continue
        try:
            docs[name] = read_yaml(path, display)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if (problem := reference_problem(path, display)) is not None:
            problems.append(problem)
    events_lines = annotation_dir / "events.jsonl"
    if events_lines.is_file():
        display = _display(root, events_lines)
        if (outside := leads_out(root, events_lines)) is not None:
            problems.append(link_problem(display, outside))
        elif "events" in docs:
            message = "events are given twice, here and in events.yaml"
            problems.append(Problem(display, None, None, "", message, "keep one"))
        else:
            event_lines = display
    for name in REGISTRY_FILES:
        given = name in docs or (name == "events" and event_lines is not None)
        if not given and not any(f"/{name}." in p.file for p in problems):
            problems.append(
                Problem(f"{ANNOTATIONS_DIR}/{name}.yaml", None, None, "", "file is missing")
            )
    if problems:  # every article is checked against these files
        raise InvalidInput(problems, blocking={problem.file for problem in problems})
    return Inputs(
        root, Seeds(root), docs["actors"], docs["places"], docs.get("events"), event_lines
    )


REGISTRY_PATHS = frozenset(
    [f"{ANNOTATIONS_DIR}/{name}.yaml" for name in REGISTRY_FILES]
    + [f"{ANNOTATIONS_DIR}/events.jsonl"]
)
"""Paths from root of the files every article is checked against; any other annotation file
holds articles."""


def _annotation_name(name: str) -> bool:
    """An annotation file's name: with an annotation suffix, not hidden (as an editor's files
    are), and UTF-8."""
    return not name.startswith(".") and name.endswith(ANNOTATION_SUFFIXES) and _named_in_utf8(name)


def is_annotation_file(path: str) -> bool:
    """Whether a path from root names a file the builder reads, by its name alone."""
    folder, _, name = path.rpartition("/")
    return folder == ANNOTATIONS_DIR and _annotation_name(name)


def _printable(name: str) -> str:
    """A file name as it can be shown, bytes that are not UTF-8 written as escapes."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def unread_files(root: Path) -> Iterator[Problem]:
    """What else is in the annotations folder (a `.yml` file, a folder of drafts), and the
    seeds and annotation files that are links out of the repository or whose names are not
    UTF-8: the builder does not read them, so they would be left out of the dataset without a
    word. Hidden files, such as an editor's, are left alone; a missing folder is reported by
    read_inputs."""
    if (root / SEEDS_DIR).is_dir() and link_out(root, root / SEEDS_DIR) is None:
        yield from _unread_seeds(root)
    folder = root / ANNOTATIONS_DIR
    if not folder.is_dir() or link_out(root, folder) is not None:
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(".") and not _is_read(root, Path(entry.path)):
                yield _unread(root, entry)


def _unread(root: Path, entry: os.DirEntry[str]) -> Problem:
    """Why an entry of the annotations folder is not read."""
    display = f"{ANNOTATIONS_DIR}/{_printable(entry.name)}"
    if not _named_in_utf8(entry.name):
        return _misnamed(display)
    if (outside := leads_out(root, Path(entry.path))) is not None:
        return link_problem(display, outside)
    if entry.is_dir():
        message = "is not read: annotation files go directly in the folder"
        hint = f"move its files into {ANNOTATIONS_DIR}, or the folder out of it"
    else:
        message = "is not read: annotation files end in .yaml or .jsonl"
        hint = f"rename it, or move it out of {ANNOTATIONS_DIR}"
    return Problem(display, None, None, "", message, hint)


def _misnamed(display: str) -> Problem:
    message = "is not read: its name is not UTF-8"
    return Problem(display, None, None, "", message, "rename it with a UTF-8 name")


def _unread_seeds(root: Path) -> Iterator[Problem]:
    """The seeds that links take out of the repository, and those named in other bytes than
    UTF-8."""
    with os.scandir(root / SEEDS_DIR) as entries:
        for entry in entries:  # a name's bytes end in .txt when its text does (ASCII)
            if entry.name.startswith(".") or not entry.name.endswith(".txt"):
                continue
            if not _named_in_utf8(entry.name):
                yield _misnamed(f"{SEEDS_DIR}/{_printable(entry.name)}")
            elif entry.is_symlink() and (outside := link_out(root, Path(entry.path))):
                yield link_problem(f"{SEEDS_DIR}/{entry.name}", outside)


def article_sources(root: Path) -> Iterator[ArticleSource]:
    """Every article annotation in build order (see article_files), the lines of the JSON
    Lines files read as they are needed."""
    for path, display in article_files(root):
        yield from file_sources(path, display)


def article_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Each file of article annotations and its path from root, in build order: the YAML files
    by name, then the JSON Lines files by name (events.jsonl excepted). Hidden files and what
    is not a file are not annotations (see unread_files)."""
    for pattern in ("*.yaml", "*.jsonl"):
        for path in _annotation_files(root, pattern):
            if (display := _display(root, path)) not in REGISTRY_PATHS:
                yield path, display


def file_sources(path: Path, display: str) -> Iterator[ArticleSource]:
    """The article annotations of one file: a YAML file is one (read later, see with_bytes),
    a JSON Lines file one a line that is not blank."""
    if not display.endswith(".jsonl"):
        yield ArticleSource(display)
        return
    for number, raw in lines(path):
        yield ArticleSource(display, number, raw)


def _annotation_files(root: Path, pattern: str) -> list[Path]:
    folder = root / ANNOTATIONS_DIR
    return sorted(path for path in folder.glob(pattern) if _is_read(root, path))


def _is_read(root: Path, path: Path) -> bool:
    """Whether the builder reads this entry of the annotations folder."""
    return _annotation_name(path.name) and path.is_file() and leads_out(root, path) is None


def with_bytes(root: Path, source: ArticleSource) -> ArticleSource:
    """The source with the bytes of its file, for a YAML file: the main process reads them
    once, so that a shard is checked on the very bytes its cache entry is keyed by. A file over
    the size limit, or one that cannot be read, is left for the check to report."""
    if source.text is not None or source.line is not None:  # a line's bytes are its own
        return source
    path = root / source.file
    try:
        if path.stat().st_size > MAX_BYTES:
            return source
        return replace(source, text=path.read_bytes())
    except OSError:
        return source


def batches(items: Iterator[T], size: int) -> Iterator[tuple[T, ...]]:
    while batch := tuple(islice(items, size)):
        yield batch
