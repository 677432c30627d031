"""The event record: one real-world happening, linked to every article that reports it."""

from typing import Self

from pydantic import Field, model_validator

from karabakh_schema.values import (
    Actor,
    ArticleId,
    ClaimId,
    DateValue,
    EventId,
    NonEmpty,
    Place,
    Record,
    Span,
)
from karabakh_schema.vocabularies import (
    ActorRole,
    EventCategory,
    EventType,
    Measure,
    check_category,
)


class EventActor(Record):
    """An actor and the part it plays in the event."""

    actor: Actor = Field(description="The actor.")
    role: ActorRole = Field(description="initiator, target, party, mediator, host or observer.")


class Mention(Record):
    """Where an article reports the event."""

    article_id: ArticleId = Field(description="Id of the reporting article.")
    span: Span = Field(description="The words reporting the event, in that article's clean text.")


class FigureValues(Record):
    """A count for an event (e.g. fatalities) derived from the claims that report it, by the
    rules that the descriptions of best, low and high state."""

    measure: Measure = Field(description="What is counted.")
    scope: NonEmpty = Field(description="Whom or what the count covers, in the annotator's words.")
    best: float = Field(
        description="Most conservative current figure. Current claims are the listed claims that "
        "no other listed claim supersedes. If they can all be true at once, best is the lowest "
        "count all of them allow (an approximation taken at its number): 'at least 29' and 'at "
        "least 32' give 32. If they disagree, best is the lowest number any of them states."
    )
    low: float | None = Field(
        description="Lowest lower bound the current claims state (a low bound, or an exact "
        "number); null if one of them states none, as 'about 200' does."
    )
    high: float | None = Field(
        description="Highest upper bound the current claims state (a high bound, or an exact "
        "number); null if one of them states none: 'at least 32' is a lower bound, not a high."
    )


class EventFigure(FigureValues):
    """An event's figure with the claims behind it."""

    claim_ids: list[ClaimId] = Field(min_length=1, description="Claims the figure derives from.")


class Event(Record):
    """A real-world event; one record however many outlets report it."""

    id: EventId = Field(description="Stable id, 'ev-' and a slug.")
    type: EventType = Field(description="Event type, ACLED's sub-event types where they apply.")
    category: EventCategory = Field(description="ACLED event type, or diplomacy/statements/...")
    description: NonEmpty = Field(description="One neutral sentence in the annotator's words.")
    date: DateValue | None = Field(description="When it happened; null when no text says.")
    place: Place | None = Field(description="Where it happened; null when no text says.")
    actors: list[EventActor] = Field(description="Actors with their roles.")
    mentions: list[Mention] = Field(min_length=1, description="Every annotated report of it.")
    figures: list[EventFigure] = Field(description="Counts derived from the claims.")
    note: str | None = Field(description="Annotator's note, e.g. a disagreement between sources.")

    @model_validator(mode="after")
    def _category_matches_type(self) -> Self:
        check_category(self.type, self.category)
        return self
