"""The official scorer: how far a candidate annotation agrees with a reference, per article and
overall. Pure functions over records; reading folders is build_dataset.evaluate.score_inputs.

The definitions (README.md, "Scoring an annotation", says the same for users):

- Articles: those the candidate annotates completely; the reference, restricted to them, must
  annotate each completely too.
- Claim spans, exact: a candidate claim matches a reference claim of the same article with the
  same start and end. Overlap: a one-to-one matching per article between claims whose
  character Dice coefficient 2|A∩B|/(|A|+|B|) is at least 0.5, with as many pairs as possible,
  then the largest total Dice. Dice >= 0.5 lets annotators differ on an attribution clause or
  a trailing phrase, but not pair a sentence with a fragment of it, as any overlap would.
  Precision is matched/candidate claims, recall matched/reference claims, F1 2·matched/(both);
  a ratio over nothing is 1.0 when the other side is empty too, else 0.0.
- On overlap-matched claims: claimant accuracy (same actor id), cue match (both without a cue,
  or cues with the same start and end), and for quote type and claim type the observed
  agreement and Cohen's κ (scikit-learn's cohen_kappa_score). An accuracy without pairs, and a
  κ with fewer than two categories used, is None ("n/a").
- Values, within matched claims: dates, quantities and places are matched one-to-one by any
  character overlap of their spans (most overlapping characters first); they are short, and
  annotators differ on 'on' or 'at least', while values in one claim do not overlap. Detection
  is scored like claims; on matched values: date value and precision; quantity value, bounds
  (low and high), qualifier and measure; place id.
- Events: a mention is its (article, start, end); an event is the cluster of its mentions in
  the compared articles (a mention two events list counts in the first by id). MUC, B³,
  CEAF-e and their mean (CoNLL F1) are scorch's (each found group by group, the groups of
  clusters that share mentions, which gives the whole's), cross-document overall and within
  the article per article. With no mention on either side every score is None; MUC counts
  links, so with no event of two mentions on either side it is None, and so is CoNLL F1.
- Relations: (claim, claim, type) triples whose two claims are both overlap-matched, the
  candidate's claims named by their reference match, scored like claims; per article, those
  whose first claim is in it."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import harmonic_mean
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from karabakh_schema import Article, Claim, Event
from karabakh_schema.values import Span

MIN_DICE = 0.5
"""The character Dice coefficient from which two claim spans match."""

T = TypeVar("T")


class Report(BaseModel):
    """Parts of a score report: immutable, and dumped as JSON by --format json."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Detection(Report):
    """How many items each side has, how many match, and precision, recall and F1."""

    reference: int
    candidate: int
    matched: int
    precision: float
    recall: float
    f1: float


class Accuracy(Report):
    """Of the matched pairs, how many agree on a field; None without pairs."""

    pairs: int
    agree: int
    accuracy: float | None


class Agreement(Accuracy):
    """Accuracy with Cohen's κ; None without pairs or with one category alone."""

    kappa: float | None


class ClaimScores(Report):
    exact: Detection
    overlap: Detection
    claimant: Accuracy
    cue: Accuracy
    quote_type: Agreement
    claim_type: Agreement


class DateScores(Report):
    spans: Detection
    value: Accuracy
    precision: Accuracy


class QuantityScores(Report):
    spans: Detection
    value: Accuracy
    bounds: Accuracy
    qualifier: Accuracy
    measure: Accuracy


class PlaceScores(Report):
    spans: Detection
    place: Accuracy


class CorefScore(Report):
    recall: float
    precision: float
    f1: float


class EventScores(Report):
    """Coreference of event mentions; None where a metric is undefined (see the module)."""

    reference_mentions: int
    candidate_mentions: int
    muc: CorefScore | None
    b_cubed: CorefScore | None
    ceaf_e: CorefScore | None
    conll_f1: float | None


class Scores(Report):
    claims: ClaimScores
    dates: DateScores
    quantities: QuantityScores
    places: PlaceScores
    events: EventScores
    relations: Detection


