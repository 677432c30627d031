"""Reading annotations as JSON Lines, the form annotation tools export at scale: each line of
`<name>.jsonl` is one article annotation file, and each line of `events.jsonl` one event.
A line's problems are reported with the file and line number."""

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from build_dataset.problems import (
    MAX_DEPTH,
    TOO_DEEP,
    TOO_DEEP_HINT,
    InvalidInput,
    Problem,
    undecodable,
)
from build_dataset.read.yaml_source import YamlDocument

MAX_LINE_BYTES = 2 * 1024 * 1024


def line_text(display: str, number: int, raw: bytes) -> str:
    """The line decoded, after the checks every line must pass (size, UTF-8, NFC)."""
    if len(raw) > MAX_LINE_BYTES:
        message = f"line is {len(raw)} bytes, over the {MAX_LINE_BYTES} byte limit"
        raise InvalidInput([Problem(display, number, None, "", message)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        _, column, message = undecodable(raw, error)
        raise InvalidInput([Problem(display, number, column, "", message)]) from None
    if not unicodedata.is_normalized("NFC", text):
        message = "is not in Unicode NFC, the normalization form of the seeds"
        raise InvalidInput([Problem(display, number, None, "", message)])
    return text.rstrip("\r\n")


class JsonError(ValueError):
    """Why a JSON text cannot be read, and the offset in it where."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.offset, self.hint = message, offset, hint

    def line_column(self, text: str) -> tuple[int, int]:
        """The 1-based line and column of the offset in text."""
        return text.count("\n", 0, self.offset) + 1, self.offset - text.rfind("\n", 0, self.offset)


class _Repeated(Exception):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) < len(pairs):
        raise _Repeated
    return data


# A string (a key when a colon follows), or a bracket: outside strings, JSON has no quotes.
_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?|([\[{])|[\]}]')


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^][{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _deepest(text: str) -> int:
    """How deeply the text's lists and objects nest, counted at C speed."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _first_problem(text: str) -> JsonError | None:
    """The first list or object that opens past MAX_DEPTH, or key given twice in one object,
    found without parsing, so that a parser's recursion never meets the first."""
    stack: list[set[str] | None] = []
    for match in _TOKEN.finditer(text):
        string, colon, opening = match.groups()
        if opening is not None:
            if len(stack) == MAX_DEPTH:
                return JsonError(TOO_DEEP, match.start(), TOO_DEEP_HINT)
            stack.append(set() if opening == "{" else None)
        elif string is None:
            if stack:
                stack.pop()
        elif colon is not None and stack and (keys := stack[-1]) is not None:
            try:
                key = json.loads(string)
            except ValueError:
                key = string
            if key in keys:
                message = f'invalid JSON: duplicate key "{key}"'
                return JsonError(message, match.start(), "give each key once in an object")
            keys.add(key)
    return None


def load_json(text: str) -> Any:
    """The data of a JSON text; raises JsonError for invalid JSON, for nesting past MAX_DEPTH
    (json.loads would raise RecursionError), and for a key given twice in one object (json.loads
    would keep the last value without a word)."""
    if _deepest(text) > MAX_DEPTH and (problem := _first_problem(text)):
        raise problem
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except json.JSONDecodeError as error:
        raise JsonError(f"invalid JSON: {error.msg}", error.pos) from None
    except _Repeated:
        problem = _first_problem(text)
        assert problem is not None
        raise problem from None
    except ValueError:  # a number with more digits than Python converts
        limit = sys.get_int_max_str_digits()
        long = re.search(f"[0-9]{{{limit + 1}}}", text)
        message = f"invalid JSON: a number has more than {limit} digits"
        raise JsonError(message, long.start() if long else 0, "check the number") from None


def parse_line(display: str, number: int, text: str) -> Any:
    """A line's data; what load_json refuses is a problem of the line."""
    try:
        return load_json(text)
    except JsonError as error:
        raise InvalidInput([_problem(display, number, error)]) from None


def check_keys(display: str, number: int, text: str) -> None:
    """Refuse a key given twice in a line that a model validated: its parser keeps the last
    value. The model bounds the line's depth, so only keys are looked at, at the cost of a
    json.loads (a third of a validation) instead of load_json's (one)."""
    if repeats_a_key(text):
        problem = _first_problem(text)
        assert problem is not None
        raise InvalidInput([_problem(display, number, problem)])


def repeats_a_key(text: str) -> bool:
    """Whether an object of a valid JSON text gives a key twice. The parser hands each
    object's pairs to a list's append, and a dict of each object's pairs is shorter than its
    pairs exactly when a key repeats: everything but the parse runs in C."""
    objects: list[list[tuple[str, Any]]] = []
    json.loads(text, object_pairs_hook=objects.append)
    return sum(map(len, objects)) != sum(map(len, map(dict, objects)))


def _problem(display: str, number: int, error: JsonError) -> Problem:
    return Problem(display, number, error.offset + 1, "", error.message, error.hint)


def line_document(display: str, number: int, data: Any) -> YamlDocument:
    """A line's data as a document whose every problem points at the line."""
    return YamlDocument(display, data, {(): (number, None)})


BLOCK = 1 << 20
"""How many bytes are read at a time: a line at a time would hand the interpreter's lock over
at every line, which threads hashing the cache's entries meanwhile make slow."""


def lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Each line that is not blank (with its line break), with its number, read as it is
    needed, a block at a time."""
    number = 0
    with path.open("rb") as stream:
        for raw in split_lines(stream):
            number += 1
            if raw.strip():
                yield number, raw


def split_lines(stream: BinaryIO, block_size: int = BLOCK) -> Iterator[bytes]:
    """The lines of the stream, each with its line break, as iterating over it gives them."""
    pending: list[bytes] = []
    while block := stream.read(block_size):
        *whole, last = block.split(b"\n")
        for piece in whole:
            if pending:
                pending.append(piece)
                piece, pending = b"".join(pending), []
            yield piece + b"\n"
        if last:
            pending.append(last)
    if pending:
        yield b"".join(pending)
