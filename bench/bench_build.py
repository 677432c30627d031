"""Benchmark of the builder against the raw Arrow floor on synthetic corpora.

For each size it generates a corpus (not timed), then runs, each in a fresh process:

- the floor: pyarrow reads the annotation records as JSON Lines and writes them as Parquet,
  validating nothing;
- Pydantic alone validating every line in one process: the least that any builder validating
  each record with the models must spend;
- the builder's data path (read, validate every annotation with Pydantic, check references,
  spans and figures, run pandera, write the Parquet release), with one worker and with every
  core, without the shard cache;
- the incremental rebuild: a build with the cache fills it (its time shows what keeping the
  cache costs); then for each of two edits of one article's annotation line (both keep it
  valid), a build with the cache runs again, then a full build of the edited corpus without
  the cache, whose bytes the rebuild must equal. The first edit changes one claim's note,
  which no shard's part of the corpus index holds; the second gives the claim a relation to a
  claim of another article, which the checks across shards read, so they ask what the edited
  part adds.

It prints wall time, the CPU time of the step's main process (all of a step's CPU time when it
runs in one process, as the one-worker build does: less noisy than wall time on a busy
machine), claims per second, the peak RSS of the step's whole process tree, output bytes, the
ratio of each step's throughput to the floor's, whether the parallel build wrote the same bytes
as the serial one, the rebuild's time as a share of the full build's, and whether the rebuild
wrote the bytes of a full build. It is a measurement, not a test.

    .venv/bin/python -m bench.bench_build --sizes 1000 10000"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import generate
from build_dataset.assemble import default_workers

VERSION = "3.1.0"
"""The version the benchmark builds: one after the released ones, written as the next release
will be (see build_dataset.write.release.zstd_level)."""

BUILDER = f"""
import sys
import time
from pathlib import Path
from build_dataset.build import release_data
root, workers, cache = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:] == ["cache"]
out = root / "out"
assembled, manifest = release_data(
    root, out, "{VERSION}", "2026-01-01", None, workers, cache=cache
)
print(sum(f["bytes"] for f in manifest["files"].values()))
print(sum(assembled.rows.values()))
print(time.process_time())
"""

FLOOR = """
import sys
import time
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
print(time.process_time())
"""


PYDANTIC = """
import sys
import time
from pathlib import Path
from karabakh_schema.annotation import ArticleAnnotationFile, EventAnnotation
root = Path(sys.argv[1])
rows = 0
for path in sorted((root / "seeds" / "annotations").glob("*.jsonl")):
    model = EventAnnotation if path.stem == "events" else ArticleAnnotationFile
    with path.open("rb") as stream:
        for line in stream:
            model.model_validate_json(line)
            rows += 1
print(0)
print(rows)
print(time.process_time())
"""


def _tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total = 0
    for pid in rss:
        ancestor = pid
        while ancestor not in (root_pid, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        total += rss[pid] if ancestor == root_pid else 0
    return total


Step = tuple[float, int, int, int, float]
"""What run returns."""


def run(code: str, *args: str) -> Step:
    """(wall seconds, peak RSS bytes of the whole process tree, output bytes, rows, CPU
    seconds of the child process itself) of code run in a child process; the tree's memory is
    sampled every 200 ms."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    stdout, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"benchmark step failed with exit code {child.returncode}")
    output_bytes, rows, cpu = stdout.split()
    return wall, peak, int(output_bytes), int(rows), float(cpu)


def _manifest_files(root: Path) -> dict[str, object]:
    manifest = root / "out" / VERSION / "manifest.json"
    files: dict[str, object] = json.loads(manifest.read_text())["files"]
    return files


EDITED_NOTE = "Edited by bench_build to measure an incremental rebuild."


