"""How much of each annotated article the annotations cover, and which number and date
expressions no claim normalizes (each must be annotated or deliberately skipped)."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
EXPRESSION = re.compile(
    rf"\d+(?:[.,:/-]\d+)*%?|\b(?:(?i:{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight)"
    rf"|{_WEEKDAYS}|{_MONTHS})\b"
)
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*%?")
# The words of EXPRESSION, found with str.find instead of trying each at every position. Under
# re.IGNORECASE these four characters also match ASCII letters (i, s, k); a text holding one
# is scanned with EXPRESSION itself.
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWER_WORDS = tuple(
    w.removesuffix("s?") for w in f"{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight".split("|")
)
_PLURALS = {w.removesuffix("s?") for w in _NUMBER_WORDS.split("|") if w.endswith("s?")}
_NAMES = (*_WEEKDAYS.split("|"), *_MONTHS.split("|"))
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


SHOWN = 100


@dataclass
class CoverageReport:
    """Totals over every completely annotated article, and the entries worth printing: the
    first SHOWN articles, and every article that leaves an expression uncovered (a finding
    to act on, like a problem). A corpus of any size keeps it small."""

    articles: int = 0
    sentences: int = 0
    annotated_sentences: int = 0
    entries: list[ArticleCoverage] = field(default_factory=list)

    def add(self, entry: ArticleCoverage) -> None:
        self.articles += 1
        self.sentences += entry.sentences
        self.annotated_sentences += entry.annotated_sentences
        if self.articles <= SHOWN or entry.uncovered:
            self.entries.append(entry)

    def format(self) -> str:
        lines = [format_coverage(self.entries)] if self.entries else []
        if (hidden := self.articles - len(self.entries)) > 0:
            lines.append(f"... and {hidden} more, each number and date normalized or skipped")
        if self.articles > 1:
            share = self.annotated_sentences / self.sentences if self.sentences else 1.0
            lines.append(
                f"{self.articles} articles: {share:.0%} of {self.sentences} sentences annotated"
            )
        return "\n".join(lines)


def _word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _whole_words(text: str, haystack: str, words: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Where each word stands in haystack as a whole word of text (a plural 's' allowed for
    the words in _PLURALS)."""
    for word in words:
        start = haystack.find(word)
        while start != -1:
            end = start + len(word)
            if word in _PLURALS and haystack.startswith("s", end):
                end += 1
            if not _word_char(text, start - 1) and not _word_char(text, end):
                yield start, end
            start = haystack.find(word, start + 1)


def _expression_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) of every match of EXPRESSION in text, in order."""
    if _CASE_SPECIAL.search(text):
        return [m.span() for m in EXPRESSION.finditer(text)]
    found = [m.span() for m in _NUMBER.finditer(text)]
    found += _whole_words(text, text.lower(), _LOWER_WORDS)
    found += _whole_words(text, text, _NAMES)
    return sorted(found)


def expressions(text: str) -> list[Span]:
    return [Span(start=s, end=e, text=text[s:e]) for s, e in _expression_spans(text)]


def _covered(length: int, spans: list[dict[str, Any]]) -> bytearray:
    """A mark for each character of the text that one of the spans covers."""
    marks = bytearray(length)
    for span in spans:
        marks[span["start"] : span["end"]] = b"\x01" * (span["end"] - span["start"])
    return marks


def _uncovered(text: str, normalized: list[dict[str, Any]]) -> tuple[Span, ...]:
    marks = _covered(len(text), normalized)
    return tuple(
        Span(start=s, end=e, text=text[s:e])
        for s, e in _expression_spans(text)
        if marks.find(1, s, e) == -1
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


def format_coverage(report: Iterable[ArticleCoverage]) -> str:
    lines = []
    for entry in report:
        lines.append(
            f"{entry.article_id}: {entry.share:.0%} of {entry.sentences} sentences annotated; "
            f"{len(entry.uncovered)} number/date expression(s) neither normalized nor skipped"
        )
        lines += [f"  {span.text!r} at {span.start}" for span in entry.uncovered]
    return "\n".join(lines)
