"""Arrow schemas derived from the record models (class labels are stored as int64, as the
Hugging Face `datasets` library stores ClassLabel).

Every field is nullable, as in the schema `datasets` derives from the features: it takes a
file's embedded features, its class labels included, only for fields whose Arrow type and
nullability match that schema exactly. Required fields are enforced by the models and by the
table checks, not by the Parquet schema."""

import pyarrow as pa
from pydantic import BaseModel

from karabakh_schema.columns import Column, ColumnType, model_columns

_ARROW_SCALARS = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "label": pa.int64(),
}


def arrow_type(ctype: ColumnType, named_labels: bool = False) -> pa.DataType:
    """The column's Arrow type; with named_labels, class labels as their names (strings)."""
    if ctype.kind == "list":
        assert ctype.item is not None
        return pa.list_(arrow_type(ctype.item, named_labels))
    if ctype.kind == "struct":
        return pa.struct([arrow_field(c, named_labels) for c in ctype.fields])
    if ctype.kind == "label" and named_labels:
        return pa.string()
    return _ARROW_SCALARS[ctype.kind]


def arrow_field(column: Column, named_labels: bool = False) -> pa.Field:
    return pa.field(column.name, arrow_type(column.type, named_labels))


def arrow_schema(model: type[BaseModel], named_labels: bool = False) -> pa.Schema:
    return pa.schema([arrow_field(c, named_labels) for c in model_columns(model)])


def encode_labels(array: pa.Array, ctype: ColumnType, within: pa.Array | None = None) -> pa.Array:
    """A column with class labels as names turned into one with labels as their indices.

    within marks the slots whose enclosing structs are not null: the values Arrow keeps under
    a null struct are placeholders, and become index 0. Raises ValueError for a name outside
    the label list (the models rule those out earlier)."""
    import pyarrow.compute as pc  # a build that writes nothing does not import it

    if ctype.kind == "label":
        indices = pc.index_in(array, value_set=pa.array(ctype.labels, pa.string()))
        placeholder = pc.and_(indices.is_null(), array.is_valid())
        wrong = placeholder if within is None else pc.and_(placeholder, within)
        if pc.any(wrong).as_py():
            raise ValueError(f"a value outside the labels {ctype.labels}")
        return pc.if_else(placeholder, 0, indices).cast(pa.int64())
    if ctype.kind == "list" and ctype.item is not None:
        assert isinstance(array, pa.ListArray)
        values = encode_labels(array.values, ctype.item)
        return pa.ListArray.from_arrays(
            array.offsets, values, type=pa.list_(values.type), mask=array.is_null()
        )
    if ctype.kind == "struct":
        assert isinstance(array, pa.StructArray)
        valid = array.is_valid() if within is None else pc.and_(within, array.is_valid())
        children = [encode_labels(array.field(c.name), c.type, valid) for c in ctype.fields]
        fields = [
            pa.field(c.name, child.type) for c, child in zip(ctype.fields, children, strict=True)
        ]
        return pa.StructArray.from_arrays(children, fields=fields, mask=array.is_null())
    return array
