"""Rows as Arrow tables carrying their Hugging Face features, and pandera checks per table."""

import json
import warnings
from functools import cache
from typing import Any

import pyarrow as pa

from build_dataset.problems import Problem
from karabakh_schema import RECORD_MODELS
from karabakh_schema.arrow import arrow_schema, arrow_type, encode_labels
from karabakh_schema.columns import model_columns
from karabakh_schema.hf_features import features_json


def features_dict(name: str) -> dict[str, object]:
    return features_json(RECORD_MODELS[name])


def table_schema(name: str, version: str | None = None) -> pa.Schema:
    """The derived Arrow schema; with a version, the metadata of a released file."""
    metadata = {"huggingface": json.dumps({"info": {"features": features_dict(name)}})}
    if version is not None:
        metadata["dataset_version"] = version
    return arrow_schema(RECORD_MODELS[name]).with_metadata(metadata)


def to_table(name: str, rows: list[dict[str, Any]], version: str) -> pa.Table:
    """Rows shaped like the record model, class labels given by name. The rows are converted
    at once, as one struct each, which takes Arrow half the time of converting each column on
    its own; the struct's fields are the columns (the rows are never null)."""
    columns = model_columns(RECORD_MODELS[name])
    fields = [pa.field(c.name, arrow_type(c.type, True)) for c in columns]
    converted = pa.array(rows, pa.struct(fields))
    chunks = converted.chunks if isinstance(converted, pa.ChunkedArray) else [converted]
    arrays = [
        pa.chunked_array([encode_labels(chunk.field(i), c.type) for chunk in chunks])
        for i, c in enumerate(columns)
    ]
    return pa.Table.from_arrays(arrays, schema=table_schema(name, version))


@cache
def frame_schema(name: str) -> Any:
    """Column checks derived from the model: nullability, label ranges, patterns, minimums.

    pandera's polars backend reads the Arrow columns, nested ones included, without copying
    them into Python objects."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandera.polars as checks

    columns = {}
    for column in model_columns(RECORD_MODELS[name]):
        rules = []
        if column.type.kind == "label":
            rules.append(checks.Check.isin(list(range(len(column.type.labels)))))
        if column.pattern is not None:
            rules.append(checks.Check.str_matches(column.pattern))
        if column.minimum is not None:
            rules.append(checks.Check.ge(column.minimum))
        columns[column.name] = checks.Column(
            nullable=column.type.nullable, checks=rules, unique=column.name == "id"
        )
    return checks.DataFrameSchema(columns, strict=True, name=name)


def passes(name: str, table: pa.Table) -> bool:
    """Whether the table passes every check of frame_schema, decided by Arrow compute over its
    columns in a few milliseconds (pandera takes a tenth of a second for a shard). The checks
    are the same, derived from the same columns; a table that fails one is left to pandera,
    which says what fails where."""
    import pyarrow.compute as pc  # a build that writes nothing does not import it

    columns = model_columns(RECORD_MODELS[name])
    if sorted(table.column_names) != sorted(c.name for c in columns):
        return False
    for column in columns:
        data = table.column(column.name)
        if data.null_count and not column.type.nullable:
            return False
        if column.type.kind == "label":
            lowest, highest = pc.min_max(data).values()
            if not pa.types.is_integer(data.type) or (
                lowest.is_valid
                and not 0 <= lowest.as_py() <= highest.as_py() < len(column.type.labels)
            ):
                return False
        if column.pattern is not None and not (
            pa.types.is_string(data.type)
            and pc.all(pc.match_substring_regex(data, column.pattern)).as_py() is not False
        ):
            return False
        if column.minimum is not None and not (
            pa.types.is_integer(data.type)
            and ((lowest := pc.min(data)).is_valid is False or lowest.as_py() >= column.minimum)
        ):
            return False
        if column.name == "id" and pc.count_distinct(data, mode="all").as_py() != len(data):
            return False
    return True


def check_table(name: str, table: pa.Table, label: str) -> list[Problem]:
    """The table's failures of its checks; label names the table in the problems."""
    return [] if passes(name, table) else frame_problems(name, table, label)


def frame_problems(name: str, table: pa.Table, label: str) -> list[Problem]:
    """The table's failures of its pandera checks."""
    import polars
    from pandera.errors import SchemaErrors

    try:
        frame_schema(name).validate(polars.from_arrow(table), lazy=True)
    except SchemaErrors as error:
        return [
            Problem(
                label,
                None,
                None,
                f"row {row['index']}.{row['column']}",
                f"{row['check']} failed for {row['failure_case']!r}",
            )
            for row in error.failure_cases.iter_rows(named=True)
        ]
    return []
