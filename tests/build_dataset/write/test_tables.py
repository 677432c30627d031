"""pandera checks on the tables, fed with real rows from the built release."""

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from build_dataset.build import check
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.inputs import ANNOTATIONS_DIR, schema_reference
from build_dataset.write import tables
from build_dataset.write.release import release_table
from build_dataset.write.tables import check_table, features_dict, table_schema
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import RECORD_MODELS
from karabakh_schema.columns import Column, model_columns
from karabakh_schema.hf_features import hf_features
from tests.checkout import copy_checkout

REPO = Path(__file__).resolve().parents[3]
RELEASE = REPO / "data" / DATASET_VERSION


def released(name: str) -> pa.Table:
    return release_table(RELEASE, name)


def test_released_tables_pass_and_keep_the_derived_schema() -> None:
    tables = {name: released(name) for name in ("articles", "claims", "events")}
    for name, table in tables.items():
        assert table.num_rows > 0
        assert check_table(name, table, f"<{name} table>") == []
        assert table.schema.equals(table_schema(name, DATASET_VERSION))
        assert table.schema.metadata == table_schema(name, DATASET_VERSION).metadata


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_features_dict_is_what_datasets_gives_of_the_features(name: str) -> None:
    """features_dict, made without importing `datasets`, is the JSON `datasets` writes of the
    features it reads from it: the same, key for key and in the same order."""
    expected = hf_features(RECORD_MODELS[name]).to_dict()
    assert json.dumps(features_dict(name)) == json.dumps(expected)


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
    problems = check_table("claims", claims, "<claims table>")
    assert problems
    assert {p.file for p in problems} == {"<claims table>"}
    messages = {(p.field, p.message) for p in problems}
    assert any(field == "row 0.claim_type" and "99" in msg for field, msg in messages)
    assert any(field.endswith(".id") and "field_uniqueness" in msg for field, msg in messages)
    assert any(field == "row 3.article_id" for field, _ in messages)


def test_an_empty_table_is_refused(tmp_path: Path) -> None:
    """When nothing else is wrong: emptying events.yaml alone is reported where claims name
    the events it held, and a problem explains an empty table (articles that cannot be read
    leave the events they mention without rows too)."""
    root = copy_checkout(tmp_path)
    events = root / ANNOTATIONS_DIR / "events.yaml"
    events.write_text(f"{schema_reference(events.name)}\nevents: []\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        check(root)
    assert not [p for p in raised.value.problems if p.file.startswith("<")]
    assert any("unknown event" in p.message for p in raised.value.problems)
    for path in (root / ANNOTATIONS_DIR).glob("0*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^( +)events: \[.*\]$", r"\1events: []", text), "utf-8")
    with pytest.raises(InvalidInput) as raised:
        check(root)
    message = "no rows; an empty config cannot load"
    assert raised.value.problems == [Problem("<events table>", None, None, "", message)]


def _misfits(value: Any, columns: tuple[Column, ...], at: str) -> list[str]:
    """Keys of a row (or of a struct in it) that are not its columns, and columns it lacks."""
    names = [c.name for c in columns]
    misfits = [f"{at}{key}" for key in value.keys() ^ set(names)]
    for column in columns:
        ctype, inner = column.type, value.get(column.name)
        if ctype.kind == "list" and ctype.item is not None and ctype.item.kind == "struct":
            for i, item in enumerate(inner or []):
                misfits += _misfits(item, ctype.item.fields, f"{at}{column.name}[{i}].")
        elif ctype.kind == "struct" and inner is not None:
            misfits += _misfits(inner, ctype.fields, f"{at}{column.name}.")
    return misfits


def test_the_builder_rows_have_exactly_the_model_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow drops a row key that is not in the schema without a word; a field the builder
    computes but the model lacks would vanish from the release."""
    rows: dict[str, list[dict[str, Any]]] = {}
    to_table = tables.to_table

    def recording(name: str, batch: list[dict[str, Any]], version: str) -> pa.Table:
        rows.setdefault(name, []).extend(batch)
        return to_table(name, batch, version)

    monkeypatch.setattr(tables, "to_table", recording)
    check(REPO, workers=1)
    assert sorted(rows) == ["articles", "claims", "events"]
    for name, batch in rows.items():
        columns = tuple(model_columns(RECORD_MODELS[name]))
        assert [m for row in batch for m in _misfits(row, columns, f"{name}.")] == []
