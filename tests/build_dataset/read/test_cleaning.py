"""Cleaning the real seeds: every rule fires somewhere, the clean text is the raw text minus
whole segments, chrome goes and the body stays; each line goes by the first rule it matches."""

import hashlib
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Literal

import pytest

from build_dataset.read.cleaning import (
    Cleaned,
    CleaningRule,
    clean_article,
    load_rules,
    parse_rules,
)
from build_dataset.read.inputs import article_sources
from build_dataset.read.yaml_source import read_yaml
from karabakh_schema import Article
from karabakh_schema.article import PublicationDate

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "seeds"


def _outlets() -> dict[str, str | None]:
    """Every annotated seed with the outlet its annotation file names, which the masthead rule
    needs: the corpus, however many articles it has."""
    outlets = {}
    for source in article_sources(REPO):
        article = read_yaml(REPO / source.file, source.file).data["article"]
        outlets[article["id"]] = article["outlet"]
    return outlets


OUTLETS = _outlets()
# Real body sentences, one from each of the first articles, which cleaning must keep.
BODY = {
    "000_e0392172d7493b06": "On September 20, Nagorno-Karabakh authorities declared a ceasefire "
    "at the invitation of Russian peacekeepers.",
    "001_d2d2eb034c79192f": "That meeting could take place in the coming days, two diplomatic "
    "sources told AFP, citing Thursday as a possible date.",
    "002_9f64f95c79856609": "After more than 30 years of conflict, Azerbaijan forcibly defeated "
    "the self-proclaimed authorities of Nagorno-Karabakh.",
    "003_82aebb510e30787e": "During the meeting, gunfire was reported in the separatist "
    "stronghold of Stepanakert, despite the truce.",
    "004_0e291a03d6d39b0a": "On 27 June, Washington hosted a new round of peace talks",
}
CHROME = [
    "No time to read?",
    "Get a summary",
    "Share This",
    "Spread the love",
    "Pin It on Pinterest",
    "Previous Article",
    "Next Article",
    "Related posts",
    "Leave a Comment",
    "NEWSLETTER SUBSCRIPTION",
    "Also read:",
    "You have 67.88%",
    "The rest is for subscribers only",
    "The files we follow:",
    "Consider subscribing",
    "Vous devez souscrire",
    "Published on 20/09/2023",
    "KamAZ Racing Crash",
]


def raw_text(seed: str) -> str:
    return (SEEDS / f"{seed}.txt").read_bytes().decode("utf-8")


@cache
def cleaned(seed: str) -> Cleaned:
    return clean_article(raw_text(seed), OUTLETS[seed])


@pytest.mark.parametrize("rule", [rule.id for rule in load_rules()])
def test_every_rule_fires_on_some_seed(rule: str) -> None:
    fired = [seed for seed in OUTLETS if any(s.rule == rule for s in cleaned(seed).removed)]
    assert fired, f"rule {rule!r} removes nothing from any seed"


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in load_rules()]
    assert len(ids) == len(set(ids))


def test_the_masthead_rule_needs_the_outlet() -> None:
    seed = "001_d2d2eb034c79192f"
    without_outlet = clean_article(raw_text(seed), None)
    assert "outlet-masthead" not in {s.rule for s in without_outlet.removed}
    assert "\nDefence Redefined\n" in without_outlet.clean_text
    [masthead] = [s for s in cleaned(seed).removed if s.rule == "outlet-masthead"]
    assert (masthead.kind, masthead.text) == ("masthead", "Defence Redefined\n")


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_clean_text_is_raw_minus_removed_segments(seed: str) -> None:
    raw, result = raw_text(seed), cleaned(seed)
    kept, cursor = [], 0
    for segment in result.removed:
        assert segment.start >= cursor, "segments overlap or are out of order"
        assert segment.end > segment.start
        assert raw[segment.start : segment.end] == segment.text
        kept.append(raw[cursor : segment.start])
        cursor = segment.end
    kept.append(raw[cursor:])
    assert "".join(kept) == result.clean_text
    removed_length = sum(s.end - s.start for s in result.removed)
    assert len(result.clean_text) == len(raw) - removed_length


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_segments_cut_whole_lines_or_white_space(seed: str) -> None:
    raw = raw_text(seed)
    for segment in cleaned(seed).removed:
        if segment.rule == "whitespace":
            assert segment.kind == "whitespace"
            assert not segment.text.strip()
        else:
            assert segment.start == 0 or raw[segment.start - 1] == "\n", segment.rule
            assert segment.end == len(raw) or raw[segment.end - 1] == "\n", segment.rule


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_clean_text_is_trimmed_and_has_no_triple_newline(seed: str) -> None:
    text = cleaned(seed).clean_text
    assert text == text.strip()
    assert "\n\n\n" not in text
    assert text


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_no_chrome_remains(seed: str) -> None:
    text = cleaned(seed).clean_text
    assert [phrase for phrase in CHROME if phrase in text] == []


