"""The README's YAML front matter, generated from the release folders on every build: one
config per table for the current version, and one per table and released version."""

import json
from pathlib import Path

import pyarrow.parquet as pq
from datasets import DatasetInfo, Features
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from build_dataset.documents.about import CARD_METADATA, HUB_DATASET_ID, PRETTY_NAME, REPOSITORY_URL
from build_dataset.documents.docs import fill_sections
from build_dataset.documents.paths import README
from build_dataset.write.release import MANIFEST, released_tables, table_files, version_key
from karabakh_schema import RECORD_MODELS

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


def _features(folder: Path, table: str) -> tuple[Features, bool]:
    """A table's features, as its files embed them, and whether `datasets` reads them from
    the files alone: it takes the embedded features only where their Arrow schema is the
    files' (the non-null fields of the files before 2.0.0 lose their class labels)."""
    files = json.loads((folder / MANIFEST).read_text())["files"]
    schema = pq.read_schema(folder / table_files(files, table)[0])
    stored = Features.from_dict(json.loads(schema.metadata[b"huggingface"])["info"]["features"])
    return stored, Features.from_arrow_schema(schema) == stored


def _rows(folder: Path, table: str) -> int:
    files = json.loads((folder / MANIFEST).read_text())["files"]
    return sum(int(files[shard]["rows"]) for shard in table_files(files, table))


def _size_category(rows: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if rows < limit:
            return name
    return "100K<n<1M"


def card_data(folders: dict[str, Path], current: str) -> DatasetCardData:
    """The card's metadata for the current version and every version pinned, folders giving
    where each version's release is (a build's staging folder for the one it releases).
    Features are written only for the configs whose files do not give them to `datasets`,
    so that the front matter holds what the Hub and `datasets` need and no more."""
    configs, infos = [], {}
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
            features, in_files = _features(folders[version], table)
            if not in_files:
                infos[name] = DatasetInfo(features=features, config_name=name)
    size = sum(_rows(folders[current], table) for table in RECORD_MODELS)
    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        size_categories=[_size_category(size)],
        configs=configs,
        **CARD_METADATA,  # type: ignore[arg-type]
    )
    if infos:
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
    body = fill_sections(split_front_matter(readme), sections, README)
    return f"---\n{card_data(folders, current).to_yaml()}\n---\n{body}"


def loading_section(folders: dict[str, Path], current: str) -> str:
    """How to load the current and every released version from the Hub, typed, and from a
    clone."""
    pinned = _oldest_first(folders)
    earlier = [v for v in pinned if v != current]
    example = earlier[0] if earlier else current
    lines = [
        "No clone and no build: `build-dataset publish` puts the data on the Hugging Face Hub "
        f"as `{HUB_DATASET_ID}`, each release tagged `vX.Y.Z`.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'REPO = "{HUB_DATASET_ID}"',
        f"# The newest release ({current} in this card):",
        f'claims = load_dataset(REPO, "claims", split="{split_name(current)}")',
        f"# Exactly {current}, whatever is released later: its tag.",
        f'claims = load_dataset(REPO, "claims", split="{split_name(current)}", '
        f'revision="v{current}")',
        "# An earlier release, by its pinned config:",
        f'claims = load_dataset(REPO, "{config_name("claims", example)}", '
        f'split="{split_name(example)}")',
        "```",
        "",
        "Configs: "
        + ", ".join(f"`{config_name(t, None)}`" for t in _tables(folders[current]))
        + f" for {current}; "
        + ", ".join(f"`{config_name(t, v)}`" for v in pinned for t in _tables(folders[v]))
        + " for each release, so that one revision loads every version. Each config has one"
        f" split: `{EVALUATION_SPLIT}` from {EVALUATION_SPLIT_SINCE} on, `train` before.",
        "",
        f"The source repository is {REPOSITORY_URL}. From a clone of it, pass the clone's "
        "absolute path instead of `REPO` "
        '(`load_dataset(os.path.abspath("."), "claims", split="'
        f'{split_name(current)}")`): the data is committed, so loading it needs no build.',
        "",
        "In pandas, `to_pandas()` turns an integer field into floats wherever its column has"
        " nulls (for instance the offsets of claims without a `cue`, the `geonames_id` of"
        " places without one, the `date.precision` of events without a date);"
        ' `pandas.read_parquet(path, dtype_backend="pyarrow")` on the files keeps every type.',
    ]
    return "\n".join(lines)
