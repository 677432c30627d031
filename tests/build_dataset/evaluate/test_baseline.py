"""The baseline: each rule on a hand-written sentence, and its folder for the repository's
seeds, which the real validator accepts."""

import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from build_dataset.cli import main
from build_dataset.evaluate.baseline.attribution import attribute, claim_type, quote_type
from build_dataset.evaluate.baseline.dates import find_dates, published
from build_dataset.evaluate.baseline.events import event_type, events
from build_dataset.evaluate.baseline.folder import events_file, write_baseline
from build_dataset.evaluate.baseline.names import NameIndex
from build_dataset.evaluate.baseline.quantities import find_quantity
from build_dataset.read.number_words import Figure
from build_dataset.read.yaml_source import parse_yaml

REPO = Path(__file__).resolve().parents[3]
ACTORS = NameIndex.of(
    [
        ("baku-government", ["Government of Baku", "Baku"]),
        ("baku-forces", ["Baku's forces", "Baku"]),
        ("kremlin", ["the Kremlin"]),
    ]
)
WEDNESDAY = date(2023, 9, 20)


def test_a_spelling_two_actors_share_goes_to_the_first_and_the_longest_name_wins() -> None:
    found = ACTORS.find("Baku's forces and Baku")
    assert [(m.text, m.id) for m in found] == [
        ("Baku's forces", "baku-forces"),
        ("Baku", "baku-government"),
    ]
    assert ACTORS.find("Bakuvian") == []


def test_the_claimant_is_the_actor_named_closest_before_the_cue() -> None:
    found = attribute("Baku and the Kremlin said the talks went well.", ACTORS)
    assert found is not None
    assert (found.cue.group(), found.claimant.id) == ("said", "kremlin")


def test_without_an_actor_before_the_cue_the_first_after_it_is_the_claimant() -> None:
    found = attribute("According to the Kremlin, Baku agreed.", ACTORS)
    assert found is not None
    assert (found.cue.group(), found.claimant.text) == ("According to", "the Kremlin")


def test_a_sentence_without_a_cue_or_an_actor_is_no_claim() -> None:
    assert attribute("Baku agreed to the terms.", ACTORS) is None
    assert attribute("Officials said the talks went well.", ACTORS) is None


def test_quotation_marks_make_a_quote_direct() -> None:
    assert quote_type("He said: \u201cwe agree\u201d.") == "direct"
    assert quote_type('He said "no".') == "direct"
    assert quote_type("He said they agree.") == "indirect"


@pytest.mark.parametrize(
    ("sentence", "figure", "expected"),
    [
        ("Baku denied accusing anyone of 3 attacks.", True, "denial"),
        ("Baku accused Yerevan of 3 attacks.", True, "accusation"),
        ("Baku said 3 attacks took place.", True, "figure"),
        ("Baku said talks will be held.", False, "plan"),
        ("Baku said it wants peace.", False, "position"),
    ],
)
def test_claim_types_follow_the_first_rule_that_fits(
    sentence: str, figure: bool, expected: str
) -> None:
    assert claim_type(sentence, figure) == expected


def test_the_publication_date_is_read_day_first_from_the_first_lines() -> None:
    stated = published("Headline\nPublished on 20/09/2023 at 11:35\n\nBody.")
    assert stated is not None
    assert (stated.day, stated.evidence) == (WEDNESDAY, "Published on 20/09/2023")
    assert published("Update as of 30/06/23") is not None
    assert published("Published on 31/02/2023") is None
    assert published("\n".join(["line"] * 5 + ["Published on 20/09/2023"])) is None


def _dates(quote: str, publication: date | None) -> list[tuple[str, str, date | None]]:
    return [(d.text, d.value, d.anchor_date) for d in find_dates(quote, publication)[0]]


def test_absolute_dates_need_no_publication_date() -> None:
    quote = "On 20 September 2023, after September 19, 2023 and in May 2020 and 1991"
    assert _dates(quote, None) == [
        ("20 September 2023", "2023-09-20", None),
        ("September 19, 2023", "2023-09-19", None),
        ("May 2020", "2020-05", None),
        ("1991", "1991", None),
    ]


