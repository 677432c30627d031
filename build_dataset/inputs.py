"""Finding the seeds and annotation files, and reading the small registries: the input I/O of a
build. Article annotations are not read here but listed as sources, so that they can be read
and checked a shard at a time, in parallel, without holding the corpus in memory."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from build_dataset.jsonl_source import lines
from build_dataset.problems import InvalidInput, Problem
from build_dataset.yaml_source import YamlDocument, read_yaml
from schema.json_schema import schema_file_for

SEEDS_DIR = "seeds"
ANNOTATIONS_DIR = "seeds/annotations"
ANNOTATION_SUFFIXES = (".yaml", ".jsonl")
REGISTRY_FILES = ("actors", "places", "events")
T = TypeVar("T")


@dataclass(frozen=True)
class ArticleSource:
    """One article annotation: a YAML file, or one line of a JSON Lines file (its bytes)."""

    file: str
    line: int | None = None
    text: bytes | None = None


@dataclass(frozen=True)
class Seeds:
    """The seed files, looked up on disk rather than listed in memory: a corpus may have a
    hundred thousand."""

    root: Path

    def path(self, seed_id: str) -> str | None:
        """The seed's path from root, if the file exists."""
        display = f"{SEEDS_DIR}/{seed_id}.txt"
        return display if (self.root / display).is_file() else None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Each seed's id and path from root, in directory order."""
        with os.scandir(self.root / SEEDS_DIR) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".txt") and not name.startswith(".") and entry.is_file():
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
    reference = schema_reference(path.name)
    with path.open(encoding="utf-8", errors="replace") as stream:
        if stream.readline().rstrip("\n") == reference:
            return None
    message = "does not start with its JSON Schema reference"
    return Problem(display, 1, 1, "", message, f"make line 1: {reference}")


def _display(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read_inputs(root: Path) -> Inputs:
    """The seeds' paths and the registries (actors, places, events, as YAML or events as JSON
    Lines); all problems with these files are raised together."""
    annotation_dir = root / ANNOTATIONS_DIR
    docs: dict[str, YamlDocument] = {}
    event_lines: str | None = None
    problems: list[Problem] = []
    for name in REGISTRY_FILES:
        path = annotation_dir / f"{name}.yaml"
        if not path.is_file():
            continue
        display = _display(root, path)
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
        if "events" in docs:
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
    """An annotation file's name: with an annotation suffix, and not hidden (as an editor's
    files are)."""
    return not name.startswith(".") and name.endswith(ANNOTATION_SUFFIXES)


def is_annotation_file(path: str) -> bool:
    """Whether a path from root names a file the builder reads, by its name alone."""
    folder, _, name = path.rpartition("/")
    return folder == ANNOTATIONS_DIR and _annotation_name(name)


def unread_files(root: Path) -> Iterator[Problem]:
    """What else is in the annotations folder (a `.yml` file, a folder of drafts): the builder
    does not read it, so it would be left out of the dataset without a word. Hidden files, such
    as an editor's, are left alone; a missing folder is reported by read_inputs."""
    if not (root / ANNOTATIONS_DIR).is_dir():
        return
    with os.scandir(root / ANNOTATIONS_DIR) as entries:
        for entry in entries:
            if entry.name.startswith(".") or _is_read(Path(entry.path)):
                continue
            display = f"{ANNOTATIONS_DIR}/{entry.name}"
            if entry.is_dir():
                message = "is not read: annotation files go directly in the folder"
                hint = f"move its files into {ANNOTATIONS_DIR}, or the folder out of it"
            else:
                message = "is not read: annotation files end in .yaml or .jsonl"
                hint = f"rename it, or move it out of {ANNOTATIONS_DIR}"
            yield Problem(display, None, None, "", message, hint)


def article_sources(root: Path) -> Iterator[ArticleSource]:
    """Every article annotation in build order: the YAML files by name, then each line of the
    JSON Lines files by file name (events.jsonl excepted), read as they are needed. Hidden
    files and what is not a file are not annotations (see unread_files)."""
    annotation_dir = root / ANNOTATIONS_DIR
    for path in _annotation_files(annotation_dir, "*.yaml"):
        if (display := _display(root, path)) not in REGISTRY_PATHS:
            yield ArticleSource(display)
    for path in _annotation_files(annotation_dir, "*.jsonl"):
        if (display := _display(root, path)) not in REGISTRY_PATHS:
            for number, raw in lines(path):
                yield ArticleSource(display, number, raw)


def _annotation_files(folder: Path, pattern: str) -> list[Path]:
    return sorted(path for path in folder.glob(pattern) if _is_read(path))


def _is_read(path: Path) -> bool:
    """Whether the builder reads this entry of the annotations folder."""
    return _annotation_name(path.name) and path.is_file()


def batches(items: Iterator[T], size: int) -> Iterator[tuple[T, ...]]:
    while batch := tuple(islice(items, size)):
        yield batch
