"""One build: read, assemble and check everything, then write the release and the card."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from build_dataset.assemble import Dataset, assemble
from build_dataset.card import write_card
from build_dataset.inputs import read_inputs
from build_dataset.release import write_release
from build_dataset.tables import check_tables, features_dict, table_schema, to_table
from build_dataset.version import DATASET_VERSION
from schema import RECORD_MODELS


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


def dataset_tables(dataset: Dataset) -> dict[str, pa.Table]:
    tables = {
        "articles": to_table("articles", dataset.articles),
        "claims": to_table("claims", dataset.claims),
        "events": to_table("events", dataset.events),
    }
    check_tables(tables)
    return tables


def check(root: Path) -> Checked:
    """Everything a build validates, writing nothing."""
    dataset = assemble(read_inputs(root))
    return Checked(dataset, dataset_tables(dataset))


def build(root: Path, version: str = DATASET_VERSION) -> BuildResult:
    checked = check(root)
    manifest = write_release(checked.tables, root / "data", version, schema_fingerprint())
    write_card(root / "README.md", root / "data", version)
    return BuildResult(version, root / "data" / version, manifest, checked.dataset)
