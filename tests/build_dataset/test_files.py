"""What a hostile or careless pull request can put in a checkout (links at the names of
temporary files, folders and inputs that lead outside, a full disk) never makes a command
write or read outside the repository, nor change the release or its documents halfway."""

import errno
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import build_dataset.build
from build_dataset.cli import main
from build_dataset.files import LEFT_AFTER_S, scratch_folder, staged_copy
from build_dataset.read.inputs import SEED_NAMES
from tests.checkout import REPO, add_draft_entry, copy_checkout, snapshot

DRAFT = "9.9.9"
RELEASE_DATE = "2026-12-06"
ARTICLE_ID = "003_82aebb510e30787e"
ARTICLE = f"seeds/annotations/{ARTICLE_ID}.yaml"
LABEL_STUDIO = REPO / "tests" / "fixtures" / "importers" / "label_studio.json"


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout with a draft to build, and a folder outside it with a file to protect."""
    root = copy_checkout(tmp_path / "checkout")
    add_draft_entry(root, DRAFT, RELEASE_DATE)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("not the project's\n", encoding="utf-8")
    return root, outside


def test_links_planted_at_temporary_names_are_never_written_through(
    places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = places
    victim = outside / "victim.txt"
    (root / "schema").mkdir()
    planted = [
        ".README.md.tmp",
        ".CITATION.cff.tmp",
        ".croissant.json.tmp",
        ".DATASHEET.md.tmp",
        "schema/.annotation.schema.json.tmp",
        "data/.release-journal.json.tmp",
        f"seeds/annotations/.{ARTICLE_ID}.yaml.tmp",
    ]
    for name in planted:
        (root / name).symlink_to(victim)
    before = digests(outside)
    assert main(["--root", str(root), "build"]) == 0
    assert main(["--root", str(root), "build"]) == 0  # a rebuild writes nothing new
    args = ["--root", str(root), "import", "--from", "label-studio", str(LABEL_STUDIO)]
    main(args)
    assert f"wrote {ARTICLE}" in capsys.readouterr().out
    assert digests(outside) == before
    assert all((root / name).is_symlink() for name in planted)  # left alone, not followed


@pytest.mark.parametrize("folder", ["schema", "data"])
def test_a_folder_that_leads_outside_is_not_written_into(
    places: tuple[Path, Path], folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = places
    if (root / folder).exists():
        shutil.copytree(root / folder, outside / folder)
        shutil.rmtree(root / folder)
    else:
        (outside / folder).mkdir()
    (root / folder).symlink_to(outside / folder, target_is_directory=True)
    before, checkout = digests(outside), snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"refused: {root / folder} leads outside the repository, to ")
    assert err.endswith("nothing is written through it: replace the link with a folder\n")
    assert digests(outside) == before and snapshot(root) == checkout


@pytest.mark.parametrize(
    "name",
    [
        ARTICLE,
        "seeds/annotations/actors.yaml",
        f"seeds/{ARTICLE_ID}.txt",
    ],
)
def test_an_input_linked_from_outside_is_not_read(
    places: tuple[Path, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = places
    shutil.move(root / name, outside / "input")
    (root / name).symlink_to(outside / "input")
    before = snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    linked = f"is a link to {outside / 'input'}, outside the repository, so it is not read"
    assert linked in err and "(replace the link with the file itself)" in err
    assert name in err
    assert snapshot(root) == before


@pytest.mark.parametrize("name", ["README.md", "CHANGELOG.md"])
def test_a_document_linked_from_outside_is_not_read(
    places: tuple[Path, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its text would be copied into the card, or uploaded with it."""
    root, outside = places
    shutil.move(root / name, outside / name)
    (root / name).symlink_to(outside / name)
    before = snapshot(root)
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"refused: {root / name} leads outside the repository, to {outside / name}; replace "
        "the link with the file itself\n"
    )
    assert snapshot(root) == before


def test_a_full_disk_while_the_documents_are_staged_changes_nothing(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = places
    before = snapshot(root)
    staged: list[Path] = []

    def full_at_the_second(path: Path, data: bytes) -> Path:
        if staged:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        staged.append(staged_copy(path, data))
        return staged[-1]

    monkeypatch.setattr(build_dataset.build, "staged_copy", full_at_the_second)
    assert main(["--root", str(root), "build"]) == 1
    assert capsys.readouterr().err.endswith(
        "No space left on device; free some disk space and run the command again; the "
        "repository is as it was\n"
    )
    assert staged and not staged[0].exists()
    assert snapshot(root) == before


def test_the_staged_copy_is_created_for_itself_alone(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    names = {staged_copy(target, b"x").name for _ in range(20)}
    assert len(names) == 20 and all(n.startswith(".README.md.") for n in names)
    assert all(n.endswith(".tmp") for n in names)


def test_an_import_reads_no_seed_or_annotation_linked_from_outside(
    places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = places
    shutil.move(root / ARTICLE, outside / "annotation.yaml")
    (root / ARTICLE).symlink_to(outside / "annotation.yaml")
    before = digests(outside)
    args = ["--root", str(root), "import", "--from", "label-studio", str(LABEL_STUDIO)]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"not imported: {root / ARTICLE}: leads outside the repository, to "
        f"{outside / 'annotation.yaml'}, so it is not read; replace the link with the file itself\n"
    )
    assert digests(outside) == before and (root / ARTICLE).is_symlink()


def test_the_seed_names_file_linked_from_outside_is_not_read(
    places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = places
    shutil.move(root / SEED_NAMES, outside / "names.yaml")
    (root / SEED_NAMES).symlink_to(outside / "names.yaml")
    assert main(["--root", str(root), "validate"]) == 1
    linked = f"{SEED_NAMES}: <file>: is a link to {outside / 'names.yaml'}, outside the repository"
    assert linked in capsys.readouterr().err


def test_scratch_folders_left_by_killed_builds_are_removed_and_no_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed by SIGKILL cannot remove its scratch folder; the next one removes it
    once it is old, but not a live process's, a recent one, another program's, or a link."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    old = time.time() - LEFT_AFTER_S - 60
    names = {
        "left": f"build-dataset-build-{gone.pid}-abc",
        "live": f"build-dataset-build-{os.getpid()}-abc",
        "recent": f"build-dataset-baseline-{gone.pid}-abc",
        "other": "build-dataset-notes",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
    for name in ("left", "live", "other"):
        os.utime(tmp_path / names[name], (old, old))
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / f"build-dataset-build-{gone.pid}-link"
    link.symlink_to(target)
    os.utime(link, (old, old), follow_symlinks=False)
    with scratch_folder("build") as folder:
        assert folder.is_dir() and folder.name.startswith(f"build-dataset-build-{os.getpid()}-")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [names["live"], names["recent"], names["other"], "target", link.name, folder.name]
        )
    assert not folder.exists() and target.is_dir()
