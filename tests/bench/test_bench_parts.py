"""The parts benchmark measures the work it names, and its sums and budget follow from its
figures."""

import re
from pathlib import Path

import pytest

from bench.bench_parts import _lines, _parts, main
from bench.synthetic import generate
from karabakh_schema.annotation import ArticleAnnotationFile


def test_the_parts_found_are_the_ones_each_quote_holds(tmp_path: Path) -> None:
    generate(tmp_path, 6, seed=1)
    claims = [
        claim
        for line in _lines(tmp_path)
        for claim in ArticleAnnotationFile.model_validate_json(line).claims or []
    ]
    parts = [(claim.quote, part) for claim in claims for part in _parts(claim)]
    assert len(parts) > len(claims)
    assert all(part in quote for quote, part in parts)


def test_prints_every_step_its_sums_and_the_budget(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--articles", "30"])
    printed = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"30 articles, \d+ claims, \d+ cores", printed[0])
    rows = {
        name: float(value)
        for name, value in (
            [cell.strip() for cell in line.strip("|").split("|")] for line in printed[3:]
        )
    }
    steps = list(rows.values())[:7]
    assert list(rows)[:7] == [
        "validate every annotation line with Pydantic",
        "refuse a key given twice in every annotation line",
        "validate every event line with Pydantic and refuse its repeated keys",
        "read and clean every seed",
        "find every quote, value, claimant and cue",
        "write the output tables at zstd level 9, as the released versions are",
        "write them at zstd's default level, as the builder writes later versions",
    ]
    assert all(value >= 0 for value in steps)
    needed = sum(steps[:5]) + steps[6]
    # every figure is printed to the hundredth, so a sum of n is off by up to n + 1 halves of it
    rounding = 7 * 0.005 + 0.001
    assert rows["sum, writing at zstd level 9"] == pytest.approx(sum(steps[:6]), abs=rounding)
    assert rows["sum, writing at the default level"] == pytest.approx(needed, abs=rounding)
    # the builder does every step above and more, in one process
    assert rows["the builder with one worker: every step and every check"] > needed
    target, stretch, left = list(rows.values())[-3:]
    wall = re.search(r"\(([0-9.]+) s wall\)", printed[-2])
    assert wall is not None
    floor = float(wall.group(1))
    cores = int(printed[0].split(", ")[-1].split()[0])
    for budget, ratio in ((target, 0.3), (stretch, 0.5)):  # the floor's rounding, divided
        assert budget == pytest.approx(floor / ratio * cores, abs=0.005 / ratio * cores + 0.006)
    assert left == pytest.approx(target - needed, abs=8 * 0.005 + 0.001)
