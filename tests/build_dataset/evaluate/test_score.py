"""Each metric of the scorer on small records whose scores are worked out by hand in the
comments, with the edge cases: an empty candidate, no matches, identical inputs."""

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_dataset.evaluate.score import (
    Corpus,
    Mention,
    ScoreInputError,
    agreement,
    b_cubed,
    by_article,
    ceaf_e,
    clusters,
    detection,
    dice,
    event_scores,
    match,
    muc,
    score,
    sharing_groups,
)
from build_dataset.evaluate.score_format import agreement_markdown, history_markdown, report_text
from karabakh_schema import Article, Claim, Event
from karabakh_schema.values import Span

A1 = "001_0000000000000001"
A2 = "002_0000000000000002"
TEXT = "x" * 200


def span(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


def actor(actor_id: str) -> dict[str, Any]:
    return {"id": actor_id, "name": actor_id, "type": "government", "country_code": None}


def place(place_id: str) -> dict[str, Any]:
    return {
        "id": place_id,
        "name": place_id,
        "geonames_id": None,
        "latitude": None,
        "longitude": None,
        "country_code": None,
    }


def date(start: int, end: int, value: str) -> dict[str, Any]:
    return {"span": span(start, end), "anchor": "absolute"} | _date_value(value)


def _date_value(value: str) -> dict[str, Any]:
    from karabakh_schema.values import DateValue

    return DateValue.from_iso(value).model_dump()


def quantity(start: int, end: int, **fields: Any) -> dict[str, Any]:
    defaults = {"value": 32.0, "low": None, "high": None, "qualifier": "exact"}
    values = defaults | {"unit": "people", "measure": "fatalities", "counted": "dead"}
    return {"span": span(start, end)} | values | fields


def claim(number: int, start: int, end: int, article: str = A1, **fields: Any) -> Claim:
    data: dict[str, Any] = {
        "id": f"{article}-c{number:03d}",
        "article_id": article,
        "span": span(start, end),
        "claimant": actor("azerbaijan"),
        "claimant_span": None,
        "cue": None,
        "quote_type": "indirect",
        "claim_type": "event_report",
        "quantities": [],
        "dates": [],
        "places": [],
        "event_ids": [],
        "relations": [],
        "note": None,
    }
    for key, value in fields.items():
        data[key] = actor(value) if key == "claimant" else value
    return Claim.model_validate(data)


def relation(kind: str, target: str) -> dict[str, Any]:
    return {"type": kind, "claim_id": target, "note": None}


def article(article_id: str, status: str = "complete") -> Article:
    return Article.model_validate(
        {
            "id": article_id,
            "source_file": f"seeds/{article_id}.txt",
            "sha256": "0" * 64,
            "title": None,
            "outlet": None,
            "publication_date": {
                "date": None,
                "derivation": "unknown",
                "evidence": None,
                "note": None,
            },
            "language": "en",
            "raw_text": TEXT,
            "clean_text": TEXT,
            "removed_segments": [],
            "truncated": False,
            "word_count": 1,
            "annotation_status": status,
        }
    )


def event(slug: str, *mentions: tuple[str, int, int]) -> Event:
    return Event.model_validate(
        {
            "id": f"ev-{slug}",
            "type": "armed_clash",
            "category": "battles",
            "description": "d",
            "date": None,
            "place": None,
            "actors": [],
            "mentions": [{"article_id": a, "span": span(s, e)} for a, s, e in mentions],
            "figures": [],
            "note": None,
        }
    )


def corpus(
    claims: list[Claim], events: Sequence[Event] = (), articles: tuple[str, ...] = (A1,)
) -> Corpus:
    return Corpus([article(a) for a in articles], claims, list(events))


# detection: precision matched/candidate, recall matched/reference, F1 2·matched/(both)


def test_detection_counts_precision_recall_and_f1() -> None:
    scores = detection(reference=4, candidate=3, matched=2)
    assert (scores.precision, scores.recall) == (2 / 3, 1 / 2)
    assert scores.f1 == pytest.approx(4 / 7)  # 2·2/(4+3)


def test_detection_of_nothing_against_nothing_is_perfect() -> None:
    assert detection(0, 0, 0).model_dump() == {
        "reference": 0,
        "candidate": 0,
        "matched": 0,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }


@pytest.mark.parametrize(("reference", "candidate"), [(3, 0), (0, 2), (3, 2)])
def test_detection_without_matches_is_zero(reference: int, candidate: int) -> None:
    scores = detection(reference, candidate, 0)
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


# spans: Dice 2|A∩B|/(|A|+|B|), a match from 0.5


def test_dice_of_spans() -> None:
    assert dice(Span(**span(0, 10)), Span(**span(5, 15))) == 0.5  # 2·5/20
    assert dice(Span(**span(0, 10)), Span(**span(6, 16))) == 0.4  # 2·4/20
    assert dice(Span(**span(0, 10)), Span(**span(10, 20))) == 0.0


def test_match_prefers_more_pairs_to_a_larger_total() -> None:
    """a-x alone weighs 1.0; a-y with b-x weigh 0.2, but are two pairs."""
    weights = {("a", "x"): 1.0, ("a", "y"): 0.1, ("b", "x"): 0.1}
    pairs = match(["a", "b"], ["x", "y"], lambda r, c: weights.get((r, c), 0.0))
    assert sorted(pairs) == [("a", "y"), ("b", "x")]


def test_match_takes_the_larger_total_among_as_many_pairs() -> None:
    weights = {("a", "x"): 0.9, ("a", "y"): 0.6, ("b", "x"): 0.6, ("b", "y"): 0.6}
    assert sorted(match(["a", "b"], ["x", "y"], lambda r, c: weights[(r, c)])) == [
        ("a", "x"),
        ("b", "y"),
    ]


def test_match_of_nothing() -> None:
    assert match([], ["x"], lambda r, c: 1.0) == []


def test_claim_spans_exact_and_overlap() -> None:
    """Reference [0,10) [20,40); candidate [0,10) exact, [22,40) at Dice 36/38, [50,60) alone:
    exact 1 of 3, overlap 2 of 3."""
    reference = [claim(1, 0, 10), claim(2, 20, 40)]
    candidate = [claim(1, 0, 10), claim(2, 22, 40), claim(3, 50, 60)]
    claims = score(corpus(reference), corpus(candidate)).overall.claims
    assert (claims.exact.matched, claims.exact.precision, claims.exact.recall) == (1, 1 / 3, 1 / 2)
    assert claims.exact.f1 == pytest.approx(2 / 5)
    assert (claims.overlap.matched, claims.overlap.precision, claims.overlap.recall) == (
        2,
        2 / 3,
        1.0,
    )
    assert claims.overlap.f1 == pytest.approx(0.8)


def test_claim_spans_below_half_dice_do_not_match() -> None:
    """[0,10) and [6,16): Dice 0.4."""
    claims = score(corpus([claim(1, 0, 10)]), corpus([claim(1, 6, 16)])).overall.claims
    assert claims.overlap.matched == 0 and claims.overlap.f1 == 0.0
    assert claims.claimant.accuracy is None and claims.quote_type.kappa is None


def test_an_empty_candidate() -> None:
    report = score(corpus([claim(1, 0, 10)], [event("a", (A1, 0, 5))]), corpus([]))
    overall = report.overall
    assert (overall.claims.overlap.precision, overall.claims.overlap.recall) == (0.0, 0.0)
    assert overall.claims.claimant.pairs == 0 and overall.claims.claimant.accuracy is None
    assert overall.events.b_cubed is not None and overall.events.b_cubed.f1 == 0.0
    assert overall.relations.f1 == 1.0  # neither side has a relation


def test_identical_inputs_score_one() -> None:
    claims = [
        claim(
            1,
            0,
            40,
            cue=span(30, 34),
            dates=[date(0, 5, "2023-09-20")],
            quantities=[quantity(10, 12)],
            places=[{"span": span(20, 25), "place": place("shusha")}],
            relations=[relation("agrees", f"{A1}-c002")],
        ),
        claim(2, 50, 90, quote_type="direct", claim_type="figure"),
    ]
    events = [event("a", (A1, 0, 5), (A1, 50, 55)), event("b", (A1, 60, 65))]
    report = score(corpus(claims, events), corpus(claims, events))
    assert report.articles[0].model_dump(exclude={"article_id"}) == report.overall.model_dump()
    scores = report.overall
    assert scores.claims.exact.f1 == scores.claims.overlap.f1 == 1.0
    assert scores.claims.quote_type.kappa == scores.claims.claim_type.kappa == 1.0
    for accuracy in (scores.claims.claimant, scores.claims.cue, scores.dates.value):
        assert accuracy.accuracy == 1.0
    assert scores.quantities.measure.accuracy == scores.places.place.accuracy == 1.0
    assert scores.events.conll_f1 == 1.0 and scores.relations.f1 == 1.0


# on matched claims: claimant, cue, and Cohen's κ


def test_claimant_and_cue_on_matched_claims() -> None:
    """Three matched pairs: claimants differ in one; cues: both none, same span, other span."""
    reference = [
        claim(1, 0, 10),
        claim(2, 20, 30, cue=span(20, 24)),
        claim(3, 40, 50, cue=span(40, 44), claimant="armenia"),
    ]
    candidate = [
        claim(1, 0, 10),
        claim(2, 20, 30, cue=span(20, 24), claimant="armenia"),
        claim(3, 40, 50, cue=span(45, 49), claimant="armenia"),
    ]
    claims = score(corpus(reference), corpus(candidate)).overall.claims
    assert (claims.claimant.pairs, claims.claimant.agree) == (3, 2)
    assert claims.claimant.accuracy == 2 / 3
    assert claims.cue.accuracy == 2 / 3


def test_cohens_kappa() -> None:
    """Observed 3/4; marginals direct 2/4 and 1/4, indirect 2/4 and 3/4, so chance agreement
    1/2·1/4 + 1/2·3/4 = 1/2 and κ = (3/4 - 1/2)/(1 - 1/2) = 1/2."""
    pairs = [
        ("direct", "direct"),
        ("direct", "indirect"),
        ("indirect", "indirect"),
        ("indirect", "indirect"),
    ]
    found = agreement(pairs)
    assert found.accuracy == 3 / 4
    assert found.kappa == pytest.approx(0.5)


def test_kappa_with_one_category_or_no_pair_is_undefined() -> None:
    assert agreement([("direct", "direct")] * 3).kappa is None
    assert agreement([]).model_dump() == {"pairs": 0, "agree": 0, "accuracy": None, "kappa": None}


def test_kappa_of_two_categories_never_shared_is_zero() -> None:
    """Chance agreement 1·0 + 0·1 = 0 and observed 0: κ = 0."""
    assert agreement([("direct", "indirect")] * 2).kappa == 0.0


def test_quote_and_claim_type_on_matched_claims() -> None:
    reference = [claim(1, 0, 10, quote_type="direct"), claim(2, 20, 30)]
    candidate = [claim(1, 0, 10), claim(2, 20, 30), claim(3, 60, 70)]
    claims = score(corpus(reference), corpus(candidate)).overall.claims
    assert (claims.quote_type.pairs, claims.quote_type.accuracy) == (2, 1 / 2)
    # marginals direct 1/2 and 0, indirect 1/2 and 1: chance 1/2, κ = (1/2 - 1/2)/(1/2) = 0
    assert claims.quote_type.kappa == 0.0
    assert claims.claim_type.accuracy == 1.0 and claims.claim_type.kappa is None


# values within matched claims


def test_dates_match_by_overlap_then_value_and_precision() -> None:
    """'on Wednesday' [0,12) and 'Wednesday' [3,12) overlap, same value; [20,30) against
    [25,35), day against month; the reference's [40,45) has no candidate; the candidate's
    [50,55) none in the reference: 2 of 3 found, 2 of 3 in the candidate."""
    reference = [
        claim(
            1,
            0,
            60,
            dates=[date(0, 12, "2023-09-20"), date(20, 30, "2023-09-19"), date(40, 45, "2023")],
        )
    ]
    candidate = [
        claim(
            1,
            0,
            60,
            dates=[date(3, 12, "2023-09-20"), date(25, 35, "2023-09"), date(50, 55, "2023")],
        )
    ]
    dates = score(corpus(reference), corpus(candidate)).overall.dates
    assert (dates.spans.matched, dates.spans.precision, dates.spans.recall) == (2, 2 / 3, 2 / 3)
    assert dates.value.accuracy == 1 / 2 and dates.precision.accuracy == 1 / 2


def test_quantities_compare_value_bounds_qualifier_and_measure() -> None:
    """'at least 32' against '32' (other qualifier and bounds), and 'about 200 injured' against
    '200' (other measure)."""
    reference = [
        claim(
            1,
            0,
            60,
            quantities=[
                quantity(0, 11, low=32.0, qualifier="at_least"),
                quantity(20, 29, value=200.0, qualifier="about", measure="injuries"),
            ],
        )
    ]
    candidate = [claim(1, 0, 60, quantities=[quantity(9, 11), quantity(26, 29, value=200.0)])]
    quantities = score(corpus(reference), corpus(candidate)).overall.quantities
    assert quantities.spans.f1 == 1.0
    assert quantities.value.accuracy == 1.0
    assert quantities.bounds.accuracy == 1 / 2
    assert quantities.qualifier.accuracy == 0.0
    assert quantities.measure.accuracy == 1 / 2


def test_places_compare_ids() -> None:
    reference = [claim(1, 0, 60, places=[{"span": span(0, 8), "place": place("karabakh")}])]
    candidate = [claim(1, 0, 60, places=[{"span": span(0, 8), "place": place("shusha")}])]
    places = score(corpus(reference), corpus(candidate)).overall.places
    assert places.spans.f1 == 1.0 and places.place.accuracy == 0.0


def test_values_of_unmatched_claims_are_not_scored() -> None:
    reference = [claim(1, 0, 10, dates=[date(0, 5, "2023")])]
    candidate = [claim(1, 100, 110, dates=[date(100, 105, "2023")])]
    dates = score(corpus(reference), corpus(candidate)).overall.dates
    assert (dates.spans.reference, dates.spans.candidate, dates.value.accuracy) == (0, 0, None)


# events: MUC, B³, CEAF-e and CoNLL F1 on the example of Pradhan et al. (2014), figure 1


def letters(names: str) -> set[tuple[str, int, int]]:
    return {(A1, 10 * "abcdefghi".index(n), 10 * "abcdefghi".index(n) + 5) for n in names}


def test_coreference_on_the_textbook_example() -> None:
    """Key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
    MUC: recall (3-2 + 4-3)/(2+3) = 0.4, precision (1 + 0 + 4-3)/(1+1+3) = 0.4.
    B³: recall ((4+1)/3 + (1+4)/4)/7 = 5/12, precision (4/2 + 2/2 + 4/4)/8 = 1/2, F1 5/11.
    CEAF-e: best alignment {a,b,c}-{a,b} (Dice 4/5) and {d,e,f,g}-{f,g,h,i} (4/8): 1.3, so
    recall 1.3/2 = 0.65, precision 1.3/3, F1 0.52."""
    key = [letters("abc"), letters("defg")]
    response = [letters("ab"), letters("cd"), letters("fghi")]
    found = event_scores(key, response)
    assert found.muc is not None and found.b_cubed is not None and found.ceaf_e is not None
    assert (found.muc.recall, found.muc.precision) == pytest.approx((0.4, 0.4))
    assert (found.b_cubed.recall, found.b_cubed.precision) == pytest.approx((5 / 12, 1 / 2))
    assert found.b_cubed.f1 == pytest.approx(5 / 11)
    assert (found.ceaf_e.recall, found.ceaf_e.precision) == pytest.approx((0.65, 1.3 / 3))
    assert found.ceaf_e.f1 == pytest.approx(0.52)
    assert found.conll_f1 == pytest.approx((0.4 + 5 / 11 + 0.52) / 3)
    assert (found.reference_mentions, found.candidate_mentions) == (7, 8)


def test_coreference_from_events_across_articles() -> None:
    """One event in two articles against two events, one per article: MUC recall 0 of 1 link,
    precision 0 of 0 links (so 0); B³ recall (1+1)/2/2 = 1/2, precision 1."""
    reference = corpus([], [event("a", (A1, 0, 5), (A2, 0, 5))], (A1, A2))
    candidate = corpus([], [event("a", (A1, 0, 5)), event("b", (A2, 0, 5))], (A1, A2))
    report = score(reference, candidate)
    events = report.overall.events
    assert events.muc is not None and events.muc.f1 == 0.0
    assert events.b_cubed is not None
    assert (events.b_cubed.recall, events.b_cubed.precision) == (0.5, 1.0)
    per_article = report.articles[0].events  # within one article, a mention each: no link
    assert per_article.muc is None and per_article.conll_f1 is None
    assert per_article.b_cubed is not None and per_article.b_cubed.f1 == 1.0


def test_coreference_without_mentions_is_undefined() -> None:
    found = event_scores([], [])
    assert (found.muc, found.b_cubed, found.ceaf_e, found.conll_f1) == (None, None, None, None)


def test_coreference_of_clusters_sharing_no_mention_is_zero() -> None:
    """Key {a,b}; response {c,d}: no link or mention in common, so every recall, precision and
    F1 is 0 (CEAF-e's harmonic mean of two zeros included)."""
    found = event_scores([letters("ab")], [letters("cd")])
    for score_ in (found.muc, found.b_cubed, found.ceaf_e):
        assert score_ is not None
        assert (score_.recall, score_.precision, score_.f1) == (0.0, 0.0, 0.0)
    assert found.conll_f1 == 0.0


def test_a_mention_two_events_list_counts_in_the_first() -> None:
    events = [event("b", (A1, 0, 5), (A1, 10, 15)), event("a", (A1, 0, 5))]
    assert clusters(events, {A1}) == [{(A1, 0, 5)}, {(A1, 10, 15)}]


def test_mentions_outside_the_compared_articles_are_left_out() -> None:
    assert clusters([event("a", (A1, 0, 5), (A2, 0, 5))], {A2}) == [{(A2, 0, 5)}]


A3 = "003_0000000000000003"
MENTION = st.tuples(st.sampled_from([A1, A2, A3]), st.integers(0, 3)).map(
    lambda m: (m[0], 10 * m[1], 10 * m[1] + 5)
)


@given(st.lists(st.lists(MENTION, min_size=1, max_size=5, unique=True), max_size=8))
def test_the_clusters_of_all_articles_split_by_article_are_those_of_each_alone(
    mentions: list[list[tuple[str, int, int]]],
) -> None:
    """Mentions shared between events, events in any id order, an article not compared."""
    events = [event(f"e{i}", *listed) for i, listed in reversed(list(enumerate(mentions)))]
    compared = {A1, A2}
    found = by_article(clusters(events, compared), compared)
    assert found == {a: clusters(events, {a}) for a in compared}


def _clusterings(draw: st.DrawFn) -> tuple[list[set[Mention]], list[set[Mention]]]:
    """Two clusterings of some of 12 mentions, each into disjoint clusters, as clusters()
    makes them."""
    mentions = [(A1, 10 * i, 10 * i + 5) for i in range(12)]

    def clustering() -> list[set[Mention]]:
        labels = draw(st.lists(st.integers(-1, 5), min_size=12, max_size=12))
        found: dict[int, set[Mention]] = {}
        for mention, label in zip(mentions, labels, strict=True):
            if label >= 0:
                found.setdefault(label, set()).add(mention)
        return list(found.values())

    return clustering(), clustering()


clusterings = st.composite(_clusterings)


@given(clusterings())
def test_sharing_groups_split_the_clusters_where_no_mention_is_shared(
    found: tuple[list[set[Mention]], list[set[Mention]]],
) -> None:
    key, response = found
    groups = sharing_groups(key, response)
    assert sorted(map(sorted, (k for keys, _ in groups for k in keys))) == sorted(map(sorted, key))
    assert sorted(map(sorted, (r for _, rs in groups for r in rs))) == sorted(map(sorted, response))
    mentions = [set().union(*keys, *rs) for keys, rs in groups]
    assert all(a.isdisjoint(b) for i, a in enumerate(mentions) for b in mentions[i + 1 :])


@given(clusterings())
def test_each_metric_found_group_by_group_is_scorchs_over_the_whole(
    found: tuple[list[set[Mention]], list[set[Mention]]],
) -> None:
    from scorch import scores

    key, response = found
    assert muc(key, response) == pytest.approx(scores.muc(key, response), abs=1e-12)
    assert b_cubed(key, response) == pytest.approx(scores.b_cubed(key, response), abs=1e-12)
    ours = ceaf_e(key, response)
    if any(not k.isdisjoint(r) for k in key for r in response):
        assert ours == pytest.approx(scores.ceaf_e(key, response), abs=1e-12)
    else:  # scorch fails on the harmonic mean of NumPy zeros here
        assert ours == (0.0, 0.0, 0.0)


# relations between matched claims


def test_relations_between_matched_claims() -> None:
    """The candidate's c001→c002 agrees is the reference's (its claims match those); c002→c001
    contradicts is not; c001→c003 is left out, c003 matching nothing. Precision 1/2, recall 1."""
    reference = [
        claim(1, 0, 10, relations=[relation("agrees", f"{A1}-c002")]),
        claim(2, 20, 30),
    ]
    candidate = [
        claim(
            1,
            0,
            10,
            relations=[relation("agrees", f"{A1}-c002"), relation("refines", f"{A1}-c003")],
        ),
        claim(2, 21, 30, relations=[relation("contradicts", f"{A1}-c001")]),
        claim(3, 80, 90),
    ]
    relations = score(corpus(reference), corpus(candidate)).overall.relations
    assert (relations.reference, relations.candidate, relations.matched) == (1, 2, 1)
    assert (relations.precision, relations.recall) == (1 / 2, 1.0)


def test_relations_are_named_by_the_reference_match() -> None:
    """The candidate numbers the same claims the other way round."""
    reference = [claim(1, 0, 10, relations=[relation("agrees", f"{A1}-c002")]), claim(2, 20, 30)]
    candidate = [claim(2, 0, 10, relations=[relation("agrees", f"{A1}-c001")]), claim(1, 20, 30)]
    assert score(corpus(reference), corpus(candidate)).overall.relations.f1 == 1.0


# which articles are compared


def test_only_the_candidates_complete_articles_are_compared() -> None:
    reference = corpus([claim(1, 0, 10), claim(1, 0, 10, article=A2)], articles=(A1, A2))
    candidate = Corpus([article(A1), article(A2, "not_started")], [claim(1, 0, 10)], [])
    report = score(reference, candidate)
    assert [a.article_id for a in report.articles] == [A1]
    assert report.overall.claims.overlap.recall == 1.0


def test_a_candidate_article_the_reference_lacks_is_an_error() -> None:
    with pytest.raises(ScoreInputError, match=f"reference lacks: {A2}"):
        score(corpus([]), corpus([], articles=(A1, A2)))


def test_a_reference_article_not_annotated_is_an_error() -> None:
    reference = Corpus([article(A1, "not_started")], [], [])
    with pytest.raises(ScoreInputError, match=f"not annotate these articles completely: {A1}"):
        score(reference, corpus([]))


def test_per_article_and_overall() -> None:
    """A1: 1 of 1 found; A2: 0 of 1 found, 1 extra; overall 1 of 2, precision 1/2."""
    reference = corpus([claim(1, 0, 10), claim(1, 0, 10, article=A2)], articles=(A1, A2))
    candidate = corpus([claim(1, 0, 10), claim(1, 50, 60, article=A2)], articles=(A1, A2))
    report = score(reference, candidate)
    first, second = (a.claims.overlap for a in report.articles)
    assert (first.f1, second.f1) == (1.0, 0.0)
    assert (report.overall.claims.overlap.recall, report.overall.claims.overlap.precision) == (
        0.5,
        0.5,
    )


# the report as tables


def test_the_report_as_text_and_markdown() -> None:
    reference = corpus([claim(1, 0, 10)])
    report = score(reference, reference)
    text = report_text(report)
    assert text.splitlines()[0].split() == ["metric", "all", "001"]
    assert "claimant accuracy" in text and "n/a" in text  # no date to compare
    markdown = agreement_markdown(report)
    lines = markdown.splitlines()
    assert lines[0] == "| metric | all | 001 |" and lines[1] == "|---|---|---|"
    assert "| claim spans, overlap, F1 | 1.000 | 1.000 |" in lines
    assert "| quote type Cohen's κ | n/a | n/a |" in lines


def test_reports_of_several_releases_side_by_side() -> None:
    reference = corpus([claim(1, 0, 10), claim(2, 20, 30)])
    half = score(reference, corpus([claim(1, 0, 10)]))
    whole = score(reference, reference)
    lines = history_markdown({"2.1.0": half, "3.0.0": whole}).splitlines()
    assert lines[0] == "| metric | 2.1.0 | 3.0.0 |" and lines[1] == "|---|---|---|"
    assert "| claim spans, exact, recall | 0.500 | 1.000 |" in lines
    assert "| claim spans, exact, precision | 1.000 | 1.000 |" in lines
