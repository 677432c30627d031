"""tables.passes, the Arrow checks a shard's tables go through, against pandera's checks of the
same columns (tables.frame_problems), on the released tables spoiled in every way the checks
look for: passes is true exactly when pandera finds nothing, and check_table gives pandera's
problems."""

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dataset.write.release import release_table
from build_dataset.write.tables import check_table, frame_problems, passes
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import RECORD_MODELS
from karabakh_schema.columns import Column, model_columns

REPO = Path(__file__).resolve().parents[3]
ROWS = 12  # a few rows of each table keep pandera's runs short
TABLES = {
    name: release_table(REPO / "data" / DATASET_VERSION, name).slice(0, ROWS)
    for name in RECORD_MODELS
}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _column(table: pa.Table, column: Column, values: list[Any]) -> pa.Table:
    at = table.schema.get_field_index(column.name)
    return table.set_column(at, table.schema.field(at), pa.array(values, table.field(at).type))


def _spoiled(name: str, column: Column, how: str, row: int, value: Any) -> pa.Table:
    """A few rows of the released table with one value of one column changed."""
    table = TABLES[name]
    values = table.column(column.name).to_pylist()
    if how == "null":
        values[row] = None
    elif how in ("label", "text", "number"):
        values[row] = value
    elif how == "repeat":
        values[row] = values[(row + 1) % len(values)]
    elif how == "extra":
        return table.append_column("extra", pa.array([0] * len(values)))
    elif how == "missing":
        return table.drop_columns([column.name])
    return _column(table, column, values)


def _applicable(column: Column, how: str) -> bool:
    kind = column.type.kind
    return {
        "null": True,
        "label": kind == "label",
        "text": kind == "string",
        "number": kind == "int64",
        "repeat": column.name == "id",
        "extra": True,
        "missing": True,
    }[how]


@st.composite
def spoilings(draw: st.DrawFn) -> tuple[str, pa.Table]:
    name = draw(st.sampled_from(sorted(RECORD_MODELS)))
    column = draw(st.sampled_from(model_columns(RECORD_MODELS[name])))
    how = draw(st.sampled_from(["null", "label", "text", "number", "repeat", "extra", "missing"]))
    if not _applicable(column, how):
        how = "null"
    value: Any = None
    if how == "label":
        value = draw(st.integers(-3, len(column.type.labels) + 2))
    elif how == "text":  # near the patterns' shapes: ids, hashes, language codes
        alphabet = st.sampled_from("0123456789abcdefg-_cevAZ\n ")
        value = draw(st.one_of(st.text(alphabet, max_size=24), st.sampled_from(_near_ids(name))))
    elif how == "number":
        value = draw(st.integers(-3, 3))
    row = draw(st.integers(0, TABLES[name].num_rows - 1))
    return name, _spoiled(name, column, how, row, value)


def _near_ids(name: str) -> list[str]:
    """Valid ids of the table, and the same with one change at either end."""
    first = TABLES[name].column("id")[0].as_py()
    return [first, first + "\n", first + "0", first[:-1], "x" + first, first.upper()]


@SETTINGS
@given(spoilings())
def test_passes_exactly_when_pandera_finds_nothing(spoiling: tuple[str, pa.Table]) -> None:
    name, table = spoiling
    problems = frame_problems(name, table, f"<{name} table>")
    assert passes(name, table) == (problems == [])
    assert check_table(name, table, f"<{name} table>") == problems


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_the_released_tables_pass(name: str) -> None:
    assert passes(name, TABLES[name])
    assert frame_problems(name, TABLES[name], f"<{name} table>") == []
