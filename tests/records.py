"""Built releases for tests: writing one without its documents, and reading its rows back as
record models.

Reading every row back through karabakh_schema.columns.from_row also validates each written row
against the record models (clean text against raw text and removed segments, bounds, labels...)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from pydantic import BaseModel

from build_dataset.assemble import Assembled
from build_dataset.build import release_data
from build_dataset.write.release import release_table
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import Article, Claim, Event
from karabakh_schema.columns import from_row

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / "data" / DATASET_VERSION

M = TypeVar("M", bound=BaseModel)


class Records(NamedTuple):
    articles: list[Article]
    claims: list[Claim]
    events: list[Event]


def records(release_dir: Path, table: str, model: type[M]) -> list[M]:
    """Every row of one table of the release, in file order, as a validated model."""
    return [from_row(model, row) for row in release_table(release_dir, table).to_pylist()]


def read_records(release_dir: Path) -> Records:
    return Records(
        records(release_dir, "articles", Article),
        records(release_dir, "claims", Claim),
        records(release_dir, "events", Event),
    )


@cache
def _committed() -> Records:
    return read_records(RELEASE)


def committed() -> Records:
    """The committed release of the current version (test_build asserts that a rebuild gives
    its bytes), read once per test run; copies of the lists, so callers cannot change them."""
    articles, claims, events = _committed()
    return Records(list(articles), list(claims), list(events))


@dataclass(frozen=True)
class Release:
    release_dir: Path
    manifest: dict[str, object]
    assembled: Assembled


def write_release(
    root: Path,
    data_dir: Path,
    version: str,
    release_date: str = "2026-11-23",
    workers: int | None = None,
    **shards: int,
) -> Release:
    """What build writes into data_dir, its documents aside, with shards of articles_per_shard
    articles and rows_per_shard events when given: a draft, as no changelog records it."""
    assembled, manifest = release_data(
        root, data_dir, version, release_date, None, workers, **shards
    )
    return Release(data_dir / version, manifest, assembled)
