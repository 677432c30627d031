"""Benchmark of the builder against the raw Arrow floor on synthetic corpora.

For each size it generates a corpus (not timed), then runs, each in a fresh process so that
peak RSS is its own: the builder's data path (read, validate every record with Pydantic, check
references, spans and figures, run pandera, write the Parquet release), and the floor: pyarrow
reading the same annotation records as JSON Lines and writing them as Parquet, validating
nothing. It prints wall time, records per second, peak RSS and output bytes, and the ratio of
builder to floor throughput. It is a measurement, not a test.

    .venv/bin/python -m bench.bench_build --sizes 1000 10000
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate

PEAK = """
import resource
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BUILDER = (
    """
import sys
from pathlib import Path
from build_dataset.build import check, schema_fingerprint
from build_dataset.release import write_release
root = Path(sys.argv[1])
checked = check(root, "0.0.0")
manifest = write_release(checked.tables, root / "out", "0.0.0", schema_fingerprint(), "2026-01-01")
print(sum(f["bytes"] for f in manifest["files"].values()))
print(sum(t.num_rows for t in checked.tables.values()))
"""
    + PEAK
)

FLOOR = (
    """
import sys
from pathlib import Path
import pyarrow.json as pj
import pyarrow.parquet as pq
root = Path(sys.argv[1])
(root / "floor").mkdir()
size = rows = 0
for path in sorted((root / "seeds" / "annotations").glob("*.jsonl")):
    table = pj.read_json(path)
    out = root / "floor" / (path.stem + ".parquet")
    pq.write_table(table, out, compression="zstd")
    size += out.stat().st_size
    rows += table.num_rows
print(size)
print(rows)
"""
    + PEAK
)


def run(code: str, root: Path) -> tuple[float, int, int, int]:
    """(wall seconds, peak RSS bytes, output bytes, rows) of code run in a child process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    output_bytes, rows, peak_kib = (int(x) for x in done.stdout.split())
    return wall, peak_kib * 1024, output_bytes, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| articles | claims | step | wall s | claims/s | peak RSS MiB | output MiB | ratio |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            summary = generate(root, size, seed=args.seed)
            floor = run(FLOOR, root)
            builder = run(BUILDER, root)
            ratio = floor[0] / builder[0]
            for step, (wall, peak, out, _) in (("floor", floor), ("builder", builder)):
                print(
                    f"| {size} | {summary.claims} | {step} | {wall:.2f} | "
                    f"{summary.claims / wall:,.0f} | {peak / 2**20:,.0f} | {out / 2**20:.1f} | "
                    f"{ratio if step == 'builder' else 1:.2f} |",
                    flush=True,
                )
            results.append({"articles": size, "claims": summary.claims, "ratio": ratio})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
