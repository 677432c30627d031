"""Claims that say nothing new are refused: a claim repeated under another id, a relation
listed twice, and supersedes relations that go round in a cycle, within an article or across
articles. Each is named with its file and line, and the build writes nothing."""

import json
from pathlib import Path
from typing import Any

import pytest

from build_dataset.assemble import Settings, assemble
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.inputs import article_sources
from build_dataset.read.yaml_source import read_yaml
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import copy_checkout, refused_build

REPO = Path(__file__).resolve().parents[3]
ANNOTATED = [
    s.file for s in article_sources(REPO) if read_yaml(REPO / s.file, s.file).data["claims"]
]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path)


def first_claim(root: Path, file: str) -> dict[str, Any]:
    claim: dict[str, Any] = read_yaml(root / file, file).data["claims"][0]
    return claim


def add_claims(root: Path, file: str, *claims: dict[str, Any]) -> int:
    """The claims put first in the file, one a line (JSON is YAML); the line of the first."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    lines = "".join(f"  - {json.dumps(claim, ensure_ascii=False)}\n" for claim in claims)
    path.write_text(text.replace("\nclaims:\n", f"\nclaims:\n{lines}", 1), encoding="utf-8")
    return text[: text.index("\nclaims:\n")].count("\n") + 3


def copy(claim: dict[str, Any], number: int, **changes: Any) -> dict[str, Any]:
    """The claim under the id number (from 990, clear of real claims), with changes."""
    article = claim["id"].rpartition("-")[0]
    return {**claim, "id": f"{article}-c{number}", **changes}


def problems_of(root: Path) -> list[Problem]:
    """What validating the checkout finds (writing nothing)."""
    try:
        assemble(Settings(root, DATASET_VERSION, tables=False), workers=1)
    except InvalidInput as error:
        return error.problems
    return []


def test_a_claim_repeated_under_another_id_is_refused(checkout: Path) -> None:
    file = ANNOTATED[0]
    original = first_claim(checkout, file)
    line = add_claims(checkout, file, copy(original, 990, note="Said again."))
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line, problem.field) == (file, line + 1, "claims[1]")
    assert problem.message == (
        f"repeats claim {copy(original, 990)['id']} (line {line}): all but the id and the "
        "notes is the same"
    )


def test_the_same_quote_with_other_values_is_not_a_repeat(checkout: Path) -> None:
    file = ANNOTATED[0]
    original = first_claim(checkout, file)
    other_type = "evaluation" if original["claim_type"] != "evaluation" else "position"
    add_claims(checkout, file, copy(original, 990, claim_type=other_type))
    assert problems_of(checkout) == []


def test_a_relation_listed_twice_on_a_claim_is_refused(checkout: Path) -> None:
    file = ANNOTATED[0]
    original = first_claim(checkout, file)
    relation = {"type": "agrees", "claim": original["id"]}
    claim = copy(original, 990, relations=[relation, {**relation, "note": "Again."}])
    line = add_claims(checkout, file, claim)
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line, problem.field) == (file, line, "claims[0].relations[1]")
    assert problem.message == f"repeats relations[0] (agrees {original['id']})"


def supersedes(claim: dict[str, Any]) -> list[dict[str, str]]:
    return [{"type": "supersedes", "claim": claim["id"]}]


def test_a_supersedes_cycle_within_an_article_is_refused(checkout: Path) -> None:
    file = ANNOTATED[0]
    original = first_claim(checkout, file)
    a, b = copy(original, 990), copy(original, 991)
    a["relations"], b["relations"] = supersedes(b), supersedes(a)
    line = add_claims(checkout, file, a, b)
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line) == (file, line + 1)
    assert problem.field == "claims[1].relations[0].claim"
    assert problem.message == (
        f"supersedes relations make a cycle: {a['id']} supersedes {b['id']} supersedes {a['id']}"
    )


def test_a_supersedes_cycle_across_three_articles_is_refused_once(checkout: Path) -> None:
    files = ANNOTATED[:3]
    claims = [copy(first_claim(checkout, file), 990) for file in files]
    for claim, following in zip(claims, claims[1:] + claims[:1], strict=True):
        claim["relations"] = supersedes(following)
    lines = [add_claims(checkout, file, claim) for file, claim in zip(files, claims, strict=True)]
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line) == (files[2], lines[2])
    ids = [claim["id"] for claim in claims]
    assert (
        problem.message
        == f"supersedes relations make a cycle: {' supersedes '.join([*ids, ids[0]])}"
    )


def test_a_supersedes_chain_is_no_cycle(checkout: Path) -> None:
    files = ANNOTATED[:3]
    claims = [copy(first_claim(checkout, file), 990) for file in files]
    claims[0]["relations"], claims[1]["relations"] = supersedes(claims[1]), supersedes(claims[2])
    claims[2]["relations"] = supersedes(first_claim(checkout, files[0]))
    for file, claim in zip(files, claims, strict=True):
        add_claims(checkout, file, claim)
    assert problems_of(checkout) == []
