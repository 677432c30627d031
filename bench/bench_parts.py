"""The CPU time of the steps that any builder of this dataset must take, against the budgets
that 0.3x (issue 20's target) and 0.5x the raw floor leave, on the same synthetic corpus.

It generates a corpus (not timed), builds its release with one worker, whose CPU time is every
step and every check of this builder, runs the floor of bench_build in its own process, then
measures in this process, one after the other and with the cyclic collector paused as in the
builder:

- validating every annotation line with the annotation model, each object dropped at once:
  DEVELOPERS.md asks for validation per record with Pydantic;
- refusing a key given twice in an object of every annotation line: Pydantic's JSON parser
  keeps the last value without a word, so a builder that validates with it must look again
  (this builder's jsonl_source.repeats_a_key, one json.loads whose objects are counted in C);
- validating every line of events.jsonl with the event model and refusing its repeated keys,
  as the events registry must before any article is checked;
- reading every seed and cleaning it, since spans point into the clean text;
- one `str.find` for each claim's quote in its article, and for each value, claimant and cue
  in its quote, and nothing else: the least that checking offsets costs;
- writing the builder's output tables (read back from its release) as Parquet at zstd level 9,
  as the released versions are, and with the builder's own writer, at zstd's default level as
  for every version after 3.0.0.

It prints each step's CPU seconds, their sums, the builder's, and the budgets: at 0.3x the
floor a build may take the floor's wall time over 0.3 on every core, at 0.5x twice it; and
what the 0.3x budget leaves, once these steps are paid, for everything else a build does (the
checks of references, spellings, dates, figures, coverage and repeats, the checks across
articles, the events table). The budgets assume every core busy from start to end. It is a
measurement, not a test.

    .venv/bin/python -m bench.bench_parts --articles 50000"""

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bench.bench_build import BUILDER, FLOOR, VERSION, run
from bench.synthetic import generate
from build_dataset.assemble import default_workers
from build_dataset.check.shard_step import collector_paused
from build_dataset.read.cleaning import clean_article
from build_dataset.read.jsonl_source import repeats_a_key
from build_dataset.write.release import ROWS_PER_ROW_GROUP, write_parquet
from karabakh_schema.annotation import ArticleAnnotationFile, ClaimAnnotation, EventAnnotation

TARGET, STRETCH = 0.3, 0.5
"""Issue 20's ratios of the floor's wall time to the build's."""


def _lines(root: Path, pattern: str = "articles-*.jsonl") -> Iterator[bytes]:
    for path in sorted((root / "seeds" / "annotations").glob(pattern)):
        with path.open("rb") as stream:
            yield from stream


def _event_lines(root: Path) -> Iterator[bytes]:
    return _lines(root, "events.jsonl")


def _parts(claim: ClaimAnnotation) -> Iterator[str]:
    """What a claim says is inside its quote."""
    yield from (part for part in (claim.claimant_text, claim.cue) if part)
    for values in (claim.quantities, claim.dates, claim.places):
        yield from (value.text for value in values)


def _write_level_9(table: pa.Table, path: Path) -> None:
    pq.write_table(
        table, path, compression="zstd", compression_level=9, row_group_size=ROWS_PER_ROW_GROUP
    )


_WRITERS = {
    "write the output tables at zstd level 9, as the released versions are": _write_level_9,
    "write them at zstd's default level, as the builder writes later versions": write_parquet,
}


def measure(root: Path, release: Path) -> dict[str, float]:
    """CPU seconds of each step (see the module's docstring)."""
    cpu: dict[str, float] = {}
    start = time.process_time()
    for line in _lines(root):
        ArticleAnnotationFile.model_validate_json(line)
    cpu["validate every annotation line with Pydantic"] = time.process_time() - start
    start = time.process_time()
    for line in _lines(root):
        repeats_a_key(line.decode("utf-8"))
    cpu["refuse a key given twice in every annotation line"] = time.process_time() - start
    start = time.process_time()
    for line in _event_lines(root):
        EventAnnotation.model_validate_json(line)
        repeats_a_key(line.decode("utf-8"))
    cpu["validate every event line with Pydantic and refuse its repeated keys"] = (
        time.process_time() - start
    )
    clean = find = 0.0
    for line in _lines(root):
        ann = ArticleAnnotationFile.model_validate_json(line)
        start = time.process_time()
        raw = (root / "seeds" / f"{ann.article.id}.txt").read_text(encoding="utf-8")
        text = clean_article(raw, ann.article.outlet).clean_text
        cleaned = time.process_time()
        for claim in ann.claims or []:
            text.find(claim.quote)
            for part in _parts(claim):
                claim.quote.find(part)
        clean, find = clean + cleaned - start, find + time.process_time() - cleaned
    cpu["read and clean every seed"] = clean
    cpu["find every quote, value, claimant and cue"] = find
    tables = [pq.read_table(path) for path in sorted(release.glob("*.parquet"))]
    with tempfile.TemporaryDirectory() as folder:
        for step, write in _WRITERS.items():
            start = time.process_time()
            for index, table in enumerate(tables):
                write(table, Path(folder) / f"{index}.parquet")
            cpu[step] = time.process_time() - start
    return cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    cores = default_workers()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        summary = generate(root, args.articles, seed=args.seed)
        builder_cpu = run(BUILDER, str(root), "1")[4]
        floor_wall = run(FLOOR, str(root))[0]
        with collector_paused():
            cpu = measure(root, root / "out" / VERSION)
    target, stretch = (floor_wall / ratio * cores for ratio in (TARGET, STRETCH))
    print(f"{args.articles} articles, {summary.claims} claims, {cores} cores")
    print("| step | CPU s |")
    print("|---|---:|")
    for step, seconds in cpu.items():
        print(f"| {step} | {seconds:.2f} |")
    level_9, default = (cpu.pop(step) for step in _WRITERS)
    needed = sum(cpu.values()) + default
    print(f"| sum, writing at zstd level 9 | {sum(cpu.values()) + level_9:.2f} |")
    print(f"| sum, writing at the default level | {needed:.2f} |")
    print(f"| the builder with one worker: every step and every check | {builder_cpu:.2f} |")
    wall = f"the floor ({floor_wall:.2f} s wall) on {cores} cores"
    print(f"| budget at {TARGET}x {wall} | {target:.2f} |")
    print(f"| budget at {STRETCH}x {wall} | {stretch:.2f} |")
    print(
        f"| left at {TARGET}x for everything else, once the sum at the default level is paid "
        f"| {target - needed:.2f} |"
    )


if __name__ == "__main__":
    main()
