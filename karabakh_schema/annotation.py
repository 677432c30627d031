"""What contributors write: annotation files that locate things by quoting them.

The builder turns quotes into spans and ids into full actors and places; the record models in
article, claim and event are what it writes."""

from typing import Self

from pydantic import Field, model_validator

from karabakh_schema.event import FigureValues
from karabakh_schema.values import (
    INT64_MAX,
    ArticleId,
    ClaimId,
    CountryCode,
    DateResolution,
    EntityId,
    EventId,
    IsoDate,
    NonEmpty,
    QuantityValue,
    Record,
    Sha256,
)
from karabakh_schema.vocabularies import (
    ActorRole,
    ActorType,
    ClaimType,
    DateDerivation,
    EventCategory,
    EventType,
    QuoteType,
    RelationType,
    check_category,
    check_derivation,
)


class Quoted(Record):
    """Something located by quoting it exactly."""

    text: NonEmpty = Field(description="Exact characters, copied from within the claim's quote.")


class PublicationDateAnnotation(Record):
    value: IsoDate | None = Field(
        description="ISO date, reduced date or interval (A/B); null if unknown."
    )
    derivation: DateDerivation = Field(description="stated, inferred, or unknown.")
    evidence: str | None = Field(
        default=None, description="Exact raw-text words the date rests on; null if none."
    )
    note: str | None = Field(default=None, description="Reasoning behind an inferred date.")

    @model_validator(mode="after")
    def _derivation_matches(self) -> Self:
        check_derivation(self.derivation, self.value is not None)
        return self


class ArticleAnnotation(Record):
    id: ArticleId = Field(description="The seed file's name without '.txt'.")
    sha256: Sha256 = Field(description="SHA-256 of the seed bytes this file was annotated against.")
    title: str | None = Field(description="Headline exactly as in the text, or null.")
    outlet: str | None = Field(description="Outlet name exactly as the text gives it, or null.")
    language: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the body text.")
    publication_date: PublicationDateAnnotation = Field(description="Publication date.")


class QuantityAnnotation(QuantityValue, Quoted):
    """A figure in a claim."""


class DateAnnotation(DateResolution, Quoted):
    value: IsoDate = Field(description="ISO date, reduced date or interval the expression means.")


class PlaceAnnotation(Quoted):
    place: EntityId = Field(description="Id of the place in places.yaml.")


class RelationAnnotation(Record):
    type: RelationType = Field(
        description="agrees, contradicts, refines, different_scope, supersedes or opposes."
    )
    claim: ClaimId = Field(description="Id of the other claim.")
    note: str | None = Field(default=None, description="Why the relation holds.")


class ClaimAnnotation(Record):
    id: ClaimId = Field(description="'<article id>-cNNN', numbered in text order.")
    quote: NonEmpty = Field(description="Exact characters of the claim in the clean text.")
    occurrence: int | None = Field(
        default=None,
        ge=1,
        le=INT64_MAX,
        description="Which occurrence of quote (1-based), when it repeats.",
    )
    claimant: EntityId = Field(description="Id of the asserting actor in actors.yaml.")
    claimant_text: str | None = Field(
        default=None, description="How the quote names the claimant, exactly; null if it does not."
    )
    cue: str | None = Field(default=None, description="Attribution cue in the quote, exactly.")
    quote_type: QuoteType = Field(description="direct, indirect, or unattributed.")
    claim_type: ClaimType = Field(description="Kind of assertion.")
    quantities: list[QuantityAnnotation] = Field(
        default_factory=list, description="Figures in the claim."
    )
    dates: list[DateAnnotation] = Field(
        default_factory=list, description="Date expressions in the claim."
    )
    places: list[PlaceAnnotation] = Field(
        default_factory=list, description="Places the claim names."
    )
    events: list[EventId] = Field(
        default_factory=list, description="Ids of the events it is about."
    )
    relations: list[RelationAnnotation] = Field(
        default_factory=list, description="Relations to claims."
    )
    note: str | None = Field(default=None, description="Ambiguity or other remark.")


