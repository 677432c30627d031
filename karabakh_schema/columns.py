"""The column tree of a record model: the one walk over Pydantic types from which the Arrow
schema, the Hugging Face features, the pandera checks and the card's field table are derived."""

import types
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
Kind = Literal["string", "int64", "float64", "bool", "date32", "label", "list", "struct"]

_SCALARS: dict[object, Kind] = {
    str: "string",
    int: "int64",
    float: "float64",
    bool: "bool",
    date: "date32",
}


@dataclass(frozen=True)
class ColumnType:
    kind: Kind
    nullable: bool = False
    labels: tuple[str, ...] = ()
    item: "ColumnType | None" = None
    fields: tuple["Column", ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    pattern: str | None = None
    minimum: float | None = None


def _strip_annotated(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def column_type(tp: Any) -> ColumnType:
    """Map a field's Python type to a column type; unsupported types fail loudly."""
    tp = _strip_annotated(tp)
    nullable = False
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"only Optional unions map to columns, not {tp}")
        tp, nullable = _strip_annotated(args[0]), True
    if tp in _SCALARS:
        return ColumnType(_SCALARS[tp], nullable)
    if get_origin(tp) is Literal:
        return ColumnType("label", nullable, labels=tuple(get_args(tp)))
    if get_origin(tp) is list:
        return ColumnType("list", nullable, item=column_type(get_args(tp)[0]))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return ColumnType("struct", nullable, fields=model_columns(tp))
    raise TypeError(f"no column type for {tp!r}")


def _constraint(metadata: list[Any], name: str) -> Any:
    return next((getattr(m, name) for m in metadata if getattr(m, name, None) is not None), None)


@cache
def model_columns(model: type[BaseModel]) -> tuple[Column, ...]:
    return tuple(
        Column(
            name,
            column_type(field.annotation),
            field.description or "",
            pattern=_constraint(field.metadata, "pattern"),
            minimum=_constraint(field.metadata, "ge"),
        )
        for name, field in model.model_fields.items()
    )


def decode(value: Any, ctype: ColumnType) -> Any:
    """A stored row value as data a model validates: label indexes become their names."""
    if value is None:
        return None
    if ctype.kind == "label":
        return ctype.labels[value]
    if ctype.kind == "list":
        assert ctype.item is not None
        return [decode(v, ctype.item) for v in value]
    if ctype.kind == "struct":
        return {c.name: decode(value[c.name], c.type) for c in ctype.fields}
    return value


def from_row(model: type[M], row: dict[str, Any]) -> M:
    return model.model_validate({c.name: decode(row[c.name], c.type) for c in model_columns(model)})
