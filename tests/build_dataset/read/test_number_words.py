"""A quantity's numbers must be what its words state: each rule on hand-checked words, and
through the builder on a copied checkout, where a quantity that disagrees with its text is
reported at the claim (not at the event figure built on it) and nothing is written."""

import re
from pathlib import Path
from typing import Any

import pytest

from build_dataset.problems import InvalidInput
from build_dataset.read.inputs import article_sources
from build_dataset.read.number_words import Figure, digit_readings, disagreement, stated
from build_dataset.read.yaml_source import parse_yaml, read_yaml
from tests.checkout import copy_checkout, refused_build

REPO = Path(__file__).resolve().parents[3]
EVENTS = "seeds/annotations/events.yaml"


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("two", Figure(2, None, None, "exact")),
        ("two wars", Figure(2, None, None, "exact")),
        ("twenty-five soldiers", Figure(25, None, None, "exact")),
        ("two-hour", Figure(2, None, None, "exact")),
        ("24-hour", Figure(24, None, None, "exact")),
        ("7,000", Figure(7000, None, None, "exact")),
        ("approximately 7,000 residents", Figure(7000, None, None, "about")),
        ("Some 2,000 peacekeepers", Figure(2000, None, None, "about")),
        ("at least 32 people", Figure(32, 32, None, "at_least")),
        ("more than 200 injured", Figure(200, 200, None, "more_than")),
        ("up to 50", Figure(50, None, 50, "at_most")),
        ("no more than 5", Figure(5, None, 5, "at_most")),
        ("fewer than ten", Figure(10, None, 10, "less_than")),
        ("27-28", Figure(None, 27, 28, "range")),
        ("between five and ten", Figure(None, 5, 10, "range")),
        ("two or three people", Figure(None, 2, 3, "range")),
        ("67.88%", Figure(67.88, None, None, "exact")),
        ("a dozen", Figure(12, None, None, "exact")),
        ("two dozen", Figure(24, None, None, "exact")),
        ("dozens of people", Figure(None, 24, None, "at_least")),
        ("Thousands of protesters", Figure(None, 2000, None, "at_least")),
        ("tens of thousands of casualties", Figure(None, 20000, None, "at_least")),
        ("hundreds of thousands", Figure(None, 200000, None, "at_least")),
        ("half", Figure(0.5, None, None, "exact")),
        ("half a million", Figure(500000, None, None, "exact")),
        ("one and a half", Figure(1.5, None, None, "exact")),
        ("1.5 million", Figure(1500000, None, None, "exact")),
        ("a serviceman", Figure(1, None, None, "exact")),
    ],
)
def test_the_words_state_one_figure(text: str, figure: Figure) -> None:
    assert stated(text) == (figure,)


def test_a_dot_before_three_digits_reads_two_ways() -> None:
    assert stated("2.000 people") == (
        Figure(2, None, None, "exact"),
        Figure(2000, None, None, "exact"),
    )


@pytest.mark.parametrize(
    ("digits", "readings"),
    [
        ("32", (32,)),
        ("7,000", (7000,)),
        ("1,234,567.5", (1234567.5,)),
        ("1.234.567", (1234567,)),
        ("2.000", (2, 2000)),
        ("1.125", (1.125, 1125)),
        ("1.5", (1.5,)),
        ("0.125", (0.125,)),
        ("1,23", ()),
    ],
)
def test_digit_readings(digits: str, readings: tuple[float, ...]) -> None:
    assert digit_readings(digits) == readings


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("several soldiers", "it states no fixed number"),
        ("a few", "it states no fixed number"),
        ("the second war", "it states no number"),
        ("2 of the 3 hospitals", "it states more than one number, and not as a range"),
    ],
)
def test_words_that_state_no_single_figure(text: str, reason: str) -> None:
    assert stated(text) == reason


def test_a_value_that_disagrees_with_its_words_is_named() -> None:
    assert disagreement("two wars", Figure(3, None, None, "exact")) == (
        "value",
        'the text "two wars" says 2, but value is 3',
        "write value: 2; if the annotation is right, quote the words that state it",
    )


def test_a_missing_bound_and_qualifier_are_named() -> None:
    assert disagreement("at least 32 people", Figure(32, None, None, "exact")) == (
        "low",
        'the text "at least 32 people" says at least 32, but low is null, qualifier is exact',
        "write low: 32, qualifier: at_least; if the annotation is right, quote the words that "
        "state it",
    )


