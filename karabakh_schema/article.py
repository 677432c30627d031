"""The article record: one seed file, its clean text and how that text was derived."""

from typing import Self

from pydantic import Field, model_validator

from karabakh_schema.values import INT64_MAX, ArticleId, DateValue, NonEmpty, Record, Sha256
from karabakh_schema.vocabularies import (
    AnnotationStatus,
    ChromeKind,
    DateDerivation,
    check_derivation,
)


class RemovedSegment(Record):
    """Site chrome cut from the raw text; clean_text is raw_text without these segments."""

    start: int = Field(
        ge=0, le=INT64_MAX, description="Raw-text offset of the first removed character."
    )
    end: int = Field(
        ge=0, le=INT64_MAX, description="Raw-text offset just past the last removed character."
    )
    kind: ChromeKind = Field(description="What the segment is: promo, share prompt, paywall...")
    rule: NonEmpty = Field(description="Id of the cleaning rule that removed it.")
    text: str = Field(description="The removed raw characters.")


class PublicationDate(Record):
    """When the article was published, and how we know."""

    date: DateValue | None = Field(description="The date, or null when nothing supports one.")
    derivation: DateDerivation = Field(
        description="stated: printed in the text as the publication date (a dateline); "
        "inferred: reasoned from the content (a date printed for something else, or events "
        "that other articles of the corpus date); unknown."
    )
    evidence: str | None = Field(
        description="Raw-text words the date rests on: a dateline, or the content reasoned from."
    )
    note: str | None = Field(description="Why the date is what it is, where that is not obvious.")

    @model_validator(mode="after")
    def _derivation_matches(self) -> Self:
        check_derivation(self.derivation, self.date is not None)
        return self


class Article(Record):
    """One news article, exactly as collected, and its cleaned text that spans point into."""

    id: ArticleId = Field(description="The seed file's name without '.txt'; stable.")
    source_file: NonEmpty = Field(description="Path of the seed file in the repository.")
    sha256: Sha256 = Field(description="SHA-256 of the seed file's raw bytes.")
    title: str | None = Field(description="Headline as printed in the text; null if none.")
    outlet: str | None = Field(description="Publishing outlet, only where the text names it.")
    publication_date: PublicationDate = Field(description="Publication date and its provenance.")
    language: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the body text.")
    raw_text: str = Field(description="The seed file decoded as UTF-8, unchanged.")
    clean_text: str = Field(description="raw_text without site chrome; all claim spans index it.")
    removed_segments: list[RemovedSegment] = Field(
        description="Site chrome removed from raw_text, in raw-text order."
    )
    truncated: bool = Field(description="True when a paywall or subscription notice cuts the text.")
    word_count: int = Field(
        ge=0, le=INT64_MAX, description="Whitespace-separated tokens in clean_text."
    )
    annotation_status: AnnotationStatus = Field(
        description="complete: every claim and event in the article is annotated; not_started: "
        "only the article metadata is, so an absent claim says nothing about the text."
    )

    def raw_offset(self, clean_offset: int) -> int:
        """Where the clean text's character at clean_offset stands in the raw text (for a span
        end, map its last character and add one)."""
        if not 0 <= clean_offset < len(self.clean_text):
            raise ValueError(f"offset {clean_offset} is outside the clean text")
        raw = clean_offset
        for segment in self.removed_segments:
            if segment.start > raw:
                break
            raw += segment.end - segment.start
        return raw

    @model_validator(mode="after")
    def _clean_text_is_raw_minus_removed(self) -> Self:
        kept, cursor = [], 0
        for segment in self.removed_segments:
            if segment.start < cursor or self.raw_text[segment.start : segment.end] != segment.text:
                raise ValueError(f"segment {segment.start}-{segment.end} does not fit raw_text")
            kept.append(self.raw_text[cursor : segment.start])
            cursor = segment.end
        kept.append(self.raw_text[cursor:])
        if "".join(kept) != self.clean_text:
            raise ValueError("clean_text is not raw_text without its removed segments")
        return self
