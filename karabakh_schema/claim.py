"""The claim record: an attributed assertion, located to the character in its article."""

from pydantic import Field

from karabakh_schema.values import (
    Actor,
    ArticleId,
    ClaimId,
    DateResolution,
    DateValue,
    EventId,
    Place,
    QuantityValue,
    Record,
    Span,
)
from karabakh_schema.vocabularies import ClaimType, QuoteType, RelationType


class Quantity(QuantityValue):
    """A figure stated inside a claim."""

    span: Span = Field(description="Where the figure is written in the clean text.")


class DateMention(DateValue, DateResolution):
    """A date expression inside a claim, normalized."""

    span: Span = Field(description="Where the date expression is written in the clean text.")


class PlaceMention(Record):
    """A place named inside a claim, mapped to the gazetteer."""

    span: Span = Field(description="Where the place is named in the clean text.")
    place: Place = Field(description="The gazetteer place the name refers to.")


class ClaimRelation(Record):
    """A directed relation from this claim to another claim."""

    type: RelationType = Field(
        description="agrees, contradicts (both cannot be true of the same thing at the same "
        "time), refines (adds precision), different_scope (counts or covers something else), "
        "supersedes (this later report replaces the other), opposes (an opposing position, "
        "demand or evaluation on the same matter)."
    )
    claim_id: ClaimId = Field(description="Id of the claim this one relates to.")
    note: str | None = Field(description="Why the relation holds, where not obvious.")


class Claim(Record):
    """An assertion in an article, with who makes it and the values it carries."""

    id: ClaimId = Field(description="'<article id>-cNNN', numbered in text order.")
    article_id: ArticleId = Field(description="Id of the article the claim is in.")
    span: Span = Field(description="The claim's characters in the article's clean text.")
    claimant: Actor = Field(description="Who asserts it; the outlet itself when unattributed.")
    claimant_span: Span | None = Field(description="Where the claimant is named, if in the span.")
    cue: Span | None = Field(description="The attribution cue ('said', 'according to'), if any.")
    quote_type: QuoteType = Field(
        description="direct quotation, indirect (reported) speech, or unattributed outlet voice."
    )
    claim_type: ClaimType = Field(description="What kind of assertion it is.")
    quantities: list[Quantity] = Field(description="Figures the claim states.")
    dates: list[DateMention] = Field(description="Date expressions in the claim, normalized.")
    places: list[PlaceMention] = Field(description="Places the claim names.")
    event_ids: list[EventId] = Field(description="Ids of the events the claim is about.")
    relations: list[ClaimRelation] = Field(description="Relations to other claims.")
    note: str | None = Field(description="Annotator's note, e.g. an ambiguity in the text.")
