"""How much of each annotated article the annotations cover, and which number and date
expressions no claim normalizes (each must be annotated or deliberately skipped)."""

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from karabakh_schema.values import Span

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|millions?|dozens?"
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = "|".join(WEEKDAYS)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = "|".join(MONTHS)
# Digits (with their separators: 7,000 67.88% 13:00 30/06/23 27-28), cardinal number words,
# weekday and month names, and the deictic days. Ordinals ("the second war") are not counted.
EXPRESSION = re.compile(
    rf"\d+(?:[.,:/-]\d+)*%?|\b(?:(?i:{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight)"
    rf"|{_WEEKDAYS}|{_MONTHS})\b"
)
# The scanning patterns start with a character class or a literal (\d\d* rather than \d+),
# which lets re skip ahead to the next candidate instead of trying them at every position.
_NUMBER = re.compile(r"\d\d*(?:[.,:/-]\d+)*%?")
# The words of EXPRESSION: the number words (and the plurals it allows) and deictic days in
# any case, the names as written. Under re.IGNORECASE these four characters also match ASCII
# letters (i, s, k); a text holding one is scanned with EXPRESSION itself.
_CASE_SPECIAL = "\u0130\u0131\u017f\u212a"
_CASELESS = f"{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight".split("|")
_LOWER_WORDS = frozenset(
    [w.removesuffix("s?") for w in _CASELESS] + [w[:-1] for w in _CASELESS if w.endswith("s?")]
)
_NAMES = frozenset([*_WEEKDAYS.split("|"), *_MONTHS.split("|")])
# End marks and any closing quotes or brackets followed by whitespace (group 1), or a run of
# line breaks; the lookbehind tells which after the first character.
_SENTENCE_END = re.compile(r'[.!?\n](?:(?<=\n)\n*|[.!?]*[\u201d"\u2019)]*(\s+))')


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


def _trie(words: list[str]) -> str:
    """A pattern for the longest of the words at a position, branching letter by letter: re
    tries every alternative of a flat list, but only one branch of a trie."""
    tails: dict[str, list[str]] = {}
    for word in filter(None, words):
        tails.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(first) + _trie(rest) for first, rest in tails.items()]
    alternatives = "|".join(branches)
    if "" in words:
        return f"(?:{alternatives})?" if branches else ""
    return alternatives if len(branches) == 1 else f"(?:{alternatives})"


# Each ASCII letter in lower case, every other byte a space.
_LOWER_LETTERS = bytes(
    ord(chr(b).lower()) if chr(b) in string.ascii_letters else ord(" ") for b in range(256)
)
_WORD = re.compile(
    b" " + _trie(sorted(_LOWER_WORDS | {n.lower() for n in _NAMES})).encode() + b"(?= )"
)


def _is_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], found in a haystack, is a word of EXPRESSION there: names keep
    their case, and digits, '_' and other letters are word characters."""
    word = text[start:end]
    return (
        (word in _NAMES or word.lower() in _LOWER_WORDS)
        and not _word_char(text, start - 1)
        and not _word_char(text, end)
    )


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Where the words of EXPRESSION stand in text, as whole words. Candidates are found in a
    copy of text reduced to lower-case ASCII letters and spaces, one byte per character after
    a leading space, where re jumps from space to space; each is then checked in text (see
    _is_word). Only ASCII letters lower to ASCII letters in a text without _CASE_SPECIAL."""
    haystack = b" " + text.encode("ascii", "replace").translate(_LOWER_LETTERS) + b" "
    # The space before a word in haystack stands where the word starts in text.
    spans = [(match.start(), match.end() - 1) for match in _WORD.finditer(haystack)]
    return [(start, end) for start, end in spans if _is_word(text, start, end)]


