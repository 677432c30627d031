"""The figure rule on the casualty reports of seed 001: 'at least 32' (twice), 'at least 29'
and the separatists' earlier '27 dead', which the later toll supersedes."""

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from build_dataset.check import figures
from build_dataset.check.figures import FigureClaim, FigureError
from build_dataset.read.cleaning import clean_article
from karabakh_schema.annotation import ClaimAnnotation, QuantityAnnotation, RelationAnnotation
from karabakh_schema.vocabularies import Measure

ARTICLE = "001_d2d2eb034c79192f"
SEED = Path(__file__).resolve().parents[3] / "seeds" / f"{ARTICLE}.txt"
ARMENIA = "armenia-government"
OUTLET = "defence-redefined"
SEPARATISTS = "nk-separatist-forces"


def derive_figure(
    measure: Measure, claims: list[ClaimAnnotation]
) -> tuple[float, float | None, float | None]:
    """The rule on the claims as the builder hands them to it."""
    return tuple(figures.derive_figure(measure, [FigureClaim.of(claim) for claim in claims]))


@cache
def text() -> str:
    return clean_article(SEED.read_text(encoding="utf-8"), "Defence Redefined").clean_text


def quantity(
    quote: str, words: str, measure: str = "fatalities", **bounds: Any
) -> QuantityAnnotation:
    assert words in quote, f"{words!r} is not within the claim's quote"
    fields: dict[str, Any] = {"value": None, "low": None, "high": None, "qualifier": "exact"}
    return QuantityAnnotation(
        **{**fields, **bounds},
        unit="people",
        measure=measure,  # type: ignore[arg-type]
        counted="people killed in the offensive",
        text=words,
    )


def claim(
    number: int,
    quote: str,
    claimant: str,
    quantities: list[tuple[str, dict[str, Any]]],
    supersedes: tuple[int, ...] = (),
) -> ClaimAnnotation:
    assert quote in text(), f"{quote!r} is not in the clean text of {ARTICLE}"
    return ClaimAnnotation(
        id=f"{ARTICLE}-c{number:03d}",
        quote=quote,
        claimant=claimant,
        quote_type="indirect" if claimant != OUTLET else "unattributed",
        claim_type="figure",
        quantities=[quantity(quote, words, **fields) for words, fields in quantities],
        events=["ev-2023-09-19-azerbaijan-offensive-nagorno-karabakh"],
        relations=[
            RelationAnnotation(type="supersedes", claim=f"{ARTICLE}-c{n:03d}") for n in supersedes
        ],
    )


AT_LEAST_32 = {"value": 32, "low": 32, "qualifier": "at_least"}


def c011() -> ClaimAnnotation:
    return claim(
        11,
        "The forces of Azerbaijan shelled Nagorno-Karabakh on Wednesday, killing at least 32 "
        "people, according to Armenia, and wounding many more",
        ARMENIA,
        [("at least 32 people", AT_LEAST_32)],
    )


def c019() -> ClaimAnnotation:
    return claim(
        19,
        "Azerbaijan launched a new attack yesterday, Tuesday, as a result of which at least 29 "
        "people have been killed so far",
        OUTLET,
        [("at least 29 people", {"value": 29, "low": 29, "qualifier": "at_least"})],
    )


def c024(supersedes: tuple[int, ...] = (19, 25)) -> ClaimAnnotation:
    return claim(
        24,
        "At least 32 people have been killed in the clashes.",
        OUTLET,
        [("At least 32 people", AT_LEAST_32)],
        supersedes,
    )


def c025() -> ClaimAnnotation:
    return claim(
        25,
        "The separatists of the enclave earlier spoke of 27 dead, including two civilians, and "
        "more than 200 injured",
        SEPARATISTS,
        [
            ("27 dead", {"value": 27}),
            ("two civilians", {"value": 2, "measure": "civilian_fatalities"}),
            (
                "more than 200 injured",
                {"value": 200, "low": 200, "qualifier": "more_than", "measure": "injuries"},
            ),
        ],
    )


def test_the_offensive_fatalities_match_the_annotated_figure() -> None:
    # events.yaml: three current lower bounds (at least 32, 29, 32); the 27 is superseded.
    # best is the lowest count all of them allow, and no claim states an upper bound.
    assert derive_figure("fatalities", [c011(), c019(), c024(supersedes=(25,)), c025()]) == (
        32,
        29,
        None,
    )


def test_claim_order_does_not_matter() -> None:
    claims = [c025(), c024(supersedes=(25,)), c019(), c011()]
    assert derive_figure("fatalities", claims) == (32, 29, None)


def test_a_superseded_claim_no_longer_bounds_the_figure() -> None:
    assert derive_figure("fatalities", [c024(supersedes=(19, 25)), c019(), c025()]) == (
        32,
        32,
        None,
    )


