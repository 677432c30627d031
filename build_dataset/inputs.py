"""Reading the seeds and their annotation files: the only input I/O of a build."""

from dataclasses import dataclass
from pathlib import Path

from build_dataset.jsonl_source import read_article_lines, read_event_lines
from build_dataset.problems import InvalidInput, Problem
from build_dataset.yaml_source import YamlDocument, read_yaml
from schema.json_schema import schema_file_for

SEEDS_DIR = "seeds"
ANNOTATIONS_DIR = "seeds/annotations"
REGISTRY_FILES = ("actors", "places", "events")


@dataclass(frozen=True)
class Seed:
    id: str
    path: str
    raw: bytes


@dataclass(frozen=True)
class Inputs:
    seeds: tuple[Seed, ...]
    articles: tuple[YamlDocument, ...]
    actors: YamlDocument
    places: YamlDocument
    events: YamlDocument


def schema_reference(file_name: str) -> str:
    """The first line of an annotation file: editors validate and complete it by this schema."""
    return f"# yaml-language-server: $schema=../../schema/{schema_file_for(file_name)}"


def read_inputs(root: Path) -> Inputs:
    """Every seed and annotation file under root (YAML, or JSON Lines at scale); all syntax
    problems are raised together."""
    seeds = tuple(
        Seed(path.stem, path.relative_to(root).as_posix(), path.read_bytes())
        for path in sorted((root / SEEDS_DIR).glob("*.txt"))
    )
    docs: dict[str, YamlDocument] = {}
    problems: list[Problem] = []
    annotation_dir = root / ANNOTATIONS_DIR
    for path in sorted(annotation_dir.glob("*.yaml")):
        display = path.relative_to(root).as_posix()
        try:
            docs[path.stem] = read_yaml(path, display)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        reference = schema_reference(path.name)
        with path.open(encoding="utf-8") as stream:
            if stream.readline().rstrip("\n") != reference:
                message = "does not start with its JSON Schema reference"
                problems.append(Problem(display, 1, 1, "", message, f"make line 1: {reference}"))
    line_docs: list[YamlDocument] = []
    for path in sorted(annotation_dir.glob("*.jsonl")):
        display = path.relative_to(root).as_posix()
        try:
            if path.stem == "events":
                if "events" in docs:
                    message = "events are given twice, here and in events.yaml"
                    raise InvalidInput([Problem(display, None, None, "", message, "keep one")])
                docs["events"] = read_event_lines(path, display)
            else:
                line_docs += read_article_lines(path, display)
        except InvalidInput as error:
            problems.extend(error.problems)
    for name in REGISTRY_FILES:
        if name not in docs and not any(f"/{name}." in p.file for p in problems):
            problems.append(
                Problem(f"{ANNOTATIONS_DIR}/{name}.yaml", None, None, "", "file is missing")
            )
    if problems:
        raise InvalidInput(problems)
    articles = [doc for stem, doc in docs.items() if stem not in REGISTRY_FILES] + line_docs
    return Inputs(
        seeds=seeds,
        articles=tuple(articles),
        actors=docs["actors"],
        places=docs["places"],
        events=docs["events"],
    )
