"""How long `build-dataset validate FILE` takes to answer for one very long quote: the time
to check a quote must grow with its length, not with its square.

In a copy of the checkout, the first annotated article gets one more claim whose quote is
SIZE characters of the article's own words, in three cases: the quote is not in the text; it
is in the text (put into the seed's body, whose sha256 is updated); a third as long, it is in
the text, and the claim's cue and claimant_text, as long again, are not in it (the three fill
an annotation file's size limit). Each case runs the command's
entry point in a fresh process and prints its wall time and its first problem. It is a
measurement, not a test.

    .venv/bin/python -m bench.bench_quote [--size 2000000]"""

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_dataset.read.inputs import article_sources
from build_dataset.read.yaml_source import read_yaml
from tests.checkout import copy_checkout

REPO = Path(__file__).resolve().parents[1]


def _words(text: str, size: int, seed: int) -> str:
    """size characters of the text's words in a random order."""
    words, rng, out, length = text.split(), random.Random(seed), [], 0
    while length < size:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    return " ".join(out)[:size].strip()


def _case(root: Path, file: str, quote: str, seed_text: str | None, misses: str | None) -> None:
    """The annotation file with the claim added (and the seed extended, if seed_text)."""
    path = root / file
    data = read_yaml(path, file).data
    article = data["article"]["id"]
    seed = root / "seeds" / f"{article}.txt"
    text = path.read_text(encoding="utf-8")
    if seed_text is not None:
        raw = seed.read_text(encoding="utf-8")
        at = raw.index(data["claims"][0]["quote"])  # within the body, clear of site chrome
        seed.write_text(f"{raw[:at]}{seed_text}\n\n{raw[at:]}", encoding="utf-8")
        digest = hashlib.sha256(seed.read_bytes()).hexdigest()
        text = text.replace(data["article"]["sha256"], digest, 1)
    claim = (
        f"  - id: {article}-c999\n    quote: {json.dumps(quote)}\n"
        f"    claimant: {data['claims'][0]['claimant']}\n"
        "    quote_type: unattributed\n    claim_type: background\n"
    )
    if misses is not None:
        claim += f"    cue: {json.dumps(misses)}\n    claimant_text: {json.dumps(misses)}\n"
    path.write_text(text.replace("\nclaims:\n", f"\nclaims:\n{claim}", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2_000_000, help="characters in the quote")
    size = parser.parse_args().size
    file = next(
        s.file for s in article_sources(REPO) if read_yaml(REPO / s.file, s.file).data["claims"]
    )
    seed_text = (REPO / "seeds" / f"{Path(file).stem}.txt").read_text(encoding="utf-8")
    big, third = _words(seed_text, size, 1), _words(seed_text, size // 3, 1)
    cases = {
        "quote not in the text": (big, None, None),
        "quote in the text": (big, big, None),
        "cue and claimant_text not in the quote": (third, third, _words(seed_text, size // 3, 2)),
    }
    command = [str(Path(sys.executable).parent / "build-dataset"), "--root"]
    for name, (quote, extra, misses) in cases.items():
        with tempfile.TemporaryDirectory() as folder:
            root = copy_checkout(Path(folder))
            _case(root, file, quote, extra, misses)
            start = time.perf_counter()
            done = subprocess.run(
                [*command, str(root), "validate", file], cwd=root, capture_output=True, text=True
            )
            seconds = time.perf_counter() - start
            shutil.rmtree(root / "data", ignore_errors=True)
        lines = (done.stdout + done.stderr).splitlines()
        first = next((line.strip()[:160] for line in lines if "c999" in line), lines[-1][:160])
        print(f"{name}: {seconds:.2f} s (exit {done.returncode}) {first}")


if __name__ == "__main__":
    main()
