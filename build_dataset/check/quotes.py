"""Turning an exact quote into offsets, with a useful hint when the quote is not there."""

import difflib
import heapq
import re
import unicodedata

# Typographic characters a contributor may type as their ASCII look-alikes.
_LOOKALIKES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


class QuoteError(ValueError):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


LONGEST_COMPARED = 2_000
"""The longest quote compared with the text word by word for the closest text (the longest
annotated quote is about 500 characters): the comparison's work grows with the square of the
quote's length, and took minutes for a quote of 20,000 characters."""
_SCORED = 1_000_000
"""How many characters of windows are scored against a quote at most (about a tenth of a
second); past it, every so many word starts is tried instead of each."""
_RATIOS = 5
"""How many of the best scoring windows are compared exactly."""
_SHOWN = 60


def _closest(text: str, quote: str) -> str | None:
    """The stretch of text, starting at a word, that looks most like the quote. Windows are
    scored by the characters they share with the quote (quick_ratio, linear), and only the best
    few are compared exactly (ratio, quadratic)."""
    starts = [0] + [match.end() for match in re.finditer(r"\s", text)]
    stride = max(1, len(starts) * len(quote) // _SCORED)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    scored = []
    for start in starts[::stride]:
        matcher.set_seq1(text[start : start + len(quote)])
        scored.append((matcher.quick_ratio(), -start))  # the first start wins a tie
    best, best_ratio = None, 0.0
    for _, before in heapq.nlargest(_RATIOS, scored):
        window = text[-before : -before + len(quote)]
        matcher.set_seq1(window)
        if (ratio := matcher.ratio()) > best_ratio:
            best, best_ratio = window, ratio
    return best if best_ratio >= 0.6 else None


def _found_prefix(text: str, quote: str) -> int:
    """The length of the longest start of the quote that is in the text (a binary search: a
    start that is in the text has all its own starts in it)."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


def _excerpt(text: str, at: int) -> str:
    """Some characters of text on either side of at."""
    return repr(text[max(0, at - _SHOWN // 2) : at + _SHOWN // 2])


def _missing_hint(text: str, quote: str) -> str:
    if unicodedata.normalize("NFC", quote) != quote and unicodedata.normalize("NFC", quote) in text:
        return "the quote is in a different Unicode normalization form; use NFC as the text does"
    folded_text, folded_quote = text.translate(_LOOKALIKES), quote.translate(_LOOKALIKES)
    position = folded_text.find(folded_quote)
    if position != -1:
        actual = text[position : position + len(quote)]
        if len(quote) <= _SHOWN:
            return f"typographic characters differ; the text has: {actual!r}"
        differs = next(i for i, (a, b) in enumerate(zip(actual, quote, strict=True)) if a != b)
        return (
            f"typographic characters differ, first at character {differs + 1} of the quote; "
            f"the text has: {_excerpt(actual, differs)}"
        )
    if len(quote) > LONGEST_COMPARED:
        found = _found_prefix(text, quote)
        if found:
            return (
                f"the text has the first {found} characters, but not what follows "
                f"them: {_excerpt(quote, found)}"
            )
    elif (closest := _closest(text, quote)) is not None:
        return f"closest text: {closest!r}"
    return "copy the words exactly from the article's clean text"


def found_once(text: str, quote: str) -> int | None:
    """Where a quote written without an occurrence starts, when it is in the text exactly once:
    resolve_quote's answer, found without a call; None when resolve_quote must say why not."""
    start = text.find(quote)
    return start if start != -1 and text.find(quote, start + 1) == -1 else None


def resolve_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets [start, end) of the quote in text; occurrence (1-based) picks among repeats.

    It searches only as far as it needs to; every occurrence is counted only to explain an
    error."""
    if occurrence is not None and occurrence < 1:
        raise QuoteError(f"occurrence {occurrence} is not 1 or more", "occurrences count from 1")
    start = text.find(quote)
    if start == -1:
        raise QuoteError("quote not found in the text", _missing_hint(text, quote))
    if occurrence is None:
        if text.find(quote, start + 1) != -1:
            found = len(_occurrences(text, quote))
            raise QuoteError(
                f"quote occurs {found} times",
                f"add 'occurrence: N' with N from 1 to {found}, or quote more words",
            )
        return start, start + len(quote)
    for _ in range(occurrence - 1):
        start = text.find(quote, start + 1)
        if start == -1:
            found = len(_occurrences(text, quote))
            raise QuoteError(
                f"occurrence {occurrence} asked for, but the quote occurs {found} time(s)",
                f"use an occurrence from 1 to {found}",
            )
    return start, start + len(quote)
