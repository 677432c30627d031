"""Value types shared by the record kinds: spans, ids, dates, quantities, places, actors."""

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from karabakh_schema.vocabularies import (
    ActorType,
    DateAnchor,
    DatePrecision,
    Measure,
    Qualifier,
)

ARTICLE_ID_PATTERN = r"^[0-9]{3}_[0-9a-f]{16}$"
CLAIM_ID_PATTERN = r"^[0-9]{3}_[0-9a-f]{16}-c[0-9]{3}$"
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
EVENT_ID_PATTERN = rf"^ev-{SLUG}$"
ENTITY_ID_PATTERN = rf"^{SLUG}$"
_ISO_PART = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
ISO_DATE_PATTERN = rf"^{_ISO_PART}(?:/{_ISO_PART})?$"
ISO_DATE_FORMS = (
    "YYYY, YYYY-MM or YYYY-MM-DD, with a two-digit month and day, or an interval A/B of two of "
    "those with the same precision: 2023, 2023-09, 2023-09-20, 2023-09-19/2023-09-20"
)
"""ISO_DATE_PATTERN and the interval rule of parse_iso_value, said for people."""

ArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)]
ClaimId = Annotated[str, StringConstraints(pattern=CLAIM_ID_PATTERN)]
EventId = Annotated[str, StringConstraints(pattern=EVENT_ID_PATTERN)]
EntityId = Annotated[str, StringConstraints(pattern=ENTITY_ID_PATTERN, max_length=80)]
IsoDate = Annotated[str, StringConstraints(pattern=ISO_DATE_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


INT64_MAX = 2**63 - 1
"""The largest integer an int64 column stores: the bound of every integer field."""


class Record(BaseModel):
    """Base of every model: unknown fields are errors, no type is coerced, and a number is
    finite (NaN and infinity are no count, and would pass every comparison or fail it). Models
    are built on first use, so a process builds only those it uses: checking annotation files
    builds no Article, Claim or Event."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, defer_build=True, allow_inf_nan=False
    )


class Span(Record):
    """Characters [start, end) of an article's clean text, with the text they hold."""

    start: int = Field(
        ge=0, le=INT64_MAX, description="Offset of the first character, in Unicode code points."
    )
    end: int = Field(
        ge=0, le=INT64_MAX, description="Offset just past the last character, in code points."
    )
    text: NonEmpty = Field(description="The exact characters clean_text[start:end].")

    @model_validator(mode="after")
    def _length_matches(self) -> Self:
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}-{self.end} cannot hold {len(self.text)} characters"
            )
        return self


def _parse_iso_part(part: str) -> tuple[date, date, DatePrecision]:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 1:
        return date(pieces[0], 1, 1), date(pieces[0], 12, 31), "year"
    if len(pieces) == 2:
        year, month = pieces
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return date(year, month, 1), date(year, month, last), "month"
    day = date(*pieces)
    return day, day, "day"


@lru_cache(maxsize=4096)  # a corpus names the same few days over and over
def parse_iso_value(value: str) -> tuple[date, date, DatePrecision]:
    """The first and last day an ISO 8601 date, reduced date or interval covers, and its precision.

    Raises ValueError for impossible dates, mixed precisions or intervals that run backwards."""
    if not re.fullmatch(ISO_DATE_PATTERN, value):
        raise ValueError(f"{value!r} is not {ISO_DATE_FORMS}")
    first, _, last = value.partition("/")
    start, end, precision = _parse_iso_part(first)
    if last:
        last_start, end, last_precision = _parse_iso_part(last)
        if last_precision != precision:
            raise ValueError(f"both ends of {value!r} must have the same precision")
        if last_start < start:
            raise ValueError(f"interval {value!r} ends before it starts")
    return start, end, precision


