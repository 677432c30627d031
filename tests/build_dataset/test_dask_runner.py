"""The shard step mapped onto a Dask cluster of two worker processes on this machine writes the
bytes of a serial build; without the extra, asking for Dask says which extra to install."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_dataset.build import release_data
from build_dataset.read.inputs import article_sources
from tests.checkout import REPO, copy_checkout, snapshot

distributed = pytest.importorskip("distributed")

VERSION = "9.9.9"
RELEASE_DATE = "2026-11-23"
SHARDS = -(-sum(1 for _ in article_sources(REPO)) // 2)
"""Two articles a shard."""


def released(
    root: Path, data_dir: Path, workers: int | None = None, scheduler: str | None = None
) -> dict[str, bytes]:
    release_data(root, data_dir, VERSION, RELEASE_DATE, None, workers, 2, scheduler=scheduler)
    return {p.name: p.read_bytes() for p in sorted((data_dir / VERSION).iterdir())}


def test_a_build_on_a_local_cluster_writes_the_bytes_of_a_serial_build(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path / "checkout")
    serial = released(root, tmp_path / "serial", workers=1)
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2, timeout=60)
        on_dask = released(root, tmp_path / "dask", scheduler=cluster.scheduler_address)
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2
    assert sum(executed.values()) == SHARDS  # every shard, checked by the cluster's workers
    assert on_dask == serial
    assert len([name for name in serial if name.startswith("articles-")]) == SHARDS


def test_without_the_extra_the_dask_runner_names_it(tmp_path: Path) -> None:
    """Dask hidden from the interpreter, as when the extra is not installed."""
    root = copy_checkout(tmp_path / "checkout")
    hide_dask = (
        "import sys; sys.modules['distributed'] = None; "
        "from build_dataset.cli import main; "
        "sys.exit(main(['--root', sys.argv[1], 'build', '--scheduler', 'tcp://127.0.0.1:1']))"
    )
    environment = os.environ | {"PYTHONPATH": str(REPO)}
    before = snapshot(root)
    result = subprocess.run(
        [sys.executable, "-c", hide_dask, str(root)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "failed: the Dask runner needs the optional extra 'dask': "
        "pip install -c constraints.txt -e '.[dask]'"
    )
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_a_scheduler_that_is_no_address_is_one_message(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path / "checkout")
    before = snapshot(root)
    command = ["--root", str(root), "build", "--scheduler", "not an address"]
    result = subprocess.run(
        [sys.executable, "-m", "build_dataset.cli", *command],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("failed: --scheduler 'not an address' is not a Dask scheduler's address")
    assert last.endswith("give one as tcp://HOST:PORT")
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before
