"""Pydantic models of the dataset's records: the single source of truth for every schema.

The record models are imported on first use, so that checking annotation files (which needs
only schema.annotation) does not build them."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from schema.article import Article
    from schema.claim import Claim
    from schema.event import Event

    RECORD_MODELS: dict[str, type[BaseModel]]

_MODELS = {"Article": "schema.article", "Claim": "schema.claim", "Event": "schema.event"}

__all__ = ["RECORD_MODELS", "Article", "Claim", "Event"]


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        return getattr(import_module(_MODELS[name]), name)
    if name == "RECORD_MODELS":
        return {
            "articles": __getattr__("Article"),
            "claims": __getattr__("Claim"),
            "events": __getattr__("Event"),
        }
    raise AttributeError(f"module 'schema' has no attribute {name!r}")
