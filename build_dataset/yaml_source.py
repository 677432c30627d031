"""Reading annotation YAML while remembering where every value was written."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import yaml

from build_dataset.problems import InvalidInput, Problem, field_path, undecodable

Loc = tuple[int | str, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer (lines and columns, twenty times faster than a pure-Python parser)
    with YAML 1.2's core schema, so that `no`, `on` or `13:00` stay strings as in YAML 1.2."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", "~nN"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+0123456789.",
    ),
    ("timestamp", r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", "0123456789"),
):
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile("^$"), [""])


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from a YAML file, with the 1-based (line, column) of every key and item."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int | None]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Where loc, or the nearest enclosing value that has a position, was written."""
        if len(self.positions) == 1 and () in self.positions:  # a JSON Lines line
            return self.positions[()]
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


_SCALARS = yaml.constructor.SafeConstructor()


class _DuplicateKey(Exception):
    def __init__(self, key: str, node: yaml.Node, first: yaml.Node) -> None:
        self.key, self.node, self.first = key, node, first


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _plain(
    node: yaml.Node, loc: Loc, positions: dict[Loc, tuple[int, int | None]], seen: set[int]
) -> Any:
    """Plain data from composed nodes; a node met twice is an alias, refused so that an alias
    bomb cannot expand (annotation files have no use for anchors)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in seen:
            raise _Alias(loc)
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in keys:
                raise _DuplicateKey(key, key_node, keys[key])
            keys[key] = key_node
            positions[(*loc, key)] = _mark(key_node)
            out[key] = _plain(value_node, (*loc, key), positions, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            positions[(*loc, index)] = _mark(item)
            items.append(_plain(item, (*loc, index), positions, seen))
        return items
    return _scalar(node)


_STR_TAG = "tag:yaml.org,2002:str"


_INT_TAG = "tag:yaml.org,2002:int"


class _BadScalar(Exception):
    """A plain scalar that YAML resolves to a date that does not exist (`2023-02-30`)."""

    def __init__(self, node: yaml.Node, reason: str) -> None:
        self.node, self.reason = node, reason


def _core_int(text: str) -> int:
    """An integer as YAML 1.2's core schema reads it (the resolver above matched it): digits
    are decimal, `08` and `012` included, unlike YAML 1.1's constructor, which reads a leading
    0 as octal."""
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _scalar(node: yaml.Node) -> Any:
    if node.tag == _STR_TAG:  # most scalars: the constructor would return the text as it is
        return node.value
    if node.tag == _INT_TAG:
        return _core_int(node.value)
    try:
        value = _SCALARS.construct_object(node)
    except ValueError as error:
        raise _BadScalar(node, str(error)) from None
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value)


MAX_BYTES = 2 * 1024 * 1024


def _problem(path: str, line: int | None, column: int | None, message: str, hint: str) -> Problem:
    return Problem(path, line, column, "", message, hint)


def _quoted_start(text: str, error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where a quoted string that the error may come from starts: one the scanner was still in
    at the end, or one that ran over lines to the line of the error, whose closing quote was
    then the opening quote of the next string (and what follows it, the error: the rest of
    that string, with its own closing quote)."""
    if error.context == "while scanning a quoted scalar":
        return error.context_mark
    problem = error.problem_mark
    start = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if problem is None or token.start_mark.index >= problem.index:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == problem.line
                and any(q in text[token.end_mark.index :].partition("\n")[0] for q in "\"'")
            ):
                start = token.start_mark
    except yaml.MarkedYAMLError:
        pass  # the tokens up to the error are all there is
    return start


def _syntax_problem(text: str, path: str, error: yaml.MarkedYAMLError) -> Problem:
    """A syntax error where it is written; one that an unclosed quote causes shows only lines
    later, so it is reported where the quoted string starts."""
    message = " ".join(str(error.problem or error.context or error).split())
    mark = error.problem_mark or error.context_mark
    start = _quoted_start(text, error)
    if start is not None:
        if mark is not None and mark.line != start.line:
            message += f" at line {mark.line + 1}, after the quoted string that starts here"
        hint = "a quoted string may be unclosed"
        return _problem(path, start.line + 1, start.column + 1, f"invalid YAML: {message}", hint)
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(path, line, column, "", f"invalid YAML: {message}")


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
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise InvalidInput([_syntax_problem(text, path, error)]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"invalid YAML: unacceptable character #x{error.character:04x}"
        hint = "remove the control character"
        raise InvalidInput([_problem(path, line, None, message, hint)]) from None
    positions: dict[Loc, tuple[int, int | None]] = {(): (1, 1)}
    try:
        data = _plain(node, (), positions, set()) if node is not None else None
    except _Alias as alias:
        document = YamlDocument(path, None, positions)
        problem = document.problem(alias.loc, "YAML anchors and aliases are not allowed")
        raise InvalidInput([problem]) from None
    except _DuplicateKey as duplicate:
        line, column = _mark(duplicate.node)
        message = f'invalid YAML: duplicate key "{duplicate.key}"'
        hint = f"it is already set at line {_mark(duplicate.first)[0]}"
        raise InvalidInput([Problem(path, line, column, "", message, hint)]) from None
    except _BadScalar as bad:
        line, column = _mark(bad.node)
        message = f"invalid YAML: {bad.node.value} is not a valid date ({bad.reason})"
        hint = f'correct it, or write it in quotes ("{bad.node.value}") if it is text'
        raise InvalidInput([Problem(path, line, column, "", message, hint)]) from None
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        tag_line, tag_column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"invalid YAML: {' '.join(str(error.problem).split())}"
        hint = "remove the tag; annotation files use no YAML tags"
        raise InvalidInput([Problem(path, tag_line, tag_column, "", message, hint)]) from None
    return YamlDocument(path, data, positions)


def read_yaml(path: Path, display: str) -> YamlDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        message = f"is {size} bytes, over the {MAX_BYTES} byte limit for an annotation file"
        raise InvalidInput([_problem(display, None, None, message, "split it, or check the file")])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column, message = undecodable(data, error)
        raise InvalidInput([_problem(display, line, column, message, "save as UTF-8")]) from None
    return parse_yaml(text, display)