class ArticleScores(Scores):
    article_id: str


class ScoreReport(Report):
    """Scores of each compared article, and of all of them together."""

    articles: list[ArticleScores]
    overall: Scores


@dataclass(frozen=True)
class Corpus:
    """The records of one annotation, as the release tables hold them."""

    articles: list[Article]
    claims: list[Claim]
    events: list[Event]


class ScoreInputError(Exception):
    """The two annotations cannot be compared; the message says why and what to do."""


def _ratio(part: int, whole: int, other: int) -> float:
    """part/whole; over nothing, 1.0 when the other side is empty too, else 0.0."""
    if whole:
        return part / whole
    return 1.0 if not other else 0.0


def detection(reference: int, candidate: int, matched: int) -> Detection:
    both = reference + candidate
    return Detection(
        reference=reference,
        candidate=candidate,
        matched=matched,
        precision=_ratio(matched, candidate, reference),
        recall=_ratio(matched, reference, candidate),
        f1=2 * matched / both if both else 1.0,
    )


def accuracy(pairs: Sequence[tuple[object, object]]) -> Accuracy:
    agree = sum(a == b for a, b in pairs)
    return Accuracy(pairs=len(pairs), agree=agree, accuracy=agree / len(pairs) if pairs else None)


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Observed agreement and Cohen's κ of two labelings of the same items."""
    counted = accuracy(pairs)
    kappa = None
    if len({label for pair in pairs for label in pair}) > 1:
        from sklearn.metrics import cohen_kappa_score

        kappa = float(cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs]))
    return Agreement(**counted.model_dump(), kappa=kappa)


def dice(a: Span, b: Span) -> float:
    common = max(0, min(a.end, b.end) - max(a.start, b.start))
    return 2 * common / (a.end - a.start + b.end - b.start)


def common_characters(a: Span, b: Span) -> float:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match(
    reference: Sequence[T],
    candidate: Sequence[T],
    weight: Callable[[T, T], float],
) -> list[tuple[T, T]]:
    """The one-to-one pairs of positive weight, as many as possible, then of the largest total
    weight (weights at most 1 plus a bonus per pair larger than any total)."""
    if not reference or not candidate:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    weights = np.array([[weight(r, c) for c in candidate] for r in reference], dtype=float)
    scale = max(1.0, float(weights.max()))
    bonus = min(len(reference), len(candidate)) + 1
    gains = np.where(weights > 0, bonus + weights / scale, 0.0)
    rows, cols = linear_sum_assignment(gains, maximize=True)
    return [(reference[r], candidate[c]) for r, c in zip(rows, cols, strict=True) if gains[r, c]]


def claim_weight(a: Claim, b: Claim) -> float:
    """The claims' Dice coefficient when they match (MIN_DICE), else 0."""
    value = dice(a.span, b.span)
    return value if value >= MIN_DICE else 0.0


def _span_key(span: Span | None) -> tuple[int, int] | None:
    return None if span is None else (span.start, span.end)


def exact_matches(reference: Iterable[Claim], candidate: Iterable[Claim]) -> int:
    spans = Counter((c.article_id, c.span.start, c.span.end) for c in reference)
    return sum(
        (spans & Counter((c.article_id, c.span.start, c.span.end) for c in candidate)).values()
    )


@dataclass(frozen=True)
class _Matched:
    reference: list[Claim]
    candidate: list[Claim]
    pairs: list[tuple[Claim, Claim]]


def claim_scores(matched: _Matched) -> ClaimScores:
    pairs = matched.pairs
    reference, candidate = len(matched.reference), len(matched.candidate)
    return ClaimScores(
        exact=detection(reference, candidate, exact_matches(matched.reference, matched.candidate)),
        overlap=detection(reference, candidate, len(pairs)),
        claimant=accuracy([(r.claimant.id, c.claimant.id) for r, c in pairs]),
        cue=accuracy([(_span_key(r.cue), _span_key(c.cue)) for r, c in pairs]),
        quote_type=agreement([(r.quote_type, c.quote_type) for r, c in pairs]),
        claim_type=agreement([(r.claim_type, c.claim_type) for r, c in pairs]),
    )


