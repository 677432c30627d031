"""Cross-record validation, on copies of the real annotations with one thing broken."""

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from build_dataset import assemble
from build_dataset.build import check
from build_dataset.check.articles import date_row, known_spelling, weekday_mismatch
from build_dataset.problems import InvalidInput, Problem
from build_dataset.write.version import DATASET_VERSION
from tests.records import committed

REPO = Path(__file__).resolve().parents[2]
ARTICLE_ID = "001_d2d2eb034c79192f"
ARTICLE = f"seeds/annotations/{ARTICLE_ID}.yaml"
EVENTS = "seeds/annotations/events.yaml"


def problems_after(
    tmp_path: Path, file: str, edit: Callable[[Any], None], copy: bool = True
) -> list[Problem]:
    if copy:
        shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    yaml = YAML(typ="rt")
    yaml.width = 4096
    path = tmp_path / file
    data = yaml.load(path.read_text(encoding="utf-8"))
    edit(data)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    with pytest.raises(InvalidInput) as raised:
        check(tmp_path)
    return raised.value.problems


def test_the_real_annotations_assemble() -> None:
    assembled = check(REPO)
    articles, claims, events = committed()
    assert claims and events
    counts = {"articles": len(articles), "claims": len(claims), "events": len(events)}
    assert assembled.rows == counts
    assert [entry.article_id for entry in assembled.coverage.entries] == [a.id for a in articles]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_shows_its_progress_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    piped, terminal = io.StringIO(), Terminal()
    monkeypatch.setattr(sys, "stderr", piped)
    check(REPO, workers=1)
    monkeypatch.setattr(sys, "stderr", terminal)
    assembled = check(REPO, workers=1)
    assert piped.getvalue() == ""
    shown = terminal.getvalue()
    assert f"checking articles: {assembled.rows['articles']} articles" in shown
    assert f"checking events: {assembled.rows['events']} events" in shown


def test_unknown_event_reference(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][0]["events"] = ["ev-no-such-event"]

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert (problem.file, problem.field) == (ARTICLE, "claims[0].events[0]")
    assert problem.message == "unknown event 'ev-no-such-event'"
    assert problem.hint is not None and "ev-2023-09-20-ceasefire-agreement" in problem.hint


def test_unknown_actor_lists_the_closest_known_ids_first(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][1]["claimant"] = "nk-separatist-force"

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert problem.field == "claims[1].claimant"
    assert problem.hint is not None
    assert problem.hint.startswith("known ids, closest first: nk-separatist-forces, ")
    actors = (REPO / "seeds/annotations/actors.yaml").read_text(encoding="utf-8").count("- id: ")
    assert problem.hint.endswith(f", ... ({actors} in all)")


def test_wrong_vocabulary_value_gives_line_and_choices(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][2]["claim_type"] = "rumour"

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert problem.field == "claims[2].claim_type"
    assert problem.line is not None and problem.line > 1
    assert "'event_report'" in problem.message and "'background'" in problem.message


def test_ambiguous_quote_asks_for_an_occurrence(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][0]["quote"] = "Nagorno-Karabakh"
        data["claims"][0]["claimant_text"] = None
        data["claims"][0]["cue"] = None
        data["claims"][0]["dates"] = []

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert problem.field == "claims[0].quote"
    assert problem.message.startswith("quote occurs ") and "occurrence: N" in (problem.hint or "")


def test_unknown_spelling_of_a_place(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][0]["places"][0]["text"] = "Karabagh"

    problems = problems_after(tmp_path, ARTICLE, edit)
    assert {p.field for p in problems} == {"claims[0].places[0].text"}
    assert any("is not a known spelling of Nagorno-Karabakh" in p.message for p in problems)
    assert any("variants" in (p.hint or "") for p in problems)


