"""How long `build-dataset validate FILE` takes from start to answer, as a contributor runs it.

Each run starts the command's own entry point in a fresh process, so starting Python and the
imports count as they do for a contributor. Two baselines run alternately with it, so that a
machine whose speed drifts shifts all three alike: starting Python, and starting it and
importing pydantic's BaseModel (the least any validator built on the models spends before it
reads a file). It prints the median, fastest and slowest of each, and how many of this
repository's modules have no cached bytecode: `make` compiles them, and where the environment
sets PYTHONDONTWRITEBYTECODE nothing else does, so every start would recompile them. It is a
measurement, not a test.

    .venv/bin/python -m bench.bench_validate [FILE] [--runs 21]"""

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("karabakh_schema", "build_dataset")
DEFAULT_FILE = "seeds/annotations/003_82aebb510e30787e.yaml"


def _stale(source: Path) -> bool:
    """Whether Python would have to compile the module: no cached bytecode, or bytecode of
    another mtime or size of the source (the pyc header records both)."""
    cached = Path(importlib.util.cache_from_source(str(source)))
    if not cached.is_file():
        return True
    header, stat = cached.read_bytes()[8:16], source.stat()
    recorded = (int.from_bytes(header[:4], "little"), int.from_bytes(header[4:], "little"))
    return recorded != (int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF)


def stale_modules(root: Path = REPO) -> list[str]:
    return [
        str(path.relative_to(root))
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if _stale(path)
    ]


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}")
    return wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    commands = {
        "start Python": [sys.executable, "-c", "pass"],
        "start Python, import BaseModel": [
            sys.executable,
            "-c",
            "from pydantic import BaseModel",
        ],
        f"build-dataset validate {args.file}": [
            str(Path(sys.executable).with_name("build-dataset")),
            "validate",
            args.file,
        ],
    }
    stale = stale_modules()
    times: dict[str, list[float]] = {step: [] for step in commands}
    for _ in range(args.runs):
        for step, command in commands.items():
            times[step].append(_seconds(command))
    print(
        f"runs of each step, alternating: {args.runs}; "
        f"modules without cached bytecode: {len(stale)}"
    )
    print("| step | median s | fastest s | slowest s |")
    print("|---|---:|---:|---:|")
    for step, walls in times.items():
        print(f"| {step} | {statistics.median(walls):.3f} | {min(walls):.3f} | {max(walls):.3f} |")


if __name__ == "__main__":
    main()
