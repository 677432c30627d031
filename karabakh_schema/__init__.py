"""Pydantic models of the dataset's records: the single source of truth for every schema.

The record models are imported on first use, so that checking annotation files (which needs
only karabakh_schema.annotation) does not build them."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from karabakh_schema.article import Article
    from karabakh_schema.claim import Claim
    from karabakh_schema.event import Event

    RECORD_MODELS: dict[str, type[BaseModel]]

# Each table (config) of the dataset, with the module and name of its record model.
_TABLES = {
    "articles": ("karabakh_schema.article", "Article"),
    "claims": ("karabakh_schema.claim", "Claim"),
    "events": ("karabakh_schema.event", "Event"),
}
TABLES = tuple(_TABLES)

__all__ = ["RECORD_MODELS", "TABLES", "Article", "Claim", "Event"]


def __getattr__(name: str) -> Any:
    for module, model in _TABLES.values():
        if name == model:
            return getattr(import_module(module), name)
    if name == "RECORD_MODELS":
        return {table: __getattr__(model) for table, (_, model) in _TABLES.items()}
    raise AttributeError(f"module 'schema' has no attribute {name!r}")
