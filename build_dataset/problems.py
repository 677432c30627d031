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
    return (p.file, p.line or 0, p.column or 0, p.field, p.message)


@lru_cache(maxsize=4096)  # the same few paths, claims[3].id and so on, recur in every file
def field_path(loc: tuple[int | str, ...]) -> str:
    """('claims', 3, 'quote') -> 'claims[3].quote'"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out