@pytest.mark.parametrize("seed", sorted(BODY))
def test_body_sentences_are_kept(seed: str) -> None:
    assert BODY[seed] in raw_text(seed)
    assert BODY[seed] in cleaned(seed).clean_text


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_most_of_the_text_is_kept(seed: str) -> None:
    assert len(cleaned(seed).clean_text) > 0.6 * len(raw_text(seed))


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_truncated_exactly_for_paywall_and_subscription_notices(seed: str) -> None:
    result = cleaned(seed)
    kinds = {s.kind for s in result.removed}
    assert result.truncated == bool(kinds & {"paywall", "subscription"})


@pytest.mark.parametrize(
    ("seed", "truncated"),
    [
        ("002_9f64f95c79856609", True),
        ("004_0e291a03d6d39b0a", True),
        ("000_e0392172d7493b06", False),
        ("003_82aebb510e30787e", False),
    ],
)
def test_a_paywall_or_subscription_notice_truncates(seed: str, truncated: bool) -> None:
    assert cleaned(seed).truncated == truncated


def test_footer_navigation_removes_everything_after_it() -> None:
    seed = "000_e0392172d7493b06"
    raw = raw_text(seed)
    [footer] = [s for s in cleaned(seed).removed if s.rule == "footer-navigation"]
    assert footer.end == len(raw)
    assert footer.text.startswith("Previous Article\n")
    assert footer.text.endswith(
        "KamAZ Racing Crash in Tatarstan: Eyewitness Images and Rally Plans"
    )


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_an_article_record_accepts_the_result(seed: str) -> None:
    raw_bytes = (SEEDS / f"{seed}.txt").read_bytes()
    result = cleaned(seed)
    article = Article(
        id=seed,
        source_file=f"seeds/{seed}.txt",
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        title=None,
        outlet=OUTLETS[seed],
        publication_date=PublicationDate(date=None, derivation="unknown", evidence=None, note=None),
        language="en",
        raw_text=raw_bytes.decode("utf-8"),
        clean_text=result.clean_text,
        removed_segments=list(result.removed),
        truncated=result.truncated,
        word_count=len(result.clean_text.split()),
        annotation_status="not_started",
    )
    assert article.clean_text == result.clean_text


def test_rules_passed_as_data_are_applied() -> None:
    seed = "003_82aebb510e30787e"
    rules = (
        CleaningRule(
            id="leave-comment", kind="navigation", pattern="Leave a Comment", scope="line"
        ),
        CleaningRule(
            id="fragile-paragraph",
            kind="teaser",
            pattern=r"A fragile ceasefire in .+",
            scope="line",
            truncates=True,
        ),
    )
    result = clean_article(raw_text(seed), None, rules=rules)
    assert {s.rule for s in result.removed} == {"leave-comment", "fragile-paragraph", "whitespace"}
    assert result.truncated
    assert "Leave a Comment" not in result.clean_text
    assert "A fragile ceasefire" not in result.clean_text
    # The built-in rules are not applied when rules are given.
    assert "Spread the love" in result.clean_text
    assert "Related posts" in result.clean_text
    assert BODY[seed] in result.clean_text


def test_no_rules_only_trims_white_space() -> None:
    raw = raw_text("002_9f64f95c79856609")
    result = clean_article(raw, None, rules=())
    assert result.clean_text == raw.strip()
    assert not result.truncated
    assert {s.rule for s in result.removed} == {"whitespace"}


def test_outlet_names_are_matched_literally() -> None:
    rule = CleaningRule(id="masthead", kind="masthead", pattern="{outlet}", scope="line")
    raw = "Title\nA.B News\nAxB News\nBody text.\n"
    result = clean_article(raw, "A.B News", rules=(rule,))
    assert result.clean_text == "Title\nAxB News\nBody text."


