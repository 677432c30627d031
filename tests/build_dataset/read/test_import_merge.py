"""Importing into an annotated article through the command: the claims it holds keep their ids,
quotes, claimants, notes and values, new ones get numbers never used, and replacing is shown
first and refused where it would break a reference."""

import difflib
import re
from pathlib import Path
from typing import Any

import pytest

from build_dataset.cli import main
from build_dataset.read.importers import FORMATS, claim_references
from build_dataset.read.yaml_source import parse_yaml
from tests.build_dataset.read.test_importers import ARTICLE, CLAIMS, EXPORTS
from tests.checkout import copy_checkout, snapshot

FILE = f"seeds/annotations/{ARTICLE}.yaml"
EVENTS = "seeds/annotations/events.yaml"
BRAT = str(EXPORTS["brat"])
HAND_WRITTEN = f"""
claims:
  # checked against the English edition
  - id: {ARTICLE}-c012
    quote: "Azerbaijan denied violating the ceasefire"
    claimant: azerbaijan-government
    claimant_text: "Baku"
    cue: null
    quote_type: indirect
    claim_type: denial
    events: [ev-2023-09-20-ceasefire-agreement]
    note: "A hand-written note."

  - id: {ARTICLE}-c090
    quote: "territory at the heart of a long-standing conflict"
    claimant: outlet-003
    quote_type: unattributed
    claim_type: background
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path / "checkout")


def claims_of(root: Path) -> list[dict[str, Any]]:
    data = parse_yaml((root / FILE).read_text(encoding="utf-8"), FILE).data
    found: list[dict[str, Any]] = data["claims"]
    return found


def import_(root: Path, fmt: str, export: str, *options: str) -> int:
    return main(["--root", str(root), "import", "--from", fmt, export, *options])


def referenced_numbers(root: Path) -> set[int]:
    """The numbers of this article's claim ids named anywhere in the annotations."""
    text = "".join(p.read_text(encoding="utf-8") for p in (root / "seeds/annotations").iterdir())
    return {int(n) for n in re.findall(rf"{ARTICLE}-c([0-9]{{3}})", text)}


