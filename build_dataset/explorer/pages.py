"""The explorer's page data, made from a release's decoded rows: small files that the browser
loads only when a view needs them (the first page stays light however large the corpus), each
keyed by what it holds. Pure functions: the rows in, (key, data) pairs out."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast, get_args

from build_dataset.check.figures import FigureClaim, FigureError, FigureQuantity, derive_figure
from karabakh_schema.vocabularies import ClaimType, Measure, Qualifier, RelationType

Row = dict[str, Any]

ARTICLES_PER_PAGE = 200
EVENTS_PER_PAGE = 200
EVENTS_PER_BUCKET = 500
FIGURES_PER_PAGE = 50
PAIRS_PER_PAGE = 50

PAIR_TYPES = ("contradicts", "opposes", "different_scope", "supersedes")
"""The relations the disagreements view shows as pairs; all but supersedes are symmetric."""
TRUNCATING_KINDS = frozenset({"paywall", "subscription"})
"""The removed chrome whose notice marks the article as cut off (cleaning_rules.yaml)."""


@dataclass(frozen=True)
class Release:
    """What the site shows: a release's rows, decoded by its own features, and its identity."""

    version: str
    release_date: str | None
    manifest_sha256: str
    recorded: bool
    """Whether CHANGELOG.md records that SHA-256 (a released version), not a draft."""
    articles: list[Row]
    claims: list[Row]
    events: list[Row]


