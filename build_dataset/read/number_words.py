"""The figure a quantity's words state, so that its annotated value can be checked against
them: "two wars" states 2, "at least 32" a lower bound of 32, "thousands" at least 2000.
English number words are read by text2num; digits by digit_readings, whose rule is ours."""

import re
from functools import lru_cache
from itertools import product
from typing import NamedTuple

from text_to_num import find_numbers

from karabakh_schema.vocabularies import Qualifier


class Figure(NamedTuple):
    """A quantity's numbers as annotated, or as its words state them."""

    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier


FIELDS = Figure._fields

_COMMA_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DOT_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}")
_ONE_GROUP = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def digit_readings(digits: str) -> tuple[float, ...]:
    """What digits with separators may mean in English text, none when no reading fits.

    "7,000" is 7000 and "1,234.5" 1234.5 (commas group thousands); "1.234.567" is 1234567 (only
    thousands repeat); "2.000" is 2 or 2000, since a single dot before three digits is a decimal
    point in English and a thousands separator in most of Europe, and only the writer knows."""
    if _ONE_GROUP.fullmatch(digits):
        return float(digits), float(digits.replace(".", ""))
    if _COMMA_GROUPS.fullmatch(digits):
        return (float(digits.replace(",", "")),)
    if _DOT_GROUPS.fullmatch(digits):
        return (float(digits.replace(".", "")),)
    if _DECIMAL.fullmatch(digits):
        return (float(digits),)
    return ()


def unambiguous(digits: str) -> str:
    """The decimal reading of digits that digit_readings reads two ways, written so that it
    reads one way only: "2.000" as 2.0, "1.125" as 1.1250."""
    whole, _, fraction = digits.partition(".")
    kept = fraction.rstrip("0")
    return f"{whole}.{kept or '0'}" if len(kept) < 3 else f"{digits}0"


_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]")
# Hedges, as the words just before the number; the longest that fits is read ("no more than").
_HEDGE_WORDS: dict[str, Qualifier] = {
    "no fewer than": "at_least",
    "no less than": "at_least",
    "no more than": "at_most",
    "a minimum of": "at_least",
    "a maximum of": "at_most",
    "in excess of": "more_than",
    "approximately": "about",
    "an estimated": "about",
    "upwards of": "more_than",
    "fewer than": "less_than",
    "more than": "more_than",
    "less than": "less_than",
    "at least": "at_least",
    "at most": "at_most",
    "close to": "about",
    "roughly": "about",
    "nearly": "about",
    "almost": "about",
    "around": "about",
    "up to": "at_most",
    "about": "about",
    "under": "less_than",
    "some": "about",
    "over": "more_than",
}
_HEDGES = sorted(_HEDGE_WORDS.items(), key=lambda item: -len(item[0]))
_RANGE_WORDS = frozenset(["-", "\u2013", "\u2014", "to", "or", "and"])
# Words that say a count is vague without fixing a bound: the guidelines skip such quantities.
_NO_FIXED_NUMBER = frozenset(["few", "several", "many", "numerous", "couple", "handful", "number"])
_DOZEN = 12.0
"""The one number word text2num does not know."""


class _Word:
    """A token as text2num's find_numbers takes it."""

    def __init__(self, word: str) -> None:
        self.word = word

    def text(self) -> str:
        return self.word

    def nt_separated(self, previous: "_Word") -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


class _Number(NamedTuple):
    """Tokens [start, end) that state a number, its readings, and whether it is a plural of a
    scale ("thousands", "tens of thousands"), which fixes only a lower bound."""

    start: int
    end: int
    readings: tuple[float, ...]
    vague: bool = False


def _word_numbers(tokens: list[str], lower: list[str]) -> list[_Number]:
    """Number words, as text2num finds them (ordinals aside), and the dozens and halves it
    does not know: "a dozen" 12, "two dozen" 24, "half" 0.5, "half a million" 500000."""
    found: list[_Number] = []
    for occurrence in find_numbers([_Word(t) for t in tokens], "en", threshold=0):
        start, end = occurrence.start, occurrence.end
        if not occurrence.is_ordinal:  # a lone plural ("thousands") is a scale, no count
            plural = end - start == 1 and lower[start].endswith("s")
            found.append(_Number(start, end, (float(occurrence.value),), plural))
    for i, word in enumerate(lower):
        if word == "dozen":
            before = [n for n in found if n.end == i]
            factor = before[0].readings[0] if before else 1.0
            found = [n for n in found if n.end != i]
            found.append(_Number(before[0].start if before else i, i + 1, (factor * _DOZEN,)))
        elif word == "dozens":
            found.append(_Number(i, i + 1, (_DOZEN,), vague=True))
        elif word == "half":
            found = _half(found, lower, i)
    return sorted(found)


def _half(found: list[_Number], lower: list[str], i: int) -> list[_Number]:
    """found with the half at token i: of the number after it ("half a million"), added to the
    number before it ("two and a half"), or on its own."""
    after = [
        n for n in found if n.start in (i + 1, i + 2) and lower[i + 1 : n.start] in ([], ["a"])
    ]
    before = [n for n in found if n.end == i - 2 and lower[i - 2 : i] == ["and", "a"]]
    if after:
        rest = [n for n in found if n is not after[0]]
        return [*rest, _Number(i, after[0].end, (after[0].readings[0] / 2,))]
    if before:
        rest = [n for n in found if n is not before[0]]
        return [*rest, _Number(before[0].start, i + 1, (before[0].readings[0] + 0.5,))]
    return [*found, _Number(i, i + 1, (0.5,))]