def test_a_chrome_line_between_body_and_blank_lines_is_cut_with_surrounding_space() -> None:
    raw = "Body.\n\nShare This\n\n"
    result = clean_article(raw, None)
    assert result.clean_text == "Body."
    assert [(s.rule, s.text) for s in result.removed] == [
        ("whitespace", "\n\n"),
        ("share-prompt", "Share This\n"),
        ("whitespace", "\n"),
    ]


@pytest.mark.parametrize("raw", ["Body.\nShare This\n\n", "Body.\nSpread the love\n \n"])
def test_trailing_white_space_split_by_a_chrome_line_is_removed(raw: str) -> None:
    assert clean_article(raw, None).clean_text == "Body."


@pytest.mark.parametrize("seed", sorted(OUTLETS))
def test_no_line_of_the_clean_text_ends_in_white_space(seed: str) -> None:
    assert [line for line in cleaned(seed).clean_text.splitlines() if line != line.rstrip()] == []


def test_the_no_break_spaces_ending_paragraphs_of_003_are_cut_as_white_space() -> None:
    """Review F41: three paragraphs of 003 end in a U+00A0 that the page's layout left."""
    seed = "003_82aebb510e30787e"
    raw, result = raw_text(seed), cleaned(seed)
    cut = [s for s in result.removed if s.text == "\u00a0"]
    assert [(s.rule, s.kind) for s in cut] == [("whitespace", "whitespace")] * 3
    assert all(raw[s.end] == "\n" for s in cut)
    assert "\u00a0" not in result.clean_text
    assert "capitulated to Azerbaijan’s swift offensive.\n\nThe two parties" in result.clean_text


@pytest.mark.parametrize(
    ("raw", "clean_text", "removed"),
    [
        ("Body.\u00a0\nMore. \t\n", "Body.\nMore.", [("\u00a0", 5), (" \t\n", 12)]),
        ("Title \r\n\r\nBody.", "Title\r\n\r\nBody.", [(" ", 5)]),
        ("Body. \nShare This\nMore.", "Body.\nMore.", [(" ", 5)]),
        ("Body.\n \nMore.", "Body.\n \nMore.", []),
    ],
)
def test_white_space_ending_a_line_of_text_is_cut(
    raw: str, clean_text: str, removed: list[tuple[str, int]]
) -> None:
    """Before the line break only, and only on lines with text; a blank line is left to the
    blank-line rule."""
    result = clean_article(raw, None)
    assert result.clean_text == clean_text
    whitespace = [(s.text, s.start) for s in result.removed if s.rule == "whitespace"]
    assert whitespace == removed


def test_empty_text_is_clean() -> None:
    assert clean_article("", None) == Cleaned("", (), False)


@pytest.mark.parametrize(
    ("raw", "clean_text", "removed"),
    [
        (
            "Title\r\nShare This\r\n\r\nBody.\r\n",
            "Title\r\n\r\nBody.",
            [("share-prompt", "Share This\r\n"), ("whitespace", "\r\n")],
        ),
        (
            "Body.\u2028Share This\x0c\x0cMore.\x85",
            "Body.\u2028\x0cMore.",
            [("share-prompt", "Share This\x0c"), ("whitespace", "\x85")],
        ),
    ],
)
def test_lines_end_at_every_line_break(
    raw: str, clean_text: str, removed: list[tuple[str, str]]
) -> None:
    result = clean_article(raw, None)
    assert result.clean_text == clean_text
    assert [(s.rule, s.text) for s in result.removed] == removed


def rule(rule_id: str, pattern: str, scope: Literal["line", "to_end"] = "line") -> CleaningRule:
    return CleaningRule(id=rule_id, kind="promo", pattern=pattern, scope=scope)


# Rules that match some of the same lines, so that which one applies depends on their order.
OVERLAPPING = (
    rule("exact", "Share This"),
    rule("groups", r"(Sh)(are)( This)?"),
    rule("any-share", r"Share.*", scope="to_end"),
    rule("alternatives", r"x|Share|Body( text)?"),
    rule("lookahead", r"(?=Body).*"),
    rule("named", r"(?P<word>\w+) (?P=word)"),
    rule("masthead", "{outlet}"),
    rule("anchored", r"^\w+$"),
)
# Rules that cannot be joined into one regex as they are (a group referred to by number, a
# global flag, one group name twice, a rule matching blank lines), tried one by one instead.
UNJOINABLE = (
    rule("backreference", r"(\w)\1+"),
    rule("flag", "(?i)share this"),
    rule("first-name", "(?P<n>a)b"),
    rule("second-name", "(?P<n>a)c"),
    rule("blank", r"\s*"),
)
LINES = [
    "Share This",
    "share this",
    "Share",
    "Share it",
    "Body",
    "Body text",
    "Body text here",
    "x",
    "word word",
    "word",
    "aa",
    "ab",
    "ac",
    "A.B (News)+",
    "AxB (News)",
    "Defence Redefined",
    "",
    " ",
    *(line for seed in OUTLETS for line in raw_text(seed).splitlines()),
]


