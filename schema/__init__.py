"""Pydantic models of the dataset's records: the single source of truth for every schema."""

from schema.article import Article
from schema.claim import Claim
from schema.event import Event

RECORD_MODELS = {"articles": Article, "claims": Claim, "events": Event}

__all__ = ["RECORD_MODELS", "Article", "Claim", "Event"]
