"""JSON Schemas of the annotation files, generated from the annotation models so that editors
validate and complete them as contributors type (yaml-language-server reads the first-line
`# yaml-language-server: $schema=...` comment)."""

import json
from typing import Any

from pydantic import BaseModel

from karabakh_schema.annotation import ActorsFile, ArticleAnnotationFile, EventsFile, PlacesFile

# Schema file (under schema/) for each kind of annotation file under seeds/annotations/.
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "annotation.schema.json": ArticleAnnotationFile,
    "actors.schema.json": ActorsFile,
    "places.schema.json": PlacesFile,
    "events.schema.json": EventsFile,
}


def schema_file_for(annotation_file: str) -> str:
    """Which schema an annotation file (by its name) follows."""
    stem = annotation_file.removesuffix(".yaml")
    return (
        f"{stem}.schema.json"
        if stem in ("actors", "places", "events")
        else "annotation.schema.json"
    )


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(model: type[BaseModel]) -> str:
    return json.dumps(json_schema(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