def test_dates_without_a_year_are_read_against_the_publication_date_or_left() -> None:
    quote = "Talks on 27-28 June followed the shelling of Tuesday and yesterday"
    assert _dates(quote, date(2023, 6, 30)) == [
        ("27-28 June", "2023-06-27/2023-06-28", date(2023, 6, 30)),
        ("Tuesday", "2023-06-27", date(2023, 6, 30)),
        ("yesterday", "2023-06-29", date(2023, 6, 30)),
    ]
    found, unresolved = find_dates(quote, None)
    assert found == []
    assert [quote[s:e] for s, e in unresolved] == ["27-28 June", "Tuesday", "yesterday"]


def test_a_weekday_in_a_sentence_about_the_future_is_the_next_one() -> None:
    assert _dates("Talks will be held on Thursday", WEDNESDAY) == [
        ("Thursday", "2023-09-21", WEDNESDAY)
    ]
    assert _dates("Talks were held on Thursday", WEDNESDAY) == [
        ("Thursday", "2023-09-14", WEDNESDAY)
    ]


def _quantity(quote: str, number: str) -> tuple[str, Figure, str, str, str] | None:
    start = quote.index(number)
    found = find_quantity(quote, start, start + len(number))
    if found is None:
        return None
    return found.text, found.figure, found.unit, found.measure, found.counted


def test_a_figure_takes_its_hedge_and_the_word_it_counts() -> None:
    assert _quantity("killing at least 32 people", "32") == (
        "at least 32 people",
        Figure(32, 32, None, "at_least"),
        "people",
        "other",
        "people",
    )
    assert _quantity("two or three soldiers died", "two") == (
        "two or three soldiers",
        Figure(None, 2, 3, "range"),
        "people",
        "other",
        "soldiers",
    )
    assert _quantity("with 67.88% of votes", "67.88%") == (
        "67.88%",
        Figure(67.88, None, None, "exact"),
        "percent",
        "percentage",
        "percent",
    )
    assert _quantity("two hundred positions", "two") == (
        "two hundred positions",
        Figure(200, None, None, "exact"),
        "positions",
        "other",
        "positions",
    )


def test_times_numeric_dates_and_ordinals_are_no_figures() -> None:
    assert _quantity("at 13:00 local time", "13:00") is None
    assert _quantity("as of 30/06/23", "30/06/23") is None
    assert _quantity("the 21st meeting", "21") is None


def test_claims_of_one_type_and_date_report_one_event() -> None:
    dated = {"dates": [{"value": "2023-09-20"}], "places": [{"place": "baku"}]}
    claims = [
        ("a", {"id": "a-c001", "quote": "A ceasefire was agreed.", **dated}),
        ("b", {"id": "b-c001", "quote": "The truce holds.", "occurrence": 2, **dated}),
        ("b", {"id": "b-c002", "quote": "Talks went well."}),
        ("b", {"id": "b-c003", "quote": "Nothing happened."}),
    ]
    found, reported = events(claims)
    assert [(e["id"], e["type"], e["place"], len(e["mentions"])) for e in found] == [
        ("ev-2023-09-20-agreement", "agreement", "baku", 2),
        ("ev-b-c002-negotiation", "negotiation", None, 1),
    ]
    assert found[0]["mentions"][1] == {"article": "b", "quote": "The truce holds.", "occurrence": 2}
    assert reported == {
        "a-c001": "ev-2023-09-20-agreement",
        "b-c001": "ev-2023-09-20-agreement",
        "b-c002": "ev-b-c002-negotiation",
    }
    assert event_type("Nothing happened.") is None


def _checkout(tmp_path: Path) -> Path:
    """The repository's seeds and registries, copied (the builder refuses links out of its
    root), without the gold annotations the baseline must not read."""
    root = tmp_path / "repo"
    (root / "seeds" / "annotations").mkdir(parents=True)
    for path in (REPO / "seeds").glob("*.*"):
        shutil.copy(path, root / "seeds" / path.name)
    for name in ("actors.yaml", "places.yaml"):
        shutil.copy(REPO / "seeds" / "annotations" / name, root / "seeds" / "annotations" / name)
    return root


