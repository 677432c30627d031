"""Writing a version folder atomically: data/<version>/{tables}.parquet and manifest.json."""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_parquet(table: pa.Table, path: Path) -> None:
    """Fixed writer options, so the same table always gives the same bytes."""
    pq.write_table(table, path, compression="zstd", compression_level=9, write_statistics=True)


def write_release(
    tables: dict[str, pa.Table], data_dir: Path, version: str, schema_fingerprint: str
) -> dict[str, object]:
    """Write every table and the manifest into a temporary folder, then rename it into place.

    A failure at any point leaves the previous data/<version> as it was."""
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=data_dir))
    staging.chmod(0o755)
    try:
        files = {}
        for name in sorted(tables):
            path = staging / f"{name}.parquet"
            write_parquet(tables[name], path)
            files[path.name] = {
                "bytes": path.stat().st_size,
                "rows": tables[name].num_rows,
                "sha256": sha256_file(path),
            }
        manifest: dict[str, object] = {
            "version": version,
            "schema_fingerprint": schema_fingerprint,
            "files": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _replace_dir(staging, data_dir / version)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_dir(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".tmp-old-{target.name}-", dir=target.parent))
    os.replace(target, retired / target.name)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired / target.name, target)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
