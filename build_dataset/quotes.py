"""Turning an exact quote into offsets, with a useful hint when the quote is not there."""

import difflib
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


def _closest(text: str, quote: str) -> str | None:
    """The stretch of text, starting at a word, that looks most like the quote."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch.isspace()]
    best, best_ratio = None, 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for start in starts:
        window = text[start : start + len(quote)]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best if best_ratio >= 0.6 else None


def _missing_hint(text: str, quote: str) -> str:
    if unicodedata.normalize("NFC", quote) != quote and unicodedata.normalize("NFC", quote) in text:
        return "the quote is in a different Unicode normalization form; use NFC as the text does"
    folded_text, folded_quote = text.translate(_LOOKALIKES), quote.translate(_LOOKALIKES)
    position = folded_text.find(folded_quote)
    if position != -1:
        actual = text[position : position + len(quote)]
        return f"typographic characters differ; the text has: {actual!r}"
    closest = _closest(text, quote)
    if closest is not None:
        return f"closest text: {closest!r}"
    return "copy the words exactly from the article's clean text"


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
