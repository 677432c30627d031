"""Parquet writing: the same rows give the same bytes however they reach the writer."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import build_dataset.release
from build_dataset.release import write_parquet, write_row_groups
from build_dataset.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[2]


def test_a_table_written_a_row_group_at_a_time_is_the_table_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_dataset.release, "ROWS_PER_ROW_GROUP", 7)
    claims = pq.read_table(REPO / "data" / DATASET_VERSION / "claims.parquet")
    assert claims.num_rows > 3 * 7
    write_parquet(claims, tmp_path / "whole.parquet")
    groups = (claims.slice(start, 7) for start in range(0, claims.num_rows, 7))
    write_row_groups(groups, tmp_path / "groups.parquet")
    whole = (tmp_path / "whole.parquet").read_bytes()
    assert (tmp_path / "groups.parquet").read_bytes() == whole
    assert pq.ParquetFile(tmp_path / "whole.parquet").metadata.num_row_groups > 3