class SkippedExpression(Record):
    """A number or date expression deliberately left without a normalized value."""

    text: NonEmpty = Field(description="The expression exactly as in the clean text.")
    occurrence: int | None = Field(
        default=None, ge=1, le=INT64_MAX, description="Which occurrence (1-based), when it repeats."
    )
    reason: NonEmpty = Field(description="Why it carries no claim value, e.g. part of a name.")


class ArticleAnnotationFile(Record):
    """seeds/annotations/<article id>.yaml"""

    article: ArticleAnnotation = Field(description="Article metadata.")
    claims: list[ClaimAnnotation] | None = Field(
        description="Every claim in the article, or null while the article is not yet annotated."
    )
    skipped: list[SkippedExpression] = Field(
        default_factory=list,
        description="Number and date expressions deliberately not normalized, with reasons.",
    )


class ActorEntry(Record):
    id: EntityId = Field(description="Stable id.")
    name: NonEmpty = Field(description="Canonical English name.")
    type: ActorType = Field(description="Kind of actor.")
    country_code: CountryCode | None = Field(description="State it belongs to, or null.")
    variants: list[NonEmpty] = Field(
        default_factory=list, description="Spellings the articles use."
    )
    note: str | None = Field(
        default=None, description="E.g. what the text leaves open about who the actor is."
    )


class SeedNamesFile(Record):
    """seeds/named_by_collector.yaml"""

    seeds: list[ArticleId] = Field(
        description="The seeds whose names came with them when they were collected, before a "
        "seed's name was its SHA-256; ids never change, so they keep them."
    )


class ActorsFile(Record):
    """seeds/annotations/actors.yaml"""

    actors: list[ActorEntry] = Field(description="Every actor, once.")
    context_dependent: list[NonEmpty] = Field(
        default_factory=list,
        description="References that name different actors in different sentences ('the "
        "Armenian side'), on no actor's variants: a claim's claimant_text may be one of them, and "
        "its note says whom it names there.",
    )


class PlaceEntry(Record):
    id: EntityId = Field(description="Stable id.")
    name: NonEmpty = Field(description="Canonical English name.")
    geonames_id: int | None = Field(
        ge=1, le=INT64_MAX, description="GeoNames id, only if in the bundled extract."
    )
    country_code: CountryCode | None = Field(description="ISO alpha-2 country, or null.")
    variants: list[NonEmpty] = Field(
        default_factory=list, description="Spellings the articles use."
    )
    note: str | None = Field(default=None, description="E.g. why there is no GeoNames id.")


class PlacesFile(Record):
    """seeds/annotations/places.yaml"""

    places: list[PlaceEntry] = Field(description="Every place, once.")


class MentionAnnotation(Record):
    article: ArticleId = Field(description="Id of the reporting article.")
    quote: NonEmpty = Field(description="Exact words reporting the event in its clean text.")
    occurrence: int | None = Field(
        default=None, ge=1, le=INT64_MAX, description="Which occurrence."
    )


class EventActorAnnotation(Record):
    actor: EntityId = Field(description="Id in actors.yaml.")
    role: ActorRole = Field(description="Role in the event.")


class FigureAnnotation(FigureValues):
    claims: list[ClaimId] = Field(min_length=1, description="Claims the figure derives from.")


class DateOnly(Record):
    value: IsoDate = Field(description="ISO date, reduced date or interval.")


class EventAnnotation(Record):
    id: EventId = Field(description="Stable id.")
    type: EventType = Field(description="Event type.")
    category: EventCategory = Field(description="Category the type belongs to.")
    description: NonEmpty = Field(description="One neutral sentence.")
    date: DateOnly | None = Field(default=None, description="When; null if no text says.")
    place: EntityId | None = Field(default=None, description="Id in places.yaml, or null.")
    actors: list[EventActorAnnotation] = Field(
        default_factory=list, description="Actors and roles."
    )
    mentions: list[MentionAnnotation] = Field(min_length=1, description="Every report of it.")
    figures: list[FigureAnnotation] = Field(default_factory=list, description="Counts from claims.")
    note: str | None = Field(default=None, description="Remark, e.g. a disagreement.")

    @model_validator(mode="after")
    def _category_matches_type(self) -> Self:
        check_category(self.type, self.category)
        return self


class EventsFile(Record):
    """seeds/annotations/events.yaml"""

    events: list[EventAnnotation] = Field(description="Every event, once.")
