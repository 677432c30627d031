"""Reading annotations as JSON Lines, the form annotation tools export at scale: each line of
`<name>.jsonl` is one article annotation file, and each line of `events.jsonl` one event.
A line's problems are reported with the file and line number."""

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from build_dataset.problems import InvalidInput, Problem
from build_dataset.yaml_source import Loc, YamlDocument

MAX_LINE_BYTES = 2 * 1024 * 1024


def _lines(path: Path, display: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for each non-blank line; the first bad line is raised."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                message = f"line is {len(raw)} bytes, over the {MAX_LINE_BYTES} byte limit"
                raise InvalidInput([Problem(display, number, None, "", message)])
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = f"is not UTF-8 (byte {error.start} of the line)"
                raise InvalidInput([Problem(display, number, None, "", message)]) from None
            if not unicodedata.is_normalized("NFC", text):
                message = "is not in Unicode NFC, the normalization form of the seeds"
                raise InvalidInput([Problem(display, number, None, "", message)])
            try:
                yield number, json.loads(text.rstrip("\n"))
            except json.JSONDecodeError as error:
                message = f"invalid JSON: {error.msg}"
                raise InvalidInput([Problem(display, number, error.pos + 1, "", message)]) from None


def read_article_lines(path: Path, display: str) -> list[YamlDocument]:
    """One document per line, each an article annotation file."""
    return [
        YamlDocument(display, data, {(): (number, None)}) for number, data in _lines(path, display)
    ]


def read_event_lines(path: Path, display: str) -> YamlDocument:
    """All events of the file as one events document, each event at its own line."""
    events, positions = [], {}
    for index, (number, data) in enumerate(_lines(path, display)):
        events.append(data)
        loc: Loc = ("events", index)
        positions[loc] = (number, None)
    return YamlDocument(display, {"events": events}, {(): (1, None), **positions})
