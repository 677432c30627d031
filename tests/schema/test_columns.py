"""The column tree: records survive record -> row -> Parquet -> row -> record unchanged, and
every field carries the description the card's field table is built from."""

import hashlib
import inspect
import types
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import BaseModel

import karabakh_schema.annotation
from build_dataset.read.cleaning import clean_article
from build_dataset.write.tables import to_table
from karabakh_schema import RECORD_MODELS, Article, Claim, Event
from karabakh_schema.arrow import arrow_schema
from karabakh_schema.article import PublicationDate
from karabakh_schema.claim import ClaimRelation, DateMention, PlaceMention, Quantity
from karabakh_schema.columns import column_type, from_row, model_columns
from karabakh_schema.event import EventActor, EventFigure, Mention
from karabakh_schema.values import Actor, DateValue, Place, Span

REPO = Path(__file__).resolve().parents[2]
ARTICLE_ID = "001_d2d2eb034c79192f"
SEED = REPO / "seeds" / f"{ARTICLE_ID}.txt"

NAGORNO_KARABAKH = Place(
    id="nagorno-karabakh",
    name="Nagorno-Karabakh",
    geonames_id=None,
    latitude=None,
    longitude=None,
    country_code="AZ",
)
STEPANAKERT = Place(
    id="stepanakert",
    name="Stepanakert",
    geonames_id=174875,
    latitude=39.8177,
    longitude=46.7528,
    country_code="AZ",
)
SEPARATISTS = Actor(
    id="nk-separatist-forces",
    name="Nagorno-Karabakh Armenian separatist forces",
    type="armed_group",
    country_code=None,
)
AZERBAIJAN_FORCES = Actor(
    id="azerbaijan-armed-forces",
    name="Armed Forces of Azerbaijan",
    type="military",
    country_code="AZ",
)


def seed_article() -> Article:
    raw_bytes = SEED.read_bytes()
    raw = raw_bytes.decode("utf-8")
    cleaned = clean_article(raw, "Defence Redefined")
    return Article(
        id=ARTICLE_ID,
        source_file=f"seeds/{ARTICLE_ID}.txt",
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        title="Nagorno-Karabakh | Ceasefire agreement between Armenians & Azerbaijan",
        outlet="Defence Redefined",
        publication_date=PublicationDate(
            date=DateValue.from_iso("2023-09-20"),
            derivation="stated",
            evidence="Published on 20/09/2023 at 11:35",
            note=None,
        ),
        language="en",
        raw_text=raw,
        clean_text=cleaned.clean_text,
        removed_segments=list(cleaned.removed),
        truncated=cleaned.truncated,
        word_count=len(cleaned.clean_text.split()),
        annotation_status="complete",
    )


def span_of(text: str, words: str, within: Span | None = None) -> Span:
    base = within.start if within else 0
    start = text.index(words, base)
    return Span(start=start, end=start + len(words), text=words)


def seed_claim(article: Article) -> Claim:
    text = article.clean_text
    quote = (
        "The separatists of the enclave earlier spoke of 27 dead, including two civilians, "
        "and more than 200 injured, while approximately 7,000 residents of 16 areas were "
        "evacuated from their homes"
    )
    span = span_of(text, quote)
    return Claim(
        id=f"{ARTICLE_ID}-c026",
        article_id=ARTICLE_ID,
        span=span,
        claimant=SEPARATISTS,
        claimant_span=span_of(text, "The separatists of the enclave", span),
        cue=span_of(text, "spoke of", span),
        quote_type="indirect",
        claim_type="figure",
        quantities=[
            Quantity(
                value=27,
                low=None,
                high=None,
                qualifier="exact",
                unit="people",
                measure="fatalities",
                counted="people killed in the offensive, per the separatists' earlier report",
                span=span_of(text, "27 dead", span),
            ),
            Quantity(
                value=200,
                low=200,
                high=None,
                qualifier="more_than",
                unit="people",
                measure="injuries",
                counted="people injured in the offensive",
                span=span_of(text, "more than 200 injured", span),
            ),
            Quantity(
                value=7000,
                low=None,
                high=None,
                qualifier="about",
                unit="people",
                measure="evacuated",
                counted="residents evacuated from their homes",
                span=span_of(text, "approximately 7,000 residents", span),
            ),
        ],
        dates=[
            DateMention(
                value="2023-09-19/2023-09-20",
                start=date(2023, 9, 19),
                end=date(2023, 9, 20),
                precision="day",
                anchor="publication_date",
                anchor_date=date(2023, 9, 20),
                span=span_of(text, "earlier", span),
            ),
        ],
        places=[PlaceMention(span=span_of(text, "the enclave", span), place=NAGORNO_KARABAKH)],
        event_ids=["ev-2023-09-19-azerbaijan-offensive-nagorno-karabakh"],
        relations=[
            ClaimRelation(type="agrees", claim_id=f"{ARTICLE_ID}-c025", note=None),
            ClaimRelation(
                type="different_scope",
                claim_id=f"{ARTICLE_ID}-c024",
                note="c024 counts the dead only; this claim also counts the evacuated.",
            ),
        ],
        note=None,
    )


