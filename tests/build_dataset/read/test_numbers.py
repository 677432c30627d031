"""Numbers are finite and integers fit the int64 columns that store them, whether written in
YAML or JSON: NaN, infinity, 1e309 or a 401-digit integer is a problem of its field, and the
build writes nothing."""

from pathlib import Path
from typing import Any

import pytest

from build_dataset.read.inputs import article_sources
from build_dataset.read.yaml_source import read_yaml
from tests.build_dataset.check.test_semantics import add_claims, copy
from tests.checkout import copy_checkout, refused_build

REPO = Path(__file__).resolve().parents[3]
WITH_FIGURE = next(
    (s.file, claim)
    for s in article_sources(REPO)
    for claim in read_yaml(REPO / s.file, s.file).data["claims"] or []
    if claim.get("quantities")
)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path)


@pytest.mark.parametrize("number", [".nan", ".inf", "-.inf", "1e309", "9" * 401])
def test_a_figure_that_is_no_finite_number_is_refused(checkout: Path, number: str) -> None:
    file, claim = WITH_FIGURE
    quantity: dict[str, Any] = {**claim["quantities"][0], "value": 0, "low": None, "high": None}
    line = add_claims(checkout, file, copy(claim, 990, quantities=[quantity]))
    path = checkout / file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"value": 0,', f'"value": {number},', 1), encoding="utf-8")
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line, problem.field) == (
        file,
        line,
        "claims[0].quantities[0].value",
    )
    assert problem.message == "Input should be a finite number"


def test_an_integer_past_int64_is_refused(checkout: Path) -> None:
    file, claim = WITH_FIGURE
    line = add_claims(checkout, file, copy(claim, 990, occurrence=2**63))
    [problem] = refused_build(checkout)
    assert (problem.file, problem.line, problem.field) == (file, line, "claims[0].occurrence")
    assert problem.message == "Input should be less than or equal to 9223372036854775807"
