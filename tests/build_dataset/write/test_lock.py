"""One build or import at a time in a checkout: a second one waits, says so, and then finds
the first one's release in place rather than taking it apart."""

import os
import select
import subprocess
import sys
import time
from pathlib import Path

from build_dataset.write.commit import interrupted
from build_dataset.write.lock import exclusive
from build_dataset.write.release import verify_release
from tests.checkout import REPO, add_draft_entry, copy_checkout

DRAFT = "9.9.9"
RELEASE_DATE = "2026-12-06"


def start_build(root: Path, version: str = DRAFT) -> subprocess.Popen[str]:
    """`build-dataset build` of version in a process of its own, as a maintainer runs it."""
    script = (
        "import sys; from build_dataset.cli import main; import build_dataset.write.version as v; "
        f"v.DATASET_VERSION, v.RELEASE_DATE = {version!r}, {RELEASE_DATE!r}; "
        "sys.exit(main())"
    )
    env = os.environ | {"PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", script, "--root", str(root), "build", "--workers", "1"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path, every_release=True)
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    with exclusive(root):
        build = start_build(root)
        assert build.stderr is not None
        ready, _, _ = select.select([build.stderr], [], [], 120)
        assert ready, "the second build said nothing"
        said = build.stderr.readline()
        assert "another build or import holds" in said and "waiting for it to finish" in said
        time.sleep(0.5)  # it goes on waiting
        assert build.poll() is None and not (root / "data" / DRAFT).exists()
    _, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert verify_release(root / "data" / DRAFT) == []


def test_two_builds_at_once_release_once_and_leave_nothing_behind(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path, every_release=True)
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    builds = [start_build(root), start_build(root)]
    outcomes = [build.communicate(timeout=180) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outcomes
    assert verify_release(root / "data" / DRAFT) == []
    assert not interrupted(root)
    assert not list((root / "data").glob(".tmp-*")) and not list(root.rglob(".*.tmp"))
