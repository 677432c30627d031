"""Cutting site chrome from raw article text by the rules in cleaning_rules.yaml.

The clean text is always the raw text with whole segments removed, so every clean offset maps
back to a raw offset through the removed segments."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Literal, NamedTuple

from pydantic import Field, field_validator

from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.registries import validate_document
from build_dataset.read.yaml_source import parse_yaml
from karabakh_schema.article import RemovedSegment
from karabakh_schema.values import EntityId, NonEmpty, Record
from karabakh_schema.vocabularies import ChromeKind

WHITESPACE_RULE = "whitespace"

# A group reference by number, or a conditional, could point at another rule's group once the
# patterns are joined into one.
_GROUP_REFERENCE = re.compile(r"\\[0-9]|\(\?\(")


class CleaningRule(Record):
    """One rule of cleaning_rules.yaml: the lines it matches, and what it removes."""

    id: EntityId = Field(description="The rule's stable id, named in removed_segments.rule.")
    kind: ChromeKind = Field(description="What kind of chrome the rule removes.")
    pattern: NonEmpty = Field(
        description="A Python regular expression matched against a whole line, stripped of its "
        "surrounding white space; {outlet} stands for the outlet the annotation names."
    )
    scope: Literal["line", "to_end"] = Field(
        description="line removes the matching line; to_end removes it and all that follows."
    )
    truncates: bool = Field(
        default=False, description="Whether a match marks the article as cut off."
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern.replace("{outlet}", "outlet"))
        except re.error as error:
            raise ValueError(f"not a regular expression: {error}") from None
        return pattern

    def matches(self, line: str, outlet: str | None) -> bool:
        if "{outlet}" in self.pattern and not outlet:
            return False
        return _compiled(self.pattern, outlet).fullmatch(line.strip()) is not None


class CleaningRulesFile(Record):
    rules: list[CleaningRule] = Field(description="The rules, tried in this order.")


_Cut = tuple[int, int, CleaningRule | None]


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


RULES_FILE = "build_dataset/read/cleaning_rules.yaml"
"""The rules, as a path from the repository's root: package data, edited by contributors."""


def parse_rules(text: str) -> tuple[tuple[CleaningRule, ...], list[Problem]]:
    """The rules the text of RULES_FILE gives, or every problem with it, each with its line
    and field."""
    problems: list[Problem] = []
    try:
        document = parse_yaml(text, RULES_FILE)
    except InvalidInput as error:
        return (), error.problems
    parsed, _ = validate_document(document, CleaningRulesFile, "rules", problems)
    rules = parsed.rules if parsed is not None else []
    first: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if rule.id in first:
            line, _ = document.position(("rules", first[rule.id], "id"))
            problems.append(
                document.problem(
                    ("rules", index, "id"),
                    f"duplicate rule id {rule.id!r}",
                    f"it is first given at line {line}; give each rule its own id",
                )
            )
        first.setdefault(rule.id, index)
    return (tuple(rules), []) if not problems else ((), problems)


@cache
def load_rules() -> tuple[CleaningRule, ...]:
    """The rules; raises InvalidInput with every problem of the file."""
    text = files("build_dataset.read").joinpath("cleaning_rules.yaml").read_text(encoding="utf-8")
    rules, problems = parse_rules(text)
    if problems:
        raise InvalidInput(problems, blocking={RULES_FILE})
    return rules


class _Alternation(NamedTuple):
    """The patterns that can match for one outlet as one regex, each in a group of its own, so
    that a line costs one match rather than one per rule. Alternatives are tried in order, and
    one that cannot match the whole line falls through to the next, so the group that matches
    is the first matching rule's."""

    regex: re.Pattern[str]
    rule_of_group: dict[int | None, int]