def _value_pairs(
    pairs: list[tuple[Claim, Claim]],
    values: Callable[[Claim], Sequence[T]],
    span: Callable[[T], Span],
) -> tuple[Detection, list[tuple[T, T]]]:
    """The values of matched claims matched by overlap, and their detection scores."""
    matched: list[tuple[T, T]] = []
    reference = candidate = 0
    for r, c in pairs:
        ours, theirs = values(r), values(c)
        reference, candidate = reference + len(ours), candidate + len(theirs)
        matched += match(ours, theirs, lambda a, b: common_characters(span(a), span(b)))
    return detection(reference, candidate, len(matched)), matched


def date_scores(pairs: list[tuple[Claim, Claim]]) -> DateScores:
    spans, dates = _value_pairs(pairs, lambda c: c.dates, lambda d: d.span)
    return DateScores(
        spans=spans,
        value=accuracy([(r.value, c.value) for r, c in dates]),
        precision=accuracy([(r.precision, c.precision) for r, c in dates]),
    )


def quantity_scores(pairs: list[tuple[Claim, Claim]]) -> QuantityScores:
    spans, quantities = _value_pairs(pairs, lambda c: c.quantities, lambda q: q.span)
    return QuantityScores(
        spans=spans,
        value=accuracy([(r.value, c.value) for r, c in quantities]),
        bounds=accuracy([((r.low, r.high), (c.low, c.high)) for r, c in quantities]),
        qualifier=accuracy([(r.qualifier, c.qualifier) for r, c in quantities]),
        measure=accuracy([(r.measure, c.measure) for r, c in quantities]),
    )


def place_scores(pairs: list[tuple[Claim, Claim]]) -> PlaceScores:
    spans, places = _value_pairs(pairs, lambda c: c.places, lambda p: p.span)
    return PlaceScores(spans=spans, place=accuracy([(r.place.id, c.place.id) for r, c in places]))


Mention = tuple[str, int, int]
Clusters = Sequence[set[Mention]]
Metric = Callable[[Clusters, Clusters], tuple[float, ...]]


def clusters(events: Iterable[Event], articles: set[str]) -> list[set[Mention]]:
    """Each event's mentions in the articles, by event id; a mention already in an event is
    left out of the later ones."""
    seen: set[Mention] = set()
    out = []
    for event in sorted(events, key=lambda e: e.id):
        mentions = {
            (m.article_id, m.span.start, m.span.end)
            for m in event.mentions
            if m.article_id in articles
        } - seen
        seen |= mentions
        if mentions:
            out.append(mentions)
    return out


def by_article(found: list[set[Mention]], articles: set[str]) -> dict[str, list[set[Mention]]]:
    """clusters(events, {article}) of each of the articles, from found = clusters(events,
    articles), in one pass rather than one over the events an article (which a corpus of
    thousands of articles cannot wait for). A mention names its article, so one left out as
    already in an earlier event is left out of that article's clusters too."""
    out: dict[str, list[set[Mention]]] = {article: [] for article in articles}
    for cluster in found:
        parts: dict[str, set[Mention]] = defaultdict(set)
        for mention in cluster:
            parts[mention[0]].add(mention)
        for article, mentions in parts.items():
            out[article].append(mentions)
    return out


