"""A contributed article passes CI with no test edited: the repository is copied, a made-up
article (tests/fixtures/new_article, marked as made up in its own text) is added by the steps
CONTRIBUTING.md gives, and the data checks of `make test` run on the copy."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from build_dataset.read.inputs import ANNOTATIONS_DIR, SEEDS_DIR
from build_dataset.write.changelog import heading

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "new_article"
IN_COPY = "BUILD_DATASET_IN_A_COPY"
"""Set in the copy's test run, so that it does not copy itself again."""
_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".venv-datasets-oldest",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "*.egg-info",
)


def add_article(root: Path) -> str:
    """CONTRIBUTING.md §4: the seed under the next free number and the first 16 hex digits of
    its SHA-256, its annotation file and the spelling of a source it adds to actors.yaml;
    returns the new article's id."""
    text = (FIXTURE / "article.txt").read_bytes()
    sha256 = hashlib.sha256(text).hexdigest()
    numbers = [int(p.name[:3]) for p in (root / SEEDS_DIR).glob("[0-9][0-9][0-9]_*.txt")]
    article_id = f"{max(numbers, default=-1) + 1:03d}_{sha256[:16]}"
    (root / SEEDS_DIR / f"{article_id}.txt").write_bytes(text)
    annotation = (FIXTURE / "annotation.yaml").read_text(encoding="utf-8")
    annotation = annotation.replace("ARTICLE_ID", article_id).replace("SEED_SHA256", sha256)
    (root / ANNOTATIONS_DIR / f"{article_id}.yaml").write_text(annotation, encoding="utf-8")
    # step 4: the article's new spelling of a known source, where validate asks for it
    actors = root / ANNOTATIONS_DIR / "actors.yaml"
    registry = actors.read_text(encoding="utf-8")
    known, added = 'variants: ["Baku", ', 'variants: ["Officials in Baku", "Baku", '
    if added not in registry:  # a copy of a copy has it already
        assert registry.count(known) == 1, "the fixture adds its spelling to azerbaijan-government"
        actors.write_text(registry.replace(known, added), encoding="utf-8")
    return article_id


def bump_minor(root: Path) -> str:
    """README.md, Versioning: an added article adds rows and changes none, a MINOR version;
    its draft entry goes on top of CHANGELOG.md."""
    version_file = root / "build_dataset" / "write" / "version.py"
    source = version_file.read_text(encoding="utf-8")
    current = re.search(r'DATASET_VERSION = "(\d+)\.(\d+)\.\d+"', source)
    assert current is not None
    major, minor = current.groups()
    version, released = f"{major}.{int(minor) + 1}.0", date.today().isoformat()
    source = re.sub(r'DATASET_VERSION = "[^"]+"', f'DATASET_VERSION = "{version}"', source)
    source = re.sub(r'RELEASE_DATE = "[^"]+"', f'RELEASE_DATE = "{released}"', source)
    version_file.write_text(source, encoding="utf-8")
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    first = text.index("\n## ") + 1
    entry = f"{heading(version, released)}\n\nMINOR: one article added.\n\n"
    changelog.write_text(text[:first] + entry + text[first:], encoding="utf-8")
    return version


@pytest.mark.skipif(IN_COPY in os.environ, reason="the copy's own run")
def test_a_new_article_passes_the_data_checks_with_no_test_edited(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=_NOT_COPIED, symlinks=True)
    article_id = add_article(root)
    version = bump_minor(root)
    env = os.environ | {IN_COPY: "1", "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(root)]
    for step in (["validate"], ["build"]):
        done = subprocess.run([*command, *step], cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "data" / version / "manifest.json").is_file()
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, f"{article_id}:\n" + tests.stdout[-6000:] + tests.stderr[-2000:]
