"""Cutting site chrome from raw article text by the rules in cleaning_rules.yaml.

The clean text is always the raw text with whole segments removed, so every clean offset maps
back to a raw offset through the removed segments."""

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

import yaml

from schema.article import RemovedSegment
from schema.vocabularies import ChromeKind

WHITESPACE_RULE = "whitespace"


@dataclass(frozen=True)
class CleaningRule:
    id: str
    kind: ChromeKind
    pattern: str
    scope: Literal["line", "to_end"]
    truncates: bool = False

    def matches(self, line: str, outlet: str | None) -> bool:
        if "{outlet}" in self.pattern and not outlet:
            return False
        return _compiled(self.pattern, outlet).fullmatch(line.strip()) is not None


@cache
def _compiled(pattern: str, outlet: str | None) -> re.Pattern[str]:
    if "{outlet}" in pattern and outlet:
        pattern = pattern.replace("{outlet}", re.escape(outlet))
    return re.compile(pattern)


@dataclass(frozen=True)
class Cleaned:
    clean_text: str
    removed: tuple[RemovedSegment, ...]
    truncated: bool


@cache
def load_rules() -> tuple[CleaningRule, ...]:
    text = files("build_dataset").joinpath("cleaning_rules.yaml").read_text(encoding="utf-8")
    return tuple(CleaningRule(**rule) for rule in yaml.safe_load(text)["rules"])


def _lines(raw: str) -> list[tuple[int, str]]:
    offsets, start = [], 0
    for line in raw.splitlines(keepends=True):
        offsets.append((start, line))
        start += len(line)
    return offsets


def clean_article(
    raw: str, outlet: str | None, rules: tuple[CleaningRule, ...] | None = None
) -> Cleaned:
    """Remove chrome lines, then blank lines left leading or doubled, then trailing white space."""
    rules = load_rules() if rules is None else rules
    cuts: list[tuple[int, int, CleaningRule | None]] = []
    truncated = False
    kept_lines: list[tuple[int, str]] = []
    for start, line in _lines(raw):
        rule = next((r for r in rules if r.matches(line, outlet)), None)
        if rule is None:
            kept_lines.append((start, line))
            continue
        truncated = truncated or rule.truncates
        end = len(raw) if rule.scope == "to_end" else start + len(line)
        cuts.append((start, end, rule))
        if rule.scope == "to_end":
            break
    previous_blank = True
    for start, line in kept_lines:
        blank = not line.strip()
        if blank and previous_blank:
            cuts.append((start, start + len(line), None))
        previous_blank = blank
    cuts.sort(key=lambda cut: cut[0])
    cuts = sorted([*cuts, *_trailing_cuts(raw, cuts)], key=lambda cut: cut[0])
    removed = tuple(_merge(raw, cuts))
    return Cleaned(_kept_text(raw, cuts), removed, truncated)


def _kept_text(raw: str, cuts: list[tuple[int, int, CleaningRule | None]]) -> str:
    pieces, cursor = [], 0
    for start, end, _ in cuts:
        pieces.append(raw[cursor:start])
        cursor = max(cursor, end)
    pieces.append(raw[cursor:])
    return "".join(pieces)


def _trailing_cuts(
    raw: str, cuts: list[tuple[int, int, CleaningRule | None]]
) -> list[tuple[int, int, None]]:
    """Cuts for the white space at the end of the kept text, which may span kept ranges."""
    kept_ranges, cursor = [], 0
    for start, end, _ in cuts:
        kept_ranges.append((cursor, start))
        cursor = max(cursor, end)
    kept_ranges.append((cursor, len(raw)))
    trailing = []
    for start, end in reversed(kept_ranges):
        content_end = start + len(raw[start:end].rstrip())
        if content_end < end:
            trailing.append((content_end, end, None))
        if content_end > start:
            break
    return trailing


def _merge(raw: str, cuts: list[tuple[int, int, CleaningRule | None]]) -> list[RemovedSegment]:
    """Adjacent cuts by the same rule become one segment."""
    merged: list[tuple[int, int, CleaningRule | None]] = []
    for start, end, rule in cuts:
        if merged and merged[-1][1] == start and merged[-1][2] is rule:
            merged[-1] = (merged[-1][0], end, rule)
        else:
            merged.append((start, end, rule))
    segments = []
    for start, end, rule in merged:
        segments.append(
            RemovedSegment(
                start=start,
                end=end,
                kind=rule.kind if isinstance(rule, CleaningRule) else "whitespace",
                rule=rule.id if isinstance(rule, CleaningRule) else WHITESPACE_RULE,
                text=raw[start:end],
            )
        )
    return segments
