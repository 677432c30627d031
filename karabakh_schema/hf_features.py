"""Hugging Face features derived from the record models: closed vocabularies become ClassLabel,
dates date32, nested models dicts and lists List."""

from typing import Any

from datasets import ClassLabel, Features, List, Value
from pydantic import BaseModel

from karabakh_schema.columns import ColumnType, model_columns


def hf_feature(ctype: ColumnType) -> Any:
    if ctype.kind == "label":
        return ClassLabel(names=list(ctype.labels))
    if ctype.kind == "list":
        assert ctype.item is not None
        return List(hf_feature(ctype.item))
    if ctype.kind == "struct":
        return {c.name: hf_feature(c.type) for c in ctype.fields}
    return Value(ctype.kind if ctype.kind != "bool" else "bool")


def hf_features(model: type[BaseModel]) -> Features:
    return Features({c.name: hf_feature(c.type) for c in model_columns(model)})
