"""One build: read, assemble and check everything, then write the release and every document
derived from it (card, citation, Croissant, datasheet figures)."""

import hashlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from build_dataset import about
from build_dataset.assemble import (
    ARTICLES_PER_SHARD,
    ROWS_PER_SHARD,
    Assembled,
    Settings,
    assemble,
)
from build_dataset.card import card_text, loading_section
from build_dataset.changelog import build_entry, read_changelog
from build_dataset.citation import bibtex, citation_text
from build_dataset.croissant import croissant_metadata
from build_dataset.docs import examples, field_tables, figures, fill_sections
from build_dataset.release import MANIFEST, open_staging, sealed_release, sha256_file
from build_dataset.tables import features_dict, table_schema
from build_dataset.version import DATASET_VERSION, RELEASE_DATE
from schema import RECORD_MODELS
from schema.json_schema import SCHEMA_FILES, json_schema_text

README = "README.md"
CITATION = "CITATION.cff"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"


@dataclass(frozen=True)
class BuildResult:
    """What a build released; a draft is a version whose CHANGELOG.md entry does not record
    manifest_sha256 yet."""

    version: str
    release_dir: Path
    manifest: dict[str, object]
    assembled: Assembled
    manifest_sha256: str
    draft: bool


def schema_fingerprint() -> str:
    """Changes exactly when a column, type or label list changes."""
    shape = {
        name: {
            "arrow": table_schema(name).remove_metadata().to_string(),
            "features": features_dict(name),
        }
        for name in RECORD_MODELS
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def check(root: Path, version: str = DATASET_VERSION, workers: int | None = None) -> Assembled:
    """Everything a build validates, tables included, writing nothing."""
    return assemble(Settings(root, version), workers)


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """An interrupt or a termination waits until the documents are all written: they are few
    and small, and a build stopped among them would leave the card and the data disagreeing.
    (Blocking the signals would not do: a thread of Arrow's or polars' would take them.)"""
    if threading.current_thread() is not threading.main_thread():  # no handlers to set there
        yield
        return
    received: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    handlers = {
        stop: signal.signal(stop, lambda signum, _: received.append(signum)) for stop in stops
    }
    try:
        yield
    finally:
        for stop, handler in handlers.items():
            signal.signal(stop, handler)
        for signum in received:
            signal.raise_signal(signum)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    try:
        staging.write_text(text, encoding="utf-8")
        os.replace(staging, path)
    finally:  # after a failed write (a full disk), no half-written copy is left
        staging.unlink(missing_ok=True)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def documents(root: Path, version: str, release_date: str) -> dict[str, str]:
    """Every derived document's new text, computed from the release before any is written."""
    data_dir = root / "data"
    release_dir = data_dir / version
    croissant = croissant_metadata(
        release_dir,
        version,
        name=about.NAME,
        description=about.SUMMARY,
        license_url=about.ANNOTATIONS_LICENSE_URL,
        url=None,
        cite_as=citation_text(version, release_date),
        date_published=release_date,
        rai=about.RAI,
    )
    counted = figures(release_dir)
    readme_sections = {
        "loading": loading_section(data_dir, version),
        "fields": field_tables(),
        "examples": examples(release_dir),
        "figures": counted,
        "citation": bibtex(version, release_date),
    }
    schemas = {f"schema/{name}": json_schema_text(model) for name, model in SCHEMA_FILES.items()}
    return schemas | {
        README: card_text(_read(root / README), data_dir, version, readme_sections),
        CITATION: citation_text(version, release_date),
        CROISSANT: json.dumps(croissant, indent=2, ensure_ascii=False) + "\n",
        DATASHEET: fill_sections(_read(root / DATASHEET), {"figures": counted}),
    }


@contextmanager
def release_data(
    root: Path,
    data_dir: Path,
    version: str,
    release_date: str,
    recorded_sha256: str | None,
    workers: int | None = None,
    articles_per_shard: int = ARTICLES_PER_SHARD,
    rows_per_shard: int = ROWS_PER_SHARD,
) -> Iterator[tuple[Assembled, dict[str, object]]]:
    """Check everything while writing the tables into a staging folder under data_dir, then
    release it as data_dir/<version> (or find it equal to that released version), yielding the
    assembled summary and the manifest; if the body of the with raises, data_dir is put back
    as it was. recorded_sha256 is the manifest SHA-256 CHANGELOG.md records for the version,
    None for a draft. Nothing under data_dir changes unless every check passes."""
    staging = open_staging(data_dir, version)
    settings = Settings(root, version, staging, True, articles_per_shard, rows_per_shard)
    try:
        assembled = assemble(settings, workers)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with sealed_release(
        staging, data_dir, version, schema_fingerprint(), release_date, recorded_sha256
    ) as manifest:
        yield assembled, manifest


def build(
    root: Path,
    version: str = DATASET_VERSION,
    release_date: str = RELEASE_DATE,
    workers: int | None = None,
    articles_per_shard: int = ARTICLES_PER_SHARD,
    rows_per_shard: int = ROWS_PER_SHARD,
) -> BuildResult:
    """Release the data, then refresh the derived documents. Refused before anything is
    written unless CHANGELOG.md has an entry for the version dated release_date; a released
    entry (one that records its manifest's SHA-256) must be rebuilt exactly. Nothing under
    data/ or among the documents changes unless every check passes."""
    entry = build_entry(read_changelog(root), version, release_date)
    data_dir = root / "data"
    with release_data(
        root,
        data_dir,
        version,
        release_date,
        entry.manifest_sha256,
        workers,
        articles_per_shard,
        rows_per_shard,
    ) as (assembled, manifest):
        texts = documents(root, version, release_date)
    with _uninterrupted():
        for name, text in texts.items():
            _write_atomic(root / name, text)
    release_dir = data_dir / version
    return BuildResult(
        version,
        release_dir,
        manifest,
        assembled,
        sha256_file(release_dir / MANIFEST),
        not entry.released,
    )
