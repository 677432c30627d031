"""Release folders: the same rows give the same bytes however they reach the writer, and a
version that CHANGELOG.md records as released is never written with other bytes, even into a
deleted folder, while a draft is rebuilt freely."""

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import build_dataset.build
import build_dataset.documents.generated
import build_dataset.write.commit
import build_dataset.write.release
from build_dataset.build import build
from build_dataset.documents.generated import documents
from build_dataset.files import FileRefused
from build_dataset.publish import NotPublishable
from build_dataset.publish import release_files as publishable
from build_dataset.write.changelog import CHANGELOG, ChangelogProblem, heading
from build_dataset.write.commit import JOURNAL, ReleaseInterrupted, Swap, interrupted
from build_dataset.write.release import (
    ReleasedVersionChanged,
    RowStream,
    open_staging,
    parquet_bytes,
    released_versions,
    verify_release,
    write_parquet,
    write_row_groups,
)
from build_dataset.write.tables import to_table
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE
from tests.checkout import (
    add_draft_entry,
    copy_checkout,
    record_manifest_hash,
    release_current,
    snapshot,
)
from tests.records import committed

REPO = Path(__file__).resolve().parents[3]
ARTICLE = "seeds/annotations/003_82aebb510e30787e.yaml"
NOTE = "note: \"Outlet's own voice."
DRAFT = "9.9.9"


def test_a_table_written_a_row_group_at_a_time_is_the_table_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_dataset.write.release, "ROWS_PER_ROW_GROUP", 7)
    claims = pq.read_table(REPO / "data" / DATASET_VERSION / "claims.parquet")
    assert claims.num_rows > 3 * 7
    write_parquet(claims, tmp_path / "whole.parquet")
    groups = (claims.slice(start, 7) for start in range(0, claims.num_rows, 7))
    write_row_groups(groups, tmp_path / "groups.parquet")
    whole = (tmp_path / "whole.parquet").read_bytes()
    assert (tmp_path / "groups.parquet").read_bytes() == whole
    assert pq.ParquetFile(tmp_path / "whole.parquet").metadata.num_row_groups > 3


def release_files(release_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release_dir.iterdir())}


def reword_a_note(root: Path) -> None:
    """A valid change to the annotations, and so to the claims table."""
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert NOTE in text
    path.write_text(text.replace(NOTE, "note: \"Outlet's own voice, reread.", 1), encoding="utf-8")


