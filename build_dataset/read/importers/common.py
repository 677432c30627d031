"""What every export reader produces: documents of spans and links, notices of what the schema
cannot hold, and the problem an export that cannot be read raises."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_dataset.read.jsonl_source import JsonError


class ImportProblem(ValueError):
    """An export that cannot be converted: which file, where in it, and what is wrong."""

    def __init__(self, file: Path | str, where: str, message: str) -> None:
        self.file = str(file)
        self.where = where
        self.message = message
        super().__init__(f"{self.file}: {where}: {message}" if where else f"{file}: {message}")


@dataclass(frozen=True)
class Choice:
    """Which annotation to import where an export holds several (Label Studio, doccano)."""

    annotator: str | None = None  # an email, a user id or a user name
    annotation_id: str | None = None
    predictions: bool = False  # a Label Studio task's prediction, when it has no annotation


@dataclass(frozen=True)
class Span:
    key: str
    start: int
    end: int
    label: str
    text: str | None  # the span's text as the export gives it, if it does
    where: str


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str | None
    directed: bool
    where: str
    key: str | None = None  # the tool's id of the relation, which notes may name


@dataclass(frozen=True)
class Note:
    """A remark an annotator attached to a span or a relation."""

    target: str  # a span key, or a link key
    text: str
    where: str


@dataclass(frozen=True)
class Document:
    where: str
    text: str
    article_id: str | None  # must name a seed
    id_hint: str | None  # names a seed, or is the tool's own id
    spans: tuple[Span, ...]
    links: tuple[Link, ...]
    notes: tuple[Note, ...] = ()


@dataclass
class Parsed:
    """An export's documents, and what was read but cannot be held or was skipped."""

    documents: list[Document] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_text(path: Path, where: str = "") -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(path, where, f"not UTF-8 (byte {error.start})") from None


def whole(path: Path, where: str, value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportProblem(path, where, f"{name} is {value!r}, not a whole number")
    return value


def string(path: Path, where: str, value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ImportProblem(path, where, f"{name} is {value!r}, not a string")
    return value


def key(path: Path, where: str, value: Any, name: str) -> str:
    """A span id, which tools write as a string or a number."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImportProblem(path, where, f"{name} is {value!r}, not an id")
    return str(value)


def optional_id(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def one_label(path: Path, where: str, labels: Any, required: bool) -> str | None:
    if labels is None and not required:
        return None
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ImportProblem(path, where, f"labels is {labels!r}, not a list of strings")
    if len(labels) > 1 or (required and not labels):
        raise ImportProblem(path, where, f"has {len(labels)} labels; give exactly one")
    return labels[0] if labels else None


def not_json(error: JsonError) -> str:
    return error.message.replace("invalid JSON", "not JSON", 1)


def json_problem(path: Path, text: str, error: JsonError) -> ImportProblem:
    line, column = error.line_column(text)
    return ImportProblem(path, "", f"{not_json(error)} (line {line}, column {column})")
