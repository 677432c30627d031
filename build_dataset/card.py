"""The README's YAML front matter: configs and dataset_info, generated on every build."""

import os
from pathlib import Path

import pyarrow as pa
from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from schema import RECORD_MODELS
from schema.hf_features import hf_features

PRETTY_NAME = "Claims and events in news coverage of the September 2023 Nagorno-Karabakh ceasefire"
DEFAULT_CONFIG = "claims"


def card_data(version: str, tables: dict[str, pa.Table]) -> DatasetCardData:
    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        language=["en"],
        configs=[
            {
                "config_name": name,
                "data_files": [{"split": "train", "path": f"data/{version}/{name}.parquet"}],
                **({"default": True} if name == DEFAULT_CONFIG else {}),
            }
            for name in RECORD_MODELS
        ],
    )
    infos = DatasetInfosDict(
        {
            name: DatasetInfo(
                config_name=name,
                features=hf_features(model),
                splits=SplitDict(
                    {"train": SplitInfo(name="train", num_examples=tables[name].num_rows)}
                ),
            )
            for name, model in RECORD_MODELS.items()
        }
    )
    infos.to_dataset_card_data(data)
    return data


def split_front_matter(readme: str) -> str:
    """The README body after any YAML front matter."""
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        if end != -1:
            return readme[end + len("\n---\n") :]
    return readme


def write_card(path: Path, version: str, tables: dict[str, pa.Table]) -> None:
    body = split_front_matter(path.read_text(encoding="utf-8")) if path.exists() else ""
    text = f"---\n{card_data(version, tables).to_yaml()}\n---\n{body}"
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
