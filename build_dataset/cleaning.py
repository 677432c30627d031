"""Cutting site chrome from raw article text by the rules in cleaning_rules.yaml.

The clean text is always the raw text with whole segments removed, so every clean offset maps
back to a raw offset through the removed segments."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from operator import attrgetter
from typing import Literal

import yaml

from schema.article import RemovedSegment
from schema.vocabularies import ChromeKind

WHITESPACE_RULE = "whitespace"

# A group reference by number (or a conditional, by number or name) would point at another
# group once the pattern sits among other rules' groups.
_GROUP_REFERENCE = re.compile(r"\\[0-9]|\(\?\(")
_PATTERN = attrgetter("pattern")


def _ANY_LINE(line: str) -> bool:
    return True


@dataclass(frozen=True)
class CleaningRule:
    id: str
    kind: ChromeKind
    pattern: str
    scope: Literal["line", "to_end"]
    truncates: bool = False

    def matches(self, line: str, outlet: str | None) -> bool:
        if "{outlet}" in self.pattern and not outlet:
            return False
        return _compiled(self.pattern, outlet).fullmatch(line.strip()) is not None


@cache
def _compiled(pattern: str, outlet: str | None) -> re.Pattern[str]:
    if "{outlet}" in pattern and outlet:
        pattern = pattern.replace("{outlet}", re.escape(outlet))
    return re.compile(pattern)


@dataclass(frozen=True)
class Cleaned:
    clean_text: str
    removed: tuple[RemovedSegment, ...]
    truncated: bool


@cache
def load_rules() -> tuple[CleaningRule, ...]:
    text = files("build_dataset").joinpath("cleaning_rules.yaml").read_text(encoding="utf-8")
    return tuple(CleaningRule(**rule) for rule in yaml.safe_load(text)["rules"])


@cache
def _alternations(
    patterns: tuple[str, ...], outlet: str | None
) -> tuple[re.Pattern[str], re.Pattern[str], dict[int | None, int]] | None:
    """The patterns that can match for this outlet joined into one regex, so that a line costs
    one match rather than one per rule: first without groups of their own, which rejects the
    most lines fastest, then each in a named group, for the few lines that match. Alternatives
    are tried in order and a rule that cannot match the whole line falls through to the next,
    so the group that matches is the first rule's; the dict maps it to the rule's index. None
    where joining could change what a pattern means: one does not compile on its own or refers
    to a group by number."""
    alternatives = {}
    for index, pattern in enumerate(patterns):
        if "{outlet}" in pattern and not outlet:
            continue
        if _GROUP_REFERENCE.search(pattern):
            return None
        try:
            alternatives[index] = _compiled(pattern, outlet).pattern
        except re.error:
            return None
    try:
        any_rule = re.compile("|".join(f"(?:{p})" for p in alternatives.values()) or "(?!)")
        which_rule = re.compile("|".join(f"(?P<_rule{i}>{p})" for i, p in alternatives.items()))
    except re.error:
        return None
    return (
        any_rule,
        which_rule,
        {group: int(name[5:]) for name, group in which_rule.groupindex.items()},
    )


def _rule_finder(
    rules: tuple[CleaningRule, ...], outlet: str | None
) -> tuple[Callable[[str], object], Callable[[str], CleaningRule | None]]:
    """A cheap test that a stripped line may match a rule, and the first rule it matches."""
    alternations = _alternations(tuple(map(_PATTERN, rules)), outlet)
    if alternations is None:
        return _ANY_LINE, lambda line: next((r for r in rules if r.matches(line, outlet)), None)
    any_rule, which_rule, rule_index = alternations

    def first_rule(line: str) -> CleaningRule | None:
        match = which_rule.fullmatch(line)
        return None if match is None else rules[rule_index[match.lastindex]]

    return any_rule.fullmatch, first_rule


def clean_article(
    raw: str, outlet: str | None, rules: tuple[CleaningRule, ...] | None = None
) -> Cleaned:
    """Remove chrome lines, then blank lines left leading or doubled, then trailing white space."""
    rules = load_rules() if rules is None else rules
    may_match, first_rule = _rule_finder(rules, outlet)
    lines = raw.splitlines(keepends=True)
    cuts: list[tuple[int, int, CleaningRule | None]] = []
    kept_lines = []
    truncated = False
    previous_blank = True
    start = 0
    for line, stripped in zip(lines, map(str.strip, lines)):
        end = start + len(line)
        rule = first_rule(stripped) if may_match(stripped) else None
        if rule is not None:
            truncated = truncated or rule.truncates
            if rule.scope == "to_end":
                cuts.append((start, len(raw), rule))
                break
            cuts.append((start, end, rule))
        elif stripped:
            kept_lines.append(line)
            previous_blank = False
        elif previous_blank:
            cuts.append((start, end, None))
        else:
            kept_lines.append(line)
            previous_blank = True
        start = end
    kept = "".join(kept_lines)
    clean_text = kept.rstrip()
    cuts = _with_trailing_cuts(cuts, len(raw), len(kept) - len(clean_text))
    return Cleaned(clean_text, _segments(raw, cuts), truncated)


def _with_trailing_cuts(
    cuts: list[tuple[int, int, CleaningRule | None]], raw_length: int, trailing: int
) -> list[tuple[int, int, CleaningRule | None]]:
    """The cuts, in order, with cuts for the last `trailing` kept characters (the kept text's
    trailing white space), which may span kept ranges."""
    cuts = cuts.copy()
    end = raw_length
    for index in range(len(cuts), -1, -1):
        if not trailing:
            break
        start = cuts[index - 1][1] if index else 0
        length = min(trailing, end - start)
        if length:
            cuts.insert(index, (end - length, end, None))
            trailing -= length
        end = cuts[index - 1][0] if index else 0
    return cuts


def _segments(
    raw: str, cuts: list[tuple[int, int, CleaningRule | None]]
) -> tuple[RemovedSegment, ...]:
    """Adjacent cuts by the same rule become one segment. Segments are validated straight from
    dicts: the model's __init__ would cost as much again as the validation."""
    merged: list[tuple[int, int, CleaningRule | None]] = []
    for cut in cuts:
        if merged and merged[-1][1] == cut[0] and merged[-1][2] is cut[2]:
            merged[-1] = (merged[-1][0], cut[1], cut[2])
        else:
            merged.append(cut)
    validate = RemovedSegment.__pydantic_validator__.validate_python
    return tuple(
        [
            validate(
                {
                    "start": start,
                    "end": end,
                    "kind": rule.kind if isinstance(rule, CleaningRule) else "whitespace",
                    "rule": rule.id if isinstance(rule, CleaningRule) else WHITESPACE_RULE,
                    "text": raw[start:end],
                }
            )
            for start, end, rule in merged
        ]
    )
