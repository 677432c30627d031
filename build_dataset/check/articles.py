"""From one article annotation to rows: quotes become spans, ids become actors and places, and
every problem is collected with the file, line and field that caused it. Everything here
depends only on the article, its seed and the registries, so articles are checked in parallel."""

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from build_dataset.check.coverage import WEEKDAYS, ArticleCoverage, article_coverage
from build_dataset.check.figures import FigureClaim
from build_dataset.check.quotes import QuoteError, found_once, resolve_quote
from build_dataset.problems import InvalidInput, Problem, field_path, undecodable
from build_dataset.read.cleaning import WHITESPACE_RULE, clean_article, raw_offset
from build_dataset.read.event_registry import ArticleEvents, MentionRef
from build_dataset.read.inputs import (
    ANNOTATIONS_DIR,
    SEED_NAMES,
    SEEDS_DIR,
    ArticleSource,
    leads_out,
    link_problem,
    reference_problem,
    reference_problem_in,
)
from build_dataset.read.jsonl_source import check_keys, line_document, line_text, parse_line
from build_dataset.read.number_words import Figure, disagreement
from build_dataset.read.registries import (
    Registries,
    declared_ids,
    known,
    nearby,
    validate_document,
)
from build_dataset.read.yaml_source import Loc, YamlDocument, read_yaml, yaml_document
from karabakh_schema.annotation import ArticleAnnotationFile, ClaimAnnotation
from karabakh_schema.values import parse_iso_value

Row = dict[str, Any]


class Where(NamedTuple):
    """Where a value was written, for problems found once all articles are read (a tuple: a
    shard makes one per claim)."""

    file: str
    line: int | None
    column: int | None
    field: str

    def problem(self, message: str, hint: str | None = None) -> Problem:
        return Problem(self.file, self.line, self.column, self.field, message, hint)

    @classmethod
    def of(cls, doc: YamlDocument, loc: Loc) -> "Where":
        return cls(doc.path, *doc.position(loc), field_path(loc))


@dataclass(frozen=True)
class MentionResult:
    event: int
    index: int
    span: Row | None
    problem: tuple[Loc, str, str | None] | None = None


@dataclass
class ArticleResults:
    """What a group of articles contributes to the dataset and to the checks across articles."""

    articles: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    declared_articles: list[str] = field(default_factory=list)
    article_origins: list[tuple[str, Where]] = field(default_factory=list)
    declared_claims: list[str] = field(default_factory=list)
    """Claim ids read from files that had to be parsed (YAML, invalid JSON Lines), valid or
    not; the ids of valid claims are in claim_origins in any case."""
    claim_origins: list[tuple[str, Where]] = field(default_factory=list)
    relations: list[tuple[str, str, Where]] = field(default_factory=list)
    """Relations to claims of other articles: source, target, where the target is written."""
    supersedes: list[tuple[str, str, Where]] = field(default_factory=list)
    """Every supersedes relation between two claims, in any articles, to find cycles in."""
    mentions: list[MentionResult] = field(default_factory=list)
    figure_claims: dict[str, FigureClaim] = field(default_factory=dict)
    coverage: list[ArticleCoverage] = field(default_factory=list)
    unreadable: bool = False
    shard_claims: set[str] = field(default_factory=set)


