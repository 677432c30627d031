"""build-dataset explore: every released version renders, bad input is one clear message and
exit 1, and --out is written only when it is new, empty, or a site the command made."""

import shutil
from pathlib import Path

import pytest
from conftest import REPO, Visit, parquet_rows
from playwright.sync_api import Browser

from build_dataset.cli import main
from build_dataset.explorer.site import MARKER
from build_dataset.write.changelog import CHANGELOG
from build_dataset.write.release import released_versions, sha256_file
from build_dataset.write.version import DATASET_VERSION

VERSIONS = released_versions(REPO / "data")


def explore(capsys: pytest.CaptureFixture[str], *args: str, root: Path = REPO) -> tuple[int, str]:
    code = main(["--root", str(root), "explore", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("version", VERSIONS)
def test_every_released_version_renders(
    browser: Browser, tmp_path: Path, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, said = explore(capsys, "--version", version, "--out", str(out))
    assert code == 0, said
    release = REPO / "data" / version
    context = browser.new_context()
    visit = Visit(context.new_page(), out)
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page = visit.open("articles")
    assert page.inner_text("#release-version") == version
    assert page.inner_text("#manifest-sha256") == sha256_file(release / "manifest.json")
    claims = parquet_rows("claims", release)
    visit.open(f"claim/{claims[0]['id']}")
    assert claims[0]["id"] in page.inner_text("#details h3")
    for view in ("events", "figures", "pairs", "find"):
        visit.open(view)
    events = parquet_rows("events", release)
    visit.open(f"event/{events[-1]['id']}")
    assert page.inner_text("#view-title") == events[-1]["description"]
    context.close()
    assert visit.errors == []


def test_an_unknown_version_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = explore(capsys, "--version", "9.9.9", "--out", str(tmp_path / "site"))
    assert code == 1
    assert said.startswith("not written: 9.9.9 is not a release under ")
    assert DATASET_VERSION in said and "Traceback" not in said
    assert not (tmp_path / "site").exists()


def test_a_folder_that_is_not_a_release_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "checkout"
    (root / "data" / "1.2.3").mkdir(parents=True)
    (root / "data" / "1.2.3" / "claims.parquet").write_bytes(b"not parquet")
    code, said = explore(capsys, "--version", "1.2.3", "--out", str(tmp_path / "s"), root=root)
    assert (code, said.count("\n")) == (1, 1)
    assert "1.2.3 is not a release" in said
    (root / "data" / "1.2.3" / "manifest.json").write_text("{}", encoding="utf-8")
    code, said = explore(capsys, "--version", "1.2.3", "--out", str(tmp_path / "s"), root=root)
    assert code == 1 and said.startswith("not written: ") and "Traceback" not in said
    assert not (tmp_path / "s").exists()


def test_a_manifest_the_changelog_does_not_record_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "data" / "2.1.0", root / "data" / "2.1.0")
    text = (REPO / CHANGELOG).read_text(encoding="utf-8")
    recorded = sha256_file(REPO / "data" / "2.1.0" / "manifest.json")
    (root / CHANGELOG).write_text(text.replace(recorded, "0" * 64), encoding="utf-8")
    code, said = explore(capsys, "--version", "2.1.0", "--out", str(tmp_path / "s"), root=root)
    assert code == 1
    assert f"SHA-256 {recorded} differs from {'0' * 64}" in said
    assert not (tmp_path / "s").exists()


def test_out_must_be_new_empty_or_a_site_it_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    code, said = explore(capsys, "--out", str(mine))
    assert code == 1
    assert said.startswith(f"refused: {mine} is not empty and is not a site")
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]

    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert explore(capsys, "--out", str(a_file))[0] == 1
    link = tmp_path / "link"
    link.symlink_to(mine)
    code, said = explore(capsys, "--out", str(link))
    assert code == 1 and "is a link" in said
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert explore(capsys, "--out", str(empty))[0] == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    (empty / "stale.js").write_text("old", encoding="utf-8")
    code, said = explore(capsys, "--out", str(empty))  # a site it made: replaced whole
    assert code == 0, said
    assert not (empty / "stale.js").exists() and (empty / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file", "link", "notes"]
