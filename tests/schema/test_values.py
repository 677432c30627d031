"""Value types: ISO date parsing, spans, quantities, date resolutions and strict validation."""

from datetime import date

import pytest
from pydantic import ValidationError

from karabakh_schema.values import (
    DateResolution,
    DateValue,
    Place,
    QuantityValue,
    Span,
    parse_iso_value,
)

# parse_iso_value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", (date(2023, 1, 1), date(2023, 12, 31), "year")),
        ("2023-09", (date(2023, 9, 1), date(2023, 9, 30), "month")),
        ("2023-12", (date(2023, 12, 1), date(2023, 12, 31), "month")),
        ("2023-02", (date(2023, 2, 1), date(2023, 2, 28), "month")),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29), "month")),
        ("2000-02", (date(2000, 2, 1), date(2000, 2, 29), "month")),
        ("1900-02", (date(1900, 2, 1), date(1900, 2, 28), "month")),
        ("2023-09-20", (date(2023, 9, 20), date(2023, 9, 20), "day")),
        ("2024-02-29", (date(2024, 2, 29), date(2024, 2, 29), "day")),
        ("2023-09-19/2023-09-20", (date(2023, 9, 19), date(2023, 9, 20), "day")),
        ("2023-09-20/2023-09-20", (date(2023, 9, 20), date(2023, 9, 20), "day")),
        ("2023-06/2023-09", (date(2023, 6, 1), date(2023, 9, 30), "month")),
        ("2020/2023", (date(2020, 1, 1), date(2023, 12, 31), "year")),
    ],
)
def test_parse_iso_value_gives_first_and_last_day(
    value: str, expected: tuple[date, date, str]
) -> None:
    assert parse_iso_value(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-30",
        "2023-02-29",
        "2023-04-31",
        "2023-13",
        "2023-00",
        "2023-09-00",
        "2023-09-32",
        "0000",
        "2023-13-01",
        "2023-09-20/2023-02-30",
    ],
)
def test_parse_iso_value_rejects_impossible_dates(value: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_value(value)


@pytest.mark.parametrize(
    "value",
    ["20230920", "2023-9-20", "23-09-20", "2023-09-20/", "/2023-09-20", "September 2023", ""],
)
def test_parse_iso_value_rejects_non_iso_text(value: str) -> None:
    with pytest.raises(ValueError, match="is not YYYY"):
        parse_iso_value(value)


@pytest.mark.parametrize(
    "value", ["2023-09/2023-09-20", "2023/2023-09", "2023-09-19/2023-09", "2023-09-19/2024"]
)
def test_parse_iso_value_rejects_mixed_precision_intervals(value: str) -> None:
    with pytest.raises(ValueError, match="same precision"):
        parse_iso_value(value)


@pytest.mark.parametrize("value", ["2023-09-21/2023-09-20", "2023-09/2023-08", "2024/2023"])
def test_parse_iso_value_rejects_backwards_intervals(value: str) -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_iso_value(value)


# DateValue ---------------------------------------------------------------------------------


def test_date_value_from_iso_fills_the_days_covered() -> None:
    value = DateValue.from_iso("2023-09-19/2023-09-20")
    assert (value.value, value.start, value.end, value.precision) == (
        "2023-09-19/2023-09-20",
        date(2023, 9, 19),
        date(2023, 9, 20),
        "day",
    )


def test_date_value_from_iso_rejects_an_impossible_date() -> None:
    with pytest.raises(ValueError, match="out of range"):
        DateValue.from_iso("2023-02-30")


@pytest.mark.parametrize(
    "fields",
    [
        {"start": date(2023, 9, 1), "end": date(2023, 9, 30), "precision": "day"},
        {"start": date(2023, 9, 1), "end": date(2023, 9, 29), "precision": "month"},
        {"start": date(2023, 9, 2), "end": date(2023, 9, 30), "precision": "month"},
        {"start": date(2023, 1, 1), "end": date(2023, 12, 31), "precision": "year"},
    ],
)
def test_date_value_start_end_and_precision_must_follow_from_value(
    fields: dict[str, object],
) -> None:
    with pytest.raises(ValidationError, match="do not follow from '2023-09'"):
        DateValue(value="2023-09", **fields)  # type: ignore[arg-type]


def test_date_value_built_by_hand_consistently_is_accepted() -> None:
    by_hand = DateValue(
        value="2023-09", start=date(2023, 9, 1), end=date(2023, 9, 30), precision="month"
    )
    assert by_hand == DateValue.from_iso("2023-09")


def test_date_value_with_an_impossible_value_is_rejected() -> None:
    with pytest.raises(ValidationError, match="out of range"):
        DateValue(value="2023-02-30", start=date(2023, 3, 2), end=date(2023, 3, 2), precision="day")


def test_date_value_rejects_a_value_outside_the_iso_pattern() -> None:
    with pytest.raises(ValidationError, match="pattern"):
        DateValue(
            value="20/09/2023", start=date(2023, 9, 20), end=date(2023, 9, 20), precision="day"
        )


# Span --------------------------------------------------------------------------------------


def test_span_length_must_match_its_text() -> None:
    assert Span(start=10, end=17, text="Armenia").end == 17
    with pytest.raises(ValidationError, match="cannot hold 7 characters"):
        Span(start=10, end=16, text="Armenia")
    with pytest.raises(ValidationError, match="cannot hold 7 characters"):
        Span(start=10, end=18, text="Armenia")


def test_span_rejects_negative_offsets_and_empty_text() -> None:
    with pytest.raises(ValidationError):
        Span(start=-1, end=6, text="Armenia")
    with pytest.raises(ValidationError):
        Span(start=3, end=3, text="")


# QuantityValue -----------------------------------------------------------------------------


def quantity(**fields: object) -> QuantityValue:
    base: dict[str, object] = {
        "value": None,
        "low": None,
        "high": None,
        "qualifier": "exact",
        "unit": "people",
        "measure": "fatalities",
        "counted": "people killed in the clashes",
    }
    return QuantityValue(**{**base, **fields})  # type: ignore[arg-type]


def test_at_least_sets_the_lower_bound_and_the_value() -> None:
    at_least = quantity(value=32, low=32, qualifier="at_least")
    assert (at_least.lower, at_least.upper) == (32, 32)


def test_at_least_needs_a_low_bound() -> None:
    with pytest.raises(ValidationError, match="'at_least' implies a lower bound"):
        quantity(value=32, qualifier="at_least")
    with pytest.raises(ValidationError, match="'more_than' implies a lower bound"):
        quantity(value=200, qualifier="more_than")


def test_at_most_and_less_than_need_a_high_bound() -> None:
    with pytest.raises(ValidationError, match="'at_most' implies an upper bound"):
        quantity(value=10, qualifier="at_most")
    with pytest.raises(ValidationError, match="'less_than' implies an upper bound"):
        quantity(value=10, qualifier="less_than")
    assert quantity(value=10, high=10, qualifier="at_most").upper == 10


def test_range_needs_both_bounds() -> None:
    with pytest.raises(ValidationError, match="a range needs both low and high"):
        quantity(low=20, qualifier="range")
    with pytest.raises(ValidationError, match="a range needs both low and high"):
        quantity(high=30, qualifier="range")
    between = quantity(low=20, high=30, qualifier="range")
    assert (between.lower, between.upper) == (20, 30)


@pytest.mark.parametrize(
    "bounds",
    [
        {"value": 32, "low": 33},
        {"value": 32, "high": 31},
        {"low": 30, "high": 20},
        {"value": 25, "low": 20, "high": 24},
    ],
)
def test_bounds_must_satisfy_low_le_value_le_high(bounds: dict[str, float]) -> None:
    with pytest.raises(ValidationError, match="low <= value <= high"):
        quantity(qualifier="about", **bounds)


def test_a_quantity_needs_a_value_or_a_bound() -> None:
    with pytest.raises(ValidationError, match="needs a value or a bound"):
        quantity()


def test_lower_and_upper_fall_back_to_the_value() -> None:
    exact = quantity(value=27)
    assert (exact.lower, exact.upper) == (27, 27)
    about = quantity(value=7000, low=6000, qualifier="about")
    assert (about.lower, about.upper) == (6000, 7000)


def test_an_open_lower_bound_without_value_has_no_upper_end() -> None:
    open_ended = quantity(low=200, qualifier="more_than")
    assert (open_ended.lower, open_ended.upper) == (200, None)


# DateResolution ----------------------------------------------------------------------------


def test_absolute_anchor_has_no_anchor_date() -> None:
    assert DateResolution(anchor="absolute").anchor_date is None
    with pytest.raises(ValidationError, match="anchor_date is required unless"):
        DateResolution(anchor="absolute", anchor_date=date(2023, 9, 20))


@pytest.mark.parametrize("anchor", ["publication_date", "text_date"])
def test_relative_anchors_need_an_anchor_date(anchor: str) -> None:
    resolved = DateResolution(anchor=anchor, anchor_date=date(2023, 9, 20))  # type: ignore[arg-type]
    assert resolved.anchor_date == date(2023, 9, 20)
    with pytest.raises(ValidationError, match="anchor_date is required unless"):
        DateResolution(anchor=anchor)  # type: ignore[arg-type]


# Strictness --------------------------------------------------------------------------------


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Span(start=0, end=7, text="Armenia", note="unexpected")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "fields",
    [
        {"start": "0", "end": 7, "text": "Armenia"},
        {"start": 0, "end": "7", "text": "Armenia"},
        {"start": 0.0, "end": 7, "text": "Armenia"},
        {"start": True, "end": 7, "text": "Armenia"},
    ],
)
def test_offsets_are_not_coerced(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Span(**fields)  # type: ignore[arg-type]


def test_numbers_and_dates_are_not_coerced_from_strings() -> None:
    with pytest.raises(ValidationError):
        quantity(value="32")
    with pytest.raises(ValidationError):
        DateResolution(anchor="publication_date", anchor_date="2023-09-20")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Place(
            id="stepanakert",
            name="Stepanakert",
            geonames_id="174875",  # type: ignore[arg-type]
            latitude=39.8,
            longitude=46.8,
            country_code="AZ",
        )


def test_unknown_vocabulary_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        quantity(value=32, qualifier="roughly")
    with pytest.raises(ValidationError):
        quantity(value=32, measure="deaths")


def test_records_are_frozen() -> None:
    span = Span(start=0, end=7, text="Armenia")
    with pytest.raises(ValidationError):
        span.start = 1  # type: ignore[misc]
