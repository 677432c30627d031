"""Publishing with the real `huggingface_hub` client against a local stand-in of the Hub's HTTP
API (tests/fake_hub.py), which records the commits and tags; what a tag holds is downloaded
back with the client and loaded with `datasets`, as a reader of the Hub would."""

import json
import re
import shutil
from pathlib import Path

import datasets
import pytest
from huggingface_hub import DatasetCard, snapshot_download

from build_dataset.cli import main
from build_dataset.documents.about import HUB_DATASET_ID, REPOSITORY_URL
from build_dataset.documents.card import config_name, split_name
from build_dataset.publish import (
    DOCUMENTS,
    NotPublishable,
    Published,
    absolute_links,
    newest,
    publish,
    release_files,
)
from build_dataset.write.changelog import CHANGELOG, manifest_line
from build_dataset.write.release import (
    read_manifest_files,
    released_tables,
    released_versions,
    table_files,
    version_key,
)
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import RECORD_MODELS
from tests.checkout import copy_checkout, release_current
from tests.fake_hub import FakeHub, fake_hub

REPO = Path(__file__).resolve().parents[2]
VERSIONS = released_versions(REPO / "data")


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A checkout with every release, the current version released in its changelog, as the
    maintainer publishes it (the repository may hold it as a draft)."""
    root = copy_checkout(tmp_path / "released")
    shutil.copytree(REPO / "data" / DATASET_VERSION, root / "data" / DATASET_VERSION)
    release_current(root)
    return root


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    with fake_hub(monkeypatch) as running:
        yield running


def rows(version: str) -> dict[str, int]:
    """Each table of a release and its rows, by its manifest."""
    files, _ = read_manifest_files(REPO / "data" / version / "manifest.json")
    return {
        table: sum(int(files[f]["rows"]) for f in table_files(files, table))  # type: ignore[call-overload]
        for table in released_tables(files)
    }


def download(hub: FakeHub, revision: str, folder: Path) -> Path:
    """What the Hub holds at a revision, as the client downloads it."""
    snapshot_download(
        HUB_DATASET_ID,
        repo_type="dataset",
        revision=revision,
        local_dir=folder,
        cache_dir=folder.with_name(f"{folder.name}-cache"),
        endpoint=hub.url,
        token="hf_fake",
    )
    return folder


def test_publish_puts_every_release_on_the_hub_oldest_first_each_tagged(
    released: Path, hub: FakeHub, tmp_path: Path
) -> None:
    published = publish(hub.api(), released, HUB_DATASET_ID)
    repo = hub.repos[HUB_DATASET_ID]
    assert [p.version for p in published] == VERSIONS
    assert [c.message for c in repo.commits] == [f"Release v{v}" for v in VERSIONS]
    assert repo.tags == {f"v{p.version}": p.commit for p in published}
    for release, commit in zip(published, repo.commits, strict=True):
        version = release.version
        # The commit writes the release's data and documents; earlier data stays as it was.
        earlier = [v for v in VERSIONS if version_key(v) <= version_key(version)]
        assert {p.split("/")[1] for p in commit.files if p.startswith("data/")} == set(earlier)
        assert {p for p in commit.added if p.startswith("data/")} == {
            f"data/{version}/{p.name}" for p in (REPO / "data" / version).iterdir()
        }
        # The tag loads its release, as a reader who pins it does, with its class labels.
        folder = download(hub, f"v{version}", tmp_path / version)
        for table, count in rows(version).items():
            loaded = datasets.load_dataset(
                str(folder), table, split=split_name(version), cache_dir=str(tmp_path / "c")
            )
            assert loaded.num_rows == count, (version, table)
            for name in (table, config_name(table, version)):
                pinned = datasets.load_dataset(
                    str(folder), name, split=split_name(version), cache_dir=str(tmp_path / "c")
                )
                assert pinned.features == loaded.features
            if table in RECORD_MODELS:
                labels = [f for f in loaded.features.values() if isinstance(f, datasets.ClassLabel)]
                assert labels, (version, table)
        card = (folder / "README.md").read_text(encoding="utf-8")
        assert f'revision="v{version}"' in card
        citation = (folder / "CITATION.cff").read_text(encoding="utf-8")
        assert f"version: {version}\n" in citation
        changelog = (folder / CHANGELOG).read_text(encoding="utf-8")
        assert {m for m in re.findall(r"^## (\S+) ", changelog, re.M)} == set(earlier)
    # Publishing again finds every tag there, and does nothing.
    requests = len(hub.requests)
    assert publish(hub.api(), released, HUB_DATASET_ID) == []
    assert len(repo.commits) == len(VERSIONS)
    assert not [r for r in hub.requests[requests:] if "/commit/" in r or "/tag/" in r]


def test_publish_fills_a_gap_and_leaves_the_newest_card_on_main(
    released: Path, hub: FakeHub, tmp_path: Path
) -> None:
    """A release the Hub lacks while a later one is there (its tag deleted by hand, say) is
    replayed with its own card, and the newest release's card is put back on main."""
    publish(hub.api(), released, HUB_DATASET_ID)
    repo = hub.repos[HUB_DATASET_ID]
    gap = VERSIONS[1]
    del repo.tags[f"v{gap}"]
    assert publish(hub.api(), released, HUB_DATASET_ID) == [Published(gap, repo.commits[-2].oid)]
    assert repo.tags[f"v{gap}"] == repo.commits[-2].oid
    tagged = DatasetCard.load(download(hub, f"v{gap}", tmp_path / "gap") / "README.md")
    claims = next(c for c in tagged.data.configs if c["config_name"] == "claims")
    assert claims["data_files"][0]["path"] == f"data/{gap}/claims*.parquet"
    head = download(hub, "main", tmp_path / "main")
    assert (head / "README.md").read_bytes() == release_files(released, VERSIONS[-1])["README.md"]


