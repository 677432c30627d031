"""The event record: its category must be the one its type belongs to."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from build_dataset.read.cleaning import clean_article
from karabakh_schema import Event
from karabakh_schema.event import EventFigure, Mention
from karabakh_schema.values import DateValue, Span

SEED = Path(__file__).resolve().parents[2] / "seeds" / "001_d2d2eb034c79192f.txt"
CLEAN = clean_article(SEED.read_text(encoding="utf-8"), "Defence Redefined").clean_text
WORDS = "they had agreed to ceasefire terms proposed by Russian peacekeepers"
MENTION = Mention(
    article_id="001_d2d2eb034c79192f",
    span=Span(start=CLEAN.index(WORDS), end=CLEAN.index(WORDS) + len(WORDS), text=WORDS),
)


def event(**fields: object) -> Event:
    base: dict[str, object] = {
        "id": "ev-2023-09-20-ceasefire-agreement",
        "type": "agreement",
        "category": "strategic_developments",
        "description": "Nagorno-Karabakh separatists agreed to Russian-proposed ceasefire terms.",
        "date": DateValue.from_iso("2023-09-20"),
        "place": None,
        "actors": [],
        "mentions": [MENTION],
        "figures": [],
        "note": None,
    }
    return Event(**{**base, **fields})  # type: ignore[arg-type]


def test_type_and_its_category_are_accepted() -> None:
    assert event().category == "strategic_developments"
    assert event(type="evacuation", category="humanitarian").type == "evacuation"


def test_a_category_other_than_the_types_is_rejected() -> None:
    with pytest.raises(ValidationError, match="belongs to category 'strategic_developments'"):
        event(category="diplomacy")


def test_an_event_needs_a_mention() -> None:
    with pytest.raises(ValidationError, match="mentions"):
        event(mentions=[])


def test_a_figure_needs_a_claim() -> None:
    with pytest.raises(ValidationError, match="claim_ids"):
        EventFigure(measure="fatalities", scope="killed", best=32, low=27, high=32, claim_ids=[])


@pytest.mark.parametrize("event_id", ["2023-ceasefire", "ev-", "ev-Ceasefire", "ev-a--b"])
def test_event_ids_follow_the_slug_pattern(event_id: str) -> None:
    with pytest.raises(ValidationError, match="pattern"):
        event(id=event_id)
