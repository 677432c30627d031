"""Reading annotation YAML while remembering where every value was written."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from build_dataset.problems import InvalidInput, Problem, field_path

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from a YAML file, with the 1-based (line, column) of every key and item."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int | None]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Where loc, or the nearest enclosing value that has a position, was written."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None, None

    def problem(self, loc: Loc, message: str, hint: str | None = None) -> Problem:
        line, column = self.position(loc)
        return Problem(self.path, line, column, field_path(loc), message, hint)


class _Alias(Exception):
    def __init__(self, loc: Loc) -> None:
        self.loc = loc


def _plain(
    node: Any, loc: Loc, positions: dict[Loc, tuple[int, int | None]], seen: set[int]
) -> Any:
    """Plain data; a container met twice is an alias, refused so that an alias bomb cannot
    expand (annotation files have no use for anchors)."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        if id(node) in seen:
            raise _Alias(loc)
        seen.add(id(node))
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            line, col = node.lc.key(key)
            positions[(*loc, str(key))] = (line + 1, col + 1)
            out[str(key)] = _plain(value, (*loc, str(key)), positions, seen)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            positions[(*loc, index)] = (line + 1, col + 1)
            items.append(_plain(value, (*loc, index), positions, seen))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, date):
        return node.isoformat()[:10]
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


MAX_BYTES = 2 * 1024 * 1024


def _problem(path: str, line: int | None, column: int | None, message: str, hint: str) -> Problem:
    return Problem(path, line, column, "", message, hint)


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse YAML text; syntax errors, duplicate keys, aliases, a byte-order mark and CRLF line
    ends become a Problem with their line."""
    if text.startswith("\ufeff"):
        hint = "save as UTF-8 without a BOM"
        raise InvalidInput([_problem(path, 1, 1, "starts with a byte-order mark", hint)])
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        message = "has CRLF (Windows) line ends"
        raise InvalidInput([_problem(path, first, None, message, "save with LF line ends")])
    normalized = unicodedata.normalize("NFC", text)
    if normalized != text:
        differs = next(i for i, (a, b) in enumerate(zip(text, normalized, strict=False)) if a != b)
        at_line = text[:differs].count("\n") + 1
        message = "is not in Unicode NFC, the normalization form of the seeds"
        hint = "normalize it to NFC (copy quotes from the seed file)"
        raise InvalidInput([_problem(path, at_line, None, message, hint)])
    try:
        node = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(error.problem or error.context or error).split())
        raise InvalidInput([Problem(path, line, column, "", f"invalid YAML: {message}")]) from None
    except ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"invalid YAML: unacceptable character #x{error.character:04x}"
        hint = "remove the control character"
        raise InvalidInput([_problem(path, line, None, message, hint)]) from None
    positions: dict[Loc, tuple[int, int | None]] = {(): (1, 1)}
    try:
        data = _plain(node, (), positions, set())
    except _Alias as alias:
        document = YamlDocument(path, None, positions)
        problem = document.problem(alias.loc, "YAML anchors and aliases are not allowed")
        raise InvalidInput([problem]) from None
    return YamlDocument(path, data, positions)


def read_yaml(path: Path, display: str) -> YamlDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        message = f"is {size} bytes, over the {MAX_BYTES} byte limit for an annotation file"
        raise InvalidInput([_problem(display, None, None, message, "split it, or check the file")])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"is not UTF-8 (byte {error.start})"
        raise InvalidInput([_problem(display, None, None, message, "save as UTF-8")]) from None
    return parse_yaml(text, display)
