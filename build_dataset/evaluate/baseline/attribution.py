"""Who says what: the reporting cue of a sentence, its claimant, and the kind of claim.

A sentence is a claim when it holds a reporting cue. The claimant is the actor named closest
before the cue ("Baku said"), else the first named after it ("said the Kremlin"); a sentence
naming no actor gives no claim, as the baseline does not know the outlet whose own voice it
might be."""

import re
from dataclasses import dataclass

from build_dataset.evaluate.baseline.names import Mention, NameIndex
from karabakh_schema.vocabularies import ClaimType, QuoteType

_CUE_WORDS = (
    "according to|said|says|say|told|tells|stated|announced|announces|claimed|accused|accuses|"
    "denied|denies|denying|rejected|warned|warns|added|adding|reported|reports|insisted|noted|"
    "stressed|declared|confirmed|replied|responded|commented|called for|urged|demanded|dismissed"
)
CUE = re.compile(rf"(?<!\w)(?i:{_CUE_WORDS})(?!\w)")
_QUOTATION_MARKS = re.compile('[\u201c\u201d"]')
_DENIAL = re.compile(r"(?<!\w)(?i:den(?:y|ied|ies|ying)|reject(?:s|ed)?|dismiss(?:es|ed)?)(?!\w)")
_ACCUSATION = re.compile(r"(?<!\w)(?i:accus\w*|blam\w*)")
_PLAN = re.compile(r"(?<!\w)(?i:will|plans?|planned|intends?|to be held)(?!\w)")


@dataclass(frozen=True)
class Attribution:
    cue: re.Match[str]
    claimant: Mention


def attribute(sentence: str, actors: NameIndex) -> Attribution | None:
    """The sentence's first cue and its claimant, or None without a cue or a named actor."""
    cue = CUE.search(sentence)
    if cue is None:
        return None
    named = actors.find(sentence)
    before = [m for m in named if m.end <= cue.start()]
    after = [m for m in named if m.start >= cue.end()]
    if before:
        return Attribution(cue, before[-1])
    return Attribution(cue, after[0]) if after else None


def quote_type(sentence: str) -> QuoteType:
    """direct when the sentence holds quotation marks, else indirect (reported speech)."""
    return "direct" if _QUOTATION_MARKS.search(sentence) else "indirect"


def claim_type(sentence: str, has_figure: bool) -> ClaimType:
    """The first rule that fits: a denial word, an accusation word, a normalized figure, a
    word of intent, else a position."""
    if _DENIAL.search(sentence):
        return "denial"
    if _ACCUSATION.search(sentence):
        return "accusation"
    if has_figure:
        return "figure"
    if _PLAN.search(sentence):
        return "plan"
    return "position"
