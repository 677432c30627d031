"""From an export's documents to claims: which spans are claims, which claimant, cue and values
belong to each, and the relations and notes between them (the conventions are in the package
docstring)."""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from build_dataset.read.importers import brat, doccano, label_studio
from build_dataset.read.importers.common import Choice, Document, ImportProblem, Link, Parsed, Span
from build_dataset.read.importers.seeds import Seed, Seeds, resolve
from karabakh_schema.vocabularies import ClaimType, RelationType

FORMATS = ("label-studio", "doccano", "brat")
REPO_ROOT = Path(__file__).resolve().parents[3]
PARSERS: dict[str, Callable[[Path, Choice], Parsed]] = {
    "label-studio": label_studio.parse,
    "doccano": doccano.parse,
    "brat": brat.parse,
}

CLAIM = "CLAIM"
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimType)
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)
# Span kinds other than CLAIM, and the claim field each fills.
SINGLE_KINDS = {"CLAIMANT": "claimant_text", "CUE": "cue"}
LIST_KINDS = {"QUANTITY": "quantities", "DATE": "dates", "PLACE": "places"}
ATTRIBUTE_KINDS = (*SINGLE_KINDS, *LIST_KINDS)
ACCEPTED_LABELS = (
    f"{CLAIM}, {CLAIM}:<claim type> ({', '.join(CLAIM_TYPES)}), {', '.join(ATTRIBUTE_KINDS)}"
)
ACCEPTED_RELATIONS = (
    f"{', '.join(RELATION_TYPES)} between two claims; none or "
    f"{', '.join(kind.lower() for kind in ATTRIBUTE_KINDS)} from a claim to a span of that kind"
)
ARTICLE_FIELDS_KEPT = ("title", "outlet", "language", "publication_date")


@dataclass(frozen=True)
class ArticleImport:
    """One article's claims as an export gives them, numbered c001... in text order."""

    article: dict[str, Any]
    claims: list[dict[str, Any]]
    spans: list[tuple[int, int]]  # each claim's characters in the clean text
    clean: str

    def data(self) -> dict[str, Any]:
        """The annotation file this import makes where the article has none."""
        return {"article": self.article, "claims": self.claims}


@dataclass(frozen=True)
class Imported:
    articles: dict[str, ArticleImport]
    notices: list[str]