def test_the_published_card_links_only_to_absolute_addresses(released: Path) -> None:
    linked = 0
    for name, content in release_files(released, DATASET_VERSION).items():
        if name.endswith(".md"):
            assert isinstance(content, bytes)
            targets = re.findall(r"\]\(([^)\s]+)\)", content.decode("utf-8"))
            assert all(t.startswith(("https://", "#")) for t in targets), name
            linked += len(targets)
    assert linked
    committed = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](ANNOTATION_GUIDELINES.md)" in committed  # GitHub and a clone resolve it
    assert absolute_links("[guide](ANNOTATION_GUIDELINES.md#3-claims), [x](https://a.b)") == (
        f"[guide]({REPOSITORY_URL}/blob/main/ANNOTATION_GUIDELINES.md#3-claims), [x](https://a.b)"
    )


def test_the_cli_publishes_to_the_configured_repo_then_has_nothing_to_do(
    released: Path, hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(released), "publish"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[2] for line in out.splitlines()] == [f"v{v}" for v in VERSIONS]
    assert main(["--root", str(released), "publish"]) == 0
    assert capsys.readouterr().out == f"{HUB_DATASET_ID} has every release; nothing was published\n"


def test_publish_refuses_a_release_that_does_not_verify(released: Path, hub: FakeHub) -> None:
    claims = released / "data" / DATASET_VERSION / "claims.parquet"
    claims.write_bytes(claims.read_bytes()[:-1])
    with pytest.raises(NotPublishable, match="does not verify"):
        publish(hub.api(), released, HUB_DATASET_ID)
    assert hub.requests == []
    assert main(["--root", str(released), "publish"]) == 1


def test_publish_refuses_a_draft(released: Path, hub: FakeHub) -> None:
    changelog = released / CHANGELOG
    sha256 = release_current(released)
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(manifest_line(sha256), "", 1),
        encoding="utf-8",
    )
    with pytest.raises(NotPublishable, match=f"{DATASET_VERSION} is a draft"):
        publish(hub.api(), released, HUB_DATASET_ID)
    assert hub.requests == []


def test_publish_refuses_a_manifest_the_changelog_does_not_record(
    released: Path, hub: FakeHub
) -> None:
    manifest = released / "data" / DATASET_VERSION / "manifest.json"
    manifest.write_text(manifest.read_text() + "\n")
    with pytest.raises(NotPublishable, match=r"differs from \w+, the one CHANGELOG\.md"):
        publish(hub.api(), released, HUB_DATASET_ID)
    assert hub.requests == []


def test_the_staged_upload_loads_every_config(released: Path, tmp_path: Path) -> None:
    staged = tmp_path / "repo"
    assert main(["--root", str(released), "publish", "--stage", str(staged)]) == 0
    files = release_files(released, newest(released))
    assert {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()} == set(
        files
    )
    assert set(DOCUMENTS) <= set(files)
    configs = [(table, split_name(DATASET_VERSION)) for table in RECORD_MODELS] + [
        (config_name(table, version), split_name(version))
        for version in VERSIONS
        for table in RECORD_MODELS
    ]
    for config, split in configs:
        loaded = datasets.load_dataset(
            str(staged), config, split=split, cache_dir=str(tmp_path / "cache")
        )
        assert isinstance(loaded, datasets.Dataset) and loaded.num_rows > 0
    croissant = json.loads((staged / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == DATASET_VERSION


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


def test_publish_refuses_when_a_released_version_is_gone(released: Path) -> None:
    shutil.rmtree(released / "data" / "0.1.0")
    gone = r"0\.1\.0 is released, but data/0\.1\.0/manifest\.json is missing"
    with pytest.raises(NotPublishable, match=gone):
        release_files(released, DATASET_VERSION)
