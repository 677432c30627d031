"""The README's YAML front matter, generated from the release folders on every build: one
config per table for the current version, and one per table and released version."""

import json
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
from datasets import DatasetInfo, Features, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from build_dataset.about import CARD_METADATA, PRETTY_NAME
from build_dataset.docs import fill_sections
from build_dataset.release import MANIFEST, released_tables, table_files, version_key
from schema import RECORD_MODELS

DEFAULT_CONFIG = "claims"

EVALUATION_SPLIT = "test"
EVALUATION_SPLIT_SINCE = "3.0.0"
"""The corpus is for evaluation, so from 3.0.0 on each config's one split is `test`. Earlier
releases keep `train`, the split they were published with, so that code pinned to them (the
`-vX.Y.Z` configs) still loads."""


def split_name(version: str) -> str:
    """The name of the one split of a version's configs."""
    if version_key(version) >= version_key(EVALUATION_SPLIT_SINCE):
        return EVALUATION_SPLIT
    return "train"


def config_name(table: str, version: str | None) -> str:
    """'claims' for the current version, 'claims-v1.0.0' for a pinned one."""
    return table if version is None else f"{table}-v{version}"


def _loaded_bytes(path: Path, features: Features) -> int:
    """The Arrow bytes `datasets` counts for a file once loaded (its num_bytes): each row group
    cast to the features' schema, as its Parquet reader does."""
    from datasets.table import table_cast

    parquet = pq.ParquetFile(path)
    schema = features.arrow_schema
    return sum(
        int(table_cast(parquet.read_row_group(i), schema).nbytes)
        for i in range(parquet.num_row_groups)
    )


def _info(folder: Path, table: str, split_name: str) -> DatasetInfo:
    files = json.loads((folder / MANIFEST).read_text())["files"]
    shards = table_files(files, table)
    first = folder / shards[0]
    stored = json.loads(pq.read_schema(first).metadata[b"huggingface"])["info"]["features"]
    features = Features.from_dict(stored)
    rows = sum(files[shard]["rows"] for shard in shards)
    loaded = sum(_loaded_bytes(folder / shard, features) for shard in shards)
    split = SplitInfo(name=split_name, num_bytes=loaded, num_examples=rows)
    return DatasetInfo(
        features=features,
        splits=SplitDict({split_name: split}),
        download_size=sum(files[shard]["bytes"] for shard in shards),
        dataset_size=loaded,
    )


def _size_category(rows: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if rows < limit:
            return name
    return "100K<n<1M"


def card_data(folders: dict[str, Path], current: str) -> DatasetCardData:
    """The card's metadata for the current version and every version pinned, folders giving
    where each version's release is (a build's staging folder for the one it releases)."""
    configs, infos, measured = [], {}, {}
    for version, pinned in [(current, None)] + [(v, v) for v in _oldest_first(folders)]:
        for table in _tables(folders[version]):
            name = config_name(table, pinned)
            config: dict[str, object] = {
                "config_name": name,
                "data_files": [
                    {"split": split_name(version), "path": f"data/{version}/{table}*.parquet"}
                ],
            }
            if name == DEFAULT_CONFIG:
                config["default"] = True
            configs.append(config)
            if (version, table) not in measured:  # the current version is pinned too
                measured[version, table] = _info(folders[version], table, split_name(version))
            infos[name] = replace(measured[version, table], config_name=name)
    size = sum(
        split.num_examples
        for name, info in infos.items()
        if name in RECORD_MODELS
        for split in info.splits.values()
    )
    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        size_categories=[_size_category(size)],
        configs=configs,
        **CARD_METADATA,  # type: ignore[arg-type]
    )
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def split_front_matter(readme: str) -> str:
    """The README body after any YAML front matter."""
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        if end != -1:
            return readme[end + len("\n---\n") :]
    return readme


def _oldest_first(folders: dict[str, Path]) -> list[str]:
    return sorted(folders, key=version_key)


def _tables(folder: Path) -> list[str]:
    return released_tables(json.loads((folder / MANIFEST).read_text())["files"])


def card_text(readme: str, folders: dict[str, Path], current: str, sections: dict[str, str]) -> str:
    body = fill_sections(split_front_matter(readme), sections)
    return f"---\n{card_data(folders, current).to_yaml()}\n---\n{body}"


def loading_section(folders: dict[str, Path], current: str) -> str:
    """The exact calls that load the current and every released version, typed."""
    pinned = _oldest_first(folders)
    lines = [
        "```python",
        "import os",
        "from datasets import load_dataset",
        "",
        'clone = os.path.abspath(".")  # the path of your clone',
        f'claims = load_dataset(clone, "claims", split="{split_name(current)}")'
        f"  # current version, {current}",
    ]
    lines += [
        f'claims = load_dataset(clone, "{config_name("claims", v)}", split="{split_name(v)}")'
        "  # pinned"
        for v in pinned
    ]
    lines += [
        "",
        "# From the Hugging Face Hub, where `build-dataset publish --repo-id ORG/NAME` tags",
        "# every release vX.Y.Z:",
        f'claims = load_dataset("ORG/NAME", "claims", revision="v{current}")',
        "```",
        "",
        "Configs: "
        + ", ".join(f"`{config_name(t, None)}`" for t in _tables(folders[current]))
        + " for the current version; "
        + ", ".join(f"`{config_name(t, v)}`" for v in pinned for t in _tables(folders[v]))
        + " for each released version, without git.",
        "",
        "In pandas, `to_pandas()` turns an integer field into floats wherever its column has"
        " nulls (for instance the offsets of claims without a `cue`, the `geonames_id` of"
        " places without one, the `date.precision` of events without a date);"
        ' `pandas.read_parquet(path, dtype_backend="pyarrow")` on the files keeps every type.',
    ]
    return "\n".join(lines)
