"""How much of each annotated article the annotations cover, and which number and date
expressions no claim normalizes (each must be annotated or deliberately skipped)."""

import re
from collections import defaultdict
from dataclasses import dataclass

from build_dataset.assemble import Dataset
from schema.values import Span

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|millions?|dozens?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Digits (with their separators: 7,000 67.88% 13:00 30/06/23 27-28), cardinal number words,
# weekday and month names, and the deictic days. Ordinals ("the second war") are not counted.
EXPRESSION = re.compile(
    rf"\d+(?:[.,:/-]\d+)*%?|\b(?:(?i:{_NUMBER_WORDS}|yesterday|today|tomorrow|tonight)"
    rf"|{_WEEKDAYS}|{_MONTHS})\b"
)
_SENTENCE_END = re.compile('([.!?]+[\u201d"\u2019)]*)\\s+|\n+')


@dataclass(frozen=True)
class ArticleCoverage:
    article_id: str
    sentences: int
    annotated_sentences: int
    uncovered: tuple[Span, ...]

    @property
    def share(self) -> float:
        return self.annotated_sentences / self.sentences if self.sentences else 1.0


def expressions(text: str) -> list[Span]:
    return [Span(start=m.start(), end=m.end(), text=m.group()) for m in EXPRESSION.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for gap in _SENTENCE_END.finditer(text):
        end = gap.end(1) if gap.group(1) else gap.start()
        if text[start:end].strip():
            bounds.append((start, end))
        start = gap.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(span.start < end and start < span.end for span in spans)


def coverage(dataset: Dataset) -> list[ArticleCoverage]:
    """One entry per article whose annotation is complete."""
    annotated: dict[str, list[Span]] = defaultdict(list)
    normalized: dict[str, list[Span]] = defaultdict(list)
    for claim in dataset.claims:
        annotated[claim.article_id].append(claim.span)
        normalized[claim.article_id] += [q.span for q in claim.quantities]
        normalized[claim.article_id] += [d.span for d in claim.dates]
    for event in dataset.events:
        for mention in event.mentions:
            annotated[mention.article_id].append(mention.span)
    for article_id, skipped in dataset.skipped.items():
        normalized[article_id] += skipped
    report = []
    for article in dataset.articles:
        if article.annotation_status != "complete":
            continue
        bounds = sentences(article.clean_text)
        report.append(
            ArticleCoverage(
                article_id=article.id,
                sentences=len(bounds),
                annotated_sentences=sum(_overlaps(s, e, annotated[article.id]) for s, e in bounds),
                uncovered=tuple(
                    span
                    for span in expressions(article.clean_text)
                    if not _overlaps(span.start, span.end, normalized[article.id])
                ),
            )
        )
    return report


def format_coverage(report: list[ArticleCoverage]) -> str:
    lines = []
    for entry in report:
        lines.append(
            f"{entry.article_id}: {entry.share:.0%} of {entry.sentences} sentences annotated; "
            f"{len(entry.uncovered)} number/date expression(s) neither normalized nor skipped"
        )
        lines += [f"  {span.text!r} at {span.start}" for span in entry.uncovered]
    return "\n".join(lines)
