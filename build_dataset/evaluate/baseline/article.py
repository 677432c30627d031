"""One seed's annotation file as the baseline writes it: a claim per attributed sentence, with
the values its rules normalize, and every other number or date expression under skipped.

A value is recorded only where its text first occurs in the quote, since the validator finds
it there; a later repeat is skipped instead, so that no expression is left uncovered."""

import hashlib
from datetime import date
from typing import Any

from build_dataset.check.coverage import expressions, sentences
from build_dataset.evaluate.baseline.attribution import attribute, claim_type, quote_type
from build_dataset.evaluate.baseline.dates import find_dates, published
from build_dataset.evaluate.baseline.names import NameIndex
from build_dataset.evaluate.baseline.quantities import find_quantity
from build_dataset.read.cleaning import clean_article
from build_dataset.read.importers.convert import occurrence

SKIP_REASON = "baseline: not normalized"
LANGUAGE = "en"
"""The rules are English ones; every seed is taken to be in English."""

Spans = list[tuple[int, int]]


def _first(quote: str, text: str, start: int) -> bool:
    return quote.find(text) == start


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    return any(start < e and s < end for s, e in spans)


def _values(
    quote: str, numbers: Spans, publication: date | None, places: NameIndex
) -> tuple[dict[str, Any], Spans]:
    """The quote's quantities, dates and places, and the spans (in the quote) they normalize."""
    resolved, unresolved = find_dates(quote, publication)
    taken: Spans = []
    dates = []
    for found in resolved:
        if _first(quote, found.text, found.start):
            taken.append((found.start, found.end))
            anchor = {"anchor": "absolute", "anchor_date": None}
            if found.anchor_date is not None:
                anchor = {
                    "anchor": "publication_date",
                    "anchor_date": found.anchor_date.isoformat(),
                }
            dates.append({"text": found.text, "value": found.value, **anchor})
    quantities = []
    for start, end in numbers:
        if _overlaps(start, end, taken + unresolved):
            continue
        quantity = find_quantity(quote, start, end)
        if quantity is None or not _first(quote, quantity.text, quantity.start):
            continue
        if _overlaps(quantity.start, quantity.end, taken + unresolved):
            continue
        taken.append((quantity.start, quantity.end))
        figure = quantity.figure
        quantities.append(
            {
                "text": quantity.text,
                "value": _plain(figure.value),
                "low": _plain(figure.low),
                "high": _plain(figure.high),
                "qualifier": figure.qualifier,
                "unit": quantity.unit,
                "measure": quantity.measure,
                "counted": quantity.counted,
            }
        )
    named = {m.text: m.id for m in places.find(quote)}
    values: dict[str, Any] = {
        "quantities": quantities,
        "dates": dates,
        "places": [{"text": text, "place": place} for text, place in named.items()],
    }
    return {k: v for k, v in values.items() if v}, taken


def _plain(x: float | None) -> float | int | None:
    """A whole number written without its '.0', as the hand-written files do."""
    return int(x) if x is not None and x.is_integer() else x


def annotate(article_id: str, raw_bytes: bytes, actors: NameIndex, places: NameIndex) -> Any:
    """The annotation file's data for one seed."""
    raw = raw_bytes.decode("utf-8")
    text = clean_article(raw, None).clean_text
    stated = published(raw)
    publication = stated.day if stated else None
    numbers = [(x.start, x.end) for x in expressions(text)]
    claims: list[dict[str, Any]] = []
    normalized: Spans = []
    for start, end in sentences(text):
        sentence = text[start:end]
        start += len(sentence) - len(sentence.lstrip())
        quote = sentence.strip()
        attribution = attribute(quote, actors)
        if attribution is None:
            continue
        inside = [
            (s - start, e - start) for s, e in numbers if start <= s and e <= start + len(quote)
        ]
        values, taken = _values(quote, inside, publication, places)
        normalized += [(start + s, start + e) for s, e in taken]
        claims.append(
            {
                "id": f"{article_id}-c{len(claims) + 1:03d}",
                "quote": quote,
                **({"occurrence": n} if (n := occurrence(text, quote, start)) else {}),
                "claimant": attribution.claimant.id,
                "claimant_text": attribution.claimant.text,
                "cue": attribution.cue.group(),
                "quote_type": quote_type(quote),
                "claim_type": claim_type(quote, "quantities" in values),
                **values,
            }
        )
    skipped = []
    for s, e in numbers:
        if not _overlaps(s, e, normalized):
            n = occurrence(text, text[s:e], s)
            skipped.append(
                {"text": text[s:e], **({"occurrence": n} if n else {}), "reason": SKIP_REASON}
            )
    return {
        "article": {
            "id": article_id,
            "sha256": hashlib.sha256(raw_bytes).hexdigest(),
            "title": None,
            "outlet": None,
            "language": LANGUAGE,
            "publication_date": {
                "value": publication.isoformat() if publication else None,
                "derivation": "stated" if stated else "unknown",
                "evidence": stated.evidence if stated else None,
            },
        },
        "claims": claims,
        "skipped": skipped,
    }
