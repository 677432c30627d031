"""Problems found in the input, each pointing at the file, line and field to fix."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.field or '<file>'}: {self.message}{hint}"


class InvalidInput(Exception):
    """Raised with every problem found, so that one run reports them all. blocking names the
    files whose problems stopped the run before the articles were checked, so that a report
    can say what was not checked rather than call it valid."""

    def __init__(self, problems: list[Problem], blocking: Iterable[str] = ()) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        self.blocking = frozenset(blocking)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(p: Problem) -> tuple[Any, ...]:
    """Every field, so that the order never depends on the order they were found in (a set's,
    which changes with the process's string hashes)."""
    return (p.file, p.line or 0, p.column or 0, p.field, p.message, p.hint or "")


def undecodable(data: bytes, error: UnicodeDecodeError) -> tuple[int, int, str]:
    """The 1-based line and column (in characters) of the byte that is not UTF-8, and a
    message naming it, so that an editor can go to it."""
    offset = error.start
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    message = f"is not UTF-8: byte 0x{data[offset]:02x} cannot be decoded"
    return data.count(b"\n", 0, offset) + 1, column, message


MAX_DEPTH = 100
"""How deeply lists and mappings may nest in any file read, YAML or JSON: annotation files nest
about six levels, and a reader that recursed into a hundred thousand would crash."""


TOO_DEEP = f"lists and mappings nest more than {MAX_DEPTH} levels deep here"
TOO_DEEP_HINT = "annotation files nest a few levels; look for unclosed or stray brackets"


@lru_cache(maxsize=4096)  # the same few paths, claims[3].id and so on, recur in every file
def field_path(loc: tuple[int | str, ...]) -> str:
    """('claims', 3, 'quote') -> 'claims[3].quote'"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out
