"""The README's YAML front matter, generated from the release folders on every build: one
config per table for the current version, and one per table and released version."""

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
from datasets import DatasetInfo, Features, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from build_dataset.release import MANIFEST, released_versions
from schema import RECORD_MODELS

PRETTY_NAME = "Claims and events in news coverage of the September 2023 Nagorno-Karabakh ceasefire"
DEFAULT_CONFIG = "claims"


def config_name(table: str, version: str | None) -> str:
    """'claims' for the current version, 'claims-v1.0.0' for a pinned one."""
    return table if version is None else f"{table}-v{version}"


def _info(data_dir: Path, version: str, table: str, name: str) -> DatasetInfo:
    path = data_dir / version / f"{table}.parquet"
    stored = json.loads(pq.read_schema(path).metadata[b"huggingface"])["info"]["features"]
    rows = json.loads((data_dir / version / MANIFEST).read_text())["files"][path.name]["rows"]
    return DatasetInfo(
        config_name=name,
        features=Features.from_dict(stored),
        splits=SplitDict({"train": SplitInfo(name="train", num_examples=rows)}),
    )


def card_data(data_dir: Path, current: str) -> DatasetCardData:
    configs, infos = [], {}
    for version, pinned in [(current, None)] + [(v, v) for v in released_versions(data_dir)]:
        for table in RECORD_MODELS:
            name = config_name(table, pinned)
            config: dict[str, object] = {
                "config_name": name,
                "data_files": [{"split": "train", "path": f"data/{version}/{table}.parquet"}],
            }
            if name == DEFAULT_CONFIG:
                config["default"] = True
            configs.append(config)
            infos[name] = _info(data_dir, version, table, name)
    data = DatasetCardData(pretty_name=PRETTY_NAME, language=["en"], configs=configs)
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def split_front_matter(readme: str) -> str:
    """The README body after any YAML front matter."""
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        if end != -1:
            return readme[end + len("\n---\n") :]
    return readme


def write_card(path: Path, data_dir: Path, current: str) -> None:
    body = split_front_matter(path.read_text(encoding="utf-8")) if path.exists() else ""
    text = f"---\n{card_data(data_dir, current).to_yaml()}\n---\n{body}"
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