def bucket(identifier: str, buckets: int) -> int:
    """FNV-1a of the id, modulo buckets: the browser computes the same to find an event's
    file from its id alone, so that #event/<id> needs no index of every id."""
    value = 0x811C9DC5
    for byte in identifier.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def _pages(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def _ordered(found: Iterable[str], vocabulary: tuple[str, ...]) -> list[str]:
    """The labels a release uses, in the vocabulary's order, any it does not know after."""
    present = set(found)
    return [v for v in vocabulary if v in present] + sorted(present - set(vocabulary))


def _date(value: Row | None) -> Row | None:
    return None if value is None else {k: value.get(k) for k in ("value", "precision")}


def _publication(article: Row) -> str | None:
    published = article.get("publication_date") or {}
    date = published.get("date")
    return None if date is None else cast(str, date.get("value"))


def _suffix(claim_id: str) -> str:
    return claim_id.rsplit("-", 1)[1]


def removed_in_place(article: Row) -> list[Row]:
    """The chrome cut from the raw text, placed at the clean text's offset where it was cut
    (the clean text is the raw text less these segments); white space cuts are left out, and
    a notice that marks the article as cut off says so."""
    shown, cut = [], 0
    segments = sorted(article.get("removed_segments") or [], key=lambda s: s["start"])
    for segment in segments:
        if segment["kind"] != "whitespace":
            shown.append(
                {
                    "at": segment["start"] - cut,
                    "kind": segment["kind"],
                    "rule": segment["rule"],
                    "text": segment["text"].strip(),
                    "truncates": bool(article.get("truncated"))
                    and segment["kind"] in TRUNCATING_KINDS,
                }
            )
        cut += segment["end"] - segment["start"]
    return shown


def claim_summary(claim: Row, article: Row | None) -> Row:
    """Who said what, where and when: a claim as the disagreements view and links show it."""
    span = claim["span"]["text"]
    return {
        "id": claim["id"],
        "article_id": claim["article_id"],
        "title": None if article is None else article.get("title"),
        "outlet": None if article is None else article.get("outlet"),
        "published": None if article is None else _publication(article),
        "claimant": claim["claimant"]["name"],
        "claim_type": claim["claim_type"],
        "quote_type": claim["quote_type"],
        "cue": (claim.get("cue") or {}).get("text"),
        "text": span,
        "dates": [d["value"] for d in claim.get("dates") or []],
    }


@dataclass(frozen=True)
class _Index:
    """The lookups every page needs, made once."""

    articles: dict[str, Row]
    claims: dict[str, Row]
    incoming: dict[str, list[Row]]
    events: dict[str, Row]
    claims_of_event: dict[str, list[str]]
    actors: list[Row]
    actor_number: dict[str, int]
    claim_types: list[str]
    relation_types: list[str]

    @classmethod
    def of(cls, release: Release) -> "_Index":
        incoming: dict[str, list[Row]] = defaultdict(list)
        claims_of_event: dict[str, list[str]] = defaultdict(list)
        actors: dict[str, Row] = {}
        for claim in release.claims:
            for relation in claim.get("relations") or []:
                incoming[relation["claim_id"]].append(
                    {"type": relation["type"], "claim_id": claim["id"], "note": relation["note"]}
                )
            for event_id in claim.get("event_ids") or []:
                claims_of_event[event_id].append(claim["id"])
            claimant = claim["claimant"]
            actor = actors.setdefault(
                claimant["id"],
                {"id": claimant["id"], "name": claimant["name"], "type": claimant["type"]},
            )
            actor["claims"] = actor.get("claims", 0) + 1
        ordered = sorted(actors.values(), key=lambda a: (-a["claims"], a["name"], a["id"]))
        relations = (r["type"] for c in release.claims for r in c.get("relations") or [])
        return cls(
            articles={a["id"]: a for a in release.articles},
            claims={c["id"]: c for c in release.claims},
            incoming=dict(incoming),
            events={e["id"]: e for e in release.events},
            claims_of_event=dict(claims_of_event),
            actors=ordered,
            actor_number={a["id"]: n for n, a in enumerate(ordered)},
            claim_types=_ordered((c["claim_type"] for c in release.claims), get_args(ClaimType)),
            relation_types=_ordered(relations, get_args(RelationType)),
        )

    def summary(self, claim_id: str) -> Row:
        claim = self.claims.get(claim_id)
        if claim is None:  # a reference the release does not resolve: shown as such
            return {"id": claim_id, "missing": True}
        return claim_summary(claim, self.articles.get(claim["article_id"]))

    def relation_mask(self, claim: Row) -> int:
        """A bit per relation type the claim takes part in, either way, for the find view."""
        types = {r["type"] for r in claim.get("relations") or []}
        types |= {r["type"] for r in self.incoming.get(claim["id"], [])}
        return sum(1 << self.relation_types.index(t) for t in types)


def _article_entry(article: Row, claims: list[Row], index: _Index) -> Row:
    """An article as the list and the find view see it: its claims as numbers only."""
    return {
        "id": article["id"],
        "title": article.get("title"),
        "outlet": article.get("outlet"),
        "published": _publication(article),
        "truncated": bool(article.get("truncated")),
        "words": article.get("word_count"),
        "claims": [
            [
                _suffix(c["id"]),
                index.actor_number[c["claimant"]["id"]],
                index.claim_types.index(c["claim_type"]),
                index.relation_mask(c),
            ]
            for c in claims
        ],
    }


def _without_text(span: Row | None, text: str) -> Row | None:
    """A span without its words where they are the clean text's at its offsets (the browser
    cuts them out again), so that an article's file does not hold its text twice."""
    if span is None or span.get("text") != text[span["start"] : span["end"]]:
        return span
    return {"start": span["start"], "end": span["end"]}


def compact_claims(claims: list[Row], text: str) -> tuple[list[Row], Row, Row]:
    """An article's claims with their spans' words left to the clean text, and each claimant
    and place named once, in tables beside them; the claims refer to them by id. The browser
    restores them whole (inflate in explorer.js). Offsets count code points, the browser's
    count UTF-16 units: a text with characters beyond the BMP keeps every span's words."""
    actors: Row = {}
    places: Row = {}
    cut = all(ord(character) < 0x10000 for character in text)
    compact = []
    for claim in claims:
        shortened = {k: v for k, v in claim.items() if k != "article_id"}
        actors[claim["claimant"]["id"]] = claim["claimant"]
        shortened["claimant"] = claim["claimant"]["id"]
        mentions = []
        for mention in claim.get("places") or []:
            places[mention["place"]["id"]] = mention["place"]
            mentions.append({"span": mention["span"], "place": mention["place"]["id"]})
        shortened["places"] = mentions
        if cut:
            for key in ("span", "claimant_span", "cue"):
                shortened[key] = _without_text(claim.get(key), text)
            for key in ("quantities", "dates", "places"):
                shortened[key] = [
                    {**item, "span": _without_text(item["span"], text)}
                    for item in shortened.get(key) or []
                ]
        compact.append(shortened)
    return compact, actors, places


def _article_page(article: Row, claims: list[Row], page: int, index: _Index) -> Row:
    """One article in full: its clean text, the chrome cut from it in place, every claim with
    the relations made to it, and the events its claims report."""
    event_ids = dict.fromkeys(e for c in claims for e in c.get("event_ids") or [])
    text = article.get("clean_text") or ""
    compact, actors, places = compact_claims(
        [{**c, "incoming": index.incoming.get(c["id"], [])} for c in claims], text
    )
    return {
        "id": article["id"],
        "page": page,
        "title": article.get("title"),
        "outlet": article.get("outlet"),
        "publication_date": article.get("publication_date"),
        "truncated": bool(article.get("truncated")),
        "annotation_status": article.get("annotation_status"),
        "text": text,
        "removed": removed_in_place(article),
        "claims": compact,
        "actors": actors,
        "places": places,
        "events": {
            e: {
                "description": index.events[e]["description"],
                "date": _date(index.events[e].get("date")),
            }
            for e in event_ids
            if e in index.events
        },
    }


def _event_order(event: Row) -> tuple[str, str]:
    date = event.get("date")
    return ("9999" if date is None else date["start"], event["id"])


def figure_derivation(figure: Row, index: _Index) -> Row:
    """The claims behind a figure side by side, each with the quantity the rule reads and the
    bounds its wording states, which are current (no listed claim supersedes them), and the
    figure the rule of schema/event.py gives, beside the one the release stores."""
    listed = list(figure.get("claim_ids") or [])
    superseded_by: dict[str, list[str]] = defaultdict(list)
    for claim_id in listed:
        for relation in (index.claims.get(claim_id) or {}).get("relations") or []:
            if relation["type"] == "supersedes" and relation["claim_id"] in listed:
                superseded_by[relation["claim_id"]].append(claim_id)
    rows, read = [], []
    for claim_id in listed:
        claim = index.claims.get(claim_id) or {}
        matching = [q for q in claim.get("quantities") or [] if q["measure"] == figure["measure"]]
        quantities = tuple(
            FigureQuantity(
                cast(Measure, q["measure"]),
                q["value"],
                q["low"],
                q["high"],
                cast(Qualifier, q["qualifier"]),
            )
            for q in matching
        )
        read.append(FigureClaim(claim_id, quantities, frozenset(supersedes_of(claim))))
        first = matching[0] if matching else None
        rows.append(
            {
                **index.summary(claim_id),
                "quantity": None
                if first is None
                else {k: first.get(k) for k in ("value", "low", "high", "qualifier", "unit")}
                | {"words": first["span"]["text"], "counted": first.get("counted")},
                "lower_bound": quantities[0].lower_bound if quantities else None,
                "upper_bound": quantities[0].upper_bound if quantities else None,
                "superseded_by": superseded_by.get(claim_id, []),
            }
        )
    try:
        derived = derive_figure(cast(Measure, figure["measure"]), read)
        rule: Row = {"best": derived.best, "low": derived.low, "high": derived.high}
    except FigureError as error:
        rule = {"error": str(error)}
    return {
        **{k: figure.get(k) for k in ("measure", "scope", "best", "low", "high")},
        "claims": rows,
        "rule": rule,
    }


def supersedes_of(claim: Row) -> set[str]:
    """The claims a claim supersedes."""
    return {r["claim_id"] for r in claim.get("relations") or [] if r["type"] == "supersedes"}


def relation_pairs(claims: Iterable[Row]) -> list[Row]:
    """Every relation of PAIR_TYPES as a pair of claims: a symmetric one once, whichever
    claim records it (both notes kept), supersedes from the later report to the earlier."""
    pairs: dict[tuple[str, str, str], Row] = {}
    for claim in claims:
        for relation in claim.get("relations") or []:
            kind = relation["type"]
            if kind not in PAIR_TYPES:
                continue
            ends = (claim["id"], relation["claim_id"])
            key = (kind, *(ends if kind == "supersedes" else sorted(ends)))
            pair = pairs.setdefault(key, {"type": kind, "a": ends[0], "b": ends[1], "notes": []})
            if relation.get("note"):
                pair["notes"].append({"by": claim["id"], "note": relation["note"]})
    return sorted(pairs.values(), key=lambda p: (PAIR_TYPES.index(p["type"]), p["a"], p["b"]))


def site_pages(release: Release) -> Iterator[tuple[str, Any]]:
    """Every data file of the site, as (key, data): key names the file, data/<key>.js."""
    index = _Index.of(release)
    claims_of: dict[str, list[Row]] = defaultdict(list)
    for claim in release.claims:
        claims_of[claim["article_id"]].append(claim)
    article_pages = _pages(release.articles, ARTICLES_PER_PAGE)
    for page, articles in enumerate(article_pages):
        entries = [_article_entry(a, claims_of.get(a["id"], []), index) for a in articles]
        yield f"articles/{page}", entries
        for article in articles:
            yield (
                f"article/{article['id']}",
                _article_page(article, claims_of.get(article["id"], []), page, index),
            )

    timeline = sorted(release.events, key=_event_order)
    figured = [(e, n, f) for e in timeline for n, f in enumerate(e.get("figures") or [])]
    figure_pages = _pages(figured, FIGURES_PER_PAGE)
    figure_page_of = {e["id"]: p for p, items in enumerate(figure_pages) for e, _, _ in items}
    event_pages = _pages(timeline, EVENTS_PER_PAGE)
    buckets = max(1, -(-len(timeline) // EVENTS_PER_BUCKET))
    located: list[Row] = [{} for _ in range(buckets)]
    for page, events in enumerate(event_pages):
        titles = {
            m["article_id"]: index.articles.get(m["article_id"], {}).get("title")
            for e in events
            for m in e.get("mentions") or []
        }
        yield (
            f"events/t{page}",
            {
                "events": [
                    {
                        **e,
                        "claims": index.claims_of_event.get(e["id"], []),
                        "figures_page": figure_page_of.get(e["id"]),
                    }
                    for e in events
                ],
                "titles": titles,
            },
        )
        for event in events:
            located[bucket(event["id"], buckets)][event["id"]] = page
    for number, ids in enumerate(located):
        yield f"events/i{number}", ids

    for page, items in enumerate(figure_pages):
        yield (
            f"figures/{page}",
            [
                {
                    "event": {
                        "id": e["id"],
                        "description": e["description"],
                        "date": _date(e.get("date")),
                    },
                    "number": n,
                    "figure": figure_derivation(f, index),
                }
                for e, n, f in items
            ],
        )

    pairs = relation_pairs(release.claims)
    pair_pages = _pages(pairs, PAIRS_PER_PAGE)
    for page, items in enumerate(pair_pages):
        yield (
            f"pairs/{page}",
            [{**p, "a": index.summary(p["a"]), "b": index.summary(p["b"])} for p in items],
        )

    yield (
        "meta",
        {
            "version": release.version,
            "release_date": release.release_date,
            "manifest_sha256": release.manifest_sha256,
            "recorded": release.recorded,
            "counts": {
                "articles": len(release.articles),
                "claims": len(release.claims),
                "events": len(release.events),
                "figures": len(figured),
                "pairs": len(pairs),
            },
            "pages": {
                "articles": len(article_pages),
                "events": len(event_pages),
                "event_buckets": buckets,
                "figures": len(figure_pages),
                "pairs": len(pair_pages),
            },
            "actors": [[a["id"], a["name"], a["type"], a["claims"]] for a in index.actors],
            "claim_types": index.claim_types,
            "relation_types": index.relation_types,
            "pair_types": [t for t in PAIR_TYPES if t in index.relation_types],
        },
    )
