"""The coverage gate: every number and date in an annotated article is normalized or skipped."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_dataset.build import check
from build_dataset.check.coverage import (
    EXPRESSION,
    MONTHS,
    SHOWN,
    WEEKDAYS,
    ArticleCoverage,
    CoverageReport,
    article_coverage,
    expressions,
    format_coverage,
    sentences,
)
from build_dataset.cli import main
from build_dataset.read.cleaning import clean_article
from tests.records import committed

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def report() -> list[ArticleCoverage]:
    return check(REPO).coverage.entries


def clean(seed: str, outlet: str | None = None) -> str:
    raw = (REPO / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")
    return clean_article(raw, outlet).clean_text


def test_every_number_and_date_is_normalized_or_skipped(report: list[ArticleCoverage]) -> None:
    assert report, "no article is annotated completely"
    uncovered = [entry for entry in report if entry.uncovered]
    assert not uncovered, "\n" + format_coverage(uncovered)


def test_coverage_counts_only_complete_articles(report: list[ArticleCoverage]) -> None:
    articles, _, _ = committed()
    complete = {a.id for a in articles if a.annotation_status == "complete"}
    assert [entry.article_id for entry in report] == sorted(complete)
    for entry in report:
        assert 0 < entry.annotated_sentences <= entry.sentences


def test_expressions_found_in_a_real_sentence() -> None:
    text = clean("001_d2d2eb034c79192f", "Defence Redefined")
    sentence_start = text.index("The separatists of the enclave earlier")
    sentence = text[sentence_start : text.index(".", sentence_start) + 1]
    assert [e.text for e in expressions(sentence)] == ["27", "two", "200", "7,000", "16"]
    dated = "Azerbaijan launched a new attack yesterday, Tuesday, at 13:00 on 30/06/23 in May"
    assert [e.text for e in expressions(dated)] == [
        "yesterday",
        "Tuesday",
        "13:00",
        "30/06/23",
        "May",
    ]


def test_modal_may_and_ordinals_are_not_expressions() -> None:
    assert expressions("it may hold; a second war; the first round") == []


def test_sentences_split_on_end_punctuation_and_lines() -> None:
    text = clean("003_82aebb510e30787e")
    bounds = sentences(text)
    assert text[slice(*bounds[0])] == (
        "Direct peace talks yield fragile truce in Nagorno-Karabakh conflict"
    )
    quoted = "“This path is not easy,” he acknowledged."
    assert any(text[slice(*b)] == quoted for b in bounds)


def test_sentences_end_after_closing_marks_and_skip_blank_lines() -> None:
    text = "\nTitle\n  \n“Is it 3.5?” he asked.) Yes!! \n\n  No\n  indented\n"
    assert [text[slice(*b)] for b in sentences(text)] == [
        "Title",
        "“Is it 3.5?”",
        "he asked.)",
        "Yes!!",
        "No",
        "  indented",
    ]
    assert sentences("") == sentences(" \n\n\t") == []


def test_expression_scan_agrees_with_the_expression_pattern() -> None:
    """The word lookup finds exactly what EXPRESSION's regular expression matches, including
    at word boundaries, plurals, case, and the characters that ignore-case maps to ASCII."""
    texts = [
        (REPO / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")
        for seed in sorted(p.stem for p in (REPO / "seeds").glob("*.txt"))
    ]
    texts += [
        "2two two_x twoé MAY May Mondays hundreds hundredsx Hundreds. TODAY’s 1,000.5% abc2023",
        "Tuesday's thirty-two seventeen sixteen twentytwo tenten ten-ten 10ten ten10 Ten. tEn",
        "ÄMonday Monday’s x_Monday Mondayé thouſands \u212aey İt",
        "“Ten”–twenty\u00a0Friday…May.” two three\nfour\tfive MONDAY monday May-May Mays",
    ]
    for text in texts:
        assert [(s.start, s.end) for s in expressions(text)] == [
            m.span() for m in EXPRESSION.finditer(text)
        ]


# Pieces of text near what EXPRESSION matches or stops at: number words in any case, names in
# and out of case (the modal "may"), digits with their separators, word characters that block a
# match ('_', 'é', a non-ASCII digit), and the characters that ignore-case maps to ASCII.
_PIECES = st.sampled_from(
    [
        *("two", "TEN", "sEvEnTeEn", "hundreds", "thousand", "dozen", "today", "Tonight"),
        *(WEEKDAYS[0], WEEKDAYS[4], MONTHS[4], MONTHS[2], "may", "march", "MONDAY"),
        *("7", "1,000", "3.5%", "30/06/23", "13:00", "27-28", "\u0663", "\uff17"),
        *(" ", "  ", "\n", ".", ",", "-", "/", ":", "%", "_", "\u00e9", "\u2019", "x", "s"),
        *("\u0130", "\u0131", "\u017f", "\u212a", "?", "q", "0", "\ud800"),
    ]
)


@st.composite
def _covered_texts(draw: st.DrawFn) -> tuple[str, list[dict[str, int]]]:
    text = "".join(draw(st.lists(_PIECES, max_size=30)))
    bound = st.integers(0, len(text) + 2)
    spans = draw(st.lists(st.tuples(bound, bound), max_size=6))
    return text, [{"start": start, "end": end} for start, end in spans]


@settings(max_examples=500, deadline=None)
@given(_covered_texts())
def test_uncovered_expressions_are_the_matches_no_span_touches(
    case: tuple[str, list[dict[str, int]]],
) -> None:
    """An article that leaves nothing uncovered is told without finding its expressions: what
    is left uncovered must be every match of EXPRESSION with no character in a normalized
    span, whatever the spans (empty, overlapping, next to a word, past the end)."""
    text, normalized = case
    covered = {at for span in normalized for at in range(span["start"], span["end"])}
    expected = [
        (m.start(), m.end(), m.group())
        for m in EXPRESSION.finditer(text)
        if covered.isdisjoint(range(m.start(), m.end()))
    ]
    uncovered = article_coverage("a", text, [], normalized).uncovered
    assert [(span.start, span.end, span.text) for span in uncovered] == expected


@st.composite
def _annotated_texts(draw: st.DrawFn) -> tuple[str, list[dict[str, int]]]:
    pieces = st.sampled_from(["Yes", "no", " ", "  ", "\n", "\n\n", ".", "!", "?", "\u201d", ")"])
    text = "".join(draw(st.lists(pieces, max_size=30)))
    spans = []
    for start in draw(st.lists(st.integers(0, len(text)), max_size=6)):
        spans.append({"start": start, "end": draw(st.integers(start, len(text)))})
    return text, spans


@settings(max_examples=500, deadline=None)
@given(_annotated_texts())
def test_annotated_sentences_are_those_holding_a_character_of_a_span(
    case: tuple[str, list[dict[str, int]]],
) -> None:
    """Sentences are counted as annotated from the spans in order, not from a mark on each
    character: the count must be of the sentences that share a character with a span."""
    text, annotated = case
    bounds = sentences(text)
    expected = sum(
        any(max(start, span["start"]) < min(end, span["end"]) for span in annotated)
        for start, end in bounds
    )
    coverage = article_coverage("a", text, annotated, [])
    assert (coverage.sentences, coverage.annotated_sentences) == (len(bounds), expected)


def test_a_large_report_keeps_totals_and_what_needs_attention() -> None:
    text = clean("001_d2d2eb034c79192f", "Defence Redefined")
    covered = article_coverage("a", text, [], [{"start": 0, "end": len(text)}])
    bare = article_coverage("b", text, [], [])
    assert bare.uncovered and not covered.uncovered
    report = CoverageReport()
    for i in range(SHOWN + 150):
        entry = bare if i in (SHOWN + 10, SHOWN + 20) else covered
        report.add(replace(entry, article_id=f"{i:03d}"))
    assert [e.article_id for e in report.entries[SHOWN:]] == [f"{SHOWN + 10}", f"{SHOWN + 20}"]
    assert (report.articles, report.sentences) == (SHOWN + 150, (SHOWN + 150) * covered.sentences)
    lines = report.format().splitlines()
    assert lines[-2] == "... and 148 more, each number and date normalized or skipped"
    assert lines[-1] == f"250 articles: 0% of {250 * covered.sentences} sentences annotated"


def test_validate_fails_on_an_expression_left_uncovered_and_names_it_in_the_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the corpus test above requires, validate requires too, so that a contributor sees
    it before CI does: at the expression's line and column in the seed, as an editor opens
    it, with the fix."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    annotation = "seeds/annotations/004_0e291a03d6d39b0a.yaml"
    dated = '      - text: "On 27 June"\n        value: "2023-06-27"\n'
    text = (tmp_path / annotation).read_text(encoding="utf-8")
    start = text.index(dated)
    end = text.index("    places:", start)
    text = text[:start].removesuffix("    dates:\n") + text[end:]
    (tmp_path / annotation).write_text(text, encoding="utf-8")
    seed = "seeds/004_0e291a03d6d39b0a.txt"
    raw = (tmp_path / seed).read_text(encoding="utf-8")
    line = raw[: raw.index("27 June")].count("\n") + 1
    column = raw.index("27 June") - raw.rfind("\n", 0, raw.index("27 June"))
    assert main(["--root", str(tmp_path), "validate", str(tmp_path / annotation)]) == 1
    err = capsys.readouterr().err
    assert (
        f"  {seed}:{line}:{column}: <file>: '27' is a number or date expression that no claim "
        f"normalizes (in {annotation}, give it a value in a claim's quantities or dates, or "
        "list it under skipped: with the reason)\n"
    ) in err
    assert f"  {seed}:{line}:{column + 3}: <file>: 'June' is a number" in err
