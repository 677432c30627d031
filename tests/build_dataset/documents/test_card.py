"""The dataset card's metadata, read by the parsers of huggingface_hub and datasets, offline."""

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import datasets
import pyarrow.parquet as pq
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from build_dataset.documents.card import split_front_matter, split_name
from build_dataset.write.release import released_tables, released_versions
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE
from karabakh_schema import RECORD_MODELS
from karabakh_schema.hf_features import hf_features

REPO = Path(__file__).resolve().parents[3]
# The keys DatasetCardData names as parameters, the two the datasets library reads, and the
# keys the Hub's dataset card specification adds for non-standard licenses and tags.
KNOWN_KEYS = set(inspect.signature(DatasetCardData.__init__).parameters)
KNOWN_KEYS -= {"self", "kwargs", "ignore_metadata_errors"}
KNOWN_KEYS |= {"configs", "dataset_info", "license_name", "license_link", "license_details", "tags"}


def tables_of(version: str) -> list[str]:
    """The tables a version's manifest lists, each a config."""
    return released_tables(
        json.loads((REPO / "data" / version / "manifest.json").read_text())["files"]
    )


def card() -> DatasetCard:
    return DatasetCard.load(REPO / "README.md")


def test_every_metadata_key_is_known() -> None:
    keys = set(card().data.to_dict())
    assert keys <= KNOWN_KEYS, sorted(keys - KNOWN_KEYS)
    required = {"license", "language", "task_categories", "size_categories"}
    required |= {"annotations_creators", "source_datasets", "pretty_name", "configs"}
    assert required | {"license_name", "license_link"} <= keys


def test_configs_cover_every_table_and_released_version() -> None:
    configs = MetadataConfigs.from_dataset_card_data(card().data)
    versions = released_versions(REPO / "data")
    expected = set(tables_of(DATASET_VERSION)) | {
        f"{t}-v{v}" for v in versions for t in tables_of(v)
    }
    assert set(RECORD_MODELS) <= expected
    assert set(configs) == expected
    assert configs["claims"]["default"] is True
    for name, config in configs.items():
        version = name.rsplit("-v", 1)[1] if "-v" in name else DATASET_VERSION
        table = name.split("-v")[0]
        [data_file] = config["data_files"]
        assert data_file["path"] == f"data/{version}/{table}*.parquet"
        assert list(REPO.glob(data_file["path"])) == [REPO / f"data/{version}/{table}.parquet"]


def stored_features(version: str, table: str) -> datasets.Features:
    """The features a version's files embed in their `huggingface` metadata."""
    path = REPO / "data" / version / f"{table}.parquet"
    stored = json.loads(pq.read_schema(path).metadata[b"huggingface"])["info"]["features"]
    return datasets.Features.from_dict(stored)


def config_version(name: str) -> str:
    return name.rsplit("-v", 1)[1] if "-v" in name else DATASET_VERSION


def test_features_are_in_the_card_only_where_the_files_do_not_give_them(
    tmp_path: Path,
) -> None:
    """The card repeats a config's features only when `datasets`, reading its files alone,
    would lose them (the non-null Arrow fields of the files before 2.0.0); for every other
    config the files' own features are what `datasets` reads, class labels included."""
    infos = DatasetInfosDict.from_dataset_card_data(card().data)
    for name in MetadataConfigs.from_dataset_card_data(card().data):
        version, table = config_version(name), name.split("-v")[0]
        files = sorted((REPO / "data" / version).glob(f"{table}*.parquet"))
        alone = datasets.load_dataset(
            "parquet",
            data_files=[str(f) for f in files],
            split="train",  # the files alone: `datasets` names their one split train
            cache_dir=str(tmp_path / name),
        ).features
        expected = stored_features(version, table)
        if name in infos:
            assert alone != expected, f"{name}: its files give their features; drop them"
            assert infos[name].features == expected, name
            assert infos[name].splits is None and infos[name].dataset_size is None, name
        else:
            assert alone == expected, f"{name}: its files lose their features alone"
    assert any(name.endswith("-v0.1.0") for name in infos)  # the releases before 2.0.0


def test_every_config_loads_with_its_class_labels(tmp_path: Path) -> None:
    """What a reader gets: every config, current and pinned, with the features its files
    were written with (class labels included) and the rows of its manifest."""
    for name in MetadataConfigs.from_dataset_card_data(card().data):
        version, table = config_version(name), name.split("-v")[0]
        loaded = datasets.load_dataset(
            str(REPO), name, split=split_name(version), cache_dir=str(tmp_path)
        )
        assert loaded.features == stored_features(version, table), name
        assert any(isinstance(f, datasets.ClassLabel) for f in loaded.features.values()), name
        manifest = json.loads((REPO / "data" / version / "manifest.json").read_text())
        assert loaded.num_rows == manifest["files"][f"{table}.parquet"]["rows"], name
    current = datasets.load_dataset(
        str(REPO), "claims", split=split_name(DATASET_VERSION), cache_dir=str(tmp_path)
    )
    assert current.features == hf_features(RECORD_MODELS["claims"])


def test_version_is_stamped_everywhere() -> None:
    manifest = json.loads((REPO / "data" / DATASET_VERSION / "manifest.json").read_text())
    assert (manifest["version"], manifest["release_date"]) == (DATASET_VERSION, RELEASE_DATE)
    for table in RECORD_MODELS:
        metadata = pq.read_schema(REPO / "data" / DATASET_VERSION / f"{table}.parquet").metadata
        assert metadata[b"dataset_version"].decode() == DATASET_VERSION
    croissant = json.loads((REPO / "croissant.json").read_text())
    assert (croissant["version"], croissant["datePublished"]) == (DATASET_VERSION, RELEASE_DATE)
    citation = (REPO / "CITATION.cff").read_text()
    assert f"version: {DATASET_VERSION}\n" in citation
    assert f"date-released: '{RELEASE_DATE}'" in citation
    changelog = (REPO / "CHANGELOG.md").read_text()
    for version in released_versions(REPO / "data"):
        assert f"\n## {version} — " in changelog
    assert f"## {DATASET_VERSION} — {RELEASE_DATE}" in changelog


def test_the_cards_join_example_runs_on_a_clone(tmp_path: Path) -> None:
    """The example under Loading, run as a reader would, from the clone."""
    body = split_front_matter((REPO / "README.md").read_text(encoding="utf-8"))
    start = body.index("```python\n# Every claim's exact characters")
    code = body[start + len("```python\n") : body.index("\n```", start)]
    env = os.environ | {"HF_DATASETS_CACHE": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    split = split_name(DATASET_VERSION)
    loaded = datasets.load_dataset(str(REPO), "events", split=split, cache_dir=str(tmp_path))
    events = {event["id"] for event in loaded}
    shown = [line.split()[0] for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert shown and set(shown) <= events


def test_the_cards_pandas_note_holds(tmp_path: Path) -> None:
    """to_pandas() gives floats for the integers of a column with nulls; the pyarrow dtype
    backend keeps them integers."""
    import pandas

    split = split_name(DATASET_VERSION)
    loaded = datasets.load_dataset(str(REPO), "claims", split=split, cache_dir=str(tmp_path))
    frame = loaded.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert frame["cue"].isna().any()
    cue = next(value for value in frame["cue"] if value is not None)
    assert isinstance(cue["start"], float)
    path = REPO / "data" / DATASET_VERSION / "claims.parquet"
    kept = pandas.read_parquet(path, dtype_backend="pyarrow")["cue"].dtype
    assert str(kept).startswith("struct<start: int64, end: int64")
