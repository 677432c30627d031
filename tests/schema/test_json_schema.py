"""The JSON Schemas editors use accept every real annotation file and reject a broken one."""

import json
from collections.abc import Iterable
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from karabakh_schema.json_schema import SCHEMA_FILES, schema_file_for

REPO = Path(__file__).resolve().parents[2]
ANNOTATIONS = sorted((REPO / "seeds" / "annotations").glob("*.yaml"))


def validator(file_name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / "schema" / schema_file_for(file_name)).read_text())
    schema.pop("$schema")
    return jsonschema.Draft7Validator(schema)


def flatten(errors: Iterable[jsonschema.ValidationError]) -> list[str]:
    """Leaf messages, looking inside anyOf branches (claims may be a list or null)."""
    messages = []
    for error in errors:
        messages += flatten(error.context) if error.context else [error.message]
    return messages


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.name)
def test_every_annotation_file_follows_its_json_schema(path: Path) -> None:
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in validator(path.name).iter_errors(data)]
    assert errors == []
    assert path.read_text(encoding="utf-8").startswith(
        f"# yaml-language-server: $schema=../../schema/{schema_file_for(path.name)}\n"
    )


def test_the_schema_catches_what_the_builder_would() -> None:
    path = REPO / "seeds" / "annotations" / "003_82aebb510e30787e.yaml"
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    data["claims"][0]["claim_type"] = "rumour"
    data["claims"][1]["colour"] = "red"
    messages = sorted(flatten(validator(path.name).iter_errors(data)))
    assert any("'rumour' is not one of" in m for m in messages)
    assert any("'colour' was unexpected" in m for m in messages)


def test_every_annotation_file_kind_has_a_schema() -> None:
    assert {schema_file_for(p.name) for p in ANNOTATIONS} == set(SCHEMA_FILES)
