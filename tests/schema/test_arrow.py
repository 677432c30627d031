"""Arrow schemas: a column or struct field is nullable exactly where its Pydantic field is
Optional, at every depth, so Parquet files keep the models' required fields required."""

import types
from typing import Annotated, Any, Union, get_args, get_origin

import pyarrow as pa
import pytest
from pydantic import BaseModel

from schema import RECORD_MODELS
from schema.arrow import arrow_schema


def _strip(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _optional(tp: Any) -> tuple[Any, bool]:
    tp = _strip(tp)
    if get_origin(tp) in (Union, types.UnionType):
        [inner] = [a for a in get_args(tp) if a is not type(None)]
        return _strip(inner), True
    return tp, False


def check_type(tp: Any, dtype: pa.DataType, where: str) -> None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        assert pa.types.is_struct(dtype), where
        check_fields(tp, list(dtype), where)  # type: ignore[call-overload]
    elif get_origin(tp) is list:
        assert pa.types.is_list(dtype), where
        # List items themselves are left nullable, as in the Hugging Face features.
        item, _ = _optional(get_args(tp)[0])
        check_type(item, dtype.value_type, f"{where}[]")


def check_fields(model: type[BaseModel], fields: list[pa.Field], where: str) -> None:
    assert [f.name for f in fields] == list(model.model_fields), where
    for field in fields:
        tp, nullable = _optional(model.model_fields[field.name].annotation)
        assert field.nullable == nullable, f"{where}.{field.name}"
        check_type(tp, field.type, f"{where}.{field.name}")


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_nullable_exactly_where_optional(name: str) -> None:
    model = RECORD_MODELS[name]
    check_fields(model, list(arrow_schema(model)), name)


def test_some_fields_are_nullable_and_some_required() -> None:
    claims = arrow_schema(RECORD_MODELS["claims"])
    assert claims.field("claimant_span").nullable
    assert not claims.field("span").nullable
    quantity = claims.field("quantities").type.value_type
    assert quantity.field("value").nullable
    assert not quantity.field("measure").nullable
    assert quantity.field("measure").type == pa.int64()