def seed_event(article: Article) -> Event:
    text = article.clean_text
    return Event(
        id="ev-2023-09-19-azerbaijan-offensive-nagorno-karabakh",
        type="shelling_artillery_missile_attack",
        category="explosions_remote_violence",
        description="Azerbaijani forces shelled Nagorno-Karabakh until the 20 September ceasefire.",
        date=DateValue.from_iso("2023-09-19/2023-09-20"),
        place=STEPANAKERT,
        actors=[
            EventActor(actor=AZERBAIJAN_FORCES, role="initiator"),
            EventActor(actor=SEPARATISTS, role="target"),
        ],
        mentions=[
            Mention(
                article_id=ARTICLE_ID,
                span=span_of(
                    text, "The forces of Azerbaijan shelled Nagorno-Karabakh on Wednesday"
                ),
            ),
            Mention(
                article_id=ARTICLE_ID,
                span=span_of(text, "At least 32 people have been killed in the clashes."),
            ),
        ],
        figures=[
            EventFigure(
                measure="fatalities",
                scope="all people killed in the offensive, as reported",
                best=32,
                low=27,
                high=32,
                claim_ids=[f"{ARTICLE_ID}-c011", f"{ARTICLE_ID}-c025"],
            )
        ],
        note=None,
    )


def unattributed_claim(article: Article) -> Claim:
    """A claim with every optional field null and every list empty."""
    return Claim(
        id=f"{ARTICLE_ID}-c012",
        article_id=ARTICLE_ID,
        span=span_of(article.clean_text, "the breakaway region controlled by ethnic Armenians"),
        claimant=Actor(
            id="defence-redefined", name="Defence Redefined", type="outlet", country_code=None
        ),
        claimant_span=None,
        cue=None,
        quote_type="unattributed",
        claim_type="background",
        quantities=[],
        dates=[],
        places=[],
        event_ids=[],
        relations=[],
        note="The outlet's description of Nagorno-Karabakh.",
    )


def undated_event(article: Article) -> Event:
    return Event(
        id="ev-nagorno-karabakh-evacuation-16-areas",
        type="evacuation",
        category="humanitarian",
        description="About 7,000 residents of 16 areas were evacuated from their homes.",
        date=None,
        place=None,
        actors=[],
        mentions=[
            Mention(
                article_id=ARTICLE_ID,
                span=span_of(article.clean_text, "were evacuated from their homes"),
            )
        ],
        figures=[],
        note=None,
    )


@pytest.fixture(scope="module")
def records() -> dict[str, list[BaseModel]]:
    article = seed_article()
    return {
        "articles": [article],
        "claims": [seed_claim(article), unattributed_claim(article)],
        "events": [seed_event(article), undated_event(article)],
    }


def stored(name: str, records: list[BaseModel]) -> pa.Table:
    """The records as the builder writes them."""
    return to_table(name, [record.model_dump() for record in records], "0.0.0")


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_records_survive_a_parquet_round_trip(
    name: str, records: dict[str, list[BaseModel]], tmp_path: Path
) -> None:
    model, originals = RECORD_MODELS[name], records[name]
    schema = arrow_schema(model)
    table = stored(name, originals)
    path = tmp_path / f"{name}.parquet"
    pq.write_table(table, path)
    read = pq.read_table(path)
    assert read.schema.equals(schema)
    back = [from_row(model, row) for row in read.to_pylist()]
    assert back == originals
    assert [r.model_dump() for r in back] == [r.model_dump() for r in originals]


def test_labels_are_stored_as_their_vocabulary_index(
    records: dict[str, list[BaseModel]],
) -> None:
    row = stored("claims", records["claims"]).to_pylist()[0]
    assert row["quote_type"] == 1  # QuoteType: direct, indirect, unattributed
    assert row["claim_type"] == 1  # ClaimType: event_report, figure, ...
    assert [q["qualifier"] for q in row["quantities"]] == [0, 2, 5]
    assert row["claimant"]["type"] == 3  # ActorType: ..., de_facto_authority, armed_group
    assert row["dates"][0]["start"] == date(2023, 9, 19)
    assert row["claimant_span"]["text"] == "The separatists of the enclave"


def test_seed_spans_index_the_clean_text(records: dict[str, list[BaseModel]]) -> None:
    [article], claim = records["articles"], records["claims"][0]
    assert isinstance(article, Article) and isinstance(claim, Claim)
    spans = [claim.span, claim.cue, *(q.span for q in claim.quantities)]
    for span in spans:
        assert span is not None
        assert article.clean_text[span.start : span.end] == span.text


def test_a_changed_label_index_reads_back_as_the_other_label(
    records: dict[str, list[BaseModel]],
) -> None:
    row = stored("claims", records["claims"]).to_pylist()[0]
    row["quote_type"] = 0
    assert from_row(Claim, row).quote_type == "direct"


def test_unsupported_field_types_fail_loudly() -> None:
    with pytest.raises(TypeError, match="only Optional unions"):
        column_type(int | str)
    with pytest.raises(TypeError, match="no column type"):
        column_type(dict[str, int])


# Descriptions ------------------------------------------------------------------------------


def _models_in(tp: Any) -> list[type[BaseModel]]:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    if get_origin(tp) in (Union, types.UnionType, list):
        return [m for arg in get_args(tp) for m in _models_in(arg)]
    return []


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    pending = list(RECORD_MODELS.values())
    pending += [
        cls
        for _, cls in inspect.getmembers(karabakh_schema.annotation, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == karabakh_schema.annotation.__name__
    ]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            pending += _models_in(field.annotation)
    return seen


def test_the_walk_reaches_nested_and_annotation_models() -> None:
    names = {model.__name__ for model in _all_models()}
    expected = {"Span", "Quantity", "DateMention", "Place", "EventFigure", "RemovedSegment"}
    assert expected | {"ArticleAnnotationFile", "QuantityAnnotation", "EventsFile"} <= names


@pytest.mark.parametrize("model", _all_models(), ids=lambda model: model.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    undescribed = [
        name for name, field in model.model_fields.items() if not (field.description or "").strip()
    ]
    assert undescribed == []


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_every_column_carries_its_field_description(name: str) -> None:
    model = RECORD_MODELS[name]
    columns = model_columns(model)
    assert [c.name for c in columns] == list(model.model_fields)
    for column in columns:
        assert column.description == model.model_fields[column.name].description
