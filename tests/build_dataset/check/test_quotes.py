"""Resolving quotes against real article text, and the hints given when a quote does not fit."""

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_dataset.check.quotes import LONGEST_COMPARED, QuoteError, found_once, resolve_quote
from build_dataset.read.cleaning import clean_article

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


@cache
def clean(seed: str, outlet: str | None = None) -> str:
    return clean_article((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"), outlet).clean_text


def text_000() -> str:
    return clean("000_e0392172d7493b06")


def text_001() -> str:
    return clean("001_d2d2eb034c79192f", "Defence Redefined")


def starts(text: str, quote: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(quote), text)]


def test_a_quote_resolves_to_its_offsets() -> None:
    text = text_001()
    quote = "At least 32 people have been killed in the clashes."
    start, end = resolve_quote(text, quote)
    assert text[start:end] == quote
    assert (start, end) == (starts(text, quote)[0], starts(text, quote)[0] + len(quote))


def test_a_quote_with_typographic_characters_resolves() -> None:
    text = text_000()
    quote = "reflecting the country\u2019s military department\u2019s"
    start, end = resolve_quote(text, quote)
    assert text[start:end] == quote


def test_a_missing_quote_raises_with_the_generic_hint() -> None:
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text_001(), "Quarterly earnings exceeded analyst expectations")
    assert raised.value.message == "quote not found in the text"
    assert str(raised.value) == "quote not found in the text"
    assert raised.value.hint == "copy the words exactly from the article's clean text"


def test_an_ascii_apostrophe_for_a_typographic_one_names_the_texts_characters() -> None:
    text = text_000()
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, "reflecting the country's military department's")
    assert raised.value.message == "quote not found in the text"
    assert raised.value.hint.startswith("typographic characters differ")
    assert "country\u2019s military department\u2019s" in raised.value.hint


def test_ascii_quotes_and_dashes_for_typographic_ones_are_hinted() -> None:
    text = text_001()
    assert "as \u201clegitimate\u201d" in text
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, 'as "legitimate"')
    assert (
        raised.value.hint
        == "typographic characters differ; the text has: 'as \u201clegitimate\u201d'"
    )


def test_a_typographic_apostrophe_for_an_ascii_one_is_hinted() -> None:
    text = clean("002_9f64f95c79856609")
    assert "marking Baku's victory" in text
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, "marking Baku\u2019s victory")
    assert (
        raised.value.hint
        == 'typographic characters differ; the text has: "marking Baku\'s victory"'
    )


def test_a_near_miss_gives_the_closest_text() -> None:
    text = text_000()
    assert "a meeting is planned in Yevlah" in text
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, "a meeting is planned in Yevlakh")
    assert raised.value.hint.startswith("closest text: ")
    assert "a meeting is planned in Yevla" in raised.value.hint


def test_nfd_quote_of_nfc_text_gets_the_normalization_hint() -> None:
    raw = (SEEDS / "004_0e291a03d6d39b0a.txt").read_text(encoding="utf-8")
    nfc = "pour avoir acc\u00e8s au contenu"
    assert nfc in raw
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    with pytest.raises(QuoteError) as raised:
        resolve_quote(raw, nfd)
    assert "Unicode normalization" in raised.value.hint
    assert "NFC" in raised.value.hint


def test_an_ambiguous_quote_asks_for_an_occurrence() -> None:
    text = text_001()
    quote = "on Wednesday"
    count = len(starts(text, quote))
    assert count > 1
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, quote)
    assert raised.value.message == f"quote occurs {count} times"
    assert "occurrence: N" in raised.value.hint
    assert f"from 1 to {count}" in raised.value.hint


def test_occurrence_selects_the_nth_repeat() -> None:
    text = text_001()
    quote = "on Wednesday"
    expected = starts(text, quote)
    for n, position in enumerate(expected, start=1):
        assert resolve_quote(text, quote, n) == (position, position + len(quote))
    second = resolve_quote(text, quote, 2)[0]
    assert "13:00 local time on Wednesday" in text[second - 20 : second + len(quote)]


def test_occurrence_one_of_a_unique_quote_is_the_quote() -> None:
    text = text_001()
    quote = "two diplomatic sources told AFP"
    assert resolve_quote(text, quote, 1) == resolve_quote(text, quote)


