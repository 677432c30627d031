"""Publishing against huggingface_hub's real API signatures (an autospec of HfApi), offline,
and loading the staged upload exactly as the Hub would hold it."""

import shutil
from pathlib import Path
from unittest.mock import create_autospec

import datasets
import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from build_dataset.card import split_name
from build_dataset.changelog import CHANGELOG, manifest_line
from build_dataset.cli import main
from build_dataset.publish import DOCUMENTS, NotPublishable, publish, release_files
from build_dataset.release import released_versions
from build_dataset.version import DATASET_VERSION
from schema import RECORD_MODELS
from tests.checkout import release_current

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """The repository's documents and data, with the current version released in its
    changelog, as the maintainer publishes it (the repository may hold it as a draft)."""
    root = tmp_path / "released"
    root.mkdir()
    for name in DOCUMENTS:
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "data", root / "data")
    release_current(root)
    return root


def test_publish_uploads_the_release_in_one_commit_and_tags_it(released: Path) -> None:
    api = create_autospec(HfApi, instance=True)
    api.create_commit.return_value.oid = "abc123"
    assert publish(api, released, "org/name", DATASET_VERSION) == "abc123"
    api.create_repo.assert_called_once_with("org/name", repo_type="dataset", exist_ok=True)
    [call] = api.create_commit.call_args_list
    operations = call.args[1]
    assert all(isinstance(op, CommitOperationAdd) for op in operations)
    uploaded = {op.path_in_repo for op in operations}
    expected = {"README.md", "DATASHEET.md", "CITATION.cff", "croissant.json", "LICENSE.md"}
    expected.add("CHANGELOG.md")
    for version in released_versions(REPO / "data"):
        expected |= {f"data/{version}/{p.name}" for p in (REPO / "data" / version).iterdir()}
    assert uploaded == expected
    api.create_tag.assert_called_once_with(
        "org/name",
        tag=f"v{DATASET_VERSION}",
        tag_message=f"Release {DATASET_VERSION}",
        revision="abc123",
        repo_type="dataset",
    )


def test_publish_refuses_a_release_that_does_not_verify(released: Path) -> None:
    claims = released / "data" / DATASET_VERSION / "claims.parquet"
    claims.write_bytes(claims.read_bytes()[:-1])
    api = create_autospec(HfApi, instance=True)
    with pytest.raises(NotPublishable, match="does not verify"):
        publish(api, released, "org/name", DATASET_VERSION)
    assert api.method_calls == []
    assert main(["--root", str(released), "publish", "--repo-id", "org/name"]) == 1


def test_publish_refuses_a_draft(released: Path) -> None:
    changelog = released / CHANGELOG
    sha256 = release_current(released)
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(manifest_line(sha256), "", 1),
        encoding="utf-8",
    )
    api = create_autospec(HfApi, instance=True)
    with pytest.raises(NotPublishable, match=f"{DATASET_VERSION} is a draft"):
        publish(api, released, "org/name", DATASET_VERSION)
    assert api.method_calls == []


def test_publish_refuses_a_manifest_the_changelog_does_not_record(released: Path) -> None:
    manifest = released / "data" / DATASET_VERSION / "manifest.json"
    manifest.write_text(manifest.read_text() + "\n")
    api = create_autospec(HfApi, instance=True)
    with pytest.raises(NotPublishable, match=r"differs from \w+, the one CHANGELOG\.md"):
        publish(api, released, "org/name", DATASET_VERSION)
    assert api.method_calls == []


def test_the_staged_upload_loads_every_config(released: Path, tmp_path: Path) -> None:
    staged = tmp_path / "repo"
    assert main(["--root", str(released), "publish", "--stage", str(staged)]) == 0
    assert {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()} == set(
        release_files(released, DATASET_VERSION)
    )
    configs = [(table, split_name(DATASET_VERSION)) for table in RECORD_MODELS] + [
        (f"{table}-v{version}", split_name(version))
        for version in released_versions(REPO / "data")
        for table in RECORD_MODELS
    ]
    for config, split in configs:
        loaded = datasets.load_dataset(
            str(staged), config, split=split, cache_dir=str(tmp_path / "cache")
        )
        assert isinstance(loaded, datasets.Dataset) and loaded.num_rows > 0


def test_staging_refuses_a_folder_that_holds_files_or_a_file(
    released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "stage"
    folder.mkdir()
    (folder / "left-over.parquet").write_bytes(b"")
    assert main(["--root", str(released), "publish", "--stage", str(folder)]) == 1
    assert [p.name for p in folder.iterdir()] == ["left-over.parquet"]
    file = folder / "left-over.parquet"
    assert main(["--root", str(released), "publish", "--stage", str(file)]) == 1
    assert capsys.readouterr().err.endswith(
        f"{file} is not an empty folder; stage into a new folder\n"
    )


def test_publish_needs_a_repo_id_or_a_folder() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(REPO), "publish"])
    assert exit_.value.code == 2


def test_publish_refuses_when_a_released_version_is_gone(released: Path) -> None:
    shutil.rmtree(released / "data" / "0.1.0")
    gone = r"0\.1\.0 is released, but data/0\.1\.0/manifest\.json is missing"
    with pytest.raises(NotPublishable, match=gone):
        release_files(released, DATASET_VERSION)