def _expression_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) of every match of EXPRESSION in text, in order."""
    if any(char in text for char in _CASE_SPECIAL):
        return [m.span() for m in EXPRESSION.finditer(text)]
    return sorted([m.span() for m in _NUMBER.finditer(text)] + _word_spans(text))


def expressions(text: str) -> list[Span]:
    return [Span(start=s, end=e, text=text[s:e]) for s, e in _expression_spans(text)]


def _covered(length: int, spans: list[dict[str, Any]]) -> bytearray:
    """A mark for each character of the text that one of the spans covers."""
    marks = bytearray(length)
    for span in spans:
        start, end = span["start"], span["end"]
        marks[start:end] = b"\x01" * (end - start)
    return marks


def _uncovered(text: str, normalized: list[dict[str, Any]]) -> tuple[Span, ...]:
    if not _may_leave_uncovered(text, normalized):
        return ()
    marks = _covered(len(text), normalized)
    return tuple(
        Span(start=s, end=e, text=text[s:e])
        for s, e in _expression_spans(text)
        if marks.find(1, s, e) == -1
    )


# Each ASCII letter in lower case, each ASCII digit 0, every other byte a space.
_LETTERS_AND_DIGITS = bytes(
    ord("0") if chr(b) in string.digits else letter for b, letter in enumerate(_LOWER_LETTERS)
)
# What a covered stretch of such a haystack becomes: letters and digits q (in no word of
# EXPRESSION), spaces kept, so that a word next to the stretch still starts or ends there.
_MASKED = bytes(ord("q") if chr(b) in string.ascii_lowercase + "0" else b for b in range(256))
_ASCII = bytes(range(128))
_DIGIT_OR_CASE_SPECIAL = re.compile(rf"[\d{_CASE_SPECIAL}]")


def _may_leave_uncovered(text: str, normalized: list[dict[str, Any]]) -> bool:
    """Whether an expression may lie outside the normalized spans, told without finding the
    expressions (most articles normalize or skip them all). In a text without a non-ASCII
    digit or _CASE_SPECIAL, each expression holds an ASCII digit or is a word of EXPRESSION
    in ASCII letters; in a haystack of the text (see _word_spans) whose covered stretches are
    masked, an uncovered one leaves a digit, or a candidate word that _is_word confirms."""
    beyond_ascii = text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
    if _DIGIT_OR_CASE_SPECIAL.search(beyond_ascii.decode("utf-8", "surrogatepass")):
        return True
    haystack = bytearray(
        b" " + text.encode("ascii", "replace").translate(_LETTERS_AND_DIGITS) + b" "
    )
    for span in normalized:
        start, end = span["start"] + 1, span["end"] + 1
        haystack[start:end] = haystack[start:end].translate(_MASKED)
    if b"0" in haystack:
        return True
    # Most haystacks hold no candidate: one search tells, without an iterator.
    candidate = _WORD.search(haystack)
    while candidate is not None:
        if _is_word(text, candidate.start(), candidate.end() - 1):
            return True
        candidate = _WORD.search(haystack, candidate.end())
    return False


def sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for gap in _SENTENCE_END.finditer(text):
        if gap.lastindex:  # before the whitespace after an end mark, which it holds
            bounds.append((start, gap.start(1)))
        elif text[start : (end := gap.start())].strip():  # at a line break
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
    bounds = sentences(text)
    return ArticleCoverage(
        article_id=article_id,
        sentences=len(bounds),
        annotated_sentences=_holding_a_span(bounds, annotated),
        uncovered=_uncovered(text, normalized),
    )


def _holding_a_span(bounds: list[tuple[int, int]], spans: list[dict[str, Any]]) -> int:
    """How many of the sentences (in order, each [start, end) of the text) hold a character
    of one of the spans (within the text): a sentence does when the furthest end of the spans
    that start before it ends lies past its start."""
    ordered = sorted([(span["start"], span["end"]) for span in spans])
    held, taken, reach = 0, 0, -1
    for start, end in bounds:
        while taken < len(ordered) and ordered[taken][0] < end:
            span_start, span_end = ordered[taken]
            if span_end > reach and span_end > span_start:  # an empty span holds nothing
                reach = span_end
            taken += 1
        if reach > start:
            held += 1
    return held


def format_coverage(report: Iterable[ArticleCoverage]) -> str:
    lines = []
    for entry in report:
        lines.append(
            f"{entry.article_id}: {entry.share:.0%} of {entry.sentences} sentences annotated; "
            f"{len(entry.uncovered)} number/date expression(s) neither normalized nor skipped"
        )
        lines += [f"  {span.text!r} at {span.start}" for span in entry.uncovered]
    return "\n".join(lines)
