"""From annotation files to records: quotes become spans, ids become actors and places, and
every problem is collected with the file, line and field that caused it."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from build_dataset.cleaning import clean_article
from build_dataset.figures import FigureError, derive_figure
from build_dataset.gazetteer import lookup
from build_dataset.inputs import ANNOTATIONS_DIR, Inputs, Seed
from build_dataset.problems import InvalidInput, Problem
from build_dataset.quotes import QuoteError, resolve_quote
from build_dataset.yaml_source import Loc, YamlDocument
from schema.annotation import (
    ActorsFile,
    ArticleAnnotationFile,
    ClaimAnnotation,
    EventAnnotation,
    EventsFile,
    FigureAnnotation,
    PlacesFile,
)
from schema.article import Article, PublicationDate
from schema.claim import Claim, ClaimRelation, DateMention, PlaceMention, Quantity
from schema.event import Event, EventActor, EventFigure, Mention
from schema.values import Actor, DateValue, Place, Span

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Dataset:
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    events: tuple[Event, ...]
    skipped: dict[str, tuple[Span, ...]] = field(default_factory=dict)


@dataclass
class _Context:
    problems: list[Problem] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    place_names: dict[str, set[str]] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    origins: dict[str, tuple[YamlDocument, Loc]] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    skipped: dict[str, tuple[Span, ...]] = field(default_factory=dict)

    def report(self, doc: YamlDocument, loc: Loc, message: str, hint: str | None = None) -> None:
        self.problems.append(doc.problem(loc, message, hint))

    def unknown(self, doc: YamlDocument, loc: Loc, kind: str, key: str, known: Any) -> None:
        """Report a reference to nothing; one to a record that failed is reported there."""
        if key not in self.declared:
            self.report(doc, loc, f"unknown {kind} {key!r}", _known(known))


def _known(ids: Any) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"known ids: {shown}" if names else "none are defined yet"


def _pydantic_hint(error: Any) -> str | None:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "remove the field or correct its name"
    if kind == "missing":
        return "add the field"
    if kind == "literal_error":
        return "use one of the values listed"
    return None


def _declare(data: Any, key: str, ctx: _Context) -> None:
    """Remember the ids a file declares, valid or not, so that references to them stay quiet."""
    items = data.get(key) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ctx.declared.add(item["id"])


def validate_document(
    doc: YamlDocument, model: type[M], ctx: _Context, items: str
) -> tuple[M | None, list[int]]:
    """The document as a model after reporting every field error with its line.

    Items of the list field `items` that fail are dropped so the rest can still be checked;
    the second value gives each kept item's index in the file. None when anything else fails."""
    data = doc.data
    try:
        valid = model.model_validate_json(json.dumps(data))
        return valid, list(range(len(getattr(valid, items) or [])))
    except ValidationError as error:
        bad_items, other = set(), False
        for item in error.errors():
            loc = tuple(item["loc"])
            ctx.report(doc, loc, item["msg"], _pydantic_hint(item))
            if len(loc) > 2 and loc[0] == items and isinstance(loc[1], int):
                bad_items.add(loc[1])
            else:
                other = True
    if other:
        return None, []
    kept = [i for i in range(len(data[items])) if i not in bad_items]
    salvaged = {**data, items: [data[items][i] for i in kept]}
    return model.model_validate_json(json.dumps(salvaged)), kept


