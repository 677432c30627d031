"""Events: a claim whose quote has an event keyword reports an event of the keyword's type.

Claims of one type with the same first date, across articles, report one event; an undated
claim reports an event of its own. The event's date and place are the claim's first ones, its
mentions the claims' quotes. A release needs at least one event, and these are the simplest
that say something."""

import re
from collections.abc import Iterable
from typing import Any

from karabakh_schema.vocabularies import EVENT_CATEGORY

_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("ceasefire|truce|agreement|agreed", "agreement"),
    ("talks|negotiations?", "negotiation"),
    ("meeting|met", "diplomatic_meeting"),
    ("shell(?:ed|ing)|artillery|rockets?|drones?", "shelling_artillery_missile_attack"),
    ("killed|killing|clash(?:es)?|fighting|gunfire", "armed_clash"),
    ("evacuat\\w*", "evacuation"),
    ("protests?|protesters", "peaceful_protest"),
)
_PATTERNS = [(re.compile(rf"(?<!\w)(?i:{words})(?!\w)"), kind) for words, kind in _KEYWORDS]


def event_type(quote: str) -> tuple[str, str] | None:
    """The type of the first keyword table row the quote matches, with the words matched."""
    for pattern, kind in _PATTERNS:
        if (match := pattern.search(quote)) is not None:
            return kind, match.group()
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def events(
    claims: Iterable[tuple[str, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The events the claims (with their article ids) report, and the event each claim that
    reports one reports, by claim id."""
    found: dict[str, dict[str, Any]] = {}
    reported: dict[str, str] = {}
    for article_id, claim in claims:
        typed = event_type(claim["quote"])
        if typed is None:
            continue
        kind, word = typed
        date = claim["dates"][0]["value"] if claim.get("dates") else None
        key = f"{_slug(date)}-{kind}" if date else f"{claim['id']}-{kind}"
        event_id = f"ev-{_slug(key)}"
        mention = {"article": article_id, "quote": claim["quote"]}
        if "occurrence" in claim:
            mention["occurrence"] = claim["occurrence"]
        if event_id not in found:
            places = claim.get("places")
            found[event_id] = {
                "id": event_id,
                "type": kind,
                "category": EVENT_CATEGORY[kind],
                "description": f"An event of type {kind} that claim {claim['id']} reports "
                f"('{word}').",
                "date": {"value": date} if date else None,
                "place": places[0]["place"] if places else None,
                "mentions": [],
            }
        found[event_id]["mentions"].append(mention)
        reported[claim["id"]] = event_id
    return list(found.values()), reported
