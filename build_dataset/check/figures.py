"""The rule that derives an event's best/low/high figure from the claims that report it."""

from collections.abc import Sequence
from typing import NamedTuple

from karabakh_schema.annotation import ClaimAnnotation
from karabakh_schema.values import QuantityValue
from karabakh_schema.vocabularies import Measure, Qualifier


class FigureError(ValueError):
    pass


class FigureQuantity(NamedTuple):
    """What the figure rule reads of a quantity: the number as stated, its hedge and the bounds
    its wording states (None where it states none)."""

    measure: Measure
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier

    @classmethod
    def of(cls, quantity: QuantityValue) -> "FigureQuantity":
        return cls(
            quantity.measure, quantity.value, quantity.low, quantity.high, quantity.qualifier
        )

    @property
    def lower_bound(self) -> float | None:
        """The lowest count the wording allows: its low, or an exact number; None for an
        approximation ("about 200") or an upper bound alone, which state no lower bound."""
        if self.low is not None:
            return self.low
        return self.value if self.qualifier == "exact" else None

    @property
    def upper_bound(self) -> float | None:
        """The highest count the wording allows: its high, or an exact number; None for "at
        least", "more than" and approximations: a lower bound is not a high."""
        if self.high is not None:
            return self.high
        return self.value if self.qualifier == "exact" else None


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


class Figure(NamedTuple):
    best: float
    low: float | None
    high: float | None


def derive_figure(measure: Measure, claims: Sequence[FigureClaim]) -> Figure:
    """An event's figure for one measure over the listed claims. Only the current claims count:
    those that no listed claim supersedes (a later report replaces an earlier one).

    low: the lowest lower bound the current claims state; null if one of them states none.
    high: the highest upper bound they state; null if one of them states none, so "at least
    32" never becomes a high of 32. best: the lowest count that every current claim allows
    (an approximation taken at its number) when they can all be true at once, which for "at
    least 29" and "at least 32" is 32; when they disagree, the lowest number any of them states
    (ACLED's most conservative figure)."""
    listed = {claim.id for claim in claims}
    superseded = listed & frozenset().union(*(claim.supersedes for claim in claims))
    current = [_quantity(claim, measure) for claim in claims if claim.id not in superseded]
    for claim in claims:
        _quantity(claim, measure)  # every listed claim reports the measure once
    if not current:
        raise FigureError("every listed claim is superseded by another listed claim")
    lows = [q.lower_bound for q in current]
    highs = [q.upper_bound for q in current]
    low = None if None in lows else min(x for x in lows if x is not None)
    high = None if None in highs else max(x for x in highs if x is not None)
    return Figure(_best(current), low, high)


def _quantity(claim: FigureClaim, measure: Measure) -> FigureQuantity:
    matching = [q for q in claim.quantities if q.measure == measure]
    if len(matching) != 1:
        raise FigureError(
            f"claim {claim.id} has {len(matching)} quantities of measure {measure!r}; "
            "a figure takes exactly one from each listed claim"
        )
    return matching[0]


def _best(current: Sequence[FigureQuantity]) -> float:
    def point(q: FigureQuantity) -> float | None:
        return q.value if q.qualifier == "about" else None

    lowers = [
        x
        for q in current
        if (x := q.lower_bound if q.lower_bound is not None else point(q)) is not None
    ]
    uppers = [
        x
        for q in current
        if (x := q.upper_bound if q.upper_bound is not None else point(q)) is not None
    ]
    if lowers and (not uppers or max(lowers) <= min(uppers)):
        return max(lowers)
    stated = [q.value for q in current if q.value is not None]
    if not stated:
        raise FigureError(
            "the current claims disagree and none states a single number to take as the most "
            "conservative figure; leave a claim without a number out of the figure"
        )
    return min(stated)
