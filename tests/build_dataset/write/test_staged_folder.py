"""A tree written whole before it takes a folder's place (the explorer's site): its files are
created, never opened through a link or over a file, and the folder replaced is only ever the
one that was there."""

from pathlib import Path

import pytest

from build_dataset.files import replace_folder, staged_folder, write_new


def test_a_staged_tree_takes_the_place_of_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")
    staged = staged_folder(target)
    assert staged.parent == tmp_path and staged.name.startswith(".site.")
    write_new(staged / "data" / "a.js", b"new")
    replace_folder(staged, target)
    assert [p.relative_to(target).as_posix() for p in sorted(target.rglob("*"))] == [
        "data",
        "data/a.js",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_write_new_opens_no_existing_file_nor_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    folder = tmp_path / "staged"
    folder.mkdir()
    (folder / "link.js").symlink_to(outside)
    with pytest.raises(FileExistsError):
        write_new(folder / "link.js", b"written through")
    (folder / "file.js").write_text("there", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_new(folder / "file.js", b"over it")
    assert outside.read_text(encoding="utf-8") == "keep"
    assert (folder / "file.js").read_text(encoding="utf-8") == "there"


def test_a_link_in_the_folders_place_is_not_followed(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "mine.txt").write_text("mine", encoding="utf-8")
    target = tmp_path / "site"
    target.symlink_to(kept)
    staged = staged_folder(target)
    with pytest.raises(OSError):  # a link cannot be renamed over a folder: nothing is lost
        replace_folder(staged, target)
    assert (kept / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert target.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["kept", "site", staged.name])
