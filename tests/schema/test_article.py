"""The article record re-checks that its clean text is its raw text minus the removed segments."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from build_dataset.read.cleaning import clean_article
from karabakh_schema import Article
from karabakh_schema.article import PublicationDate, RemovedSegment
from karabakh_schema.values import DateValue
from tests.records import committed

SEED = Path(__file__).resolve().parents[2] / "seeds" / "003_82aebb510e30787e.txt"


def fields() -> dict[str, Any]:
    raw = SEED.read_text(encoding="utf-8")
    cleaned = clean_article(raw, None)
    return {
        "id": "003_82aebb510e30787e",
        "source_file": "seeds/003_82aebb510e30787e.txt",
        "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest(),
        "title": "Direct peace talks yield fragile truce in Nagorno-Karabakh conflict",
        "outlet": None,
        "publication_date": PublicationDate(
            date=DateValue.from_iso("2023-09"),
            derivation="inferred",
            evidence="The two parties engaged in their initial direct peace discussions "
            "on Thursday",
            note="The talks of 21 September 2023 are reported as recent.",
        ),
        "language": "en",
        "raw_text": raw,
        "clean_text": cleaned.clean_text,
        "removed_segments": list(cleaned.removed),
        "truncated": cleaned.truncated,
        "word_count": len(cleaned.clean_text.split()),
        "annotation_status": "not_started",
    }


def test_the_cleaned_seed_makes_an_article() -> None:
    article = Article(**fields())
    assert article.clean_text.startswith("Direct peace talks yield fragile truce")


def test_clean_text_with_an_extra_character_is_rejected() -> None:
    changed = fields()
    changed["clean_text"] += "."
    with pytest.raises(ValidationError, match="not raw_text without its removed segments"):
        Article(**changed)


def test_a_dropped_segment_is_noticed() -> None:
    changed = fields()
    changed["removed_segments"] = changed["removed_segments"][1:]
    with pytest.raises(ValidationError, match="not raw_text without its removed segments"):
        Article(**changed)


def test_a_segment_whose_text_is_not_at_its_offsets_is_rejected() -> None:
    changed = fields()
    first: RemovedSegment = changed["removed_segments"][0]
    moved = first.model_copy(update={"start": first.start + 1, "end": first.end + 1})
    changed["removed_segments"] = [moved, *changed["removed_segments"][1:]]
    with pytest.raises(ValidationError, match="does not fit raw_text"):
        Article(**changed)


def test_segments_out_of_order_are_rejected() -> None:
    changed = fields()
    changed["removed_segments"] = list(reversed(changed["removed_segments"]))
    with pytest.raises(ValidationError, match="does not fit raw_text"):
        Article(**changed)


def test_unknown_derivation_goes_with_no_date() -> None:
    with pytest.raises(ValidationError, match="exactly when there is no date"):
        PublicationDate(date=None, derivation="stated", evidence=None, note=None)
    with pytest.raises(ValidationError, match="exactly when there is no date"):
        PublicationDate(
            date=DateValue.from_iso("2023-09-20"), derivation="unknown", evidence=None, note=None
        )
    assert PublicationDate(date=None, derivation="unknown", evidence=None, note=None).date is None


def test_raw_offset_maps_every_annotated_character_back_to_the_raw_text() -> None:
    released_articles, released_claims, _ = committed()
    articles = {article.id: article for article in released_articles}
    checked = 0
    for claim in released_claims:
        article = articles[claim.article_id]
        for offset in range(claim.span.start, claim.span.end):
            raw = article.raw_offset(offset)
            assert article.raw_text[raw] == article.clean_text[offset]
            checked += 1
    assert checked > 10_000
    last = articles["001_d2d2eb034c79192f"]
    assert last.raw_text[last.raw_offset(0)] == "N"
    with pytest.raises(ValueError, match="outside the clean text"):
        last.raw_offset(len(last.clean_text))