def test_a_deleted_release_rebuilt_from_changed_annotations_is_refused(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    shutil.copytree(REPO / "data", root / "data", dirs_exist_ok=True)
    recorded = release_current(root)
    shutil.rmtree(root / "data" / DATASET_VERSION)
    reword_a_note(root)
    before = snapshot(root)
    with pytest.raises(ReleasedVersionChanged) as raised:
        build(root)
    assert str(raised.value).startswith(
        f"{DATASET_VERSION} is released: CHANGELOG.md records its manifest SHA-256 as "
        f"{recorded}, but this build gives a manifest of SHA-256 "
    )
    assert str(raised.value).endswith(
        ", bump DATASET_VERSION in build_dataset/write/version.py (see "
        "Versioning in README.md) and add a CHANGELOG.md entry"
    )
    assert f"restore data/{DATASET_VERSION} first (git checkout" in str(raised.value)
    assert snapshot(root) == before


def test_a_version_without_its_changelog_entry_writes_nothing(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    before = snapshot(root)
    missing = f"CHANGELOG.md has no entry for {DRAFT}; add the heading line "
    with pytest.raises(ChangelogProblem, match=re.escape(missing)):
        build(root, DRAFT, RELEASE_DATE)
    misdated = f"make the heading line `{heading(DATASET_VERSION, '2026-12-01')}`"
    with pytest.raises(ChangelogProblem, match=re.escape(misdated)):
        build(root, DATASET_VERSION, "2026-12-01")
    (root / CHANGELOG).write_text("# Changelog\n\n## 1.0.0 - 2026-11-23\n", encoding="utf-8")
    before[CHANGELOG] = snapshot(root)[CHANGELOG]
    with pytest.raises(ChangelogProblem, match=r"^CHANGELOG\.md:3: an entry heading is "):
        build(root)
    assert snapshot(root) == before


def test_a_draft_is_rebuilt_freely_until_its_hash_is_recorded(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path, every_release=True)
    versions = {p.name for p in (root / "data").iterdir()}
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    first = build(root, DRAFT, RELEASE_DATE)
    assert first.draft
    drafted = release_files(first.release_dir)
    reword_a_note(root)
    second = build(root, DRAFT, RELEASE_DATE)
    assert second.draft and second.manifest_sha256 != first.manifest_sha256
    rebuilt = release_files(second.release_dir)
    assert rebuilt["claims.parquet"] != drafted["claims.parquet"]
    assert rebuilt["articles.parquet"] == drafted["articles.parquet"]
    assert {p.name for p in (root / "data").iterdir()} == versions | {DRAFT}

    record_manifest_hash(root, DRAFT, RELEASE_DATE, second.manifest_sha256)
    again = build(root, DRAFT, RELEASE_DATE)
    assert not again.draft and release_files(again.release_dir) == rebuilt
    shutil.copy(REPO / ARTICLE, root / ARTICLE)  # the annotations of the first draft
    before = snapshot(root)
    with pytest.raises(ReleasedVersionChanged, match=f"^{re.escape(DRAFT)} is released: CHANGELOG"):
        build(root, DRAFT, RELEASE_DATE)
    assert snapshot(root) == before


def a_draft_and_a_change(tmp_path: Path) -> Path:
    """A checkout with a built draft and an annotation changed since, so that the next build
    replaces the draft."""
    root = copy_checkout(tmp_path, every_release=True)
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    build(root, DRAFT, RELEASE_DATE)
    reword_a_note(root)
    return root


def test_a_failed_build_puts_a_replaced_draft_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = a_draft_and_a_change(tmp_path)
    versions = {p.name for p in (root / "data").iterdir()} - {DRAFT}
    before = snapshot(root)

    def fail(*args: object) -> dict[str, str]:
        raise OSError("no space left for the documents")

    monkeypatch.setattr(build_dataset.documents.generated, "documents", fail)
    with pytest.raises(OSError, match="no space left"):
        build(root, DRAFT, RELEASE_DATE)
    assert snapshot(root) == before
    shutil.rmtree(root / "data" / DRAFT)
    with pytest.raises(OSError, match="no space left"):
        build(root, DRAFT, RELEASE_DATE)
    assert {p.name for p in (root / "data").iterdir()} == versions


def test_staging_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    data = tmp_path / "data"
    abandoned = data / ".tmp-2.0.0-999999999-x1y2z3"  # no process has that id
    abandoned.mkdir(parents=True)
    (abandoned / "claims.part-00000.parquet").write_bytes(b"")
    running = data / f".tmp-2.0.0-{os.getpid()}-a1b2c3"
    running.mkdir()
    staging = open_staging(data, "2.0.1")
    assert sorted(p.name for p in data.iterdir()) == sorted([running.name, staging.name])
    assert staging.name.startswith(f".tmp-2.0.1-{os.getpid()}-")


def consistent(root: Path) -> None:
    """The documents describe the data beside them, as an uninterrupted build leaves them, and
    nothing staged is left."""
    assert not interrupted(root)
    assert not list(root.rglob(".*.tmp")) and not list((root / "data").glob(".tmp-*"))
    assert described(root)


def described(root: Path) -> bool:
    """Whether the release in place verifies and every document describes it."""
    release_dir = root / "data" / DRAFT
    if verify_release(release_dir):
        return False
    folders = {v: root / "data" / v for v in released_versions(root / "data")}
    texts = documents(root, DRAFT, RELEASE_DATE, folders)
    return all((root / name).read_text(encoding="utf-8") == text for name, text in texts.items())


def test_a_build_killed_at_any_moment_leaves_the_old_release_or_one_the_next_build_finishes(
    tmp_path: Path,
) -> None:
    """SIGKILL, which no handler sees, at moments spread over a whole build: without a journal
    the release in place is whole and its documents describe it (the old one or the new one);
    with one, the next build finishes it. Released folders are never touched."""
    env = os.environ | {"PYTHONPATH": str(REPO)}
    script = (
        "import sys; from build_dataset.build import build; "
        f"build(__import__('pathlib').Path(sys.argv[1]), {DRAFT!r}, {RELEASE_DATE!r}, workers=1)"
    )
    timing = a_draft_and_a_change(tmp_path / "timing")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", script, str(timing)], env=env, check=True)
    whole = time.monotonic() - started
    for step, fraction in enumerate((0.6, 0.9, 0.97, 1.0)):
        root = a_draft_and_a_change(tmp_path / str(step))
        released = {p.name: release_files(p) for p in (root / "data").iterdir() if p.name != DRAFT}
        killed = subprocess.Popen([sys.executable, "-c", script, str(root)], env=env)
        time.sleep(whole * fraction)
        killed.kill()
        killed.wait()
        assert interrupted(root) or described(root)
        build(root, DRAFT, RELEASE_DATE)
        consistent(root)
        assert {p: release_files(root / "data" / p) for p in released} == released


def committing_with(monkeypatch: pytest.MonkeyPatch, replace: Callable[..., None]) -> None:
    """The build puts its release in place with replace for os.replace (the builds of the
    second annotation and the baseline before it, in folders of their own, keep theirs)."""
    commit = build_dataset.build.commit

    def committed(root: Path, swap: Swap) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(build_dataset.write.commit.os, "replace", replace)
            commit(root, swap)

    monkeypatch.setattr(build_dataset.build, "commit", committed)


def renames_of_a_release(tmp_path: Path) -> int:
    """How many renames a build replacing a draft makes, the journal's own included."""
    root = a_draft_and_a_change(tmp_path / "counted")
    made = []
    replace = os.replace

    def counted(source: Path, target: Path) -> None:
        made.append(target)
        replace(source, target)

    with pytest.MonkeyPatch.context() as patch:
        committing_with(patch, counted)
        build(root, DRAFT, RELEASE_DATE)
    return len(made)


def stopped_after(renames: int, replace: Callable[[Path, Path], None]) -> Callable[..., None]:
    """os.replace that stops the process once it has made that many renames."""
    made: list[Path] = []

    def stopped(source: Path, target: Path) -> None:
        if len(made) == renames:
            raise SystemExit(137)
        made.append(target)
        replace(source, target)

    return stopped


def test_a_build_stopped_at_any_rename_is_finished_by_the_next(tmp_path: Path) -> None:
    """A stop that no handler sees (a kill) is modelled by an exception the build lets pass
    without cleaning up after the journal: at every point, the next build finishes the
    release, and the checkout is what a build never stopped gives."""
    total = renames_of_a_release(tmp_path)
    assert total >= 4  # the journal, the draft set aside, the new folder, documents
    replace = os.replace
    for stop_at in range(total):
        root = a_draft_and_a_change(tmp_path / str(stop_at))
        with pytest.MonkeyPatch.context() as patch:
            committing_with(patch, stopped_after(stop_at, replace))
            with pytest.raises(SystemExit):
                build(root, DRAFT, RELEASE_DATE)
        assert interrupted(root) == (stop_at > 0)
        if stop_at > 0:
            with pytest.raises(NotPublishable, match="a build stopped while it put a release"):
                publishable(root, DRAFT)
        build(root, DRAFT, RELEASE_DATE)
        consistent(root)


def test_a_release_that_cannot_be_finished_says_so_and_the_next_build_finishes_it(
    tmp_path: Path,
) -> None:
    root = a_draft_and_a_change(tmp_path)
    replace = os.replace

    def full_at_croissant(source: Path, target: Path) -> None:
        if Path(target).name == "croissant.json":  # a document every change of the data changes
            raise OSError(errno.EIO, "Input/output error", str(target))
        replace(source, target)

    with pytest.MonkeyPatch.context() as patch:
        committing_with(patch, full_at_croissant)
        with pytest.raises(ReleaseInterrupted, match=r"stopped halfway .* build again to finish"):
            build(root, DRAFT, RELEASE_DATE)
    assert interrupted(root)
    build(root, DRAFT, RELEASE_DATE)
    consistent(root)


def test_a_journal_that_is_not_a_builds_own_moves_nothing(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    for journal in (
        {"version": DRAFT, "staging": "../../outside", "documents": []},
        {"version": DRAFT, "staging": None, "documents": [["seeds/x.txt", "README.md"]]},
        {"version": DRAFT, "staging": None, "documents": [[".README.md.a1.tmp", "LICENSE"]]},
        [],
    ):
        (root / JOURNAL).write_text(json.dumps(journal))
        before = snapshot(root)
        with pytest.raises(FileRefused, match="is not a journal a build wrote; remove it"):
            build(root, DRAFT, RELEASE_DATE)
        assert snapshot(root) == before


def test_a_journal_cannot_put_other_bytes_in_place_of_a_release(tmp_path: Path) -> None:
    """Its staging folder must hold a sealed release of its version, the one CHANGELOG.md
    records if it is released."""
    root = copy_checkout(tmp_path)
    released = next(p.name for p in (root / "data").iterdir() if p.is_dir())
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    staging = root / "data" / f".tmp-{released}-1-evil"
    shutil.copytree(root / "data" / released, staging)
    for forged in ("junk\n", None):
        if forged is not None:
            (staging / "manifest.json").write_text(forged)
        else:  # a release that verifies, but not the one recorded
            shutil.copytree(REPO / "data" / DATASET_VERSION, staging, dirs_exist_ok=True)
            (staging / "manifest.json").write_text(
                (REPO / "data" / DATASET_VERSION / "manifest.json")
                .read_text()
                .replace(f'"version": "{DATASET_VERSION}"', f'"version": "{released}"')
            )
            for name in {p.name for p in staging.iterdir()} - {
                p.name for p in (REPO / "data" / DATASET_VERSION).iterdir()
            }:
                (staging / name).unlink()
        journal = {"version": released, "staging": staging.name, "documents": []}
        (root / JOURNAL).write_text(json.dumps(journal))
        before = snapshot(root)
        with pytest.raises(FileRefused, match="is not a journal a build wrote; remove it"):
            build(root, DRAFT, RELEASE_DATE)
        assert snapshot(root) == before


def test_a_termination_while_the_release_is_put_in_place_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = a_draft_and_a_change(tmp_path)
    replace = os.replace
    made: list[Path] = []

    def terminated_at_the_first(source: Path, target: Path) -> None:
        if not made:
            os.kill(os.getpid(), signal.SIGTERM)
        made.append(target)
        replace(source, target)

    def stop(signum: int, _: object) -> None:
        raise SystemExit(128 + signum)

    committing_with(monkeypatch, terminated_at_the_first)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(SystemExit):
            build(root, DRAFT, RELEASE_DATE)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert len(made) >= 4
    consistent(root)


@given(st.data())
@settings(max_examples=40, deadline=None)
def test_rows_taken_from_tables_of_any_length_make_the_tables_of_those_rows(
    data: st.DataObject,
) -> None:
    """The events come as tables of any length (the runs' conversions, a few rows at a time)
    and are cut into row groups: each is the table, and gives the Parquet bytes, of
    converting its rows at once, in one chunk; None when no row is left."""
    events = [e.model_dump() for e in committed().events]
    rows = data.draw(st.lists(st.sampled_from(events), max_size=40))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=8)))
    bounds = [0, *cuts, len(rows)]
    tables = (to_table("events", rows[a:b], DATASET_VERSION) for a, b in pairwise(bounds))
    stream = RowStream(tables)
    start = 0
    while start < len(rows):
        assert stream.more()
        size = data.draw(st.integers(1, len(rows) - start + 3))
        table = stream.take(size)
        assert table is not None
        at_once = to_table("events", rows[start : start + size], DATASET_VERSION)
        assert table.equals(at_once, check_metadata=True)
        assert all(column.num_chunks == 1 for column in table.columns)
        assert parquet_bytes(table) == parquet_bytes(at_once)
        start += size
    assert not stream.more()
    assert stream.take(1) is None