class DateValue(Record):
    """A normalized date with its precision: the ISO value as annotated and the days it covers."""

    value: IsoDate = Field(description=f"ISO 8601, as annotated: {ISO_DATE_FORMS}.")
    start: date = Field(description="First day the value covers.")
    end: date = Field(description="Last day the value covers.")
    precision: DatePrecision = Field(description="Finest unit the value states: day/month/year.")

    @classmethod
    def from_iso(cls, value: str) -> "DateValue":
        start, end, precision = parse_iso_value(value)
        return cls(value=value, start=start, end=end, precision=precision)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if parse_iso_value(self.value) != (self.start, self.end, self.precision):
            raise ValueError(f"start, end and precision do not follow from {self.value!r}")
        return self


class DateResolution(Record):
    """How a date expression was resolved: the anchor words like 'Wednesday' are read against."""

    anchor: DateAnchor = Field(
        description="absolute: the expression names the date itself; publication_date: resolved "
        "against the article's publication date; text_date: against another date in the text."
    )
    anchor_date: date | None = Field(
        default=None, description="The date used to resolve the expression; null when absolute."
    )

    @model_validator(mode="after")
    def _anchor_date_given(self) -> Self:
        if (self.anchor == "absolute") != (self.anchor_date is None):
            raise ValueError("anchor_date is required unless anchor is absolute, and only then")
        return self


class QuantityValue(Record):
    """A reported figure: the number as stated, the bounds it implies, and what it counts."""

    value: float | None = Field(
        description="The number as stated ('at least 32' gives 32); null when the wording "
        "states no single number (a range, 'thousands')."
    )
    low: float | None = Field(description="Lower bound the wording implies; null if none.")
    high: float | None = Field(description="Upper bound the wording implies; null if none.")
    qualifier: Qualifier = Field(description="How the number is hedged: exact, at_least, about...")
    unit: NonEmpty = Field(description="Unit of the count, e.g. 'people', 'positions', 'percent'.")
    measure: Measure = Field(
        description="What kind of count this is; deaths, injuries and casualties are distinct."
    )
    counted: NonEmpty = Field(description="What exactly is counted, in the annotator's words.")

    @model_validator(mode="after")
    def _bounds_consistent(self) -> Self:
        points = [x for x in (self.low, self.value, self.high) if x is not None]
        if not points:
            raise ValueError("a quantity needs a value or a bound")
        if points != sorted(points):
            raise ValueError("bounds must satisfy low <= value <= high")
        if self.qualifier == "range" and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if self.qualifier in ("at_least", "more_than") and self.low is None:
            raise ValueError(f"'{self.qualifier}' implies a lower bound: set low")
        if self.qualifier in ("at_most", "less_than") and self.high is None:
            raise ValueError(f"'{self.qualifier}' implies an upper bound: set high")
        return self

    @property
    def lower(self) -> float | None:
        """The figure's lower end: its low bound, else its value; None with neither."""
        return self.low if self.low is not None else self.value

    @property
    def upper(self) -> float | None:
        """The figure's upper end: its high bound, else its value; None with neither."""
        return self.high if self.high is not None else self.value


class Place(Record):
    """A place in the project's gazetteer, with GeoNames data where GeoNames has it."""

    id: EntityId = Field(description="The project's stable id for the place.")
    name: NonEmpty = Field(description="Canonical English name.")
    geonames_id: int | None = Field(
        ge=1,
        le=INT64_MAX,
        description="GeoNames id, checked against the bundled GeoNames extract; null if absent.",
    )
    latitude: float | None = Field(
        description="Latitude of a GeoNames populated place; null for a country or without an id."
    )
    longitude: float | None = Field(
        description="Longitude of a GeoNames populated place; null for a country or without an id."
    )
    country_code: CountryCode | None = Field(
        description="ISO 3166-1 alpha-2 code of the country GeoNames places it in."
    )


class Actor(Record):
    """A party with one canonical name across the spellings the articles use."""

    id: EntityId = Field(description="The project's stable id for the actor.")
    name: NonEmpty = Field(description="Canonical English name.")
    type: ActorType = Field(description="Kind of actor.")
    country_code: CountryCode | None = Field(
        description="ISO 3166-1 alpha-2 code of the state it belongs to; null if none."
    )
