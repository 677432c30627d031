"""Closed vocabularies: every event type has exactly one ACLED-style category."""

from typing import get_args

import pytest

from karabakh_schema.vocabularies import (
    EVENT_CATEGORY,
    ActorType,
    ChromeKind,
    ClaimType,
    EventCategory,
    EventType,
    Measure,
    Qualifier,
    RelationType,
)


@pytest.mark.parametrize("event_type", get_args(EventType))
def test_every_event_type_has_a_known_category(event_type: str) -> None:
    assert EVENT_CATEGORY[event_type] in get_args(EventCategory)


def test_the_category_map_covers_event_types_only() -> None:
    assert set(EVENT_CATEGORY) == set(get_args(EventType))


def test_every_category_value_is_an_event_category() -> None:
    assert set(EVENT_CATEGORY.values()) <= set(get_args(EventCategory))


def test_acled_sub_event_types_keep_their_acled_event_type() -> None:
    assert EVENT_CATEGORY["armed_clash"] == "battles"
    assert EVENT_CATEGORY["shelling_artillery_missile_attack"] == "explosions_remote_violence"
    assert EVENT_CATEGORY["peaceful_protest"] == "protests"
    assert EVENT_CATEGORY["agreement"] == "strategic_developments"


@pytest.mark.parametrize(
    "vocabulary",
    [ActorType, ClaimType, Qualifier, Measure, RelationType, ChromeKind, EventType, EventCategory],
)
def test_vocabulary_values_are_unique_snake_case(vocabulary: object) -> None:
    values = get_args(vocabulary)
    assert len(values) == len(set(values))
    for value in values:
        assert value == value.lower() and " " not in value and "-" not in value
