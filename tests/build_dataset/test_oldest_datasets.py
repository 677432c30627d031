"""The card works with the oldest `datasets` that README.md names: that version, installed by
`make test`'s set-up in a venv of its own (.venv-datasets-oldest, pinned by
constraints-datasets-oldest.txt), loads every config of the card, current and pinned, with the
row counts of the manifests and the class labels of the features."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from build_dataset.documents.card import split_name
from build_dataset.write.release import (
    read_manifest_files,
    released_tables,
    released_versions,
    table_files,
)
from build_dataset.write.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[2]
OLDEST = "DATASETS_OLDEST_PYTHON"
"""The interpreter of the venv that holds the oldest `datasets`; `make test` sets it."""

LOAD = """
import json, sys
import datasets
root, cache, configs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
loaded = {}
for config, split in configs:
    table = datasets.load_dataset(root, config, split=split, cache_dir=cache)
    labels = [name for name, f in table.features.items() if isinstance(f, datasets.ClassLabel)]
    loaded[config] = [table.num_rows, labels]
print(json.dumps({"version": datasets.__version__, "loaded": loaded}))
"""


def oldest_datasets() -> str:
    """The version README.md states as the oldest that works."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    marker = "oldest `datasets` this card works with is "
    assert marker in readme, "README.md no longer names the oldest `datasets` it works with"
    return readme.split(marker, 1)[1].split()[0].strip("`.,:")


@pytest.mark.skipif(OLDEST not in os.environ, reason=f"{OLDEST} is set by `make test`")
def test_the_oldest_datasets_named_loads_every_config(tmp_path: Path) -> None:
    configs = []
    rows = {}
    for version in released_versions(REPO / "data"):
        files, _ = read_manifest_files(REPO / "data" / version / "manifest.json")
        for table in released_tables(files):
            names = [f"{table}-v{version}"] + ([table] if version == DATASET_VERSION else [])
            for name in names:
                configs.append((name, split_name(version)))
                rows[name] = sum(int(files[f]["rows"]) for f in table_files(files, table))  # type: ignore[call-overload]
    env = os.environ | {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(
        [os.environ[OLDEST], "-c", LOAD, str(REPO), str(tmp_path), json.dumps(configs)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["version"] == oldest_datasets()
    assert {name: n for name, (n, _) in report["loaded"].items()} == rows
    claims_labels = report["loaded"]["claims"][1]
    assert {"quote_type", "claim_type"} <= set(claims_labels)
