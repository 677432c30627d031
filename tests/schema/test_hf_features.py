"""Hugging Face features: the same shape as the Arrow schema, closed vocabularies as ClassLabel
in vocabulary order, dates as date32. Checked by walking the Pydantic models themselves."""

import types
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pyarrow as pa
import pytest
from datasets import ClassLabel, Features, List, Value
from pydantic import BaseModel

from karabakh_schema import RECORD_MODELS
from karabakh_schema.arrow import arrow_schema
from karabakh_schema.hf_features import hf_features
from karabakh_schema.vocabularies import (
    ChromeKind,
    ClaimType,
    EventType,
    Measure,
    Qualifier,
    QuoteType,
)

Path = tuple[str, ...]
ITEM = "[]"


def _unwrap(tp: Any) -> Any:
    """The type under Annotated and Optional."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType):
            [tp] = [a for a in get_args(tp) if a is not type(None)]
        else:
            return tp


def leaves(model: type[BaseModel], path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(path, type) of every non-model, non-list type reachable from the model's fields."""
    for name, field in model.model_fields.items():
        yield from _leaves(field.annotation, (*path, name))


def _leaves(tp: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield from leaves(tp, path)
    elif get_origin(tp) is list:
        yield from _leaves(get_args(tp)[0], (*path, ITEM))
    else:
        yield path, tp


def feature_at(features: Features, path: Path) -> Any:
    node: Any = features
    for part in path:
        node = node.feature if part == ITEM else node[part]
    return node


def arrow_type_at(schema: pa.Schema, path: Path) -> pa.DataType:
    dtype: pa.DataType = schema.field(path[0]).type
    for part in path[1:]:
        dtype = dtype.value_type if part == ITEM else dtype.field(part).type
    return dtype


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_every_literal_field_is_a_class_label_in_vocabulary_order(name: str) -> None:
    model = RECORD_MODELS[name]
    features = hf_features(model)
    literals = [(path, tp) for path, tp in leaves(model) if get_origin(tp) is Literal]
    assert literals
    for path, literal in literals:
        feature = feature_at(features, path)
        assert isinstance(feature, ClassLabel), path
        assert feature.names == list(get_args(literal)), path
        assert arrow_type_at(arrow_schema(model), path) == pa.int64(), path


@pytest.mark.parametrize(
    ("name", "path", "vocabulary"),
    [
        ("claims", ("quote_type",), QuoteType),
        ("claims", ("claim_type",), ClaimType),
        ("claims", ("quantities", ITEM, "qualifier"), Qualifier),
        ("claims", ("quantities", ITEM, "measure"), Measure),
        ("events", ("type",), EventType),
        ("events", ("figures", ITEM, "measure"), Measure),
        ("articles", ("removed_segments", ITEM, "kind"), ChromeKind),
    ],
)
def test_named_vocabularies_become_their_class_labels(
    name: str, path: Path, vocabulary: Any
) -> None:
    feature = feature_at(hf_features(RECORD_MODELS[name]), path)
    assert feature == ClassLabel(names=list(get_args(vocabulary)))
    assert feature.str2int(get_args(vocabulary)[-1]) == len(get_args(vocabulary)) - 1


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_date_fields_are_date32(name: str) -> None:
    model = RECORD_MODELS[name]
    dates = [path for path, tp in leaves(model) if tp is date]
    assert dates
    for path in dates:
        assert feature_at(hf_features(model), path) == Value("date32"), path
        assert arrow_type_at(arrow_schema(model), path) == pa.date32(), path


def test_known_date_paths_are_found() -> None:
    claim_dates = {path for path, tp in leaves(RECORD_MODELS["claims"]) if tp is date}
    assert claim_dates == {
        ("dates", ITEM, "start"),
        ("dates", ITEM, "end"),
        ("dates", ITEM, "anchor_date"),
    }
    article_dates = {path for path, tp in leaves(RECORD_MODELS["articles"]) if tp is date}
    assert article_dates == {
        ("publication_date", "date", "start"),
        ("publication_date", "date", "end"),
    }


@pytest.mark.parametrize("name", sorted(RECORD_MODELS))
def test_lists_are_lists_and_scalars_are_values(name: str) -> None:
    model = RECORD_MODELS[name]
    features = hf_features(model)
    scalars = {str: "string", int: "int64", float: "float64", bool: "bool"}
    for path, tp in leaves(model):
        if tp in scalars:
            assert feature_at(features, path) == Value(scalars[tp]), path
        for depth, part in enumerate(path):
            if part == ITEM:
                assert isinstance(feature_at(features, path[:depth]), List), path