@dataclass
class _Doc:
    doc: YamlDocument
    reg: Registries
    out: ArticleResults
    events: ArticleEvents
    claims: set[str]
    """The claim ids the file declares, valid or not."""
    mentioned: set[str] = field(default_factory=set)
    """The events the article mentions."""

    def report(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.out.problems.append(self.doc.problem(loc, message, hint))

    def unknown(self, loc: Loc, kind: str, key: str) -> None:
        self.out.problems += self.reg.unknown(self.doc, loc, kind, key)


def known_spelling(text: str, spellings: set[str]) -> bool:
    """One of the spellings, its first letter raised or lowered as a sentence's start does."""
    return text in spellings or text[:1].swapcase() + text[1:] in spellings


def _span(text: str, quote: str, occurrence: int | None, base: int = 0) -> Row:
    start, end = resolve_quote(text, quote, occurrence)
    return {"start": base + start, "end": base + end, "text": quote}


def _clean_span(article: Row, quote: str, occurrence: int | None) -> Row:
    """The quote's span in the article's clean text. Words that a cleaning rule removed as site
    chrome are said to be so: the closest text would not tell why they are not there."""
    try:
        return _span(article["clean_text"], quote, occurrence)
    except QuoteError:
        rule = None if quote in article["clean_text"] else _chrome_rule(article, quote)
        if rule is None:
            raise
        raise QuoteError(
            f"quote is in the seed, but was removed as site chrome by cleaning rule {rule!r}, "
            "so it cannot be quoted",
            "quote the article's own words",
        ) from None


def _chrome_rule(article: Row, quote: str) -> str | None:
    """The cleaning rule that removed the quote, or part of it, from the raw text, if any."""
    start = article["raw_text"].find(quote)
    end = start + len(quote)
    segments = article["removed_segments"] if start != -1 else []
    return next(
        (
            s["rule"]
            for s in segments
            if s["start"] < end and start < s["end"] and s["rule"] != WHITESPACE_RULE
        ),
        None,
    )


_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b")
# Words that make the weekday a reference point rather than the day itself ("the day after
# Sunday's vote", "since Monday").
_RELATIVE = re.compile(
    r"\b(?:after|before|since|until|from|following|previous|ago|later|earlier)\b|['\u2019]s\b",
    re.IGNORECASE,
)


def weekday_mismatch(text: str, value: Row) -> str | None:
    """Why a day does not fit the one weekday an English date expression names ('on Wednesday'
    resolved to a Thursday, a slip in counting from the anchor), or None when it fits, the
    text names no single weekday of a single day, or the weekday is only a reference point."""
    named = set(_WEEKDAY.findall(text))
    if value["precision"] != "day" or value["start"] != value["end"] or len(named) != 1:
        return None
    if _RELATIVE.search(text):
        return None
    actual = WEEKDAYS[value["start"].weekday()]
    if named == {actual}:
        return None
    return f"the text names a {named.pop()}, but {value['value']} is a {actual}"


def date_row(value: str) -> Row:
    """An ISO date as a DateValue row."""
    start, end, precision = parse_iso_value(value)
    return {"value": value, "start": start, "end": end, "precision": precision}


def _read(
    root: Path, source: ArticleSource, problems: list[Problem]
) -> tuple[YamlDocument, str | None]:
    """The source as a document, and its JSON text when it is a JSON Lines line."""
    if source.line is None:
        if source.text is None:
            path = root / source.file
            document = read_yaml(path, source.file)
            problem = reference_problem(path, source.file)
        else:  # the bytes the main process read (and keyed its cache by)
            document = yaml_document(source.text, source.file)
            problem = reference_problem_in(source.text, source.file)
        if problem is not None:
            problems.append(problem)
        return document, None
    assert source.text is not None
    text = line_text(source.file, source.line, source.text)
    return line_document(source.file, source.line, None), text


def _validated(
    doc: YamlDocument, text: str | None, problems: list[Problem]
) -> tuple[YamlDocument, ArticleAnnotationFile | None, list[int]]:
    """JSON Lines are validated as written, and parsed only to report what is wrong."""
    if text is not None:
        assert doc.positions
        number = doc.positions[()][0]
        try:
            ann = ArticleAnnotationFile.model_validate_json(text)
        except ValidationError:
            doc = line_document(doc.path, number, parse_line(doc.path, number, text))
        else:
            check_keys(doc.path, number, text)
            return doc, ann, list(range(len(ann.claims or [])))
    return (doc, *validate_document(doc, ArticleAnnotationFile, "claims", problems))


def _publication(ann: ArticleAnnotationFile, raw: str, d: _Doc) -> Row | None:
    published = ann.article.publication_date
    if published.evidence is not None and published.evidence not in raw:
        d.report(("article", "publication_date", "evidence"), "evidence not in the text")
    try:
        date = date_row(published.value) if published.value else None
    except ValueError as error:
        d.report(("article", "publication_date", "value"), str(error))
        return None
    return {
        "date": date,
        "derivation": published.derivation,
        "evidence": published.evidence,
        "note": published.note,
    }


def _article(seed_path: str, raw_bytes: bytes, ann: ArticleAnnotationFile, d: _Doc) -> Row | None:
    meta = ann.article
    try:
        raw = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column, message = undecodable(raw_bytes, error)
        d.out.problems.append(Problem(seed_path, line, column, "", message))
        d.report(  # here too, so that a check of this file alone does not call it valid
            ("article", "id"),
            f"the article is not checked: its seed {seed_path} cannot be read",
            f"see the problem at {seed_path}:{line}:{column}",
        )
        return None
    digest = hashlib.sha256(raw_bytes).hexdigest()
    if (named := d.reg.seeds.misnamed(meta.id, digest)) is not None:
        d.report(
            ("article", "id"),
            f"{seed_path} is not named by its content: its SHA-256 begins {digest[:16]}",
            f"name a new seed {SEEDS_DIR}/{named}.txt, its annotation file and article.id "
            f"after it; if the seed was edited, restore it; a seed released under the name "
            f"its collector gave it keeps it, listed in {SEED_NAMES}",
        )
    if digest != meta.sha256:
        d.report(
            ("article", "sha256"),
            f"{seed_path} changed since it was annotated (its sha256 is now {digest})",
            "restore the seed, or re-check every quote against the new text and update sha256",
        )
    for name in ("title", "outlet"):
        value = getattr(meta, name)
        if value is not None and value not in raw:
            d.report(("article", name), f"{value!r} is not in {seed_path}", "quote it exactly")
    publication = _publication(ann, raw, d)
    if publication is None:
        return None
    cleaned = clean_article(raw, meta.outlet)
    return {
        "id": meta.id,
        "source_file": seed_path,
        "sha256": digest,
        "title": meta.title,
        "outlet": meta.outlet,
        "publication_date": publication,
        "language": meta.language,
        "raw_text": raw,
        "clean_text": cleaned.clean_text,
        # The segments' fields, as model_dump gives them (plain values), in a tenth of its time.
        "removed_segments": [vars(segment).copy() for segment in cleaned.removed],
        "truncated": cleaned.truncated,
        "word_count": len(cleaned.clean_text.split()),
        "annotation_status": "not_started" if ann.claims is None else "complete",
    }


def _claim(article: Row, loc: Loc, ann: ClaimAnnotation, d: _Doc) -> Row | None:
    article_id, quote = article["id"], ann.quote
    start = found_once(article["clean_text"], quote) if ann.occurrence is None else None
    if start is not None:
        span: Row = {"start": start, "end": start + len(quote), "text": quote}
    else:
        try:
            span = _clean_span(article, quote, ann.occurrence)
        except QuoteError as error:
            d.report((*loc, "quote"), error.message, error.hint)
            return None
    failed = False

    def inner(part: str, at: Loc) -> Row | None:
        """The part's span within the quote; at is where the part is written, within the
        claim (the whole place is made only for a problem: a shard locates 50,000 parts)."""
        nonlocal failed
        if (start := quote.find(part)) != -1:  # its first occurrence, as _span finds it
            start += span["start"]
            return {"start": start, "end": start + len(part), "text": part}
        try:
            return _span(quote, part, 1, span["start"])
        except QuoteError as error:
            failed = True
            d.report((*loc, *at), f"{error.message} within the claim's quote", error.hint)
            return None

    claimant = d.reg.actors.get(ann.claimant)
    if claimant is None:
        failed = True
        d.unknown((*loc, "claimant"), "actor", ann.claimant)
    claimant_span = inner(ann.claimant_text, ("claimant_text",)) if ann.claimant_text else None
    if (
        claimant is not None
        and ann.claimant_text
        and not known_spelling(ann.claimant_text, d.reg.actor_names[ann.claimant])
        and not known_spelling(ann.claimant_text, d.reg.context_dependent)
    ):
        failed = True
        d.report(
            (*loc, "claimant_text"),
            f"{ann.claimant_text!r} is not a known spelling of {claimant['name']}",
            f"add it to the variants of {ann.claimant!r} in {d.reg.actors_file}, or, "
            "if it names different actors in different sentences, to context_dependent there "
            "and say in the claim's note whom it names",
        )
    cue = inner(ann.cue, ("cue",)) if ann.cue else None
    quantities = []
    for i, q in enumerate(ann.quantities):
        q_span = inner(q.text, ("quantities", i, "text"))
        if q_span is None:
            continue
        figure = Figure(q.value, q.low, q.high, q.qualifier)
        wrong = disagreement(q.text, figure) if article["language"] == "en" else None
        if wrong is not None:  # the claim fails, so no event figure is derived from it
            failed = True
            name, message, hint = wrong
            d.report((*loc, "quantities", i, name), message, hint)
        # Its fields but the text (its span stands for it), as model_dump gives them (plain
        # values), in a twentieth of its time.
        quantity = vars(q).copy()
        del quantity["text"]
        quantity["span"] = q_span
        quantities.append(quantity)
    dates = []
    published = article["publication_date"]["date"]
    for i, date_ann in enumerate(ann.dates):
        d_loc: Loc = (*loc, "dates", i)
        d_span = inner(date_ann.text, ("dates", i, "text"))
        try:
            value = date_row(date_ann.value)
        except ValueError as error:
            failed = True
            d.report((*d_loc, "value"), str(error))
            continue
        mismatch = weekday_mismatch(date_ann.text, value) if article["language"] == "en" else None
        if mismatch is not None:
            failed = True
            d.report((*d_loc, "value"), mismatch, "resolve the expression again from its anchor")
        if date_ann.anchor == "publication_date" and (
            published is None
            or published["precision"] != "day"
            or date_ann.anchor_date is None
            or not published["start"] <= date_ann.anchor_date <= published["end"]
        ):
            failed = True
            d.report(
                (*d_loc, "anchor_date"),
                "anchor is publication_date, but anchor_date is not a day the article's "
                "publication date allows",
                f"the publication date is {published['value'] if published else 'unknown'}",
            )
        if d_span is not None:
            anchor = {"anchor": date_ann.anchor, "anchor_date": date_ann.anchor_date}
            dates.append({**value, **anchor, "span": d_span})
    places = []
    for i, p in enumerate(ann.places):
        p_loc: Loc = (*loc, "places", i)
        place = d.reg.places.get(p.place)
        if place is None:
            failed = True
            d.unknown((*p_loc, "place"), "place", p.place)
            continue
        if p.text not in d.reg.place_names[p.place]:
            failed = True
            d.report(
                (*p_loc, "text"),
                f"{p.text!r} is not a known spelling of {place['name']}",
                f"add it to the variants of {p.place!r} in {d.reg.places_file}",
            )
        p_span = inner(p.text, ("places", i, "text"))
        if p_span is not None:
            places.append({"span": p_span, "place": place})
    for i, event_id in enumerate(ann.events):
        if event_id not in d.events.events:
            d.unknown((*loc, "events", i), "event", event_id)
        elif event_id not in d.mentioned:
            d.report(
                (*loc, "events", i),
                f"event {event_id!r} has no mention in article {article_id}",
                "add a mention of it from this article in events.yaml",
            )
    listed: dict[tuple[str, str], int] = {}
    for i, relation in enumerate(ann.relations):
        r_loc: Loc = (*loc, "relations", i, "claim")
        first = listed.setdefault((relation.type, relation.claim), i)
        if first != i:
            failed = True
            message = f"repeats relations[{first}] ({relation.type} {relation.claim})"
            d.report((*loc, "relations", i), message, "remove one of the two")
        elif relation.claim != ann.id and relation.type == "supersedes":
            d.out.supersedes.append((ann.id, relation.claim, Where.of(d.doc, r_loc)))
        if relation.claim == ann.id:
            d.report(r_loc, "a claim cannot relate to itself")
        elif not relation.claim.startswith(f"{article_id}-"):  # checked once all are read
            d.out.relations.append((ann.id, relation.claim, Where.of(d.doc, r_loc)))
        elif relation.claim not in d.claims:  # so also when this file is checked alone
            claims = sorted(d.claims)
            hint = known(relation.claim, nearby(claims, relation.claim), len(claims), "in the file")
            d.report(r_loc, f"unknown claim {relation.claim!r}", hint)
    if failed or claimant is None:
        return None
    return {
        "id": ann.id,
        "article_id": article_id,
        "span": span,
        "claimant": claimant,
        "claimant_span": claimant_span,
        "cue": cue,
        "quote_type": ann.quote_type,
        "claim_type": ann.claim_type,
        "quantities": quantities,
        "dates": dates,
        "places": places,
        "event_ids": list(ann.events),
        "relations": [{"type": r.type, "claim_id": r.claim, "note": r.note} for r in ann.relations],
        "note": ann.note,
    }


def _sameness(claim: Row) -> str:
    """What two claims of an article share when one repeats the other: everything but their
    ids and notes (of the claim and of its relations), lists in any order; the quote is
    compared by where it is in the text, however its occurrence is written."""
    same = {
        key: sorted(map(repr, value)) if isinstance(value, list) else value
        for key, value in claim.items()
        if key not in ("id", "note", "relations")
    }
    same["relations"] = sorted((r["type"], r["claim_id"]) for r in claim["relations"])
    return repr(same)


class _KeptClaims:
    """The first claim of an article with each sameness; only claims at the same place in the
    text can be the same, so the sameness of the others is never worked out."""

    def __init__(self) -> None:
        self._at: dict[tuple[int, int], list[tuple[Row, Loc, str | None]]] = {}

    def repeated(self, claim: Row, loc: Loc) -> tuple[str, Loc] | None:
        """The id and place of the kept claim that claim repeats, or None, keeping claim."""
        span = claim["span"]
        at = (span["start"], span["end"])
        kept = self._at.get(at)
        if kept is None:  # most claims: the first at their place
            self._at[at] = [(claim, loc, None)]
            return None
        sameness = _sameness(claim)
        for i, (first, first_loc, first_sameness) in enumerate(kept):
            if first_sameness is None:
                first_sameness = _sameness(first)
                kept[i] = (first, first_loc, first_sameness)
            if first_sameness == sameness:
                return first["id"], first_loc
        kept.append((claim, loc, sameness))
        return None


def _overlap_badly(a: Row, b: Row) -> bool:
    """Partly overlapping: they share characters, yet neither contains the other."""
    shared = a["start"] < b["end"] and b["start"] < a["end"]
    nested = (a["start"] <= b["start"] and b["end"] <= a["end"]) or (
        b["start"] <= a["start"] and a["end"] <= b["end"]
    )
    return shared and not nested


def _mentions(article: Row, refs: list[MentionRef]) -> list[MentionResult]:
    """The article's mentions of events, located; a mention that partly overlaps or repeats
    an earlier mention of the same event is reported."""
    results: list[MentionResult] = []
    located: dict[int, list[Row]] = {}
    for ref in refs:
        loc: Loc = ("mentions", ref.mention, "quote")
        try:
            span = _clean_span(article, ref.quote, ref.occurrence)
        except QuoteError as error:
            results.append(
                MentionResult(ref.event, ref.mention, None, (loc, error.message, error.hint))
            )
            continue
        problem: tuple[Loc, str, str | None] | None = None
        for other in located.get(ref.event, []):
            if _overlap_badly(span, other):
                message = (
                    f"mention overlaps another mention of this event ({other['text']!r}) "
                    "without containing it or being contained"
                )
                hint = "merge the two quotes into one mention, or make them disjoint"
                problem = (loc, message, hint)
                break
            if other == span:
                problem = (loc[:2], f"repeats mention {other['index']} of this event", None)
                break
        located.setdefault(ref.event, []).append({**span, "index": ref.mention})
        results.append(MentionResult(ref.event, ref.mention, span, problem))
    return results


def _skipped(article: Row, ann: ArticleAnnotationFile, d: _Doc) -> list[Row]:
    spans = []
    for i, skip in enumerate(ann.skipped):
        try:
            spans.append(_clean_span(article, skip.text, skip.occurrence))
        except QuoteError as error:
            d.report(("skipped", i, "text"), error.message, error.hint)
    return spans


@dataclass(frozen=True)
class ReadAnnotation:
    """An article annotation read and validated, not yet checked: a shard reads all of its
    annotations first, so as to ask the events registry once for all of them."""

    source: ArticleSource
    problems: list[Problem]
    """What reading and validating found."""
    doc: YamlDocument | None
    """None when the source cannot be read."""
    ann: ArticleAnnotationFile | None = None
    kept: list[int] = field(default_factory=list)

    def events_wanted(self) -> tuple[str, list[str], list[str]] | None:
        """What to ask the events registry for the article (see EventRegistry.for_articles):
        its id, its claims' ids and the events they name; None when it is not valid."""
        if self.ann is None:
            return None
        claims = self.ann.claims or []
        return self.ann.article.id, [c.id for c in claims], [e for c in claims for e in c.events]


def read_annotation(root: Path, source: ArticleSource) -> ReadAnnotation:
    problems: list[Problem] = []
    try:
        doc, text = _read(root, source, problems)
        doc, ann, kept = _validated(doc, text, problems)
    except InvalidInput as error:
        return ReadAnnotation(source, problems + error.problems, None)
    return ReadAnnotation(source, problems, doc, ann, kept)


def add_articles(
    root: Path,
    sources: Sequence[ArticleSource],
    reg: Registries,
    out: ArticleResults,
    added: Callable[[ArticleResults], None] | None = None,
) -> None:
    """Check article annotations, in order, and add their rows and findings to out; added is
    called after each article with out."""
    reads = [read_annotation(root, source) for source in sources]
    wanted = [w for read in reads if (w := read.events_wanted()) is not None]
    found = reg.events.for_articles(wanted)
    del wanted
    # Each annotation is let go of once checked, while its objects are still in the CPU's
    # cache: freeing a shard's worth of them at the end costs more.
    reads.reverse()
    found.reverse()
    while reads:
        read = reads.pop()
        _add_article(root, read, found.pop() if read.ann is not None else None, reg, out)
        if added is not None:
            added(out)


def _add_article(
    root: Path,
    read: ReadAnnotation,
    events: ArticleEvents | None,
    reg: Registries,
    out: ArticleResults,
) -> None:
    reported = len(out.problems)
    if read.source.line is None:
        out.declared_articles.append(Path(read.source.file).stem)
    out.problems += read.problems
    if read.doc is None:
        out.unreadable = True
        return
    doc, ann, kept = read.doc, read.ann, read.kept
    claim_ids: list[str] = []
    if doc.data is not None:
        out.declared_articles += declared_ids(doc.data, "article")
        claim_ids = declared_ids(doc.data, "claims")
        out.declared_claims += claim_ids
    elif ann is not None:
        out.declared_articles.append(ann.article.id)
    if ann is None:
        return
    assert events is not None
    out.article_origins.append((ann.article.id, Where.of(doc, ("article", "id"))))
    seed_id = ann.article.id
    claim_anns = ann.claims or []
    mentioned = {ref.event_id for ref in events.mentions}
    d = _Doc(doc, reg, out, events, set(claim_ids or [c.id for c in claim_anns]), mentioned)
    seed_path = reg.seeds.path(seed_id)
    if seed_path is None:
        seeds = reg.seeds.ids()
        hint = known(seed_id, nearby(seeds, seed_id), len(seeds))
        d.report(("article", "id"), f"no seed file seeds/{seed_id}.txt", hint)
        return
    if doc.path.endswith(".yaml") and doc.path != f"{ANNOTATIONS_DIR}/{seed_id}.yaml":
        d.report(
            ("article", "id"),
            f"annotations of {seed_id} belong in {ANNOTATIONS_DIR}/{seed_id}.yaml",
        )
    seed_file = root / seed_path
    if (outside := leads_out(root, seed_file)) is not None:
        problem = link_problem(seed_path, outside)
        d.report(("article", "id"), f"its seed {seed_path} {problem.message}", problem.hint)
        return
    article = _article(seed_path, seed_file.read_bytes(), ann, d)
    if article is None:
        return
    skipped = _skipped(article, ann, d)
    claims, text, skipped_a_claim = [], article["clean_text"], False
    kept_claims, prefix = _KeptClaims(), f"{seed_id}-"
    line = doc.everywhere  # a JSON Lines line: where each claim is needs no look-up
    origins, shard_claims = out.claim_origins, out.shard_claims
    for index, claim_ann in zip(kept, ann.claims or [], strict=True):
        loc: Loc = ("claims", index)
        claim_id = claim_ann.id
        origin = (
            Where(doc.path, *line, f"claims[{index}].id") if line else Where.of(doc, (*loc, "id"))
        )
        origins.append((claim_id, origin))
        if not claim_id.startswith(prefix):
            d.report((*loc, "id"), f"claim id must start with '{prefix}'")
        if claim_id in shard_claims:
            skipped_a_claim = True
            continue  # reported with the other duplicates, across shards
        shard_claims.add(claim_id)
        claim = _claim(article, loc, claim_ann, d)
        if claim is not None and (repeated := kept_claims.repeated(claim, loc)) is not None:
            first_id, first_loc = repeated
            d.report(
                loc,
                f"repeats claim {first_id} (line {doc.position(first_loc)[0]}): all but the "
                "id and the notes is the same",
                "remove one of the two, keeping both notes in the other",
            )
        elif claim is not None:
            claims.append(claim)
            if claim_id in events.figure_claims:
                out.figure_claims[claim_id] = FigureClaim.of(claim_ann)
    mentions = _mentions(article, events.mentions)
    out.mentions += mentions
    out.articles.append(article)
    out.claims += sorted(claims, key=lambda claim: claim["id"])
    if article["annotation_status"] == "complete":
        annotated = [c["span"] for c in claims] + [m.span for m in mentions if m.span]
        normalized = [q["span"] for c in claims for q in c["quantities"]]
        normalized += [x["span"] for c in claims for x in c["dates"]] + skipped
        coverage = article_coverage(article["id"], text, annotated, normalized)
        out.coverage.append(coverage)
        every_claim_read = not skipped_a_claim and len(out.problems) == reported
        if every_claim_read:  # else one that was not may hold the values
            out.problems += _uncovered(article, coverage, doc.path)


def _uncovered(article: Row, coverage: ArticleCoverage, annotation: str) -> list[Problem]:
    """Each number or date expression that no claim normalizes and no skip names, where it is
    written in the seed (the file a contributor reads the article in)."""
    raw, removed = article["raw_text"], article["removed_segments"]
    problems = []
    for span in coverage.uncovered:
        at = raw_offset(span.start, removed)
        line, column = raw.count("\n", 0, at) + 1, at - raw.rfind("\n", 0, at)
        problems.append(
            Problem(
                article["source_file"],
                line,
                column,
                "",
                f"{span.text!r} is a number or date expression that no claim normalizes",
                f"in {annotation}, give it a value in a claim's quantities or dates, or list it "
                "under skipped: with the reason",
            )
        )
    return problems
