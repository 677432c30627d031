"""Released folders are facts: a build never drops one that is gone from the card, and a
difference that comes from the program that wrote the Parquet files is said to be that."""

import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from build_dataset.build import build
from build_dataset.cli import main
from build_dataset.files import FileRefused
from build_dataset.write.changelog import CHANGELOG, manifest_line, read_changelog
from build_dataset.write.release import (
    MANIFEST,
    ReleasedVersionChanged,
    released_versions,
    sha256_file,
    writer,
)
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import copy_checkout, release_current, snapshot

REPO = Path(__file__).resolve().parents[3]


def test_a_released_folder_that_is_gone_stops_the_build_and_says_how_to_restore_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    earlier = next(v for v in released_versions(root / "data") if v != DATASET_VERSION)
    shutil.rmtree(root / "data" / earlier)
    before = snapshot(root)
    with pytest.raises(FileRefused, match=rf"git checkout -- data/{re.escape(earlier)}\)"):
        build(root)
    assert snapshot(root) == before  # the card keeps its configs of the release
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"refused: data/{earlier} does not verify, and the card is made from")
    assert f"{earlier} is released, but data/{earlier}/manifest.json is missing" in err


def other_pyarrow() -> str:
    """A pyarrow version of the same length as the running one's, and not it."""
    last = int(pa.__version__[-1])
    return f"{pa.__version__[:-1]}{(last + 1) % 10}"


def released_by_another_pyarrow(root: Path) -> str:
    """The current release as if made with another pyarrow: the same tables and metadata, its
    files' footers naming that writer, its manifest and CHANGELOG.md's record made to match;
    returns that writer."""
    release_current(root)
    folder = root / "data" / DATASET_VERSION
    ours = f"parquet-cpp-arrow version {pa.__version__}".encode()
    theirs = f"parquet-cpp-arrow version {other_pyarrow()}".encode()
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert data.count(ours) == 1, name  # once, in the footer
        (folder / name).write_bytes(data.replace(ours, theirs))
        entry["sha256"] = sha256_file(folder / name)
    old_sha256 = sha256_file(folder / MANIFEST)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8")
    new_line = manifest_line(sha256_file(folder / MANIFEST))
    changelog.write_text(text.replace(manifest_line(old_sha256), new_line), encoding="utf-8")
    assert read_changelog(root)[DATASET_VERSION].released
    return theirs.decode()


def test_a_release_written_by_another_pyarrow_is_diagnosed_as_such(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    shutil.copytree(REPO / "data" / DATASET_VERSION, root / "data" / DATASET_VERSION)
    theirs = released_by_another_pyarrow(root)
    claims = root / "data" / DATASET_VERSION / "claims.parquet"
    assert writer(claims) == theirs
    before = snapshot(root)
    with pytest.raises(ReleasedVersionChanged) as refused:
        build(root)
    message = str(refused.value)
    assert f"written by parquet-cpp-arrow version {pa.__version__}" in message
    assert f"released files were written by {theirs}" in message
    assert f"install pyarrow {other_pyarrow()}, which wrote them" in message
    assert "Do not bump the version" in message and "bump DATASET_VERSION" not in message
    assert snapshot(root) == before


def test_a_deleted_release_that_a_build_does_not_give_says_to_restore_it_first(
    tmp_path: Path,
) -> None:
    """Without the folder there are no released bytes to compare the build with: the message
    says how to get them back before bumping."""
    root = copy_checkout(tmp_path)
    shutil.copytree(REPO / "data" / DATASET_VERSION, root / "data" / DATASET_VERSION)
    released_by_another_pyarrow(root)
    shutil.rmtree(root / "data" / DATASET_VERSION)
    with pytest.raises(ReleasedVersionChanged) as refused:
        build(root)
    message = str(refused.value)
    assert "bump DATASET_VERSION" in message
    assert f"restore data/{DATASET_VERSION} first (git checkout -- data/{DATASET_VERSION})" in (
        message
    )