def _registries(inputs: Inputs, ctx: _Context) -> None:
    _declare(inputs.actors.data, "actors", ctx)
    actors, kept = validate_document(inputs.actors, ActorsFile, ctx, "actors")
    for index, entry in zip(kept, actors.actors if actors else [], strict=True):
        if entry.id in ctx.actors:
            ctx.report(inputs.actors, ("actors", index, "id"), f"duplicate actor id {entry.id!r}")
        ctx.actors[entry.id] = Actor(
            id=entry.id, name=entry.name, type=entry.type, country_code=entry.country_code
        )
    _declare(inputs.places.data, "places", ctx)
    places, kept = validate_document(inputs.places, PlacesFile, ctx, "places")
    for index, place in zip(kept, places.places if places else [], strict=True):
        loc: Loc = ("places", index)
        if place.id in ctx.places:
            ctx.report(inputs.places, (*loc, "id"), f"duplicate place id {place.id!r}")
        geo = lookup(place.geonames_id) if place.geonames_id is not None else None
        if place.geonames_id is not None and geo is None:
            ctx.report(
                inputs.places,
                (*loc, "geonames_id"),
                f"GeoNames id {place.geonames_id} is not in the bundled GeoNames extract",
                "use an id from the extract, or null with a note",
            )
        if geo is not None and place.country_code not in (None, geo.country_code):
            ctx.report(
                inputs.places,
                (*loc, "country_code"),
                f"GeoNames places {geo.name} in {geo.country_code}, not {place.country_code}",
            )
        ctx.places[place.id] = Place(
            id=place.id,
            name=place.name,
            geonames_id=place.geonames_id if geo else None,
            latitude=geo.latitude if geo else None,
            longitude=geo.longitude if geo else None,
            country_code=place.country_code,
        )
        ctx.place_names[place.id] = {place.name, *place.variants}


def _article(seed: Seed, doc: YamlDocument, ann: ArticleAnnotationFile, ctx: _Context) -> None:
    meta = ann.article
    try:
        raw = seed.raw.decode("utf-8")
    except UnicodeDecodeError as error:
        ctx.problems.append(Problem(seed.path, None, None, "", f"not UTF-8 (byte {error.start})"))
        return
    digest = hashlib.sha256(seed.raw).hexdigest()
    if digest != meta.sha256:
        ctx.report(
            doc,
            ("article", "sha256"),
            f"{seed.path} changed since it was annotated (its sha256 is now {digest})",
            "restore the seed, or re-check every quote against the new text and update sha256",
        )
    for name in ("title", "outlet"):
        value = getattr(meta, name)
        if value is not None and value not in raw:
            ctx.report(
                doc, ("article", name), f"{value!r} is not in {seed.path}", "quote it exactly"
            )
    published = meta.publication_date
    evidence = published.evidence
    if evidence is not None and evidence not in raw:
        ctx.report(doc, ("article", "publication_date", "evidence"), "evidence not in the text")
    try:
        date = DateValue.from_iso(published.value) if published.value else None
        publication = PublicationDate(
            date=date, derivation=published.derivation, evidence=evidence, note=published.note
        )
    except (ValueError, ValidationError) as error:
        ctx.report(doc, ("article", "publication_date", "value"), str(error).splitlines()[0])
        return
    cleaned = clean_article(raw, meta.outlet)
    ctx.articles[meta.id] = Article(
        id=meta.id,
        source_file=seed.path,
        sha256=digest,
        title=meta.title,
        outlet=meta.outlet,
        publication_date=publication,
        language=meta.language,
        raw_text=raw,
        clean_text=cleaned.clean_text,
        removed_segments=list(cleaned.removed),
        truncated=cleaned.truncated,
        word_count=len(cleaned.clean_text.split()),
        annotation_status="not_started" if ann.claims is None else "complete",
    )


def _span(text: str, quote: str, occurrence: int | None, base: int = 0) -> Span:
    start, end = resolve_quote(text, quote, occurrence)
    return Span(start=base + start, end=base + end, text=quote)


