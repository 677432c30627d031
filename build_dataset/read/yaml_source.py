"""Reading annotation YAML while remembering where every value was written."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import yaml

from build_dataset.problems import (
    MAX_DEPTH,
    TOO_DEEP,
    TOO_DEEP_HINT,
    InvalidInput,
    Problem,
    field_path,
    undecodable,
)
from build_dataset.read.number_words import digit_readings, unambiguous

Loc = tuple[int | str, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (lines and columns, twenty times faster than a pure-Python parser)
    with YAML 1.2's core schema, so that `no`, `on` or `13:00` stay strings as in YAML 1.2."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


_RESOLVED = (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", "~nN"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+0123456789.",
    ),
    ("timestamp", r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", "0123456789"),
)
for _tag, _pattern, _first in _RESOLVED:
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

    @property
    def everywhere(self) -> tuple[int, int | None] | None:
        """The position of every value when one position stands for them all, as a JSON Lines
        line's does (see jsonl_source.line_document); None when values have their own."""
        positions = self.positions
        return positions[()] if len(positions) == 1 and () in positions else None

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Where loc, or the nearest enclosing value that has a position, was written."""
        if (everywhere := self.everywhere) is not None:
            return everywhere
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None, None

    def problem(self, loc: Loc, message: str, hint: str | None = None) -> Problem:
        line, column = self.position(loc)
        return Problem(self.path, line, column, field_path(loc), message, hint)


_CORE = "tag:yaml.org,2002:"
_STR_TAG = f"{_CORE}str"
_INT_TAG = f"{_CORE}int"
_TAGS: dict[type[yaml.NodeEvent], frozenset[str]] = {
    yaml.ScalarEvent: frozenset(
        f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null")
    ),
    yaml.SequenceStartEvent: frozenset([f"{_CORE}seq"]),
    yaml.MappingStartEvent: frozenset([f"{_CORE}map"]),
}
"""The tags of YAML 1.2's core schema, the only ones that may be written, each on its kind of
node: `!!binary`, `!!set`, `!!python/tuple` or a tag of one's own have no meaning in a field."""
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_FORMS = {tag: re.compile(f"(?:{pattern})") for tag, pattern, _ in _RESOLVED if tag != "timestamp"}
_SCALARS = yaml.constructor.SafeConstructor()


_Mark = Any
"""Where an event is: a yaml.Mark, or the C parser's own kind of it."""


class _Refused(Exception):
    """What the parser's events show that annotation files may not hold, where it is written."""

    def __init__(self, mark: _Mark, message: str, hint: str | None = None, loc: Loc = ()):
        self.mark, self.message, self.hint, self.loc = mark, message, hint, loc


