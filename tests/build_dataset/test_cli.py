"""The build-dataset command's import: files written from a real export, then validated."""

import shutil
from pathlib import Path

import pytest

from build_dataset.cli import main

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
