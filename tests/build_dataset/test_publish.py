"""Publishing against huggingface_hub's real API signatures (an autospec of HfApi), offline,
and loading the staged upload exactly as the Hub would hold it."""

import shutil
from pathlib import Path
from unittest.mock import create_autospec

import datasets
import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from build_dataset.cli import main
from build_dataset.publish import NotPublishable, publish, release_files
from build_dataset.release import released_versions
from build_dataset.version import DATASET_VERSION
from schema import RECORD_MODELS

REPO = Path(__file__).resolve().parents[2]


def test_publish_uploads_the_release_in_one_commit_and_tags_it() -> None:
    api = create_autospec(HfApi, instance=True)
    api.create_commit.return_value.oid = "abc123"
    assert publish(api, REPO, "org/name", DATASET_VERSION) == "abc123"
    api.create_repo.assert_called_once_with("org/name", repo_type="dataset", exist_ok=True)
    [call] = api.create_commit.call_args_list
    operations = call.args[1]
    assert all(isinstance(op, CommitOperationAdd) for op in operations)
    uploaded = {op.path_in_repo for op in operations}
    expected = {"README.md", "DATASHEET.md", "CITATION.cff", "croissant.json", "LICENSE.md"}
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


def test_publish_refuses_a_release_that_does_not_verify(tmp_path: Path) -> None:
    for name in ("README.md", "DATASHEET.md", "CITATION.cff", "croissant.json", "LICENSE.md"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "data", tmp_path / "data")
    claims = tmp_path / "data" / DATASET_VERSION / "claims.parquet"
    claims.write_bytes(claims.read_bytes()[:-1])
    api = create_autospec(HfApi, instance=True)
    with pytest.raises(NotPublishable, match="does not verify"):
        publish(api, tmp_path, "org/name", DATASET_VERSION)
    assert api.method_calls == []
    assert main(["--root", str(tmp_path), "publish", "--repo-id", "org/name"]) == 1


def test_the_staged_upload_loads_every_config(tmp_path: Path) -> None:
    staged = tmp_path / "repo"
    assert main(["--root", str(REPO), "publish", "--stage", str(staged)]) == 0
    assert {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()} == set(
        release_files(REPO, DATASET_VERSION)
    )
    configs = list(RECORD_MODELS) + [
        f"{table}-v{version}"
        for version in released_versions(REPO / "data")
        for table in RECORD_MODELS
    ]
    for config in configs:
        loaded = datasets.load_dataset(
            str(staged), config, split="train", cache_dir=str(tmp_path / "cache")
        )
        assert isinstance(loaded, datasets.Dataset) and loaded.num_rows > 0


def test_staging_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "left-over.parquet").write_bytes(b"")
    assert main(["--root", str(REPO), "publish", "--stage", str(tmp_path)]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["left-over.parquet"]


def test_publish_needs_a_repo_id_or_a_folder() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(REPO), "publish"])
    assert exit_.value.code == 2