def test_ambiguous_digits_ask_for_the_intended_value() -> None:
    assert disagreement("2.000 people", Figure(5, None, None, "exact")) == (
        "value",
        'the text "2.000 people" says 2 or 2000, but value is 5',
        "write value: 2 or value: 2000, the one the article means; if the annotation is right, "
        "quote the words that state it",
    )
    assert disagreement("2.000 people", Figure(2000, None, None, "exact")) is None


def test_words_with_no_fixed_number_are_reported_at_the_text() -> None:
    found = disagreement("several soldiers", Figure(3, 3, None, "at_least"))
    assert found is not None
    field, message, hint = found
    assert (field, message) == (
        "text",
        'the text "several soldiers" states no figure the check can read: it states no fixed '
        "number",
    )
    assert "skipped" in hint


def test_a_yaml_number_with_a_dot_before_three_digits_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml("quantities:\n  - low: 2.000\n", "f.yaml")
    assert [str(p) for p in raised.value.problems] == [
        "f.yaml:2:10: quantities[0].low: 2.000 is ambiguous: YAML reads it as 2.0, but written "
        "with a thousands separator it means 2000 (write 2000 for the thousands, or 2.0 for the "
        "fraction)"
    ]


@pytest.mark.parametrize("text", ["low: 2.5", "low: 2000", 'low: "2.000"', "low: 0.125"])
def test_a_yaml_number_that_reads_one_way_is_read(text: str) -> None:
    assert parse_yaml(text, "f.yaml").data["low"] is not None


def _figure_quantity() -> tuple[str, int, int, dict[str, Any]]:
    """A claim an event figure is built on, and its quantity of the figure's measure: its file,
    the claim's and the quantity's index, and the quantity (one with a value under 1000 and no
    upper bound, so that value + 1 and value.000 are valid in every other way)."""
    measures = {
        (claim, figure["measure"])
        for event in read_yaml(REPO / EVENTS, EVENTS).data["events"]
        for figure in event.get("figures") or []
        for claim in figure["claims"]
    }
    for source in article_sources(REPO):
        for c, claim in enumerate(read_yaml(REPO / source.file, source.file).data["claims"] or []):
            for q, quantity in enumerate(claim.get("quantities") or []):
                value = quantity["value"]
                if (
                    (claim["id"], quantity["measure"]) in measures
                    and value is not None
                    and value < 1000
                    and quantity["high"] is None
                ):
                    return source.file, c, q, quantity
    raise AssertionError("no event figure is built on a claim's quantity")


def _rewrite_value(root: Path, file: str, loc: tuple[int | str, ...], written: str) -> int:
    """The value at loc written anew as the text written; the line it stands on."""
    line, _ = read_yaml(root / file, file).position(loc)
    assert line is not None
    path = root / file
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = re.sub(r"value: .*", f"value: {written}", lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


def test_a_figure_claim_whose_value_disagrees_with_its_text_is_blamed(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    file, c, q, quantity = _figure_quantity()
    loc = ("claims", c, "quantities", q, "value")
    wrong = quantity["value"] + 1
    line = _rewrite_value(root, file, loc, str(wrong))
    [problem] = refused_build(root)  # nothing at the event figure, which would take the wrong value
    assert (problem.file, problem.line, problem.field) == (
        file,
        line,
        f"claims[{c}].quantities[{q}].value",
    )
    assert problem.message.startswith(f'the text "{quantity["text"]}" says ')
    assert problem.message.endswith(f"but value is {wrong}")
    assert problem.hint is not None
    assert problem.hint.startswith(f"write value: {quantity['value']};")


def test_a_yaml_value_like_2_000_is_refused_where_it_is_written(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    file, c, q, quantity = _figure_quantity()
    loc = ("claims", c, "quantities", q, "value")
    written = f"{quantity['value']}.000"
    line = _rewrite_value(root, file, loc, written)
    [problem] = refused_build(root)
    assert (problem.file, problem.line, problem.field) == (
        file,
        line,
        f"claims[{c}].quantities[{q}].value",
    )
    assert problem.message == (
        f"{written} is ambiguous: YAML reads it as {float(quantity['value'])!r}, but written "
        f"with a thousands separator it means {quantity['value'] * 1000}"
    )
