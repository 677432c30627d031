"""pandera checks on the tables, fed with real rows from the built release."""

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from build_dataset.problems import InvalidInput
from build_dataset.tables import check_tables, table_schema
from build_dataset.version import DATASET_VERSION

RELEASE = Path(__file__).resolve().parents[2] / "data" / DATASET_VERSION


def released(name: str) -> pa.Table:
    return pq.read_table(RELEASE / f"{name}.parquet")


def test_released_tables_pass_and_keep_the_derived_schema() -> None:
    tables = {name: released(name) for name in ("articles", "claims", "events")}
    check_tables(tables)
    for name, table in tables.items():
        assert table.schema.equals(table_schema(name, DATASET_VERSION))
        assert table.schema.metadata == table_schema(name, DATASET_VERSION).metadata


def test_out_of_range_label_duplicate_id_and_bad_pattern_are_reported() -> None:
    claims = released("claims")
    claim_type = claims.column("claim_type").to_pylist()
    claim_type[0] = 99
    ids = claims.column("id").to_pylist()
    ids[2] = ids[1]
    article_ids = claims.column("article_id").to_pylist()
    article_ids[3] = "not-an-article"
    claims = claims.set_column(
        claims.schema.get_field_index("claim_type"), "claim_type", pa.array(claim_type, pa.int64())
    )
    claims = claims.set_column(0, "id", pa.array(ids))
    claims = claims.set_column(1, "article_id", pa.array(article_ids))
    with pytest.raises(InvalidInput) as raised:
        check_tables({"claims": claims})
    messages = {(p.field, p.message) for p in raised.value.problems}
    assert any(field == "row 0.claim_type" and "99" in msg for field, msg in messages)
    assert any(field.endswith(".id") and "field_uniqueness" in msg for field, msg in messages)
    assert any(field == "row 3.article_id" for field, _ in messages)


def test_an_empty_table_is_refused() -> None:
    events = released("events")
    empty = events.filter(pc.equal(events.column("id"), "no such id"))
    with pytest.raises(InvalidInput, match="no rows"):
        check_tables({"events": empty})