def test_occurrence_out_of_range() -> None:
    text = text_001()
    quote = "on Wednesday"
    count = len(starts(text, quote))
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, quote, count + 1)
    assert raised.value.message == (
        f"occurrence {count + 1} asked for, but the quote occurs {count} time(s)"
    )
    assert raised.value.hint == f"use an occurrence from 1 to {count}"


def test_an_occurrence_of_a_missing_quote_reports_it_missing() -> None:
    with pytest.raises(QuoteError, match="quote not found"):
        resolve_quote(text_001(), "on Saturday", 1)


@pytest.mark.parametrize("occurrence", [0, -1])
def test_occurrences_below_one_are_rejected(occurrence: int) -> None:
    with pytest.raises(ValueError):
        resolve_quote(text_001(), "on Wednesday", occurrence)


def long_text(size: int) -> str:
    """size characters of English-like words, each line different."""
    words = ["ceasefire", "talks", "region", "forces", "said", "on", "the", "of", "people"]
    out, n, length = [], 0, 0
    while length < size:
        out.append(f"{words[n % len(words)]} {words[n * 7 % len(words)]} line {n}.\n")
        length += len(out[-1])
        n += 1
    return "".join(out)[:size]


def test_a_long_quote_not_in_the_text_is_told_how_far_it_matches() -> None:
    """A quote past LONGEST_COMPARED is not compared word by word with the text (that took
    minutes for 20,000 characters): the hint names where it stops matching instead."""
    text = long_text(2_000_000)
    stop = 1_500_000
    quote = text[:stop] + "#" + text[stop + 1 : LONGEST_COMPARED * 1000]
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, quote)
    assert raised.value.message == "quote not found in the text"
    assert raised.value.hint == (
        f"the text has the first {stop} characters, but not what follows them: "
        f"{quote[stop - 30 : stop + 30]!r}"
    )
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text[:100_000], "#" + text[:LONGEST_COMPARED])
    assert raised.value.hint == "copy the words exactly from the article's clean text"


def test_a_long_quote_with_a_typographic_difference_names_the_first_one() -> None:
    base = long_text(100_000)
    text = base[:50_000] + "\u201cyes\u201d" + base[50_000:]
    start = 50_000
    quote = text[start - 1000 : start + 50_000].replace("\u201c", '"').replace("\u201d", '"')
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, quote)
    assert raised.value.hint == (
        "typographic characters differ, first at character 1001 of the quote; the text has: "
        f"{text[start - 30 : start + 30]!r}"
    )


def test_a_long_real_quote_with_a_slip_still_gets_the_closest_text() -> None:
    text = text_001()
    start = text.index("At least 32 people")
    right = text[start : start + 1500]
    quote = right.replace("people", "persons", 1)
    with pytest.raises(QuoteError) as raised:
        resolve_quote(text, quote)
    assert raised.value.hint == f"closest text: {right!r}"


@st.composite
def _quotes(draw: st.DrawFn) -> tuple[str, str]:
    """An article's clean text and a stretch of it (which may repeat), or a stretch changed."""
    text = draw(st.sampled_from([text_000(), text_001()]))
    start = draw(st.integers(0, len(text) - 1))
    quote = text[start : start + draw(st.integers(1, 40))]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(quote)))
        quote = quote[:at] + draw(st.text(min_size=1, max_size=2)) + quote[at:]
    return text, quote


@settings(max_examples=300, deadline=None)
@given(_quotes())
def test_found_once_and_find_are_resolve_quote(case: tuple[str, str]) -> None:
    """The builder takes found_once's start as a claim's span, and str.find's as the span of a
    part of its quote, and asks resolve_quote only when they find none: they must agree."""
    text, quote = case
    start = found_once(text, quote)
    try:
        resolved = resolve_quote(text, quote)
    except QuoteError:
        assert start is None
    else:
        assert resolved == (start, (start or 0) + len(quote))
    first = text.find(quote)  # how the builder finds a part of a claim's quote (occurrence 1)
    try:
        assert resolve_quote(text, quote, 1) == (first, first + len(quote))
    except QuoteError:
        assert first == -1