@cache
def _alternation(patterns: tuple[str, ...], outlet: str | None) -> _Alternation | None:
    """None where joining could change what a pattern means (one refers to a group by number,
    or the joined patterns do not compile as one: a flag or a group name given twice), and
    where a rule matches an empty line, as blank lines are then not matched at all. Each
    pattern compiles on its own (CleaningRule checks it)."""
    alternatives = {}
    for index, pattern in enumerate(patterns):
        if "{outlet}" in pattern and not outlet:
            continue
        if _GROUP_REFERENCE.search(pattern):
            return None
        alternatives[f"_rule{index}"] = index, _compiled(pattern, outlet).pattern
    try:
        regex = re.compile(
            "|".join(f"(?P<{name}>{pattern})" for name, (_, pattern) in alternatives.items())
            or "(?!)"
        )
    except re.error:
        return None
    if regex.fullmatch("") is not None:
        return None
    return _Alternation(
        regex, {regex.groupindex[name]: index for name, (index, _) in alternatives.items()}
    )


def _line_rules(
    stripped_lines: list[str], rules: tuple[CleaningRule, ...], outlet: str | None
) -> Iterable[CleaningRule | None]:
    """The first rule matching each stripped line, or None; without the alternation, the
    rules are tried one by one."""
    alternation = _alternation(tuple([rule.pattern for rule in rules]), outlet)
    if alternation is None:
        return (
            next((rule for rule in rules if rule.matches(line, outlet)), None)
            for line in stripped_lines
        )
    fullmatch, rule_of_group = alternation.regex.fullmatch, alternation.rule_of_group
    return [
        None
        if not line or (match := fullmatch(line)) is None
        else rules[rule_of_group[match.lastindex]]
        for line in stripped_lines
    ]


def clean_article(
    raw: str, outlet: str | None, rules: tuple[CleaningRule, ...] | None = None
) -> Cleaned:
    """Remove chrome lines, then the white space that ends a line of text (a trailing no-break
    space, say), then blank lines left leading or doubled, then trailing white space."""
    rules = load_rules() if rules is None else rules
    lines = raw.splitlines(keepends=True)
    stripped_lines = list(map(str.strip, lines))
    cuts: list[_Cut] = []
    kept_lines = []
    truncated = False
    previous_blank = True
    start = 0
    for line, stripped, rule in zip(
        lines, stripped_lines, _line_rules(stripped_lines, rules, outlet), strict=True
    ):
        end = start + len(line)
        if rule is not None:
            truncated = truncated or rule.truncates
            if rule.scope == "to_end":
                cuts.append((start, len(raw), rule))
                break
            cuts.append((start, end, rule))
        elif stripped:
            kept_lines.append(_without_end_space(line, start, cuts))
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


def _without_end_space(line: str, start: int, cuts: list[_Cut]) -> str:
    """The line of text (at raw offset start) without the white space before its line break,
    which is cut: white space that ends a line is layout, not content."""
    body = line.splitlines()[0]
    text = body.rstrip()
    if len(text) == len(body):
        return line
    cuts.append((start + len(text), start + len(body), None))
    return text + line[len(body) :]


def _with_trailing_cuts(cuts: list[_Cut], raw_length: int, trailing: int) -> list[_Cut]:
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


def _segments(raw: str, cuts: list[_Cut]) -> tuple[RemovedSegment, ...]:
    """Adjacent cuts by the same rule become one segment. Segments are validated straight from
    dicts, as the model's __init__ adds half as much again to each."""
    merged: list[_Cut] = []
    for start, end, rule in cuts:
        if merged and merged[-1][1] == start and merged[-1][2] is rule:
            merged[-1] = (merged[-1][0], end, rule)
        else:
            merged.append((start, end, rule))
    validate = RemovedSegment.__pydantic_validator__.validate_python
    segments = []
    for start, end, rule in merged:
        kind, rule_id = (
            (rule.kind, rule.id)
            if isinstance(rule, CleaningRule)
            else ("whitespace", WHITESPACE_RULE)
        )
        segments.append(
            validate(
                {"start": start, "end": end, "kind": kind, "rule": rule_id, "text": raw[start:end]}
            )
        )
    return tuple(segments)


def raw_offset(clean_offset: int, removed: Iterable[Mapping[str, Any]]) -> int:
    """Where a clean-text offset lies in the raw text: past every segment removed before it
    (removed holds the segments' raw start and end, in order)."""
    offset = clean_offset
    for segment in removed:
        if segment["start"] > offset:
            break
        offset += segment["end"] - segment["start"]
    return offset