def _claim(
    article: Article, doc: YamlDocument, loc: Loc, ann: ClaimAnnotation, ctx: _Context
) -> Claim | None:
    if not ann.id.startswith(f"{article.id}-"):
        ctx.report(doc, (*loc, "id"), f"claim id must start with '{article.id}-'")
    try:
        span = _span(article.clean_text, ann.quote, ann.occurrence)
    except QuoteError as error:
        ctx.report(doc, (*loc, "quote"), error.message, error.hint)
        return None
    failed = False

    def inner(text: str, at: Loc) -> Span | None:
        nonlocal failed
        try:
            return _span(ann.quote, text, 1, span.start)
        except QuoteError as error:
            failed = True
            ctx.report(doc, at, f"{error.message} within the claim's quote", error.hint)
            return None

    claimant = ctx.actors.get(ann.claimant)
    if claimant is None:
        failed = True
        ctx.unknown(doc, (*loc, "claimant"), "actor", ann.claimant, ctx.actors)
    claimant_span = inner(ann.claimant_text, (*loc, "claimant_text")) if ann.claimant_text else None
    cue = inner(ann.cue, (*loc, "cue")) if ann.cue else None
    quantities = []
    for i, q in enumerate(ann.quantities):
        q_span = inner(q.text, (*loc, "quantities", i, "text"))
        if q_span is not None:
            quantities.append(Quantity(**q.model_dump(exclude={"text"}), span=q_span))
    dates = []
    for i, d in enumerate(ann.dates):
        d_loc: Loc = (*loc, "dates", i)
        d_span = inner(d.text, (*d_loc, "text"))
        try:
            value = DateValue.from_iso(d.value)
        except ValueError as error:
            failed = True
            ctx.report(doc, (*d_loc, "value"), str(error))
            continue
        published = article.publication_date.date
        if d.anchor == "publication_date" and (
            published is None
            or published.precision != "day"
            or d.anchor_date is None
            or not published.start <= d.anchor_date <= published.end
        ):
            failed = True
            ctx.report(
                doc,
                (*d_loc, "anchor_date"),
                "anchor is publication_date, but anchor_date is not a day the article's "
                "publication date allows",
                f"the publication date is {published.value if published else 'unknown'}",
            )
        if d_span is not None:
            dates.append(
                DateMention(
                    **value.model_dump(), anchor=d.anchor, anchor_date=d.anchor_date, span=d_span
                )
            )
    places = []
    for i, p in enumerate(ann.places):
        p_loc: Loc = (*loc, "places", i)
        place = ctx.places.get(p.place)
        if place is None:
            failed = True
            ctx.unknown(doc, (*p_loc, "place"), "place", p.place, ctx.places)
            continue
        if p.text not in ctx.place_names[p.place]:
            failed = True
            ctx.report(
                doc,
                (*p_loc, "text"),
                f"{p.text!r} is not a known spelling of {place.name}",
                f"add it to the variants of {p.place!r} in {ANNOTATIONS_DIR}/places.yaml",
            )
        p_span = inner(p.text, (*p_loc, "text"))
        if p_span is not None:
            places.append(PlaceMention(span=p_span, place=place))
    if failed or claimant is None:
        return None
    return Claim(
        id=ann.id,
        article_id=article.id,
        span=span,
        claimant=claimant,
        claimant_span=claimant_span,
        cue=cue,
        quote_type=ann.quote_type,
        claim_type=ann.claim_type,
        quantities=quantities,
        dates=dates,
        places=places,
        event_ids=list(ann.events),
        relations=[
            ClaimRelation(type=r.type, claim_id=r.claim, note=r.note) for r in ann.relations
        ],
        note=ann.note,
    )


def _overlap_badly(a: Span, b: Span) -> bool:
    """Partly overlapping: they share characters, yet neither contains the other."""
    shared = a.start < b.end and b.start < a.end
    nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    return shared and not nested


def _event(doc: YamlDocument, loc: Loc, ann: EventAnnotation, ctx: _Context) -> Event | None:
    """The event, or None if a mention, actor or place cannot be resolved (all are reported).

    Figures that disagree with their claims are reported, and the derived values kept, so that
    the claims about this event are still checked."""
    failed = False
    mentions: list[Mention] = []
    for i, m in enumerate(ann.mentions):
        article = ctx.articles.get(m.article)
        if article is None:
            failed = True
            ctx.unknown(doc, (*loc, "mentions", i, "article"), "article", m.article, ctx.articles)
            continue
        try:
            span = _span(article.clean_text, m.quote, m.occurrence)
        except QuoteError as error:
            failed = True
            ctx.report(doc, (*loc, "mentions", i, "quote"), error.message, error.hint)
            continue
        for j, other in enumerate(mentions):
            if other.article_id == article.id and _overlap_badly(span, other.span):
                failed = True
                ctx.report(
                    doc,
                    (*loc, "mentions", i, "quote"),
                    f"mention overlaps another mention of this event ({other.span.text!r}) "
                    "without containing it or being contained",
                    "merge the two quotes into one mention, or make them disjoint",
                )
                break
            if other.article_id == article.id and other.span == span:
                failed = True
                ctx.report(doc, (*loc, "mentions", i), f"repeats mention {j} of this event")
                break
        mentions.append(Mention(article_id=article.id, span=span))
    actors = []
    for i, a in enumerate(ann.actors):
        actor = ctx.actors.get(a.actor)
        if actor is None:
            failed = True
            ctx.unknown(doc, (*loc, "actors", i, "actor"), "actor", a.actor, ctx.actors)
        else:
            actors.append(EventActor(actor=actor, role=a.role))
    place = ctx.places.get(ann.place) if ann.place else None
    if ann.place and place is None:
        failed = True
        ctx.unknown(doc, (*loc, "place"), "place", ann.place, ctx.places)
    figures = [
        f for i, a in enumerate(ann.figures) if (f := _figure(doc, (*loc, "figures", i), a, ctx))
    ]
    try:
        date = DateValue.from_iso(ann.date.value) if ann.date else None
    except ValueError as error:
        ctx.report(doc, (*loc, "date", "value"), str(error))
        return None
    if failed:
        return None
    try:
        return Event(
            id=ann.id,
            type=ann.type,
            category=ann.category,
            description=ann.description,
            date=date,
            place=place,
            actors=actors,
            mentions=mentions,
            figures=figures,
            note=ann.note,
        )
    except ValidationError as error:
        for item in error.errors():
            ctx.report(doc, (*loc, *item["loc"]), item["msg"])
        return None


