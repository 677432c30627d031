"""A temporary checkout holding what a build reads, for tests that build."""

import hashlib
import shutil
from pathlib import Path

import pytest

from build_dataset.build import build
from build_dataset.problems import InvalidInput, Problem
from build_dataset.write.changelog import CHANGELOG, heading, manifest_line, read_changelog
from build_dataset.write.lock import LOCK_FILE
from build_dataset.write.release import MANIFEST, released_versions, sha256_file
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE

REPO = Path(__file__).resolve().parents[1]


def copy_checkout(target: Path, every_release: bool = False) -> Path:
    """The build's inputs (the seeds, their annotation and the second annotation), the
    changelog included, with every released version but the current one, which a build of the
    current version makes again. every_release copies the current one too, for a build of
    another version, whose card pins every release (and refuses one that is gone)."""
    shutil.copytree(REPO / "seeds", target / "seeds")
    shutil.copytree(REPO / "agreement", target / "agreement")
    for name in ("README.md", "DATASHEET.md", "LICENSE.md", CHANGELOG):
        shutil.copy(REPO / name, target / name)
    for version in released_versions(REPO / "data"):
        if every_release or version != DATASET_VERSION:
            shutil.copytree(REPO / "data" / version, target / "data" / version)
    return target


def add_draft_entry(root: Path, version: str, release_date: str) -> None:
    """A changelog entry that records no manifest hash, so that a build may write version."""
    with (root / CHANGELOG).open("a", encoding="utf-8") as changelog:
        changelog.write(f"\n{heading(version, release_date)}\n\n- Built by a test.\n")


def record_manifest_hash(root: Path, version: str, release_date: str, sha256: str) -> None:
    """Release a draft as its maintainer does: its manifest's hash on a line under its
    heading."""
    path = root / CHANGELOG
    line = heading(version, release_date) + "\n"
    text = path.read_text(encoding="utf-8").replace(line, f"{line}\n{manifest_line(sha256)}\n")
    path.write_text(text, encoding="utf-8")


def release_current(root: Path) -> str:
    """The current version released in root's changelog, so that tests of the guard hold while
    it is still a draft in the repository; the hash of its committed manifest, which a build
    gives (test_build checks it)."""
    sha256 = sha256_file(REPO / "data" / DATASET_VERSION / MANIFEST)
    if read_changelog(root)[DATASET_VERSION].manifest_sha256 is None:
        record_manifest_hash(root, DATASET_VERSION, RELEASE_DATE, sha256)
    return sha256


def snapshot(root: Path) -> dict[str, str]:
    """Digest of every file of the checkout, data/ and the documents included, and every
    folder (a staging folder or a staged copy left behind is a change too); not the lock file,
    which holds nothing."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "folder"
        for p in sorted(root.rglob("*"))
        if p.name != LOCK_FILE
    }


def refused_build(root: Path) -> list[Problem]:
    """The problems of a build that must stop without writing anything."""
    before = snapshot(root)
    with pytest.raises(InvalidInput) as raised:
        build(root)
    assert snapshot(root) == before
    return raised.value.problems