def sharing_groups(
    key: Clusters, response: Clusters
) -> list[tuple[list[set[Mention]], list[set[Mention]]]]:
    """The key and response clusters in groups that share no mention with one another: each
    group the clusters that a chain of shared mentions joins (clusters of one side are
    disjoint, as clusters() makes them)."""
    parent = list(range(len(key)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner = {mention: i for i, cluster in enumerate(key) for mention in cluster}
    linked: list[int | None] = []
    for cluster in response:
        found = sorted({owner[m] for m in cluster if m in owner})
        for other in found[1:]:
            parent[root(other)] = root(found[0])
        linked.append(found[0] if found else None)
    groups: dict[int, tuple[list[set[Mention]], list[set[Mention]]]] = {}
    for i, cluster in enumerate(key):
        groups.setdefault(root(i), ([], []))[0].append(cluster)
    alone: list[tuple[list[set[Mention]], list[set[Mention]]]] = []
    for cluster, first in zip(response, linked, strict=True):
        if first is None:
            alone.append(([], [cluster]))
        else:
            groups[root(first)][1].append(cluster)
    return [*groups.values(), *alone]


def _by_groups(
    whole: Metric, weight: Callable[[set[Mention]], int], key: Clusters, response: Clusters
) -> tuple[float, float, float]:
    """A scorch metric of the whole, from the metric of each group of clusters that share
    mentions (sharing_groups). Each of MUC, B³ and CEAF-e is a sum over the key clusters
    (recall) and over the response clusters (precision) of what each shares with the other
    side, over the sum of their weights (MUC: size less one; B³: size; CEAF-e: one): what two
    clusters that share no mention add is 0, so the sums of the groups' are the whole's, each
    group's found as its recall (precision) times its clusters' weights. scorch compares every
    key cluster with every response cluster, which a corpus of thousands of articles cannot
    wait for, and CEAF-e aligns them in one dense matrix (a 10,000-article build peaked at
    22 GB with it)."""
    shared_by_key = shared_by_response = 0.0
    for keys, responses in sharing_groups(key, response):
        if keys and responses:
            recall, precision, _ = whole(keys, responses)
            shared_by_key += recall * sum(map(weight, keys))
            shared_by_response += precision * sum(map(weight, responses))
    key_weight, response_weight = sum(map(weight, key)), sum(map(weight, response))
    recall = shared_by_key / key_weight if key_weight else 0.0
    precision = shared_by_response / response_weight if response_weight else 0.0
    return recall, precision, harmonic_mean((recall, precision))


def muc(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """scorch's MUC (0 when either side has only single mentions, as scorch has it)."""
    from scorch.scores import muc as whole

    if all(len(k) == 1 for k in key) or all(len(r) == 1 for r in response):
        return 0.0, 0.0, 0.0
    return _by_groups(whole, lambda cluster: len(cluster) - 1, key, response)


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """scorch's B³."""
    from scorch.scores import b_cubed as whole

    return _by_groups(whole, len, key, response)


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """scorch's CEAF-e: its best alignment is the best of each group put together."""
    from scorch.scores import ceaf_e as whole

    if not key or not response:
        return 0.0, 0.0, 0.0
    return _by_groups(whole, lambda _: 1, key, response)


def _coref(
    metric: Metric,
    key: list[set[Mention]],
    response: list[set[Mention]],
) -> CorefScore:
    recall, precision, f1 = metric(key, response)
    return CorefScore(recall=float(recall), precision=float(precision), f1=float(f1))


def event_scores(key: list[set[Mention]], response: list[set[Mention]]) -> EventScores:
    """MUC, B³, CEAF-e and CoNLL F1 of the response clusters against the key's (see module)."""
    counts = {
        "reference_mentions": sum(map(len, key)),
        "candidate_mentions": sum(map(len, response)),
    }
    if not key and not response:
        return EventScores(**counts, muc=None, b_cubed=None, ceaf_e=None, conll_f1=None)
    linked = any(len(c) > 1 for c in key) or any(len(c) > 1 for c in response)
    muc_score = _coref(muc, key, response) if linked else None
    b3, ceaf = _coref(b_cubed, key, response), _coref(ceaf_e, key, response)
    conll = (muc_score.f1 + b3.f1 + ceaf.f1) / 3 if muc_score is not None else None
    return EventScores(**counts, muc=muc_score, b_cubed=b3, ceaf_e=ceaf, conll_f1=conll)


def _relations(claims: Iterable[Claim], names: dict[str, str]) -> set[tuple[str, str, str]]:
    """The claims' relations between two matched claims, named by names."""
    return {
        (names[claim.id], names[relation.claim_id], relation.type)
        for claim in claims
        for relation in claim.relations
        if claim.id in names and relation.claim_id in names
    }


@dataclass(frozen=True)
class _Names:
    """Every matched pair of the compared articles, as relations cross articles: each claim's
    id by the reference claim it is matched with."""

    reference: dict[str, str]
    candidate: dict[str, str]

    @classmethod
    def of(cls, pairs: list[tuple[Claim, Claim]]) -> "_Names":
        return cls({r.id: r.id for r, _ in pairs}, {c.id: r.id for r, c in pairs})


def relation_scores(matched: _Matched, names: _Names) -> Detection:
    ours = _relations(matched.reference, names.reference)
    theirs = _relations(matched.candidate, names.candidate)
    return detection(len(ours), len(theirs), len(ours & theirs))


def _scores(
    matched: _Matched, names: _Names, key: list[set[Mention]], response: list[set[Mention]]
) -> Scores:
    pairs = matched.pairs
    return Scores(
        claims=claim_scores(matched),
        dates=date_scores(pairs),
        quantities=quantity_scores(pairs),
        places=place_scores(pairs),
        events=event_scores(key, response),
        relations=relation_scores(matched, names),
    )


def compared_articles(reference: Corpus, candidate: Corpus) -> list[str]:
    """The articles the candidate annotates completely, each of which the reference must too."""
    ids = sorted(a.id for a in candidate.articles if a.annotation_status == "complete")
    status = {a.id: a.annotation_status for a in reference.articles}
    missing = [i for i in ids if i not in status]
    if missing:
        raise ScoreInputError(
            f"the candidate annotates articles the reference lacks: {', '.join(missing)}; "
            "score against a reference that annotates them, or leave them out of the candidate"
        )
    incomplete = [i for i in ids if status[i] != "complete"]
    if incomplete:
        raise ScoreInputError(
            f"the reference does not annotate these articles completely: {', '.join(incomplete)}"
            "; score against a reference that does"
        )
    return ids


def score(reference: Corpus, candidate: Corpus) -> ScoreReport:
    """The candidate's scores against the reference (see the module for every definition)."""
    ids = compared_articles(reference, candidate)
    compared = set(ids)
    ours, theirs = _claims_by_article(reference, compared), _claims_by_article(candidate, compared)
    matched_by_article = {
        article_id: _Matched(
            ours[article_id],
            theirs[article_id],
            match(ours[article_id], theirs[article_id], claim_weight),
        )
        for article_id in ids
    }
    all_pairs = [pair for m in matched_by_article.values() for pair in m.pairs]
    names = _Names.of(all_pairs)
    key, response = clusters(reference.events, compared), clusters(candidate.events, compared)
    keys, responses = by_article(key, compared), by_article(response, compared)
    articles = [
        ArticleScores(
            article_id=article_id,
            **dict(_scores(matched, names, keys[article_id], responses[article_id])),
        )
        for article_id, matched in matched_by_article.items()
    ]
    everything = _Matched(
        [c for m in matched_by_article.values() for c in m.reference],
        [c for m in matched_by_article.values() for c in m.candidate],
        all_pairs,
    )
    return ScoreReport(articles=articles, overall=_scores(everything, names, key, response))


def _claims_by_article(corpus: Corpus, articles: set[str]) -> dict[str, list[Claim]]:
    """The corpus's claims of each of the articles, in the corpus's order."""
    claims: dict[str, list[Claim]] = {article: [] for article in articles}
    for claim in corpus.claims:
        if claim.article_id in claims:
            claims[claim.article_id].append(claim)
    return claims