def _figure(
    doc: YamlDocument, loc: Loc, ann: FigureAnnotation, ctx: _Context
) -> EventFigure | None:
    missing = False
    for i, claim_id in enumerate(ann.claims):
        if claim_id not in ctx.claims:
            missing = True
            ctx.unknown(doc, (*loc, "claims", i), "claim", claim_id, ctx.claims)
    if missing:
        return None
    try:
        best, low, high = derive_figure(ann.measure, [ctx.claims[c] for c in ann.claims])
    except FigureError as error:
        ctx.report(doc, (*loc, "claims"), str(error))
        return None
    if (ann.best, ann.low, ann.high) != (best, low, high):
        ctx.report(
            doc,
            loc,
            f"figures do not follow from their claims: best/low/high should be "
            f"{best:g}/{low:g}/{high:g}, not {ann.best:g}/{ann.low:g}/{ann.high:g}",
            "see the figure rule in schema/event.py EventFigure",
        )
    return EventFigure(
        measure=ann.measure,
        scope=ann.scope,
        best=best,
        low=low,
        high=high,
        claim_ids=list(ann.claims),
    )


def _check_references(claims: list[Claim], events: list[Event], ctx: _Context) -> None:
    """Ids that point at other records resolve, and every claim's event is mentioned there."""
    event_ids = {event.id for event in events}
    mentioned = {(m.article_id, event.id) for event in events for m in event.mentions}
    for claim in claims:
        doc, loc = ctx.origins[claim.id]
        for i, event_id in enumerate(claim.event_ids):
            if event_id not in event_ids:
                ctx.unknown(doc, (*loc, "events", i), "event", event_id, event_ids)
            elif (claim.article_id, event_id) not in mentioned:
                ctx.report(
                    doc,
                    (*loc, "events", i),
                    f"event {event_id!r} has no mention in article {claim.article_id}",
                    "add a mention of it from this article in events.yaml",
                )
        for i, relation in enumerate(claim.relations):
            r_loc: Loc = (*loc, "relations", i, "claim")
            if relation.claim_id not in ctx.claims:
                ctx.unknown(doc, r_loc, "claim", relation.claim_id, ctx.claims)
            elif relation.claim_id == claim.id:
                ctx.report(doc, r_loc, "a claim cannot relate to itself")


def _check_spans(dataset: Dataset, ctx: _Context) -> None:
    """Every span lies inside its article's clean text and holds exactly its text."""
    texts = {article.id: article.clean_text for article in dataset.articles}
    located: list[tuple[str, str, Span | None]] = []
    for claim in dataset.claims:
        spans = [claim.span, claim.claimant_span, claim.cue]
        spans += [q.span for q in claim.quantities] + [d.span for d in claim.dates]
        spans += [p.span for p in claim.places]
        located += [(claim.id, claim.article_id, span) for span in spans]
    for event in dataset.events:
        located += [(event.id, m.article_id, m.span) for m in event.mentions]
    for record_id, article_id, span in located:
        if span is not None and texts[article_id][span.start : span.end] != span.text:
            doc, loc = ctx.origins[record_id]
            ctx.report(doc, loc, f"span {span.start}-{span.end} does not hold {span.text!r}")