def test_the_baseline_folder_of_the_seeds_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = _checkout(tmp_path), tmp_path / "baseline"
    began = time.perf_counter()
    assert main(["--root", str(root), "baseline", "--out", str(out)]) == 0
    assert time.perf_counter() - began < 30
    seeds = sorted(p.stem for p in (root / "seeds").glob("*.txt"))
    assert sorted(p.stem for p in out.glob("*_*.yaml")) == seeds
    assert f"{len(seeds)} article(s)" in capsys.readouterr().out
    shutil.rmtree(root / "seeds" / "annotations")
    shutil.copytree(out, root / "seeds" / "annotations")
    assert main(["--root", str(root), "validate"]) == 0, capsys.readouterr().err


def test_the_baseline_refuses_unknown_articles_and_the_gold_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path)
    args = ["--root", str(root), "baseline", "--out", str(tmp_path / "out")]
    assert main([*args, "--articles", "999_0000000000000000"]) == 1
    assert "no seed for 999_0000000000000000" in capsys.readouterr().err
    assert main(["--root", str(root), "baseline", "--out", str(root / "seeds/annotations")]) == 1
    assert (
        "is not an empty folder; the baseline writes into a new or empty one"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists()


def test_the_baseline_of_chosen_articles_writes_only_theirs(tmp_path: Path) -> None:
    root, out = _checkout(tmp_path), tmp_path / "out"
    chosen = sorted(p.stem for p in (root / "seeds").glob("*.txt"))[:1]
    assert main(["--root", str(root), "baseline", "--out", str(out), "--articles", *chosen]) == 0
    assert sorted(p.stem for p in out.glob("*_*.yaml")) == chosen
    assert {p.name for p in out.iterdir()} >= {"actors.yaml", "places.yaml", "events.yaml"}


def _written_events(out: Path) -> list[dict[str, object]]:
    document = parse_yaml((out / "events.yaml").read_text(encoding="utf-8"), "events.yaml")
    return list(document.data["events"])


def test_events_past_the_yaml_limit_are_written_as_json_lines(tmp_path: Path) -> None:
    root, out = _checkout(tmp_path), tmp_path / "baseline"
    assert main(["--root", str(root), "baseline", "--out", str(out)]) == 0
    found = _written_events(out)
    assert found
    written = (out / "events.yaml").read_bytes()
    assert events_file(found) == ("events.yaml", written)
    name, lines = events_file(found, limit=len(written) - 1)
    assert name == "events.jsonl"
    assert [json.loads(line) for line in lines.decode().splitlines()] == found
    assert events_file(found, limit=len(lines) - 1) == ("events.jsonl", lines)


def test_a_baseline_folder_in_json_lines_scores_as_one_in_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its events alone in JSON Lines (past the YAML limit), or every file (for documents)."""
    root, out = _checkout(tmp_path), tmp_path / "baseline"
    assert main(["--root", str(root), "baseline", "--out", str(out)]) == 0
    events_out = tmp_path / "baseline-events"
    shutil.copytree(out, events_out)
    (events_out / "events.yaml").unlink()
    name, lines = events_file(_written_events(out), limit=0)
    (events_out / name).write_bytes(lines)
    lines_out = tmp_path / "baseline-lines"
    write_baseline(root, lines_out, as_lines=True)
    assert sorted(p.name for p in lines_out.iterdir()) == [
        "actors.yaml",
        "articles.jsonl",
        "events.jsonl",
        "places.yaml",
    ]
    capsys.readouterr()
    reports = []
    for candidate in (out, events_out, lines_out):
        gold = str(REPO / "seeds" / "annotations")
        args = ["--root", str(root), "score", gold, str(candidate), "--format", "json"]
        assert main(args) == 0, capsys.readouterr().err
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1] == reports[2]
    assert reports[0]["overall"]["events"]["candidate_mentions"] > 0  # scored, not left out
