"""Dates: the publication date a seed prints, and the date expressions of a quote.

A date with its year is absolute. A day and month without a year take the publication year,
and yesterday, today, tomorrow and weekdays count from the publication date (a weekday is the
last one on or before it, or the next one on or after it when the quote says "will" or
"next"); without a stated publication date they are left unresolved. The parser is ours: day
or month first, an optional year, "27-28 June" as an interval."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from build_dataset.check.coverage import MONTHS, WEEKDAYS

_MONTH = "|".join(MONTHS)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_EXPRESSION = re.compile(
    rf"(?<![\w.,:/-])(?:"
    rf"(?P<range>\d{{1,2}})[-\u2013](?P<range_end>\d{{1,2}}) (?P<range_month>{_MONTH})"
    rf"(?:,? (?P<range_year>{_YEAR}))?"
    rf"|(?P<day>{_DAY}) (?:of )?(?P<month>{_MONTH})(?:,? (?P<year>{_YEAR}))?"
    rf"|(?P<month_first>{_MONTH}) (?P<day_after>{_DAY})(?:,? (?P<year_after>{_YEAR}))?"
    rf"|(?P<month_only>{_MONTH}) (?P<month_year>{_YEAR})"
    rf"|(?P<year_only>{_YEAR})(?![\w%]|[.,:/-]\d)"
    rf"|(?P<deictic>(?i:yesterday|today|tomorrow))"
    rf"|(?P<weekday>{'|'.join(WEEKDAYS)})"
    rf")(?!\w)"
)
_FORWARD = re.compile(r"(?<!\w)(?i:will|next)(?!\w)")
_DEICTIC_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_PUBLISHED = re.compile(
    r"(?:Published(?: on)?|Updated(?: on)?|(?:Update )?as of) "
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})(?!\d)"
)
PUBLISHED_LINES = 5
"""How many of the first non-empty lines of a seed are searched for its publication date."""


@dataclass(frozen=True)
class Published:
    day: date
    evidence: str


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: str
    anchor_date: date | None


def published(raw: str) -> Published | None:
    """The date a seed's first lines print with "Published on", "Updated on" or "as of",
    read day first ("30/06/23" is 30 June 2023); None without one, or when it is no date."""
    lines = [line for line in raw.splitlines() if line.strip()][:PUBLISHED_LINES]
    for line in lines:
        if (match := _PUBLISHED.search(line)) is not None:
            year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
            try:
                day = date(year, int(match["month"]), int(match["day"]))
            except ValueError:
                return None
            return Published(day, match.group())
    return None


def _month(name: str) -> int:
    return MONTHS.index(name) + 1


def _day(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _resolved(match: re.Match[str], publication: date | None, forward: bool) -> FoundDate | None:
    """The expression's ISO value, with the publication date when it was read against it."""
    if match["year_only"]:
        return FoundDate(match.start(), match.end(), match.group(), match["year_only"], None)
    if match["month_only"]:
        value = f"{match['month_year']}-{_month(match['month_only']):02d}"
        return FoundDate(match.start(), match.end(), match.group(), value, None)
    if match["deictic"] or match["weekday"]:
        if publication is None:
            return None
        day = _relative(match["deictic"], match["weekday"], publication, forward)
        return FoundDate(match.start(), match.end(), match.group(), day.isoformat(), publication)
    if match["range"]:
        year_text, month, days = match["range_year"], match["range_month"], match["range"]
        last = match["range_end"]
    else:
        year_text = match["year"] or match["year_after"]
        month = match["month"] or match["month_first"]
        days = last = match["day"] or match["day_after"]
    if year_text is None and publication is None:
        return None
    year = int(year_text) if year_text else publication.year if publication else 0
    try:
        first = date(year, _month(month), _day(days))
        end = date(year, _month(month), _day(last))
    except ValueError:
        return None
    if end < first:
        return None
    value = first.isoformat() if first == end else f"{first.isoformat()}/{end.isoformat()}"
    anchor = None if year_text else publication
    return FoundDate(match.start(), match.end(), match.group(), value, anchor)


def _relative(deictic: str | None, weekday: str | None, publication: date, forward: bool) -> date:
    if deictic:
        return publication + timedelta(days=_DEICTIC_DAYS[deictic.lower()])
    assert weekday is not None
    back = (publication.weekday() - WEEKDAYS.index(weekday)) % 7
    return (
        publication + timedelta(days=(7 - back) % 7) if forward else publication - timedelta(back)
    )


def find_dates(
    quote: str, publication: date | None
) -> tuple[list[FoundDate], list[tuple[int, int]]]:
    """The date expressions of the quote that the rules resolve, left to right, and where
    those they cannot resolve are written (their numbers are no figures either)."""
    forward = _FORWARD.search(quote) is not None
    found, unresolved = [], []
    for match in _EXPRESSION.finditer(quote):
        resolved = _resolved(match, publication, forward)
        if resolved is None:
            unresolved.append(match.span())
        else:
            found.append(resolved)
    return found, unresolved
