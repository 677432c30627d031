"""Cutting site chrome from raw article text by the rules in cleaning_rules.yaml.

The clean text is always the raw text with whole segments removed, so every clean offset maps
back to a raw offset through the removed segments."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import accumulate, compress, count
from typing import Literal

import yaml

from schema.article import RemovedSegment
from schema.vocabularies import ChromeKind

WHITESPACE_RULE = "whitespace"

# A group reference by number, or a conditional, could point at another rule's group once the
# patterns are joined into one.
_GROUP_REFERENCE = re.compile(r"\\[0-9]|\(\?\(")


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


Cut = tuple[int, int, CleaningRule | None]


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


@dataclass(frozen=True)
class _Alternation:
    """The rules that can match for one outlet as a single regex, each pattern in a group of its
    own, so that a line costs one match rather than one per rule. Alternatives are tried in
    order, and one that cannot match the whole line falls through to the next, so the group
    that matches is the first matching rule's."""

    regex: re.Pattern[str]
    rule_of_group: dict[int | None, int]
    matches_blank: bool


@cache
def _alternation(patterns: tuple[str, ...], outlet: str | None) -> _Alternation | None:
    """None where joining could change what a pattern means: one does not compile on its own,
    or refers to a group by number."""
    alternatives = []
    for index, pattern in enumerate(patterns):
        if "{outlet}" in pattern and not outlet:
            continue
        if _GROUP_REFERENCE.search(pattern):
            return None
        try:
            alternatives.append(f"(?P<_rule{index}>{_compiled(pattern, outlet).pattern})")
        except re.error:
            return None
    try:
        regex = re.compile("|".join(alternatives) or "(?!)")
    except re.error:
        return None
    rule_of_group: dict[int | None, int] = {
        group: int(name[len("_rule") :]) for name, group in regex.groupindex.items()
    }
    return _Alternation(regex, rule_of_group, regex.fullmatch("") is not None)


@cache
def _default_alternation(outlet: str | None) -> _Alternation | None:
    """The built-in rules' alternation, found without collecting their patterns per article."""
    return _alternation(tuple(rule.pattern for rule in load_rules()), outlet)


def _line_rules(
    stripped_lines: list[str],
    rules: tuple[CleaningRule, ...],
    alternation: _Alternation | None,
    outlet: str | None,
) -> Iterable[CleaningRule | None]:
    """The first rule matching each stripped line, or None. Without an alternation the rules
    are tried one by one and lazily, so that a pattern that does not compile fails only when a
    line reaches it, as it always has."""
    if alternation is None:
        return (
            next((rule for rule in rules if rule.matches(line, outlet)), None)
            for line in stripped_lines
        )
    indexes: Iterable[int] = range(len(stripped_lines))
    texts: Iterable[str] = stripped_lines
    if not alternation.matches_blank:
        indexes, texts = compress(count(), stripped_lines), filter(None, stripped_lines)
    matches = list(map(alternation.regex.fullmatch, texts))
    line_rules: list[CleaningRule | None] = [None] * len(stripped_lines)
    for index, match in zip(compress(indexes, matches), filter(None, matches), strict=True):
        line_rules[index] = rules[alternation.rule_of_group[match.lastindex]]
    return line_rules


def clean_article(
    raw: str, outlet: str | None, rules: tuple[CleaningRule, ...] | None = None
) -> Cleaned:
    """Remove chrome lines, then blank lines left leading or doubled, then trailing white space."""
    if rules is None:
        rules, alternation = load_rules(), _default_alternation(outlet)
    else:
        alternation = _alternation(tuple(rule.pattern for rule in rules), outlet)
    lines = raw.splitlines(keepends=True)
    stripped_lines = list(map(str.strip, lines))
    cuts: list[Cut] = []
    kept_lines = []
    truncated = False
    previous_blank = True
    for start, line, stripped, rule in zip(
        accumulate(map(len, lines), initial=0),
        lines,
        stripped_lines,
        _line_rules(stripped_lines, rules, alternation, outlet),
        strict=False,  # the offsets run on to the end of the last line
    ):
        if rule is not None:
            truncated = truncated or rule.truncates
            if rule.scope == "to_end":
                cuts.append((start, len(raw), rule))
                break
            cuts.append((start, start + len(line), rule))
        elif stripped:
            kept_lines.append(line)
            previous_blank = False
        elif previous_blank:
            cuts.append((start, start + len(line), None))
        else:
            kept_lines.append(line)
            previous_blank = True
    kept = "".join(kept_lines)
    clean_text = kept.rstrip()
    cuts = _with_trailing_cuts(cuts, len(raw), len(kept) - len(clean_text))
    return Cleaned(clean_text, _segments(raw, cuts), truncated)


def _with_trailing_cuts(cuts: list[Cut], raw_length: int, trailing: int) -> list[Cut]:
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


def _segments(raw: str, cuts: list[Cut]) -> tuple[RemovedSegment, ...]:
    """Adjacent cuts by the same rule become one segment. Segments are validated straight from
    dicts: the model's __init__ would cost as much again as the validation."""
    merged: list[Cut] = []
    for start, end, rule in cuts:
        if merged and merged[-1][1] == start and merged[-1][2] is rule:
            merged[-1] = (merged[-1][0], end, rule)
        else:
            merged.append((start, end, rule))
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
