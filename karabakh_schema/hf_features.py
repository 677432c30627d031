"""Hugging Face features derived from the record models: closed vocabularies become ClassLabel,
dates date32, nested models dicts and lists List. The features are first written as the JSON
that `Features.to_dict` gives, which a release's files carry and which needs no `datasets`
import (it takes a worker process about a second); hf_features reads that JSON back."""

from typing import TYPE_CHECKING

from pydantic import BaseModel

from karabakh_schema.columns import ColumnType, model_columns

if TYPE_CHECKING:
    from datasets import Features


def feature_json(ctype: ColumnType) -> object:
    """A column type's feature, as `Features.to_dict` writes it."""
    if ctype.kind == "label":
        return {"names": list(ctype.labels), "_type": "ClassLabel"}
    if ctype.kind == "list":
        assert ctype.item is not None
        return {"feature": feature_json(ctype.item), "_type": "List"}
    if ctype.kind == "struct":
        return {c.name: feature_json(c.type) for c in ctype.fields}
    return {"dtype": ctype.kind, "_type": "Value"}


def features_json(model: type[BaseModel]) -> dict[str, object]:
    """The model's features, as `Features.to_dict` writes them."""
    return {c.name: feature_json(c.type) for c in model_columns(model)}


def hf_features(model: type[BaseModel]) -> "Features":
    from datasets import Features

    return Features.from_dict(features_json(model))
