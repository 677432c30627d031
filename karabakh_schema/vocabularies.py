"""Closed vocabularies. Each becomes a ClassLabel whose label ids follow the order written here,
so reordering or removing a value is a MAJOR data change; append new values at the end."""

from typing import Literal

ActorType = Literal[
    "government",
    "military",
    "de_facto_authority",
    "armed_group",
    "legislature",
    "intergovernmental_organization",
    "media",
    "outlet",
    "civil_society",
    "civilians",
    "other",
]
ActorRole = Literal["initiator", "target", "party", "mediator", "host", "observer"]
ClaimType = Literal[
    "event_report",
    "figure",
    "plan",
    "agreement_terms",
    "position",
    "accusation",
    "denial",
    "evaluation",
    "background",
]
QuoteType = Literal["direct", "indirect", "unattributed"]
Qualifier = Literal["exact", "at_least", "more_than", "at_most", "less_than", "about", "range"]
Measure = Literal[
    "fatalities",
    "civilian_fatalities",
    "injuries",
    "casualties",
    "evacuated",
    "displaced",
    "personnel",
    "military_positions",
    "ceasefire_violations",
    "duration",
    "percentage",
    "other",
]
DatePrecision = Literal["day", "month", "year"]
DateAnchor = Literal["absolute", "publication_date", "text_date"]
DateDerivation = Literal["stated", "inferred", "unknown"]
RelationType = Literal[
    "agrees", "contradicts", "refines", "different_scope", "supersedes", "opposes"
]
ChromeKind = Literal[
    "promo",
    "share",
    "navigation",
    "teaser",
    "subscription",
    "paywall",
    "masthead",
    "dateline",
    "whitespace",
]
AnnotationStatus = Literal["complete", "not_started"]
EventCategory = Literal[
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
    "diplomacy",
    "statements",
    "humanitarian",
]
EventType = Literal[
    "armed_clash",
    "government_regains_territory",
    "shelling_artillery_missile_attack",
    "air_drone_strike",
    "attack_on_civilians",
    "peaceful_protest",
    "protest_with_intervention",
    "agreement",
    "non_violent_transfer_of_territory",
    "other_strategic_development",
    "negotiation",
    "diplomatic_meeting",
    "diplomatic_contact",
    "statement",
    "evacuation",
]

# ACLED's event type for each of its sub-event types; the last five are this corpus's own.
EVENT_CATEGORY: dict[str, str] = {
    "armed_clash": "battles",
    "government_regains_territory": "battles",
    "shelling_artillery_missile_attack": "explosions_remote_violence",
    "air_drone_strike": "explosions_remote_violence",
    "attack_on_civilians": "violence_against_civilians",
    "peaceful_protest": "protests",
    "protest_with_intervention": "protests",
    "agreement": "strategic_developments",
    "non_violent_transfer_of_territory": "strategic_developments",
    "other_strategic_development": "strategic_developments",
    "negotiation": "diplomacy",
    "diplomatic_meeting": "diplomacy",
    "diplomatic_contact": "diplomacy",
    "statement": "statements",
    "evacuation": "humanitarian",
}


def check_category(event_type: str, category: str) -> None:
    """An event's category is the one its type belongs to; the annotation and the record
    models both apply this rule."""
    if EVENT_CATEGORY[event_type] != category:
        expected = EVENT_CATEGORY[event_type]
        raise ValueError(f"type {event_type!r} belongs to category {expected!r}")


def check_derivation(derivation: str, dated: bool) -> None:
    """A publication date's derivation is 'unknown' exactly when it has no date; the
    annotation and the record models both apply this rule."""
    if (derivation == "unknown") == dated:
        raise ValueError("derivation is 'unknown' exactly when there is no date")
