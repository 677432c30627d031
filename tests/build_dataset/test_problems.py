"""Problems are reported in one order, whatever the order they were found in and however the
process hashes strings (which orders a set)."""

import os
import subprocess
import sys

REPORT = """
from build_dataset.problems import InvalidInput, Problem
found = [
    Problem("seeds/annotations/a.yaml", 3, None, "claims[0].claimant", "unknown actor", hint)
    for hint in ("did you mean 'azerbaijan'?", "did you mean 'armenia'?", None, "see actors")
]
print([p.hint for p in InvalidInput(found).problems])
"""


def test_problems_that_differ_only_in_their_hint_keep_one_order() -> None:
    orders = {
        subprocess.run(
            [sys.executable, "-c", REPORT],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert orders == {
        "[None, \"did you mean 'armenia'?\", \"did you mean 'azerbaijan'?\", 'see actors']\n"
    }