def hand_written(root: Path) -> None:
    """The article's file with the claims above: one the exports hold, with a claimant, a
    claimant text the exports give otherwise, no cue, events and a note; one they do not."""
    text = (root / FILE).read_text(encoding="utf-8").split("\nclaims:\n")[0]
    skipped = "\nskipped:\n" + (root / FILE).read_text(encoding="utf-8").split("\nskipped:\n")[1]
    (root / FILE).write_text(text + HAND_WRITTEN + skipped, encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_import_into_an_annotated_article_keeps_every_claim(
    checkout: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before_text = (checkout / FILE).read_text(encoding="utf-8")
    before = claims_of(checkout)
    import_(checkout, fmt, str(EXPORTS[fmt]))
    assert f"wrote {FILE}" in capsys.readouterr().out
    after_text = (checkout / FILE).read_text(encoding="utf-8")
    # Nothing of the file is lost: every line, comments and blank ones included, is still there.
    lines = difflib.SequenceMatcher(None, before_text.splitlines(), after_text.splitlines())
    assert {op for op, *_ in lines.get_opcodes()} <= {"equal", "insert"}
    after = {claim["id"]: claim for claim in claims_of(checkout)}
    for claim in before:
        kept = after[claim["id"]]
        for name, value in claim.items():
            if isinstance(value, list):
                assert kept[name][: len(value)] == value
            else:
                assert kept[name] == value
    added = [claim_id for claim_id in after if claim_id not in {c["id"] for c in before}]
    assert added
    highest = max(referenced_numbers(Path(__file__).parents[3]) | {0})
    assert all(int(claim_id[-3:]) > highest for claim_id in added)


def test_a_matched_claim_gains_what_it_lacks_and_keeps_what_it_has(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_written(checkout)
    highest = max(referenced_numbers(checkout))
    import_(checkout, "brat", BRAT)
    out = capsys.readouterr().out
    claims = {claim["id"]: claim for claim in claims_of(checkout)}
    denial = claims[f"{ARTICLE}-c012"]
    assert denial["claimant"] == "azerbaijan-government"
    assert denial["claimant_text"] == "Baku"
    assert denial["cue"] == "denied"  # was null
    assert denial["events"] == ["ev-2023-09-20-ceasefire-agreement"]
    assert denial["note"] == "A hand-written note."
    new = [claim_id for claim_id in claims if int(claim_id[-3:]) > highest]
    assert [int(claim_id[-3:]) for claim_id in new] == list(range(highest + 1, highest + 4))
    assert denial["relations"] == [{"type": "contradicts", "claim": new[0]}]
    assert claims[f"{ARTICLE}-c090"]["claimant"] == "outlet-003"  # not in the export: left
    assert f"{ARTICLE}: added 3 claim(s): {', '.join(i[-4:] for i in new)}" in out
    assert "  changed 1: c012 (cue, relations)" in out
    assert "  left as they were 1: c090" in out
    assert f"  kept {ARTICLE}-c012's claimant_text 'Baku'; the export has 'Azerbaijan'" in out
    assert "  # checked against the English edition\n" in (checkout / FILE).read_text("utf-8")


def test_importing_the_same_export_again_changes_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_(checkout, "brat", BRAT)
    first = (checkout / FILE).read_bytes()
    capsys.readouterr()
    import_(checkout, "brat", BRAT)
    assert (checkout / FILE).read_bytes() == first
    assert "added 0 claim(s): none\n  changed 0: none\n" in capsys.readouterr().out


def test_replacing_shows_the_changes_and_writes_only_when_confirmed(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_written(checkout)
    before = snapshot(checkout)
    assert import_(checkout, "brat", BRAT, "--replace") == 1
    out, err = capsys.readouterr()
    assert f"--- a/{FILE}\n+++ b/{FILE}\n" in out
    assert "-    claimant: azerbaijan-government\n" in out
    assert "  dropped 1: c090" in out
    assert err.endswith(
        "not written: these are the changes --replace makes; add --yes to write them\n"
    )
    assert snapshot(checkout) == before
    import_(checkout, "brat", BRAT, "--replace", "--yes")
    claims = claims_of(checkout)
    assert f"{ARTICLE}-c012" in [claim["id"] for claim in claims]  # its id kept
    assert f"{ARTICLE}-c090" not in [claim["id"] for claim in claims]
    assert "claimant" not in claims[0]


def test_replacing_refuses_to_drop_a_claim_referred_to(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(checkout)
    assert import_(checkout, "brat", BRAT, "--replace", "--yes") == 1
    err = capsys.readouterr().err
    assert err.startswith("not replaced: it would drop claims that are referred to:\n")
    events = parse_yaml((checkout / EVENTS).read_text(encoding="utf-8"), EVENTS).data["events"]
    named = [
        (event["id"], number, claim_id)
        for event in events
        for number, figure in enumerate(event.get("figures", []), 1)
        for claim_id in figure["claims"]
        if claim_id.startswith(ARTICLE)
    ]
    quotes = {claim["id"]: claim["quote"] for claim in claims_of(checkout)}
    exported = {claim["quote"] for claim in CLAIMS}
    dropped = [(e, n, claim_id) for e, n, claim_id in named if quotes[claim_id] not in exported]
    assert dropped  # and those the export holds keep their ids, so nothing refers to nothing
    for event_id, number, claim_id in named:
        line = f"  {claim_id}, which {EVENTS}: event {event_id}, figure {number} refers to\n"
        assert (line in err) == ((event_id, number, claim_id) in dropped)
    assert snapshot(checkout) == before


def test_a_file_that_cannot_be_read_is_not_imported_into(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / FILE).write_text("article: [\n", encoding="utf-8")
    before = snapshot(checkout)
    assert import_(checkout, "brat", BRAT) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"not imported: {checkout / FILE}: cannot read it: {checkout / FILE}:2:1:"
    )
    assert err.endswith("; fix it first, so that nothing is lost\n")
    assert snapshot(checkout) == before


def test_claims_are_referred_to_by_event_figures_and_relations() -> None:
    files = [
        ("events.yaml", {"events": [{"id": "ev-a", "figures": [{"claims": ["x-c001"]}]}]}),
        (
            "x.yaml",
            {"claims": [{"id": "x-c002", "relations": [{"type": "agrees", "claim": "x-c001"}]}]},
        ),
        ("broken.yaml", ["not", "a", "file", "of", "claims"]),
    ]
    assert claim_references(files) == {
        "x-c001": ["events.yaml: event ev-a, figure 1", "x.yaml: claim x-c002, relation agrees"]
    }