def _mark(mark: _Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _short(tag: str) -> str:
    return tag.replace(_CORE, "!!", 1) if tag.startswith(_CORE) else tag


def _check_tag(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
    tag = event.tag
    if tag is not None and tag != "!" and tag not in _TAGS[type(event)]:
        hint = "remove the tag; annotation files use no YAML tags"
        raise _Refused(
            event.start_mark, f"invalid YAML: the tag {_short(tag)} is not allowed", hint
        )


def _core_int(text: str, mark: _Mark) -> int:
    """An integer as YAML 1.2's core schema reads it (the resolver above matched it): digits
    are decimal, `08` and `012` included, unlike YAML 1.1's constructor, which reads a leading
    0 as octal. One with more digits than Python converts is refused, not a ValueError."""
    try:
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)
    except ValueError:
        message = f"invalid YAML: a number of {len(text)} characters is too large to read"
        raise _Refused(mark, message, "no annotated number has that many digits") from None


def _scalar(loader: "_Loader", event: yaml.ScalarEvent) -> Any:
    """The scalar's value: a core tag written on it is honoured only for a value in that tag's
    core form (`!!str 12` is text, `!!int twelve` an error)."""
    tag, value, mark = event.tag, event.value, event.start_mark
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
    elif tag != _STR_TAG and not _FORMS[tag.removeprefix(_CORE)].fullmatch(value):
        message = f"invalid YAML: {value!r} is not a YAML 1.2 {tag.removeprefix(_CORE)}"
        raise _Refused(mark, message, f"correct it, or remove the tag {_short(tag)}")
    if tag == _STR_TAG:  # most scalars: the constructor would return the text as it is
        return value
    if tag == _INT_TAG:
        return _core_int(value, mark)
    node = yaml.ScalarNode(tag, value)
    try:  # the tag's constructor itself: construct_object would keep every node it is given
        constructed = _SCALARS.yaml_constructors[tag](_SCALARS, node)
    except ValueError as error:  # a date that does not exist (`2023-02-30`)
        hint = f'correct it, or write it in quotes ("{value}") if it is text'
        raise _Refused(mark, f"invalid YAML: {value} is not a valid date ({error})", hint) from None
    if isinstance(constructed, date):
        return constructed.isoformat()[:10]
    return constructed


def _check_separator(text: str, mark: _Mark, loc: Loc) -> None:
    """Refuse a number whose dot may be a thousands separator ("2.000"): YAML reads 2.0, and
    nothing downstream could tell that 2000 was meant."""
    digits = text.lstrip("+-")
    sign = text[: len(text) - len(digits)]
    if len(readings := digit_readings(digits)) > 1:
        thousands, fraction = f"{sign}{readings[1]:g}", f"{sign}{unambiguous(digits)}"
        message = (
            f"{text} is ambiguous: YAML reads it as {sign}{readings[0]!r}, but written with a "
            f"thousands separator it means {thousands}"
        )
        hint = f"write {thousands} for the thousands, or {fraction} for the fraction"
        raise _Refused(mark, message, hint, loc)


@dataclass
class _Open:
    """A list or mapping being read: its place in the document and, for a mapping, the key
    whose value comes next and the line of every key so far."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    key: str | None = None
    keys: dict[str, int] = field(default_factory=dict)


def _attach(top: _Open, value: Any, mark: _Mark, positions: dict[Loc, Any]) -> Loc:
    """Put a value into the list or mapping it belongs to; its loc."""
    if isinstance(top.value, list):
        loc: Loc = (*top.loc, len(top.value))
        positions[loc] = _mark(mark)
        top.value.append(value)
        return loc
    assert top.key is not None
    top.value[top.key] = value
    loc, top.key = (*top.loc, top.key), None
    return loc


def _plain(loader: "_Loader", positions: dict[Loc, tuple[int, int | None]]) -> Any:
    """Plain data from the parser's events, with the position of every key and item. Built
    with a stack, not by recursion, so that any depth is reported, not a crash; an alias is
    refused so that an alias bomb cannot expand (annotation files have no use for anchors)."""
    stack: list[_Open] = []
    data: Any = None
    first: _Mark | None = None
    while (event := loader.get_event()) is not None:
        kind = type(event)
        if kind in _ENDS:
            stack.pop()
            continue
        if kind not in _TAGS:
            if kind is yaml.AliasEvent:
                top = stack[-1] if stack else None
                at = () if top is None else (*top.loc, top.key or len(top.value))
                message = "YAML anchors and aliases are not allowed"
                raise _Refused(event.start_mark, message, loc=at)
            if kind is yaml.DocumentStartEvent:
                if first is not None:
                    raise yaml.composer.ComposerError(
                        "expected a single document in the stream",
                        first,
                        "but found another document",
                        event.start_mark,
                    )
                first = event.start_mark
            continue
        if event.tag is not None:
            _check_tag(event)
        top = stack[-1] if stack else None
        is_key = top is not None and top.key is None and type(top.value) is dict
        if kind is yaml.ScalarEvent:
            value = _scalar(loader, event)
            if top is None:
                data = value
            elif is_key:
                key = str(value)
                if key in top.keys:
                    message = f'invalid YAML: duplicate key "{key}"'
                    hint = f"it is already set at line {top.keys[key]}"
                    raise _Refused(event.start_mark, message, hint)
                top.keys[key] = event.start_mark.line + 1
                positions[(*top.loc, key)] = _mark(event.start_mark)
                top.key = key
            else:
                at = _attach(top, value, event.start_mark, positions)
                if type(value) is float:
                    _check_separator(event.value, event.start_mark, at)
            continue
        if is_key:
            message = "invalid YAML: a key is a list or mapping"
            raise _Refused(event.start_mark, message, "write the key as text")
        if len(stack) == MAX_DEPTH:
            raise _Refused(event.start_mark, TOO_DEEP, TOO_DEEP_HINT)
        value = {} if kind is yaml.MappingStartEvent else []
        loc: Loc = ()
        if top is None:
            data = value
        else:
            loc = _attach(top, value, event.start_mark, positions)
        stack.append(_Open(value, loc))
    return data


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
    """Parse YAML text; syntax errors, duplicate keys, aliases, tags outside YAML 1.2's core
    schema, nesting past MAX_DEPTH, a byte-order mark and CRLF line ends become a Problem with
    their line."""
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
    positions: dict[Loc, tuple[int, int | None]] = {(): (1, 1)}
    loader = _Loader(text)
    try:
        data = _plain(loader, positions)
    except yaml.MarkedYAMLError as error:
        raise InvalidInput([_syntax_problem(text, path, error)]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"invalid YAML: unacceptable character #x{error.character:04x}"
        hint = "remove the control character"
        raise InvalidInput([_problem(path, line, None, message, hint)]) from None
    except _Refused as refused:
        line, column = _mark(refused.mark)
        problem = Problem(
            path, line, column, field_path(refused.loc), refused.message, refused.hint
        )
        raise InvalidInput([problem]) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, positions)


def read_yaml(path: Path, display: str) -> YamlDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        message = f"is {size} bytes, over the {MAX_BYTES} byte limit for an annotation file"
        raise InvalidInput([_problem(display, None, None, message, "split it, or check the file")])
    return yaml_document(path.read_bytes(), display)


def yaml_document(data: bytes, display: str) -> YamlDocument:
    """A YAML file's bytes as a document, once read (see read_yaml)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column, message = undecodable(data, error)
        raise InvalidInput([_problem(display, line, column, message, "save as UTF-8")]) from None
    return parse_yaml(text, display)
