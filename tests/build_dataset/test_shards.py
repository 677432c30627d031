"""Large tables are written as shards that load_dataset, DuckDB and polars read through the
card's globs, with the same rows as one file; worker processes do not change a byte."""

import json
import multiprocessing
from pathlib import Path
from typing import Any

import datasets
import duckdb
import polars
import pyarrow.parquet as pq
import pytest

import build_dataset.assemble as assemble_module
from build_dataset.assemble import Settings, assemble
from build_dataset.build import build
from build_dataset.documents.card import card_data, split_name
from build_dataset.problems import InvalidInput
from build_dataset.read import registries
from build_dataset.read.registries import Registries
from build_dataset.write.release import SECOND_ANNOTATION, release_table, verify_release
from karabakh_schema import RECORD_MODELS
from tests.checkout import add_draft_entry, copy_checkout
from tests.records import RELEASE, Release, committed, read_records, write_release

VERSION = "9.9.9"
RELEASE_DATE = "2026-11-23"
SHARDS = 3
"""Shards of every table: articles and claims are cut by articles, events by rows, each into
as many rows a shard as makes three shards of the corpus, however large it is."""
_ROWS = json.loads((RELEASE / "manifest.json").read_text())["files"]
ARTICLES_PER_SHARD = -(-_ROWS["articles.parquet"]["rows"] // SHARDS)
EVENT_ROWS_PER_SHARD = -(-_ROWS["events.parquet"]["rows"] // SHARDS)


def rows_of_shards(rows: int, per_shard: int) -> list[int]:
    return [min(per_shard, rows - start) for start in range(0, rows, per_shard)]


def gold(files: dict[str, object]) -> list[str]:
    """The files of the gold tables (the second annotation's are not sharded by articles)."""
    return sorted(name for name in files if not name.startswith(f"{SECOND_ANNOTATION}_"))


def shard_names(table: str, shards: int) -> list[str]:
    return [f"{table}-{i:05d}-of-{shards:05d}.parquet" for i in range(shards)]


def release_files(release_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release_dir.iterdir())}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Release:
    root = copy_checkout(tmp_path_factory.mktemp("sharded"))
    return write_release(
        root,
        root / "data",
        VERSION,
        RELEASE_DATE,
        workers=1,
        articles_per_shard=ARTICLES_PER_SHARD,
        rows_per_shard=EVENT_ROWS_PER_SHARD,
    )


def test_articles_and_claims_are_sharded_by_article_and_events_by_rows(sharded: Release) -> None:
    release_dir = sharded.release_dir
    assert verify_release(release_dir) == []
    files = sharded.manifest["files"]
    assert isinstance(files, dict)
    assert gold(files) == sorted(name for t in RECORD_MODELS for name in shard_names(t, SHARDS))
    assert sorted(p.name for p in release_dir.glob("*.parquet")) == sorted(files)
    whole = json.loads((RELEASE / "manifest.json").read_text())["files"]
    for table in RECORD_MODELS:
        rows = [files[name]["rows"] for name in shard_names(table, SHARDS)]
        assert sum(rows) == whole[f"{table}.parquet"]["rows"]
        assert sharded.assembled.rows[table] == sum(rows)
    for table, per_shard in (("articles", ARTICLES_PER_SHARD), ("events", EVENT_ROWS_PER_SHARD)):
        rows = [files[name]["rows"] for name in shard_names(table, SHARDS)]
        assert rows == rows_of_shards(whole[f"{table}.parquet"]["rows"], per_shard)
    for articles_shard, claims_shard in zip(
        shard_names("articles", SHARDS), shard_names("claims", SHARDS), strict=True
    ):
        ids = pq.read_table(release_dir / articles_shard, columns=["id"]).column("id")
        of_claims = pq.read_table(release_dir / claims_shard, columns=["article_id"])
        assert set(of_claims.column("article_id").to_pylist()) == set(ids.to_pylist())
    assert (
        pq.ParquetFile(release_dir / shard_names("claims", SHARDS)[0]).metadata.num_row_groups == 1
    )


def test_shards_read_back_as_the_rows_of_one_file(sharded: Release) -> None:
    for table in RECORD_MODELS:
        assert release_table(sharded.release_dir, table).equals(release_table(RELEASE, table))
    # Every row still makes a valid record, the same as in the committed release.
    assert read_records(sharded.release_dir) == committed()


def test_duckdb_polars_and_load_dataset_read_the_shards_through_the_globs(
    sharded: Release, tmp_path: Path
) -> None:
    data_dir = sharded.release_dir.parent
    card = card_data({VERSION: sharded.release_dir}, VERSION)
    (tmp_path / "README.md").write_text(f"---\n{card.to_yaml()}\n---\n")
    (tmp_path / "data").symlink_to(data_dir, target_is_directory=True)
    for table in ("claims", "events"):
        ids = release_table(RELEASE, table, columns=["id"]).column("id").to_pylist()
        assert ids == sorted(ids)
        glob = str(sharded.release_dir / f"{table}*.parquet")
        assert duckdb.sql(f"SELECT id FROM read_parquet('{glob}') ORDER BY id").fetchall() == [
            (i,) for i in ids
        ]
        assert polars.scan_parquet(glob).select("id").collect()["id"].to_list() == ids
        loaded = datasets.load_dataset(
            str(tmp_path), table, split=split_name(VERSION), cache_dir=str(tmp_path / "cache")
        )
        assert isinstance(loaded, datasets.Dataset)
        assert loaded["id"] == ids


def test_worker_processes_give_the_bytes_of_a_serial_build(tmp_path: Path) -> None:
    releases = []
    for workers in (1, 2):
        root = copy_checkout(tmp_path / f"workers-{workers}")
        releases.append(
            write_release(
                root,
                root / "data",
                VERSION,
                RELEASE_DATE,
                workers=workers,
                articles_per_shard=ARTICLES_PER_SHARD,
            )
        )
    serial, parallel = releases
    # Articles and claims come in shards; events in one file, as they fit one shard.
    files = serial.manifest["files"]
    assert isinstance(files, dict)
    assert gold(files) == sorted(
        shard_names("articles", SHARDS) + shard_names("claims", SHARDS) + ["events.parquet"]
    )
    assert release_files(parallel.release_dir) == release_files(serial.release_dir)
    assert parallel.assembled == serial.assembled


@pytest.mark.parametrize("workers", [1, 2])
def test_events_built_in_runs_give_the_bytes_of_one_run(
    sharded: Release, tmp_path: Path, workers: int
) -> None:
    """Runs of two events, built by the workers (or one after another in this process), cut
    into the row groups and shards of one process building every event."""
    root = copy_checkout(tmp_path)
    runs = write_release(
        root,
        root / "data",
        VERSION,
        RELEASE_DATE,
        workers=workers,
        articles_per_shard=ARTICLES_PER_SHARD,
        rows_per_shard=EVENT_ROWS_PER_SHARD,
        events_per_run=2,
    )
    assert sharded.assembled.rows["events"] > 2 * EVENT_ROWS_PER_SHARD > 2
    assert release_files(runs.release_dir) == release_files(sharded.release_dir)
    assert runs.assembled == sharded.assembled


def test_a_sharded_build_releases_those_shards_and_its_documents(
    sharded: Release, tmp_path: Path
) -> None:
    add_draft_entry(copy_checkout(tmp_path, every_release=True), VERSION, RELEASE_DATE)
    result = build(
        tmp_path,
        VERSION,
        RELEASE_DATE,
        workers=2,
        articles_per_shard=ARTICLES_PER_SHARD,
        rows_per_shard=EVENT_ROWS_PER_SHARD,
    )
    assert release_files(result.release_dir) == release_files(sharded.release_dir)
    assert result.manifest == sharded.manifest
    assert result.assembled == sharded.assembled
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert f"path: data/{VERSION}/claims*.parquet" in readme
    croissant = (tmp_path / "croissant.json").read_text(encoding="utf-8")
    files = sharded.manifest["files"]
    assert isinstance(files, dict)
    for name in files:
        assert name in croissant, name


def test_workers_started_before_the_registries_stop_with_a_build_they_could_not_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build without the cache of several shards starts its workers first (they are running
    while the registries are read); when a registry cannot be read they check nothing, the
    build reports what one process reports, and no worker is left running."""
    running: list[int] = []

    def read_registries(*args: Any, **kwargs: Any) -> Registries:
        running.append(len(multiprocessing.active_children()))
        return registries.read_registries(*args, **kwargs)

    monkeypatch.setattr(assemble_module, "read_registries", read_registries)
    found = []
    for workers in (1, 2):
        root = copy_checkout(tmp_path / f"workers-{workers}")
        actors = root / "seeds/annotations/actors.yaml"
        schema_line = actors.read_text(encoding="utf-8").splitlines()[0]
        actors.write_text(f"{schema_line}\nactors:\n  id: x\n", encoding="utf-8")
        with pytest.raises(InvalidInput) as raised:
            assemble(Settings(root, VERSION, articles_per_shard=2), workers)
        found.append(raised.value.problems)
        assert multiprocessing.active_children() == []
    assert running == [0, 2]
    assert found[0] == found[1]
    assert [str(p) for p in found[0]] == [
        "seeds/annotations/actors.yaml:2:1: actors: Input should be a valid array"
    ]
