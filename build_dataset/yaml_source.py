"""Reading annotation YAML while remembering where every value was written."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from build_dataset.problems import InvalidInput, Problem, field_path

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from a YAML file, with the 1-based (line, column) of every key and item."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Where loc, or the nearest enclosing value that has a position, was written."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None, None

    def problem(self, loc: Loc, message: str, hint: str | None = None) -> Problem:
        line, column = self.position(loc)
        return Problem(self.path, line, column, field_path(loc), message, hint)


def _plain(node: Any, loc: Loc, positions: dict[Loc, tuple[int, int]]) -> Any:
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            line, col = node.lc.key(key)
            positions[(*loc, str(key))] = (line + 1, col + 1)
            out[str(key)] = _plain(value, (*loc, str(key)), positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            positions[(*loc, index)] = (line + 1, col + 1)
            items.append(_plain(value, (*loc, index), positions))
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


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse YAML text; syntax errors and duplicate keys become a Problem with their line."""
    try:
        node = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(error.problem or error.context or error).split())
        raise InvalidInput([Problem(path, line, column, "", f"invalid YAML: {message}")]) from None
    positions: dict[Loc, tuple[int, int]] = {(): (1, 1)}
    return YamlDocument(path, _plain(node, (), positions), positions)


def read_yaml(path: Path, display: str) -> YamlDocument:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            [Problem(display, None, None, "", f"not UTF-8 (byte {error.start})", "save as UTF-8")]
        ) from None
    return parse_yaml(text, display)
