"""Large tables are written as shards that load_dataset, DuckDB and polars read through the
card's globs, with the same rows as one file."""

import shutil
from pathlib import Path

import datasets
import duckdb
import polars
import pyarrow.parquet as pq

from build_dataset.build import check, schema_fingerprint
from build_dataset.card import card_data
from build_dataset.release import verify_release, write_release

REPO = Path(__file__).resolve().parents[2]


def test_sharded_release_reads_back_whole(tmp_path: Path) -> None:
    checked = check(REPO, "9.9.9")
    manifest = write_release(
        checked.tables, tmp_path / "data", "9.9.9", schema_fingerprint(), "2026-11-23", 40
    )
    release = tmp_path / "data" / "9.9.9"
    assert verify_release(release) == []
    claims = checked.tables["claims"]
    names = sorted(n for n in manifest["files"] if n.startswith("claims"))  # type: ignore[union-attr]
    assert names == [f"claims-{i:05d}-of-00004.parquet" for i in range(4)]
    assert sorted(p.name for p in release.glob("events*.parquet")) == ["events.parquet"]

    glob = str(release / "claims*.parquet")
    ids = claims.column("id").to_pylist()
    assert duckdb.sql(f"SELECT id FROM read_parquet('{glob}') ORDER BY id").fetchall() == [
        (i,) for i in ids
    ]
    assert polars.scan_parquet(glob).select("id").collect()["id"].to_list() == ids
    assert pq.ParquetFile(release / names[0]).metadata.num_row_groups == 1

    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    card = card_data(tmp_path / "data", "9.9.9")
    (tmp_path / "README.md").write_text(f"---\n{card.to_yaml()}\n---\n")
    loaded = datasets.load_dataset(
        str(tmp_path), "claims", split="train", cache_dir=str(tmp_path / "cache")
    )
    assert loaded["id"] == ids
    [info] = [i for i in card.to_dict()["dataset_info"] if i["config_name"] == "claims"]
    assert info["splits"][0]["num_examples"] == len(ids)