def _articles(
    inputs: Inputs, ctx: _Context
) -> list[tuple[YamlDocument, ArticleAnnotationFile, list[int]]]:
    seeds = {seed.id: seed for seed in inputs.seeds}
    annotated = []
    for doc in inputs.articles:
        ctx.declared.add(Path(doc.path).stem)
        _declare(doc.data, "article", ctx)
        _declare(doc.data, "claims", ctx)
        ann, kept = validate_document(doc, ArticleAnnotationFile, ctx, "claims")
        if ann is None:
            continue
        seed = seeds.get(ann.article.id)
        if seed is None:
            ctx.report(
                doc, ("article", "id"), f"no seed file seeds/{ann.article.id}.txt", _known(seeds)
            )
            continue
        if doc.path.endswith(".yaml") and doc.path != f"{ANNOTATIONS_DIR}/{seed.id}.yaml":
            ctx.report(
                doc,
                ("article", "id"),
                f"annotations of {seed.id} belong in {ANNOTATIONS_DIR}/{seed.id}.yaml",
            )
        annotated.append((doc, ann, kept))
        _article(seed, doc, ann, ctx)
        if ann.article.id in ctx.articles:
            _skipped(ctx.articles[ann.article.id], doc, ann, ctx)
    for seed_id in sorted(set(seeds) - ctx.declared):
        ctx.problems.append(
            Problem(
                seeds[seed_id].path,
                None,
                None,
                "",
                "seed has no annotation file",
                f"create {ANNOTATIONS_DIR}/{seed_id}.yaml",
            )
        )
    return annotated


def _skipped(
    article: Article, doc: YamlDocument, ann: ArticleAnnotationFile, ctx: _Context
) -> None:
    spans = []
    for i, skip in enumerate(ann.skipped):
        try:
            spans.append(_span(article.clean_text, skip.text, skip.occurrence))
        except QuoteError as error:
            ctx.report(doc, ("skipped", i, "text"), error.message, error.hint)
    ctx.skipped[article.id] = tuple(spans)


def assemble(inputs: Inputs) -> Dataset:
    """Every record the inputs describe; raises InvalidInput listing every problem found."""
    ctx = _Context()
    _registries(inputs, ctx)
    claims: list[Claim] = []
    for doc, ann, kept in _articles(inputs, ctx):
        article = ctx.articles.get(ann.article.id)
        for index, claim_ann in zip(kept, ann.claims or [], strict=True):
            loc: Loc = ("claims", index)
            if claim_ann.id in ctx.origins:
                ctx.report(doc, (*loc, "id"), f"duplicate claim id {claim_ann.id!r}")
                continue
            ctx.origins[claim_ann.id] = (doc, loc)
            claim = _claim(article, doc, loc, claim_ann, ctx) if article else None
            if claim is not None:
                ctx.claims[claim.id] = claim
                claims.append(claim)
    events: list[Event] = []
    _declare(inputs.events.data, "events", ctx)
    events_file, kept = validate_document(inputs.events, EventsFile, ctx, "events")
    for index, event_ann in zip(kept, events_file.events if events_file else [], strict=True):
        loc = ("events", index)
        if event_ann.id in ctx.origins:
            ctx.report(inputs.events, (*loc, "id"), f"duplicate event id {event_ann.id!r}")
            continue
        ctx.origins[event_ann.id] = (inputs.events, loc)
        event = _event(inputs.events, loc, event_ann, ctx)
        if event is not None:
            events.append(event)
    _check_references(claims, events, ctx)
    dataset = Dataset(
        articles=tuple(sorted(ctx.articles.values(), key=lambda a: a.id)),
        claims=tuple(sorted(claims, key=lambda c: c.id)),
        events=tuple(sorted(events, key=lambda e: e.id)),
        skipped=ctx.skipped,
    )
    _check_spans(dataset, ctx)
    if ctx.problems:
        raise InvalidInput(ctx.problems)
    return dataset
