"""Reading annotations as JSON Lines, the form annotation tools export at scale: each line of
`<name>.jsonl` is one article annotation file, and each line of `events.jsonl` one event.
A line's problems are reported with the file and line number."""

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from build_dataset.problems import InvalidInput, Problem, undecodable
from build_dataset.yaml_source import YamlDocument

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


def parse_line(display: str, number: int, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg}"
        raise InvalidInput([Problem(display, number, error.pos + 1, "", message)]) from None


def line_document(display: str, number: int, data: Any) -> YamlDocument:
    """A line's data as a document whose every problem points at the line."""
    return YamlDocument(display, data, {(): (number, None)})


def lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Each line that is not blank, with its number, read as it is needed."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if raw.strip():
                yield number, raw
