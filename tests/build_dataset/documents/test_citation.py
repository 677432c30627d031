"""CITATION.cff is valid Citation File Format 1.2.0, by the format's own validator."""

import subprocess
import sys
from pathlib import Path

from build_dataset.documents.citation import citation_text

REPO = Path(__file__).resolve().parents[3]
CFFCONVERT = Path(sys.executable).with_name("cffconvert")


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True
    )


def test_committed_citation_is_valid_cff() -> None:
    result = validate(REPO / "CITATION.cff")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "valid according to schema version 1.2.0" in result.stdout


def test_an_invalid_citation_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text(citation_text("1.0.0", "2026-13-45"))
    assert validate(broken).returncode != 0
