"""Arrow schemas derived from the record models (class labels are stored as int64, as the
Hugging Face `datasets` library stores ClassLabel)."""

import pyarrow as pa
from pydantic import BaseModel

from schema.columns import Column, ColumnType, model_columns

_ARROW_SCALARS = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "label": pa.int64(),
}


def arrow_type(ctype: ColumnType) -> pa.DataType:
    if ctype.kind == "list":
        assert ctype.item is not None
        return pa.list_(arrow_type(ctype.item))
    if ctype.kind == "struct":
        return pa.struct([arrow_field(c) for c in ctype.fields])
    return _ARROW_SCALARS[ctype.kind]


def arrow_field(column: Column) -> pa.Field:
    return pa.field(column.name, arrow_type(column.type), nullable=column.type.nullable)


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    return pa.schema([arrow_field(c) for c in model_columns(model)])
