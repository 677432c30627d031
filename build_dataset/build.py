"""One build: read, assemble and check everything, then write the release and every document
derived from it (card, citation, Croissant, datasheet figures)."""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from build_dataset import about
from build_dataset.assemble import Dataset, assemble
from build_dataset.card import card_text, loading_section
from build_dataset.citation import bibtex, citation_text
from build_dataset.croissant import croissant_metadata
from build_dataset.docs import examples, field_tables, figures, fill_sections
from build_dataset.inputs import read_inputs
from build_dataset.release import write_release
from build_dataset.tables import check_tables, features_dict, table_schema, to_table
from build_dataset.version import DATASET_VERSION, RELEASE_DATE
from schema import RECORD_MODELS
from schema.json_schema import SCHEMA_FILES, json_schema_text

README = "README.md"
CITATION = "CITATION.cff"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"


@dataclass(frozen=True)
class Checked:
    dataset: Dataset
    tables: dict[str, pa.Table]


@dataclass(frozen=True)
class BuildResult:
    version: str
    release_dir: Path
    manifest: dict[str, object]
    dataset: Dataset


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


def dataset_tables(dataset: Dataset, version: str) -> dict[str, pa.Table]:
    tables = {
        "articles": to_table("articles", dataset.articles, version),
        "claims": to_table("claims", dataset.claims, version),
        "events": to_table("events", dataset.events, version),
    }
    check_tables(tables)
    return tables


def check(root: Path, version: str = DATASET_VERSION) -> Checked:
    """Everything a build validates, writing nothing."""
    dataset = assemble(read_inputs(root))
    return Checked(dataset, dataset_tables(dataset, version))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def documents(root: Path, checked: Checked, version: str, release_date: str) -> dict[str, str]:
    """Every derived document's new text, computed before any is written."""
    data_dir = root / "data"
    croissant = croissant_metadata(
        data_dir / version,
        version,
        name=about.NAME,
        description=about.SUMMARY,
        license_url=about.ANNOTATIONS_LICENSE_URL,
        url=None,
        cite_as=citation_text(version, release_date),
        date_published=release_date,
        rai=about.RAI,
    )
    readme_sections = {
        "loading": loading_section(data_dir, version),
        "fields": field_tables(),
        "examples": examples(checked.tables),
        "figures": figures(checked.dataset),
        "citation": bibtex(version, release_date),
    }
    schemas = {f"schema/{name}": json_schema_text(model) for name, model in SCHEMA_FILES.items()}
    return schemas | {
        README: card_text(_read(root / README), data_dir, version, readme_sections),
        CITATION: citation_text(version, release_date),
        CROISSANT: json.dumps(croissant, indent=2, ensure_ascii=False) + "\n",
        DATASHEET: fill_sections(_read(root / DATASHEET), {"figures": figures(checked.dataset)}),
    }


def build(
    root: Path, version: str = DATASET_VERSION, release_date: str = RELEASE_DATE
) -> BuildResult:
    checked = check(root, version)
    manifest = write_release(
        checked.tables, root / "data", version, schema_fingerprint(), release_date
    )
    for name, text in documents(root, checked, version, release_date).items():
        _write_atomic(root / name, text)
    return BuildResult(version, root / "data" / version, manifest, checked.dataset)
