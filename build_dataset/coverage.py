"""How much of each annotated article the annotations cover, and which number and date
expressions no claim normalizes (each must be annotated or deliberately skipped)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from schema.values import Span

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|millions?|dozens?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Digits (with their separators: 7,000 67.88% 13:00 30/06/23 27-28), cardinal number words,
# weekday and month names, and the deictic days. Ordinals ("the second war") are not counted.
# Found as numbers and whole words (runs of letters), each word then looked up: one pass that
# matches what `\b(?:word|word|...)\b` would, without trying every word at every position.
_TOKEN = re.compile(r"(\d+(?:[.,:/-]\d+)*%?)|\b[^\W\d]+\b")
_WORD = re.compile(
    rf"(?i:{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight)|{_WEEKDAYS}|{_MONTHS}"
)
_SENTENCE_END = re.compile('([.!?]+[\u201d"\u2019)]*)\\s+|\n+')


@dataclass(frozen=True)
class ArticleCoverage:
    article_id: str
    sentences: int
    annotated_sentences: int
    uncovered: tuple[Span, ...]

    @property
    def share(self) -> float:
        return self.annotated_sentences / self.sentences if self.sentences else 1.0


_ASCII_WORDS = {
    *(w for w in _NUMBER_WORDS.replace("s?", "|").split("|") if w),
    *(w + "s" for w in ("hundred", "thousand", "million", "dozen")),
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
}
_NAMES = {*_WEEKDAYS.split("|"), *_MONTHS.split("|")}


def _is_expression_word(word: str) -> bool:
    """The same answer as _WORD.fullmatch, by set lookups for ASCII words."""
    if word.isascii():
        return word in _NAMES or word.lower() in _ASCII_WORDS
    return _WORD.fullmatch(word) is not None


def _expressions(text: str) -> Iterator[re.Match[str]]:
    for match in _TOKEN.finditer(text):
        if match.group(1) or _is_expression_word(match.group()):
            yield match


def expressions(text: str) -> list[Span]:
    return [Span(start=m.start(), end=m.end(), text=m.group()) for m in _expressions(text)]


def _covered(length: int, spans: list[dict[str, Any]]) -> bytearray:
    """A mark for each character of the text that one of the spans covers."""
    marks = bytearray(length)
    for span in spans:
        marks[span["start"] : span["end"]] = b"\x01" * (span["end"] - span["start"])
    return marks


def _uncovered(text: str, normalized: list[dict[str, Any]]) -> tuple[Span, ...]:
    marks = _covered(len(text), normalized)
    return tuple(
        Span(start=m.start(), end=m.end(), text=m.group())
        for m in _expressions(text)
        if marks.find(1, m.start(), m.end()) == -1
    )


def sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for gap in _SENTENCE_END.finditer(text):
        end = gap.end(1) if gap.group(1) else gap.start()
        if text[start:end].strip():
            bounds.append((start, end))
        start = gap.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def article_coverage(
    article_id: str,
    text: str,
    annotated: list[dict[str, Any]],
    normalized: list[dict[str, Any]],
) -> ArticleCoverage:
    """How much of a completely annotated article its claims and mentions (annotated spans)
    cover, and which expressions neither a claim value nor a skip (normalized spans) covers."""
    bounds, marks = sentences(text), _covered(len(text), annotated)
    return ArticleCoverage(
        article_id=article_id,
        sentences=len(bounds),
        annotated_sentences=sum(marks.find(1, s, e) != -1 for s, e in bounds),
        uncovered=_uncovered(text, normalized),
    )


def format_coverage(report: list[ArticleCoverage]) -> str:
    lines = []
    for entry in report:
        lines.append(
            f"{entry.article_id}: {entry.share:.0%} of {entry.sentences} sentences annotated; "
            f"{len(entry.uncovered)} number/date expression(s) neither normalized nor skipped"
        )
        lines += [f"  {span.text!r} at {span.start}" for span in entry.uncovered]
    return "\n".join(lines)
