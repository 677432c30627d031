"""Pydantic models of the dataset's records: the single source of truth for every schema."""

from pydantic import BaseModel

from schema.article import Article
from schema.claim import Claim
from schema.event import Event

RECORD_MODELS: dict[str, type[BaseModel]] = {"articles": Article, "claims": Claim, "events": Event}

__all__ = ["RECORD_MODELS", "Article", "Claim", "Event"]