@pytest.mark.parametrize(
    "rules",
    [
        load_rules(),
        OVERLAPPING,
        OVERLAPPING[::-1],
        *((*OVERLAPPING, unjoinable) for unjoinable in UNJOINABLE),
    ],
)
@pytest.mark.parametrize("outlet", [None, "", "Defence Redefined", "A.B (News)+"])
def test_each_line_goes_by_the_first_rule_that_matches_it(
    rules: tuple[CleaningRule, ...], outlet: str | None
) -> None:
    for line in LINES:
        first = next((r.id for r in rules if r.matches(line, outlet)), None)
        raw = f"Lead paragraph.\n{line}\nLast paragraph.\n"
        removed = clean_article(raw, outlet, rules=rules).removed
        at_line = [s.rule for s in removed if s.start == len("Lead paragraph.\n")]
        assert at_line == ([first] if first else []), (line, outlet)


RULES_HEADER = "rules:\n  - id: share-prompt\n    kind: share\n    pattern: 'Share This'\n"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "    scope: everywhere\n",
            "build_dataset/read/cleaning_rules.yaml:5:5: rules[0].scope: Input should be 'line' or "
            "'to_end' (use one of the values listed)",
        ),
        (
            "",
            "build_dataset/read/cleaning_rules.yaml:2:5: rules[0].scope: Field required "
            "(add the field)",
        ),
        (
            "    scope: line\n    kind2: share\n",
            "build_dataset/read/cleaning_rules.yaml:6:5: rules[0].kind2: Extra inputs are not "
            "permitted (remove the field or correct its name)",
        ),
    ],
)
def test_a_rules_file_mistake_is_a_problem_with_its_line(rule: str, expected: str) -> None:
    rules, problems = parse_rules(RULES_HEADER + rule)
    assert rules == () and [str(p) for p in problems] == [expected]


def test_a_rule_of_another_kind_or_a_broken_pattern_is_named() -> None:
    text = (
        "rules:\n  - id: a\n    kind: advert\n    pattern: 'x'\n    scope: line\n"
        "  - id: b\n    kind: promo\n    pattern: '(unclosed'\n    scope: line\n"
        "  - id: a\n    kind: promo\n    pattern: 'y'\n    scope: to_end\n"
    )
    _, problems = parse_rules(text)
    assert [(p.line, p.field) for p in problems] == [(3, "rules[0].kind"), (8, "rules[1].pattern")]
    assert problems[1].message.startswith(
        "Value error, not a regular expression: missing ), unterminated subpattern"
    )
    _, problems = parse_rules(text.replace("advert", "promo").replace("(unclosed", "z"))
    assert [str(p) for p in problems] == [
        "build_dataset/read/cleaning_rules.yaml:10:5: rules[2].id: duplicate rule id 'a' (it is "
        "first given at line 2; give each rule its own id)"
    ]


def test_validate_reports_a_broken_rules_file_before_any_article(tmp_path: Path) -> None:
    """The rules are the code's own file: a copy of the code with a broken one is run."""
    shutil.copytree(REPO / "build_dataset", tmp_path / "build_dataset")
    shutil.copytree(REPO / "karabakh_schema", tmp_path / "karabakh_schema")
    rules = tmp_path / "build_dataset" / "read" / "cleaning_rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("    scope: line\n", "    scope: lines\n", 1),
        encoding="utf-8",
    )
    env = os.environ | {"PYTHONPATH": str(tmp_path)}
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(REPO), "validate"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(
        "1 problem(s); nothing was written:\n  build_dataset/read/cleaning_rules.yaml:"
    )
    assert "rules[0].scope: Input should be 'line' or 'to_end'" in done.stderr
    assert "Traceback" not in done.stderr
