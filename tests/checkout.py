"""A temporary checkout holding what a build reads, for tests that build."""

import shutil
from pathlib import Path

from build_dataset.changelog import CHANGELOG, heading
from build_dataset.release import released_versions
from build_dataset.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[1]


def copy_checkout(target: Path) -> Path:
    """The build's inputs, the changelog included, with every released version but the
    current one."""
    shutil.copytree(REPO / "seeds", target / "seeds")
    for name in ("README.md", "DATASHEET.md", CHANGELOG):
        shutil.copy(REPO / name, target / name)
    for version in released_versions(REPO / "data"):
        if version != DATASET_VERSION:
            shutil.copytree(REPO / "data" / version, target / "data" / version)
    return target


def add_draft_entry(root: Path, version: str, release_date: str) -> None:
    """A changelog entry that records no manifest hash, so that a build may write version."""
    with (root / CHANGELOG).open("a", encoding="utf-8") as changelog:
        changelog.write(f"\n{heading(version, release_date)}\n\n- Built by a test.\n")