def import_annotations(
    fmt: str,
    path: Path,
    *,
    article_id: str | None = None,
    choice: Choice | None = None,
    root: Path = REPO_ROOT,
) -> Imported:
    """Each article's claims from one export of a format in FORMATS, and notices of what it
    skipped or could not hold."""
    path = Path(path)
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ImportProblem(path, "", f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise ImportProblem(path, "", "no such file")
    parsed = parser(path, choice or Choice())
    documents = []
    for document in parsed.documents:
        if document.spans:
            documents.append(document)
        else:
            parsed.notices.append(f"{document.where}: holds no spans; skipped")
    if not documents:
        message = "holds no labelled spans: there is nothing to import"
        raise ImportProblem(path, "", message + "".join(f"\n  {n}" for n in parsed.notices))
    if article_id is not None and len(documents) != 1:
        message = f"an article id was given, but the file holds {len(documents)} documents"
        raise ImportProblem(path, "", message)
    seeds = Seeds(Path(root))
    articles: dict[str, ArticleImport] = {}
    first: dict[str, str] = {}
    for document in documents:
        seed, is_raw = resolve(path, document, seeds, article_id)
        if seed.id in articles:
            message = f"article {seed.id} was already imported from {first[seed.id]}"
            raise ImportProblem(path, document.where, message)
        first[seed.id] = document.where
        articles[seed.id] = _Converter(path, document, seed, is_raw, parsed.notices).run()
    return Imported(articles, parsed.notices)


@dataclass(frozen=True)
class _Placed:
    """A span with its kind and its clean-text offsets."""

    span: Span
    kind: str
    claim_type: str | None
    start: int
    end: int

    def contains(self, other: "_Placed") -> bool:
        return self.start <= other.start and other.end <= self.end


def _describe(span: Span, text: str) -> str:
    return f"{span.label} span {text[span.start : span.end]!r} at [{span.start}, {span.end})"


def _check_span(path: Path, doc: Document, span: Span) -> None:
    if not 0 <= span.start < span.end <= len(doc.text):
        message = (
            f"span [{span.start}, {span.end}) is not a non-empty stretch of the text "
            f"({len(doc.text)} characters)"
        )
        raise ImportProblem(path, span.where, message)
    actual = doc.text[span.start : span.end]
    if span.text is not None and span.text != actual:
        message = (
            f"span text {span.text!r} is not the text at [{span.start}, {span.end}), "
            f"which is {actual!r} (offsets count Unicode code points)"
        )
        raise ImportProblem(path, span.where, message)


def _parse_label(path: Path, span: Span) -> tuple[str, str | None]:
    kind, colon, claim_type = span.label.strip().partition(":")
    kind = kind.strip().upper()
    claim_type = claim_type.strip().lower()
    if kind == CLAIM and (not colon or claim_type in CLAIM_TYPES):
        return CLAIM, claim_type or None
    if kind in ATTRIBUTE_KINDS and not colon:
        return kind, None
    message = f"unknown label {span.label!r}; the accepted labels are {ACCEPTED_LABELS}"
    raise ImportProblem(path, span.where, message)


def _to_clean(path: Path, span: Span, seed: Seed) -> tuple[int, int]:
    """Clean-text offsets of a span over the raw text."""
    for segment in seed.removed:
        if segment.start < span.end and span.start < segment.end:
            message = (
                f"{_describe(span, seed.raw)} of the raw text overlaps text that cleaning "
                f"removes ({segment.kind} {segment.text!r}, rule {segment.rule}); "
                "claims quote the clean text"
            )
            raise ImportProblem(path, span.where, message)
    removed_before, cursor = 0, 0
    for segment in sorted(seed.removed, key=lambda s: s.start):
        if segment.start >= span.start:
            break
        removed_before += max(0, segment.end - max(cursor, segment.start))
        cursor = max(cursor, segment.end)
    start = span.start - removed_before
    end = start + span.end - span.start
    if seed.clean[start:end] != seed.raw[span.start : span.end]:
        message = f"cannot map {_describe(span, seed.raw)} to the clean text"
        raise ImportProblem(path, span.where, message)
    return start, end


def occurrence(text: str, quote: str, start: int) -> int | None:
    """Which occurrence of quote starts at start (1-based), or None if it occurs once."""
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found.index(start) + 1 if len(found) > 1 else None


def _order(p: _Placed) -> tuple[int, int, str]:
    return p.start, p.end, p.span.key


class _Converter:
    """One document's spans, links and notes turned into the claims of its article."""

    def __init__(
        self, path: Path, doc: Document, seed: Seed, is_raw: bool, notices: list[str]
    ) -> None:
        self.path, self.doc, self.seed, self.notices = path, doc, seed, notices
        self.text = seed.clean
        self.placed: dict[str, _Placed] = {}
        self.alias: dict[str, str] = {}  # a repeated span's key -> the first one's
        seen: dict[tuple[int, int, str, str | None], str] = {}
        for span in doc.spans:
            _check_span(path, doc, span)
            kind, claim_type = _parse_label(path, span)
            if span.key in self.placed or span.key in self.alias:
                raise ImportProblem(path, span.where, f"span id {span.key!r} is used twice")
            start, end = _to_clean(path, span, seed) if is_raw else (span.start, span.end)
            same = seen.setdefault((start, end, kind, claim_type), span.key)
            if same != span.key:  # as in a collaborative export, where two users marked it
                self.alias[span.key] = same
                notices.append(
                    f"{span.where}: repeats {self.placed[same].span.where} (same span and "
                    "label); taken as one"
                )
                continue
            self.placed[span.key] = _Placed(span, kind, claim_type, start, end)
        self.claims = sorted((p for p in self.placed.values() if p.kind == CLAIM), key=_order)
        if len(self.claims) > 999:
            raise ImportProblem(path, doc.where, f"{len(self.claims)} claims; ids allow 999")
        self.ids = {
            claim.span.key: f"{seed.id}-c{number:03d}"
            for number, claim in enumerate(self.claims, 1)
        }

    def _end(self, key: str, link: Link) -> _Placed:
        key = self.alias.get(key, key)
        if key not in self.placed:
            message = f"refers to span id {key!r}, which is absent"
            raise ImportProblem(self.path, link.where, message)
        return self.placed[key]

    def run(self) -> ArticleImport:
        linked, relations, link_ends = self._links()
        members = self._members(linked)
        notes, relation_notes = self._notes(members, link_ends)
        out = [
            self._entry(claim, members[claim.span.key], relations, notes, relation_notes)
            for claim in self.claims
        ]
        article: dict[str, Any] = {"id": self.seed.id, "sha256": self.seed.sha256}
        for name in ARTICLE_FIELDS_KEPT:
            if self.seed.article is not None and name in self.seed.article:
                article[name] = copy.deepcopy(self.seed.article[name])
        spans = [(claim.start, claim.end) for claim in self.claims]
        return ArticleImport(article, out, spans, self.text)

    def _links(
        self,
    ) -> tuple[
        dict[str, set[str]], dict[str, set[tuple[str, str]]], dict[str, tuple[_Placed, _Placed]]
    ]:
        linked: dict[str, set[str]] = {}  # attribute span key -> claim keys
        relations: dict[str, set[tuple[str, str]]] = {key: set() for key in self.ids}
        ends: dict[str, tuple[_Placed, _Placed]] = {}  # link key -> its ends
        for link in self.doc.links:
            source, target = self._end(link.source, link), self._end(link.target, link)
            if link.key is not None:
                ends[link.key] = (source, target)
            label = link.label.strip().lower() if link.label and link.label.strip() else None
            if source.kind == CLAIM and target.kind == CLAIM:
                if label not in RELATION_TYPES:
                    message = (
                        f"relation label {link.label!r} between two claims is not one of "
                        f"{', '.join(RELATION_TYPES)}"
                    )
                    raise ImportProblem(self.path, link.where, message)
                if not link.directed:
                    message = "a relation between claims must point one way, from its claim"
                    raise ImportProblem(self.path, link.where, message)
                if source is target:
                    raise ImportProblem(self.path, link.where, "relates a claim to itself")
                relations[source.span.key].add((label, target.span.key))
            elif CLAIM in (source.kind, target.kind) and source.kind != target.kind:
                claim, other = (source, target) if source.kind == CLAIM else (target, source)
                if label is not None and label != other.kind.lower():
                    message = (
                        f"relation label {link.label!r} does not link a claim to a {other.kind} "
                        f"span; use {other.kind.lower()!r} or no label"
                    )
                    raise ImportProblem(self.path, link.where, message)
                linked.setdefault(other.span.key, set()).add(claim.span.key)
            else:
                message = (
                    f"links a {source.kind} span to a {target.kind} span; accepted relations: "
                    f"{ACCEPTED_RELATIONS}"
                )
                raise ImportProblem(self.path, link.where, message)
        return linked, relations, ends

    def _members(self, linked: dict[str, set[str]]) -> dict[str, list[_Placed]]:
        """Each claim's attribute spans: those linked to it, and each unlinked one goes to the
        innermost claim containing it (a claim reported inside another claims for itself),
        unless that claim has a linked span of the kind."""
        members: dict[str, list[_Placed]] = {key: [] for key in self.ids}
        attributes = sorted((p for p in self.placed.values() if p.kind != CLAIM), key=_order)
        for attribute in attributes:
            for key in linked.get(attribute.span.key, ()):
                members[key].append(attribute)
        for attribute in attributes:
            if attribute.span.key in linked:
                continue
            holders = [c for c in self.claims if c.contains(attribute)]
            if not holders:
                message = (
                    f"{_describe(attribute.span, self.doc.text)} belongs to no claim: put it "
                    "inside a claim's span, or link it to one with a relation"
                )
                raise ImportProblem(self.path, attribute.span.where, message)
            innermost = min(c.end - c.start for c in holders)
            for claim in holders:
                mine = members[claim.span.key]
                if claim.end - claim.start != innermost or (
                    attribute.kind in SINGLE_KINDS
                    and any(m.kind == attribute.kind and m.span.key in linked for m in mine)
                ):
                    continue
                mine.append(attribute)
        return members

    def _notes(
        self, members: dict[str, list[_Placed]], ends: dict[str, tuple[_Placed, _Placed]]
    ) -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
        """Notes on claims, and on relations between claims; a note on another span or link
        goes to the claims it belongs to, saying what it was on."""
        notes: dict[str, list[str]] = {key: [] for key in self.ids}
        relation_notes: dict[tuple[str, str], list[str]] = {}
        for note in self.doc.notes:
            target = self.alias.get(note.target, note.target)
            if target in ends:
                source, other = ends[target]
                if source.kind == CLAIM and other.kind == CLAIM:
                    relation_notes.setdefault((source.span.key, other.span.key), []).append(
                        note.text
                    )
                    continue
                claim, part = (source, other) if source.kind == CLAIM else (other, source)
                notes[claim.span.key].append(f"{self._name(part)}: {note.text}")
            elif target in self.ids:
                notes[target].append(note.text)
            elif target in self.placed:
                part = self.placed[target]
                for key, mine in members.items():
                    if part in mine:
                        notes[key].append(f"{self._name(part)}: {note.text}")
            else:
                self.notices.append(
                    f"{note.where}: a note on {note.target!r}, which is no span or relation "
                    f"read, is not kept: {note.text!r}"
                )
        return notes, relation_notes

    def _name(self, part: _Placed) -> str:
        return f"{part.kind} {self.text[part.start : part.end]!r}"

    def _entry(
        self,
        claim: _Placed,
        mine: list[_Placed],
        relations: dict[str, set[tuple[str, str]]],
        notes: dict[str, list[str]],
        relation_notes: dict[tuple[str, str], list[str]],
    ) -> dict[str, Any]:
        ids = self.ids
        quote = self.text[claim.start : claim.end]
        entry: dict[str, Any] = {"id": ids[claim.span.key], "quote": quote}
        if (found := occurrence(self.text, quote, claim.start)) is not None:
            entry["occurrence"] = found
        mine = sorted(set(mine), key=_order)
        for kind, field in SINGLE_KINDS.items():
            found_spans = [m for m in mine if m.kind == kind]
            if len(found_spans) > 1:
                message = (
                    f"claim {ids[claim.span.key]} ({claim.span.where}) has {len(found_spans)} "
                    f"{kind} spans: {', '.join(m.span.where for m in found_spans)}; link the "
                    f"right one to it with a {kind.lower()!r} relation"
                )
                raise ImportProblem(self.path, claim.span.where, message)
            if found_spans:
                entry[field] = self._inner(claim, found_spans[0])
        if claim.claim_type is not None:
            entry["claim_type"] = claim.claim_type
        for kind, field in LIST_KINDS.items():
            items = [{"text": self._inner(claim, m)} for m in mine if m.kind == kind]
            if items:
                entry[field] = items
        if relations[claim.span.key]:
            entry["relations"] = []
            for relation_type, target in sorted(
                relations[claim.span.key], key=lambda r: (ids[r[1]], r[0])
            ):
                relation = {"type": relation_type, "claim": ids[target]}
                if said := relation_notes.get((claim.span.key, target)):
                    relation["note"] = "\n".join(said)
                entry["relations"].append(relation)
        if notes[claim.span.key]:
            entry["note"] = "\n".join(notes[claim.span.key])
        return entry

    def _inner(self, claim: _Placed, part: _Placed) -> str:
        """The text of a span inside a claim, which the builder finds as its first occurrence
        there."""
        claim_id = self.ids[claim.span.key]
        if not claim.contains(part):
            message = (
                f"{_describe(part.span, self.doc.text)} is not inside claim {claim_id}, "
                f"{_describe(claim.span, self.doc.text)}; its text is quoted from the claim's quote"
            )
            raise ImportProblem(self.path, part.span.where, message)
        quote, value = self.text[claim.start : claim.end], self.text[part.start : part.end]
        found = occurrence(quote, value, part.start - claim.start) or 1
        if found != 1:
            message = (
                f"{_describe(part.span, self.doc.text)} is occurrence {found} of its text in "
                f"the quote of claim {claim_id}, but the builder takes the first; mark the "
                "first one"
            )
            raise ImportProblem(self.path, part.span.where, message)
        return value
