"""Arrow schemas: the models' fields at every depth, and exactly the schema `datasets` derives
from the Hugging Face features, so that a file's embedded features (class labels included) are
used by whatever reads it."""

import types
from typing import Annotated, Any, Union, get_args, get_origin

import pyarrow as pa
import pytest
from pydantic import BaseModel

from karabakh_schema import RECORD_MODELS
from karabakh_schema.arrow import arrow_schema
from karabakh_schema.hf_features import hf_features


def _strip(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _required(tp: Any) -> Any:
    tp = _strip(tp)
    if get_origin(tp) in (Union, types.UnionType):
        [inner] = [a for a in get_args(tp) if a is not type(None)]
        return _strip(inner)
    return tp


def check_type(tp: Any, dtype: pa.DataType, where: str) -> None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        assert pa.types.is_struct(dtype), where
        check_fields(tp, list(dtype), where)  # type: ignore[call-overload]
    elif get_origin(tp) is list:
        assert pa.types.is_list(dtype), where
        check_type(_required(get_args(tp)[0]), dtype.value_type, f"{where}[]")


def check_fields(model: type[BaseModel], fields: list[pa.Field], where: str) -> None:
    assert [f.name for f in fields] == list(model.model_fields), where
    for field in fields:
        assert field.nullable, f"{where}.{field.name}"
        check_type(_required(model.model_fields[field.name].annotation), field.type, where)


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_every_model_field_at_every_depth(name: str) -> None:
    model = RECORD_MODELS[name]
    check_fields(model, list(arrow_schema(model)), name)


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_the_schema_datasets_derives_from_the_features(name: str) -> None:
    model = RECORD_MODELS[name]
    assert arrow_schema(model) == hf_features(model).arrow_schema


def test_class_labels_are_stored_as_int64() -> None:
    quantity = arrow_schema(RECORD_MODELS["claims"]).field("quantities").type.value_type
    assert quantity.field("measure").type == pa.int64()