def test_an_exact_count_that_a_lower_bound_exceeds_is_a_disagreement() -> None:
    # 27 exactly and at least 32 cannot both be true: best is the lowest stated number
    claims = [c011(), c019(), c024(supersedes=()), c025()]
    assert derive_figure("fatalities", claims) == (27, 27, None)


def test_a_lower_bound_is_never_a_high() -> None:
    assert derive_figure("fatalities", [c011()]) == (32, 32, None)
    assert derive_figure("injuries", [c025()]) == (200, 200, None)


def test_exact_counts_bound_both_sides() -> None:
    assert derive_figure("civilian_fatalities", [c025()]) == (2, 2, 2)
    assert derive_figure("fatalities", [c025()]) == (27, 27, 27)


def test_supersession_of_an_unlisted_claim_is_ignored() -> None:
    assert derive_figure("fatalities", [c024(), c011()]) == (32, 32, None)
    assert derive_figure("fatalities", [c019(), c011()]) == (32, 29, None)


def test_a_range_sets_low_and_high_and_best_is_the_lowest_count_both_claims_allow() -> None:
    ranged = claim(
        24,
        "At least 32 people have been killed in the clashes.",
        OUTLET,
        [("At least 32 people", {"low": 30, "high": 40, "qualifier": "range"})],
    )
    assert derive_figure("fatalities", [ranged, c019()]) == (30, 29, None)
    assert derive_figure("fatalities", [ranged]) == (30, 30, 40)


def test_an_approximation_states_no_bound_and_counts_at_its_number() -> None:
    about = claim(
        11,
        "killing at least 32 people",
        ARMENIA,
        [("at least 32 people", {"value": 32, "qualifier": "about"})],
    )
    assert derive_figure("fatalities", [about]) == (32, None, None)
    assert derive_figure("fatalities", [about, c019()]) == (32, None, None)
    # about 32 and exactly 27 disagree: the lowest stated number
    assert derive_figure("fatalities", [about, c025()]) == (27, None, None)


def test_an_approximation_with_bounds_uses_them() -> None:
    about = claim(
        11,
        "killing at least 32 people",
        ARMENIA,
        [("at least 32 people", {"value": 32, "low": 30, "high": 35, "qualifier": "about"})],
    )
    assert derive_figure("fatalities", [about, c025()]) == (27, 27, 35)


def test_an_upper_bound_alone_states_no_low() -> None:
    at_most = claim(
        11,
        "killing at least 32 people",
        ARMENIA,
        [("at least 32 people", {"value": 32, "high": 32, "qualifier": "at_most"})],
    )
    assert derive_figure("fatalities", [at_most]) == (32, None, 32)
    assert derive_figure("fatalities", [at_most, c025()]) == (27, None, 32)


def test_a_claim_without_the_measure_is_an_error() -> None:
    with pytest.raises(
        FigureError, match=rf"{ARTICLE}-c019 has 0 quantities of measure 'injuries'"
    ):
        derive_figure("injuries", [c025(), c019()])


def test_a_claim_with_two_quantities_of_the_measure_is_an_error() -> None:
    twice = claim(
        25,
        "The separatists of the enclave earlier spoke of 27 dead, including two civilians",
        SEPARATISTS,
        [("27 dead", {"value": 27}), ("two civilians", {"value": 2})],
    )
    with pytest.raises(FigureError, match="has 2 quantities of measure 'fatalities'"):
        derive_figure("fatalities", [twice])


def test_every_claim_superseded_is_an_error() -> None:
    older = claim(
        25,
        "The separatists of the enclave earlier spoke of 27 dead",
        SEPARATISTS,
        [("27 dead", {"value": 27})],
        supersedes=(24,),
    )
    with pytest.raises(FigureError, match="every listed claim is superseded"):
        derive_figure("fatalities", [c024(supersedes=(25,)), older])


def test_disagreeing_claims_without_a_stated_number_are_an_error() -> None:
    ranged = claim(
        24,
        "At least 32 people have been killed in the clashes.",
        OUTLET,
        [("At least 32 people", {"low": 30, "high": 31, "qualifier": "range"})],
    )
    open_ended = claim(
        11,
        "killing at least 32 people",
        ARMENIA,
        [("at least 32 people", {"low": 32, "qualifier": "at_least"})],
    )
    with pytest.raises(FigureError, match="none states a single number"):
        derive_figure("fatalities", [ranged, open_ended])


def test_no_claims_is_an_error() -> None:
    with pytest.raises(FigureError):
        derive_figure("fatalities", [])


def test_an_open_lower_bound_without_a_value_still_gives_best() -> None:
    open_ended = claim(
        25,
        "more than 200 injured",
        SEPARATISTS,
        [("more than 200 injured", {"low": 200, "qualifier": "more_than", "measure": "injuries"})],
    )
    assert derive_figure("injuries", [open_ended, c025()]) == (200, 200, None)
    assert derive_figure("injuries", [open_ended]) == (200, 200, None)
