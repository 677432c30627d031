"""Records as Arrow tables carrying their Hugging Face features, and pandera checks per table."""

import json
from collections.abc import Sequence

import pandera.pandas as pa_checks
import pyarrow as pa
from pandera.errors import SchemaErrors
from pydantic import BaseModel

from build_dataset.problems import InvalidInput, Problem
from schema import RECORD_MODELS
from schema.arrow import arrow_schema
from schema.columns import model_columns, to_row
from schema.hf_features import hf_features


def features_dict(name: str) -> dict[str, object]:
    features: dict[str, object] = hf_features(RECORD_MODELS[name]).to_dict()
    return features


def table_schema(name: str, version: str | None = None) -> pa.Schema:
    """The derived Arrow schema; with a version, the metadata of a released file."""
    metadata = {"huggingface": json.dumps({"info": {"features": features_dict(name)}})}
    if version is not None:
        metadata["dataset_version"] = version
    return arrow_schema(RECORD_MODELS[name]).with_metadata(metadata)


def to_table(name: str, records: Sequence[BaseModel], version: str) -> pa.Table:
    return pa.Table.from_pylist([to_row(r) for r in records], schema=table_schema(name, version))


def frame_schema(name: str) -> pa_checks.DataFrameSchema:
    """Column checks derived from the model: nullability, label ranges, patterns, minimums."""
    columns = {}
    for column in model_columns(RECORD_MODELS[name]):
        checks = []
        if column.type.kind == "label":
            checks.append(pa_checks.Check.isin(list(range(len(column.type.labels)))))
        if column.pattern is not None:
            checks.append(pa_checks.Check.str_matches(column.pattern))
        if column.minimum is not None:
            checks.append(pa_checks.Check.ge(column.minimum))
        columns[column.name] = pa_checks.Column(
            nullable=column.type.nullable, checks=checks, unique=column.name == "id"
        )
    return pa_checks.DataFrameSchema(columns, strict=True, name=name)


def check_tables(tables: dict[str, pa.Table]) -> None:
    """Validate every table with pandera; all failures are raised together."""
    problems = []
    for name, table in tables.items():
        if table.num_rows == 0:
            problems.append(
                Problem(f"<{name} table>", None, None, "", "no rows; an empty config cannot load")
            )
        try:
            frame_schema(name).validate(table.to_pandas(), lazy=True)
        except SchemaErrors as error:
            for _, row in error.failure_cases.iterrows():
                problems.append(
                    Problem(
                        f"<{name} table>",
                        None,
                        None,
                        f"row {row['index']}.{row['column']}",
                        f"{row['check']} failed for {row['failure_case']!r}",
                    )
                )
    if problems:
        raise InvalidInput(problems)
