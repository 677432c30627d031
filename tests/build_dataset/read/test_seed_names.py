"""A seed is named by its content, NNN_<the first 16 hex digits of its SHA-256>, so that a
changed or misnamed seed is caught; the seeds named by their collector keep their names."""

from pathlib import Path

import pytest

from build_dataset.cli import main
from build_dataset.read.inputs import ANNOTATIONS_DIR, SEED_NAMES, SEEDS_DIR
from tests.checkout import copy_checkout, snapshot
from tests.test_new_article import add_article


def misname(root: Path, article_id: str, name: str) -> None:
    """Give the article another name, its annotation file and ids following it."""
    (root / SEEDS_DIR / f"{article_id}.txt").rename(root / SEEDS_DIR / f"{name}.txt")
    annotation = root / ANNOTATIONS_DIR / f"{article_id}.yaml"
    text = annotation.read_text(encoding="utf-8").replace(article_id, name)
    (root / ANNOTATIONS_DIR / f"{name}.yaml").write_text(text, encoding="utf-8")
    annotation.unlink()


def test_a_seed_named_by_another_hash_is_refused_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    article_id = add_article(root)
    wrong = f"{article_id[:3]}_{'0' * 16}"
    misname(root, article_id, wrong)
    before = snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{ANNOTATIONS_DIR}/{wrong}.yaml:3:3: article.id: {SEEDS_DIR}/{wrong}.txt is not named "
        f"by its content: its SHA-256 begins {article_id[4:]} (name a new seed "
        f"{SEEDS_DIR}/{article_id}.txt, its annotation file and article.id after it; if the "
        "seed was edited, restore it; a seed released under the name its collector gave it "
        f"keeps it, listed in {SEED_NAMES})"
    ) in err
    assert snapshot(root) == before


def test_the_seeds_named_by_their_collector_are_read_from_a_checked_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    (root / SEED_NAMES).write_text("seeds:\n  - not-an-id\n", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"{SEED_NAMES}:2:5: seeds[0]: String should match pattern" in err
    assert "is not named by its content" in err  # the seeds it no longer lists
