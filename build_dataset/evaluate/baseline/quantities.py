"""Figures: each number of a quote, with the hedge before it and the noun after it, read by the
project's reading of figure words (number_words.stated: text2num for words, digits by rule).

The counted thing is the word after the number (further number words such as "hundred" taken
into the number; "of", "or", "to" and "and" passed over). The unit is percent for a
percentage, people for a word for people, else that word; the measure is percentage or other.
Numbers run into letters ("21st"), times and numeric dates ("13:00", "30/06/23") are no
figures."""

import re
from dataclasses import dataclass

from build_dataset.read.number_words import Figure, stated
from karabakh_schema.vocabularies import Measure

_HEDGE = re.compile(
    r"(?<!\w)(?i:at least|more than|fewer than|less than|no more than|up to|over|about|around|"
    r"nearly|almost|approximately|roughly|some)\s+$"
)
_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_]+)")
_JOINING = frozenset(["of", "or", "to", "and"])
"""Words passed over to the counted word: "dozens of people", "two or three people"."""
PEOPLE = frozenset(
    [
        "people",
        "persons",
        "civilians",
        "soldiers",
        "servicemen",
        "residents",
        "troops",
        "refugees",
        "children",
        "women",
        "men",
        "fighters",
        "militants",
        "victims",
        "casualties",
    ]
)
PERCENT = "percent"


@dataclass(frozen=True)
class FoundQuantity:
    start: int
    end: int
    text: str
    figure: Figure
    unit: str
    measure: Measure
    counted: str


def _noun(quote: str, end: int) -> tuple[int, str | None]:
    """Where the number's words end, past further number words ("hundred") and joining
    words, and the word it counts."""
    while (word := _NEXT_WORD.match(quote, end)) is not None:
        end = word.end()
        if word[1].lower() not in _JOINING and isinstance(stated(word[1]), str):
            return end, word[1]
    return end, None


def find_quantity(quote: str, start: int, end: int) -> FoundQuantity | None:
    """The figure of the number written at quote[start:end], or None when it is none."""
    number = quote[start:end]
    if re.search(r"[:/]", number) or (end < len(quote) and quote[end].isalpha()):
        return None
    if (hedge := _HEDGE.search(quote, 0, start)) is not None:
        start = hedge.start()
    noun: str | None = PERCENT
    percent = number.endswith("%") or quote.startswith(f" {PERCENT}", end)
    if not percent:
        end, noun = _noun(quote, end)
    elif not number.endswith("%"):
        end += len(PERCENT) + 1
    text = quote[start:end]
    figures = stated(text)
    if isinstance(figures, str):
        return None
    measure: Measure = "percentage" if percent else "other"
    unit = PERCENT if percent else (noun or "units").lower()
    if noun and noun.lower() in PEOPLE:
        unit = "people"
    return FoundQuantity(start, end, text, figures[0], unit, measure, noun or "not stated")
