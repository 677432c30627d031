"""Faults of the machine and of files no check foresees (a read-only folder, a full disk, a
file name that is not UTF-8, a manifest that is not one, an interrupt) end a command with one
line naming the file and what to do, exit 1, and nothing half-written: never a traceback."""

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import build_dataset.write.release
from build_dataset.cli import main
from build_dataset.evaluate.annotation_folder import AGREEMENT_DIR
from build_dataset.write.lock import LOCK_FILE
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import REPO, copy_checkout, snapshot


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, with the standard streams of a real process."""
    env = os.environ | {"PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(root), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("folder", ["seeds/annotations", "seeds"])
def test_a_file_name_that_is_not_utf8_is_named_with_escapes(tmp_path: Path, folder: str) -> None:
    root = copy_checkout(tmp_path)
    suffix = b".yaml" if folder.endswith("annotations") else b".txt"
    (root / folder / os.fsdecode(b"caf\xe9" + suffix)).write_text("x: 1\n", encoding="utf-8")
    expected = f"{folder}/caf\\xe9{suffix.decode()}: <file>: is not read: its name is not UTF-8"
    done = run(root, "validate")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"  {expected} (rename it with a UTF-8 name)\n" in done.stderr
    done = run(root, "validate", "--format", "json")
    assert done.returncode == 1 and done.stderr == ""
    files = [problem["file"] for problem in json.loads(done.stdout)["problems"]]
    assert f"{folder}/caf\\xe9{suffix.decode()}" in files


@pytest.mark.parametrize(
    ("manifest", "said"),
    [
        (b"not json {", "not a JSON manifest"),
        (b"\xff\xfe", "not a JSON manifest"),
        (b"[" * 100_000, "not a JSON manifest"),
        (b'{"files": ["claims.parquet"]}', "not the shape of a manifest"),
        (b'{"files": {"../../x": {"bytes": 1, "sha256": "0"}}}', "not the shape of a manifest"),
    ],
)
def test_a_manifest_that_is_not_one_is_told_how_to_restore(
    tmp_path: Path, manifest: bytes, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "CHANGELOG.md", root / "CHANGELOG.md")
    path = root / "data" / DATASET_VERSION / "manifest.json"
    path.write_bytes(manifest)
    assert main(["--root", str(root), "verify"]) == 1
    err = capsys.readouterr().err
    assert f"{path}: {said}" in err
    assert f"restore it (git checkout -- {path}), or delete the folder and build again" in err


@pytest.mark.parametrize(
    "fault",
    [
        (errno.EACCES, "make it writable"),
        (errno.EROFS, "read-only file system"),
        (errno.ENOSPC, "free some disk space"),
    ],
)
def test_a_folder_that_cannot_be_written_is_one_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fault: tuple[int, str],
) -> None:
    """Tests run as root, which a read-only mode does not stop: the file system's answer is
    given where the build first writes into data/."""
    code, advice = fault
    root = copy_checkout(tmp_path)
    before = snapshot(root)

    def refused(*args: object, dir: str, **kwargs: object) -> str:
        raise OSError(code, os.strerror(code), dir)

    monkeypatch.setattr(build_dataset.write.release.tempfile, "mkdtemp", refused)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"failed: {root / 'data'}: {os.strerror(code)}; ")
    assert advice in err and err.endswith("; the repository is as it was\n")
    assert snapshot(root) == before


def test_an_interrupt_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    before = snapshot(root)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_dataset.write.release, "_seal", interrupted)
    assert main(["--root", str(root), "build"]) == 130
    assert capsys.readouterr().err == "interrupted: no file was left half-written\n"
    assert snapshot(root) == before


def test_a_link_planted_as_the_lock_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path / "checkout")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (root / LOCK_FILE).symlink_to(victim)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"refused: cannot take the lock: {root / LOCK_FILE}: Too many levels")
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (root / "data" / DATASET_VERSION).exists()


def test_a_build_refuses_an_earlier_release_that_does_not_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The card is made from every version's files: a tampered one would end in a traceback
    of the Parquet reader, or in a card that describes other bytes."""
    root = copy_checkout(tmp_path)
    earlier = next(p for p in (root / "data").iterdir() if p.is_dir())
    claims = earlier / "claims.parquet"
    claims.write_bytes(claims.read_bytes()[:-100])
    before = snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"refused: data/{earlier.name} does not verify, and the card is made")
    assert f"{claims}: " in err
    assert snapshot(root) == before


def test_an_error_no_check_foresaw_is_one_line_unless_a_developer_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)

    def unforeseen(*args: object) -> None:
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(build_dataset.write.release, "_seal", unforeseen)
    assert main(["--root", str(root), "build"]) == 70
    assert capsys.readouterr().err == (
        "internal error: RuntimeError: unforeseen; this is a bug of build-dataset: please "
        "report it with the command you ran (BUILD_DATASET_TRACEBACK=1 shows where it "
        "happened)\n"
    )
    monkeypatch.setenv("BUILD_DATASET_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="unforeseen"):
        main(["--root", str(root), "build"])


def test_a_deep_line_in_the_second_annotation_is_a_problem_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    (root / AGREEMENT_DIR / "x.jsonl").write_text("[" * 200_000 + "\n", encoding="utf-8")
    before = snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert f"{AGREEMENT_DIR}/x.jsonl:1:" in err and "nest more than" in err
    assert snapshot(root) == before
