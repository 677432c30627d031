"""The validation benchmark times the real command and tells whether its figures were taken
with the modules' bytecode cached."""

import os
import py_compile
from pathlib import Path

import pytest

from bench.bench_validate import main, stale_modules


def test_a_module_is_stale_until_compiled_and_again_once_changed(tmp_path: Path) -> None:
    source = tmp_path / "karabakh_schema" / "values.py"
    source.parent.mkdir()
    source.write_text("PATTERN = 1\n")
    assert stale_modules(tmp_path) == ["karabakh_schema/values.py"]
    py_compile.compile(str(source), doraise=True)
    assert stale_modules(tmp_path) == []
    source.write_text("PATTERN = 12\n")  # another size, whatever the clock's resolution
    os.utime(source, (1, 1))
    assert stale_modules(tmp_path) == ["karabakh_schema/values.py"]


def test_prints_each_step_with_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--runs", "1"])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("runs of each step, alternating: 1; modules without cached ")
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in printed[3:]]
    assert [row[0] for row in rows] == [
        "start Python",
        "start Python, import BaseModel",
        "build-dataset validate seeds/annotations/003_82aebb510e30787e.yaml",
    ]
    assert all(0 < float(row[1]) <= float(row[3]) for row in rows)
