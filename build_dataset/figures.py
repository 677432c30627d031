"""The rule that derives an event's best/low/high figure from the claims that report it."""

from collections.abc import Sequence
from typing import NamedTuple

from schema.annotation import ClaimAnnotation
from schema.values import QuantityValue
from schema.vocabularies import Measure


class FigureError(ValueError):
    pass


class FigureQuantity(NamedTuple):
    """What the figure rule reads of a quantity; a bound is None where the quantity lacks it
    and states no value to stand in for it."""

    measure: Measure
    value: float | None
    lower: float | None
    upper: float | None

    @classmethod
    def of(cls, quantity: QuantityValue) -> "FigureQuantity":
        return cls(quantity.measure, quantity.value, quantity.lower, quantity.upper)


class FigureClaim(NamedTuple):
    """What the figure rule needs of a claim, kept small and made of plain values: the index
    stores one for every claim an event figure lists, and the events read them back."""

    id: str
    quantities: tuple[FigureQuantity, ...]
    supersedes: frozenset[str]

    @classmethod
    def of(cls, claim: ClaimAnnotation) -> "FigureClaim":
        superseded = (r.claim for r in claim.relations if r.type == "supersedes")
        quantities = tuple(FigureQuantity.of(q) for q in claim.quantities)
        return cls(claim.id, quantities, frozenset(superseded))


def derive_figure(measure: Measure, claims: Sequence[FigureClaim]) -> tuple[float, float, float]:
    """(best, low, high) for one measure over the listed claims.

    low: the lowest lower bound any claim allows; high: the highest upper figure any claim
    states; best: the lowest stated value among the claims that no listed claim supersedes
    (ACLED's most conservative figure, after dropping reports that later ones replace)."""
    listed = {claim.id for claim in claims}
    superseded = listed & frozenset().union(*(claim.supersedes for claim in claims))
    lows, highs, current = [], [], []
    for claim in claims:
        matching = [q for q in claim.quantities if q.measure == measure]
        if len(matching) != 1:
            raise FigureError(
                f"claim {claim.id} has {len(matching)} quantities of measure {measure!r}; "
                "a figure takes exactly one from each listed claim"
            )
        quantity = matching[0]
        if quantity.lower is None or quantity.upper is None:
            raise FigureError(
                f"claim {claim.id}'s quantity states no value and lacks a bound the figure "
                "needs; give it a value, or leave the claim out of the figure"
            )
        lows.append(quantity.lower)
        highs.append(quantity.upper)
        if claim.id not in superseded and quantity.value is not None:
            current.append(quantity.value)
    if not current:
        raise FigureError("every listed claim is superseded or has no stated value")
    return min(current), min(lows), max(highs)