def _middle_record(root: Path) -> tuple[Path, list[bytes], int]:
    """The annotation file in the middle of the corpus, its lines, and its middle line's index."""
    files = sorted(p for p in (root / "seeds/annotations").glob("*.jsonl") if p.stem != "events")
    path = files[len(files) // 2]
    lines = path.read_bytes().splitlines(keepends=True)
    return path, lines, len(lines) // 2


def _rewrite(path: Path, lines: list[bytes], index: int, record: dict[str, Any]) -> None:
    lines[index] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(b"".join(lines))


def edit_one_annotation(root: Path) -> str:
    """Change the note of the first claim of the article in the middle of the corpus, in its
    JSON Lines file (the annotation stays valid, and no shard's part of the corpus index
    changes); returns the claim's id."""
    path, lines, middle = _middle_record(root)
    record = json.loads(lines[middle])
    claim = record["claims"][0]
    claim["note"] = EDITED_NOTE
    _rewrite(path, lines, middle, record)
    return str(claim["id"])


def relate_across_articles(root: Path) -> str:
    """Give the same claim a relation to the first claim of the article before it (it stays
    valid): a relation between articles is in its shard's part of the corpus index, so the
    checks across shards ask what it adds (see check/crossing_change); returns the claim's
    id."""
    path, lines, middle = _middle_record(root)
    record = json.loads(lines[middle])
    other = json.loads(lines[middle - 1])["claims"][0]["id"]
    claim = record["claims"][0]
    claim.setdefault("relations", []).append({"type": "agrees", "claim": other, "note": None})
    _rewrite(path, lines, middle, record)
    return str(claim["id"])


EDITS = {
    "one claim's note": edit_one_annotation,
    "a relation to another article's claim": relate_across_articles,
}
"""The edits the rebuild is measured after, in turn: one no shard's part of the corpus index
sees, and one it does."""


def _incremental(root: Path, workers: int) -> tuple[dict[str, Step], dict[str, bool]]:
    """The cache-filling build, then for each edit in turn, the rebuild after it and a full
    build of the edited corpus without the cache; whether each rebuild gave that full build's
    bytes."""
    steps, identical = {}, {}
    shutil.rmtree(root / "out")
    steps[f"builder, {workers} workers, filling the cache"] = run(
        BUILDER, str(root), str(workers), "cache"
    )
    for edit, apply in EDITS.items():
        apply(root)
        shutil.rmtree(root / "out")
        steps[f"rebuild after editing {edit}, cache"] = run(
            BUILDER, str(root), str(workers), "cache"
        )
        rebuilt = _release_bytes(root)
        shutil.rmtree(root / "out")
        steps[f"builder, {workers} workers, corpus with {edit} edited"] = run(
            BUILDER, str(root), str(workers)
        )
        identical[edit] = _release_bytes(root) == rebuilt
    return steps, identical


def _release_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "out" / VERSION).iterdir())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    print(
        "| articles | claims | step | wall s | main CPU s | claims/s | peak RSS MiB "
        "| output MiB | ratio |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            summary = generate(root, size, seed=args.seed)
            steps = {"floor": run(FLOOR, str(root))}
            steps["Pydantic only, 1 process"] = run(PYDANTIC, str(root))
            steps["builder, 1 worker"] = run(BUILDER, str(root), "1")
            serial = _manifest_files(root)
            shutil.rmtree(root / "out")
            full = f"builder, {args.workers} workers"
            steps[full] = run(BUILDER, str(root), str(args.workers))
            identical = _manifest_files(root) == serial
            incremental, rebuild_identical = _incremental(root, args.workers)
            steps |= incremental
            floor_wall = steps["floor"][0]
            for step, (wall, peak, out, _, cpu) in steps.items():
                print(
                    f"| {size} | {summary.claims} | {step} | {wall:.2f} | {cpu:.2f} | "
                    f"{summary.claims / wall:,.0f} | {peak / 2**20:,.0f} | {out / 2**20:.1f} | "
                    f"{floor_wall / wall:.2f} |",
                    flush=True,
                )
            shares = {}
            for edit in EDITS:
                rebuild = steps[f"rebuild after editing {edit}, cache"][0]
                shares[edit] = rebuild / steps[full][0]
                print(
                    f"rebuild after editing {edit}: {rebuild:.2f} s, {shares[edit]:.1%} of the "
                    f"full build's {steps[full][0]:.2f} s; byte-identical to a full build of the "
                    f"edited corpus: {rebuild_identical[edit]}",
                    flush=True,
                )
            results.append(
                {
                    "articles": size,
                    "claims": summary.claims,
                    "ratio": floor_wall / steps[full][0],
                    "parallel_output_identical_to_serial": identical,
                    "rebuild_share_of_full_build": shares,
                    "rebuild_identical_to_full_build": rebuild_identical,
                }
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