def test_figures_that_do_not_follow_from_their_claims(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["events"][0]["figures"][0]["best"] = 29

    [problem] = problems_after(tmp_path, EVENTS, edit)
    assert problem.field == "events[0].figures[0]"
    assert "best/low/high should be 32/29/null, not 29/29/null" in problem.message


def test_a_figure_bound_that_no_claim_states_is_refused(tmp_path: Path) -> None:
    """The offensive's fatality claims all say "at least": a high of 32 is the old misreading."""

    def edit(data: Any) -> None:
        data["events"][0]["figures"][0]["high"] = 32

    [problem] = problems_after(tmp_path, EVENTS, edit)
    assert problem.field == "events[0].figures[0].high"
    assert problem.message.startswith("high 32 is a bound that no current claim of the figure")
    assert "a lower bound is not a high" in problem.message
    assert problem.hint == "set high to null; best/low/high follow from the claims as 32/29/null"


def test_claim_about_an_event_not_mentioned_in_its_article(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        for event in data["events"]:
            if event["id"] == "ev-2023-09-20-ceasefire-agreement":
                event["mentions"] = event["mentions"][:1]
                event["mentions"][0]["article"] = "000_e0392172d7493b06"
                event["mentions"][0]["quote"] = "confirmed a ceasefire"

    problems = problems_after(tmp_path, EVENTS, edit)
    assert any(p.file == ARTICLE for p in problems)
    assert all("has no mention in article" in p.message for p in problems)


def test_duplicate_claim_id(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][1]["id"] = data["claims"][0]["id"]

    problems = problems_after(tmp_path, ARTICLE, edit)
    assert any(
        p.field == "claims[1].id" and p.message.startswith("duplicate claim id") for p in problems
    )


def test_event_category_must_be_the_one_of_its_type(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["events"][0]["category"] = "protests"

    problems = problems_after(tmp_path, EVENTS, edit)
    assert [(p.file, p.field, p.message) for p in problems] == [
        (
            EVENTS,
            "events[0]",
            "Value error, type 'shelling_artillery_missile_attack' belongs to category "
            "'explosions_remote_violence'",
        )
    ]


def test_publication_date_needs_a_value_unless_its_derivation_is_unknown(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["article"]["publication_date"]["value"] = None

    problems = problems_after(tmp_path, ARTICLE, edit)
    assert [(p.file, p.field, p.message) for p in problems] == [
        (
            ARTICLE,
            "article.publication_date",
            "Value error, derivation is 'unknown' exactly when there is no date",
        )
    ]


def test_relation_to_a_claim_nothing_declares(tmp_path: Path) -> None:
    target = "002_9f64f95c79856609-c999"

    def edit(data: Any) -> None:
        data["claims"][0]["relations"] = [{"type": "contradicts", "claim": target}]

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert (problem.file, problem.field) == (ARTICLE, "claims[0].relations[0].claim")
    assert problem.message == f"unknown claim '{target}'"
    assert problem.hint is not None
    assert problem.hint.startswith("known ids, closest first: 002_9f64f95c79856609-c0")


def test_relation_to_an_invalid_claim_is_not_called_unknown(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        target = data["claims"][1]["id"]
        data["claims"][0]["relations"] = [{"type": "contradicts", "claim": target}]
        data["claims"][1]["claim_type"] = "rumour"

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert problem.field == "claims[1].claim_type"


def test_seed_without_annotation_file(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / ARTICLE).unlink()
    problems = problems_after(tmp_path, EVENTS, lambda data: None, copy=False)
    seed, *others = problems
    assert str(seed) == (
        f"seeds/{ARTICLE_ID}.txt: <file>: seed has no annotation file "
        f"(create seeds/annotations/{ARTICLE_ID}.yaml)"
    )
    # The rest are the references into the missing file: its claims and its mentions.
    assert {p.message.split(" '")[0] for p in others} == {"unknown article", "unknown claim"}
    assert all(f"'{ARTICLE_ID}" in p.message for p in others)


def test_unknown_article_in_a_mention(tmp_path: Path) -> None:
    misspelt = ARTICLE_ID[:-1] + ("0" if ARTICLE_ID[-1] != "0" else "1")

    def edit(data: Any) -> None:
        data["events"][0]["mentions"][0]["article"] = misspelt

    [problem] = problems_after(tmp_path, EVENTS, edit)
    assert (problem.field, problem.message) == (
        "events[0].mentions[0].article",
        f"unknown article {misspelt!r}",
    )
    assert problem.hint is not None
    assert problem.hint.startswith(f"known ids, closest first: {ARTICLE_ID}, ")


def test_events_built_in_runs_by_workers_find_the_problems_of_one_run(tmp_path: Path) -> None:
    """The events' problems come back from the workers that built their runs, hints included
    (asked of each worker's own view of the corpus index), as one process finds them."""
    misspelt = ARTICLE_ID[:-1] + ("0" if ARTICLE_ID[-1] != "0" else "1")

    def edit(data: Any) -> None:
        data["events"][0]["figures"][0]["best"] = 29
        data["events"][-1]["mentions"][0]["article"] = misspelt
        data["events"][-1]["place"] = "nowhere"

    one_run = problems_after(tmp_path, EVENTS, edit)
    assert {p.field for p in one_run} >= {
        "events[0].figures[0]",
        f"events[{len(committed()[2]) - 1}].mentions[0].article",
    }
    in_runs = assemble.Settings(tmp_path, DATASET_VERSION, articles_per_shard=2, events_per_run=1)
    with pytest.raises(InvalidInput) as raised:
        assemble.assemble(in_runs, workers=2)
    assert raised.value.problems == one_run


@pytest.mark.parametrize(
    ("registry", "body", "expected"),
    [
        ("actors.yaml", "actors:\n  id: x\n", "2:1: actors: Input should be a valid array"),
        ("places.yaml", "places:\n", "2:1: places: Input should be a valid array"),
        ("events.yaml", "just a string\n", "1:1: <file>: Input should be an object"),
    ],
)
def test_a_registry_that_cannot_be_read_stops_the_check_before_the_articles(
    tmp_path: Path, registry: str, body: str, expected: str
) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    path = tmp_path / "seeds/annotations" / registry
    header = path.read_text(encoding="utf-8").split("\n")[0]
    path.write_text(f"{header}\n{body}", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        check(tmp_path)
    # Not a hundred unknown ids in the articles, nor the tables they leave empty.
    assert [str(p) for p in raised.value.problems] == [f"seeds/annotations/{registry}:{expected}"]
    assert raised.value.blocking == {f"seeds/annotations/{registry}"}


def test_an_empty_table_is_not_reported_when_its_records_have_problems(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        for event in data["events"]:
            event["type"] = "skirmish"

    problems = problems_after(tmp_path, EVENTS, edit)
    assert problems and {p.file for p in problems} == {EVENTS}


def test_a_quote_of_site_chrome_names_the_cleaning_rule_that_removed_it(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["claims"][0]["quote"] = "Published on 20/09/2023 at 11:35"

    problems = problems_after(tmp_path, ARTICLE, edit)
    assert [(p.field, p.message, p.hint) for p in problems] == [
        (
            "claims[0].quote",
            "quote is in the seed, but was removed as site chrome by cleaning rule "
            "'published-dateline', so it cannot be quoted",
            "quote the article's own words",
        )
    ]


@pytest.mark.parametrize("value", ["20/09/2023", "2023-09-20T13:00", "2023-9-20"])
def test_a_date_in_another_form_is_told_the_forms_there_are(tmp_path: Path, value: str) -> None:
    def edit(data: Any) -> None:
        data["claims"][0]["dates"][0]["value"] = DoubleQuotedScalarString(value)

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert (problem.field, problem.message) == (
        "claims[0].dates[0].value",
        f"{value!r} is not a date in a form the dataset takes",
    )
    assert problem.hint is not None and problem.hint.startswith("write YYYY, YYYY-MM or ")


def test_a_day_that_is_not_the_weekday_its_text_names(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        date = data["claims"][0]["dates"][0]
        assert date["text"] == "on Wednesday"
        date["value"] = DoubleQuotedScalarString("2023-09-21")

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert (problem.field, problem.message, problem.hint) == (
        "claims[0].dates[0].value",
        "the text names a Wednesday, but 2023-09-21 is a Thursday",
        "resolve the expression again from its anchor",
    )


@pytest.mark.parametrize(
    "text",
    ["the day after Sunday's vote", "Sunday\u2019s vote", "since Sunday", "two days after Sunday"],
)
def test_a_weekday_that_is_only_a_reference_point_is_not_checked(text: str) -> None:
    assert weekday_mismatch(text, date_row("2023-09-18")) is None  # a Monday
    assert weekday_mismatch("on Sunday", date_row("2023-09-18")) is not None


def test_an_article_without_a_seed_is_told_the_closest_seed_ids(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["article"]["id"] = "001_d2d2eb034c79192e"

    problems = problems_after(tmp_path, ARTICLE, edit)
    [problem] = [p for p in problems if p.field == "article.id"]
    assert problem.message == "no seed file seeds/001_d2d2eb034c79192e.txt"
    assert problem.hint is not None
    assert problem.hint.startswith(f"known ids, closest first: {ARTICLE_ID}, ")


def test_a_claimant_text_that_is_not_a_spelling_of_its_claimant(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        claim = data["claims"][0]
        claim["claimant"] = "russia-government"  # "The separatist Armenian forces" are not Russia

    [problem] = problems_after(tmp_path, ARTICLE, edit)
    assert problem.field == "claims[0].claimant_text"
    assert "is not a known spelling of Government of Russia" in problem.message
    assert problem.hint is not None
    assert "variants of 'russia-government' in seeds/annotations/actors.yaml" in problem.hint


def test_a_spelling_at_the_start_of_a_sentence_is_the_same_spelling() -> None:
    spellings = {"the Artsakh National Assembly", "Baku"}
    assert known_spelling("The Artsakh National Assembly", spellings)
    assert known_spelling("baku", spellings)
    assert not known_spelling("THE Artsakh National Assembly", spellings)
    assert not known_spelling("the Artsakh Assembly", spellings)