def _of_chains(numbers: list[_Number], lower: list[str]) -> list[_Number]:
    """Plural scales joined by "of" as one: "tens of thousands" is tens of a thousand."""
    chained: list[_Number] = []
    for number in numbers:
        last = chained[-1] if chained else None
        if last and last.vague and number.vague and lower[last.end : number.start] == ["of"]:
            chained[-1] = _Number(
                last.start, number.end, (last.readings[0] * number.readings[0],), True
            )
        else:
            chained.append(number)
    return chained


def _scaled(numbers: list[_Number], lower: list[str]) -> list[_Number]:
    """Digits and the scale word after them as one: "1.5 million", "7 thousand"."""
    merged: list[_Number] = []
    for number in numbers:
        last = merged[-1] if merged else None
        if (
            last is not None
            and "0" <= lower[last.start][0] <= "9"
            and (number.start, number.end) == (last.end, last.end + 1)
            and number.readings[0] >= 100
            and not number.vague
        ):
            scale = number.readings[0]
            merged[-1] = _Number(last.start, number.end, tuple(x * scale for x in last.readings))
        else:
            merged.append(number)
    return merged


def _numbers(tokens: list[str], lower: list[str]) -> list[_Number] | str:
    """The numbers the tokens state, in order, or why digits among them cannot be read."""
    numbers = _word_numbers(tokens, lower)
    for i, token in enumerate(tokens):
        if "0" <= token[0] <= "9":
            readings = digit_readings(token)
            if not readings:
                return f'"{token}" has separators that group no number the check reads'
            numbers.append(_Number(i, i + 1, readings))
    numbers = _of_chains(_scaled(sorted(numbers), lower), lower)
    if not numbers and lower[0] in ("a", "an") and lower[1:2] and lower[1] not in _NO_FIXED_NUMBER:
        numbers = [_Number(0, 1, (1.0,))]  # "a serviceman"
    return numbers


def _hedge(lower: list[str], start: int) -> Qualifier:
    """The qualifier the words just before the number give; exact without any."""
    before = f" {' '.join(lower[:start])}"
    return next((q for words, q in _HEDGES if before.endswith(f" {words}")), "exact")


def _bounded(number: float, qualifier: Qualifier) -> Figure:
    if qualifier in ("at_least", "more_than"):
        return Figure(number, number, None, qualifier)
    if qualifier in ("at_most", "less_than"):
        return Figure(number, None, number, qualifier)
    return Figure(number, None, None, qualifier)


@lru_cache(maxsize=65_536)  # a corpus states the same few figures over and over
def stated(text: str) -> tuple[Figure, ...] | str:
    """The figures the words may state (one, or one per reading of ambiguous digits), or why
    they state no single figure."""
    tokens = _TOKEN.findall(text)
    lower = [t.lower() for t in tokens]
    numbers = _numbers(tokens, lower) if tokens else []
    if isinstance(numbers, str):
        return numbers
    if not numbers:
        if _NO_FIXED_NUMBER.intersection(lower):
            return "it states no fixed number"
        return "it states no number"
    first = numbers[0]
    if len(numbers) == 1 and first.vague:
        return (Figure(None, 2 * first.readings[0], None, "at_least"),)
    if len(numbers) == 1:
        return tuple(_bounded(n, _hedge(lower, first.start)) for n in first.readings)
    second = numbers[1]
    between = lower[first.end : second.start]
    joined = len(between) == 1 and between[0] in _RANGE_WORDS
    if between == ["and"]:
        joined = first.start > 0 and lower[first.start - 1] == "between"
    if len(numbers) == 2 and joined and not (first.vague or second.vague):
        pairs = product(first.readings, second.readings)
        return tuple(Figure(None, low, high, "range") for low, high in pairs)
    return "it states more than one number, and not as a range"


def _number(x: float | None) -> str:
    if x is None:
        return "null"
    return str(int(x)) if float(x).is_integer() else repr(x)


def _said(figure: Figure) -> str:
    """The figure as words: "2", "at least 32", "2 to 3"."""
    if figure.qualifier == "range":
        return f"{_number(figure.low)} to {_number(figure.high)}"
    number = _number(figure.value if figure.value is not None else figure.low)
    return (
        number if figure.qualifier == "exact" else f"{figure.qualifier.replace('_', ' ')} {number}"
    )


def _differs(a: Figure, b: Figure) -> list[str]:
    return [name for name, x, y in zip(FIELDS, a, b, strict=True) if x != y]


def disagreement(text: str, annotated: Figure) -> tuple[str, str, str] | None:
    """The field, message and hint when the annotated figure is not one the words state; None
    when it is. Words that state no single figure are reported at the text."""
    figures = stated(text)
    if isinstance(figures, str):
        hint = (
            "quote the words that state one figure or one range; a vague count "
            '("several", "many more") is listed under skipped with its reason'
        )
        return "text", f'the text "{text}" states no figure the check can read: {figures}', hint
    if annotated in figures:
        return None
    closest = min(figures, key=lambda figure: len(_differs(figure, annotated)))
    fields = _differs(closest, annotated)
    said = " or ".join(dict.fromkeys(_said(f) for f in figures))
    wrong = ", ".join(f"{name} is {_shown(getattr(annotated, name))}" for name in fields)
    write = [
        ", ".join(f"{n}: {_shown(getattr(f, n))}" for n in _differs(f, annotated)) for f in figures
    ]
    hint = f"write {' or '.join(write)}"
    if len(figures) > 1:
        hint += ", the one the article means"
    hint += "; if the annotation is right, quote the words that state it"
    return fields[0], f'the text "{text}" says {said}, but {wrong}', hint


def _shown(x: float | str | None) -> str:
    return x if isinstance(x, str) else _number(x)
