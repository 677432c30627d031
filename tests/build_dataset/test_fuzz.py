"""Random and mutated annotation files never crash the validator: every outcome is either a
valid dataset or a list of problems, never a traceback."""

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dataset.assemble import Settings, assemble
from build_dataset.cli import main
from build_dataset.problems import MAX_DEPTH, InvalidInput
from build_dataset.read.inputs import article_sources, read_inputs
from build_dataset.read.yaml_source import read_yaml
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import copy_checkout

REPO = Path(__file__).resolve().parents[2]
ARTICLE = list(article_sources(REPO))[3].file
EVENTS = read_inputs(REPO).events.path
ARTICLE_TEXT = (REPO / ARTICLE).read_text(encoding="utf-8")
EVENTS_TEXT = (REPO / EVENTS).read_text(encoding="utf-8")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the checkout for all examples; each puts back the file it replaces."""
    return copy_checkout(tmp_path_factory.mktemp("fuzz"))


def validate(root: Path, text: str, path: str) -> None:
    """Assemble the checkout with one file replaced; only InvalidInput may come out."""
    target = root / path
    original = target.read_bytes()
    target.write_bytes(text.encode("utf-8"))
    try:
        assemble(Settings(root, DATASET_VERSION, tables=False), workers=1)
    except InvalidInput as error:
        assert error.problems
        assert all(p.file for p in error.problems)
    finally:
        target.write_bytes(original)


def mutate(text: str, seed: int, edits: int) -> str:
    """Delete, duplicate, swap or splice lines and characters of a real file."""
    rng = random.Random(seed)
    lines = text.split("\n")
    for _ in range(edits):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.randrange(6)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[j])
        elif action == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif action == 3 and lines[i]:
            k = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:k] + lines[i][k + 1 :]
        elif action == 4:
            k = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:k] + rng.choice(":-[]{}\"'#&*!|>0 9xé’\t") + lines[i][k:]
        else:
            lines[i] = lines[i].replace(": ", ": " + rng.choice(["", "null", "[]", "{}", "-1"]), 1)
    return "\n".join(lines)


@SETTINGS
@given(st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_article_annotations_never_crash(checkout: Path, seed: int, edits: int) -> None:
    validate(checkout, mutate(ARTICLE_TEXT, seed, edits), ARTICLE)


@SETTINGS
@given(st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_events_never_crash(checkout: Path, seed: int, edits: int) -> None:
    validate(checkout, mutate(EVENTS_TEXT, seed, edits), EVENTS)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_never_crashes(checkout: Path, text: str) -> None:
    validate(checkout, text, ARTICLE)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["article", "claims", "id", "quote", "events"]), children)
    ),
    max_leaves=20,
)


@SETTINGS
@given(YAML_VALUES)
def test_random_structures_never_crash(checkout: Path, value: object) -> None:
    validate(checkout, json.dumps(value), ARTICLE)


def cli_validate(root: Path, text: str, path: str, as_line: bool = False) -> None:
    """Validate the checkout through the command's entry point with one article replaced by
    text (as a JSON Lines file beside it when as_line): exit 0 or 1, never a traceback."""
    target = root / path
    original = target.read_bytes()
    written = target.with_suffix(".jsonl") if as_line else target
    if as_line:
        target.unlink()
    written.write_bytes(text.encode("utf-8"))
    try:
        assert main(["--root", str(root), "validate", "--workers", "1"]) in (0, 1)
    finally:
        written.unlink()
        target.write_bytes(original)


NESTED = st.sampled_from([1, MAX_DEPTH - 3, MAX_DEPTH, MAX_DEPTH + 1, 5_000, 100_000])
NUMBERS = st.sampled_from(
    ["0", "-0", "1e309", "-1e309", "9" * 401, "9" * 5000, "1.5", "9223372036854775808"]
)
YAML_SCALARS = (
    NUMBERS
    | st.sampled_from([".nan", ".inf", "-.inf", "0x1f", "0o17", "08", "2023-02-30", "~", "''"])
    | st.sampled_from(["!!binary aGk=", "!!str 12", "!!int x", "!!float 1", "!custom a", "!"])
    | st.sampled_from(["!!timestamp 2023-09-20", "*alias", "&anchor a", "!!null ''"])
    | st.text(max_size=12).map(json.dumps)
)
YAML_FLOW = st.recursive(
    YAML_SCALARS,
    lambda children: (
        st.tuples(
            st.sampled_from(["", "!!python/tuple ", "!!seq ", "!!omap "]),
            st.lists(children, max_size=3),
        ).map(lambda tl: f"{tl[0]}[{', '.join(tl[1])}]")
        | st.tuples(
            st.sampled_from(["", "!!set ", "!!map ", "!x "]),
            st.lists(st.tuples(st.sampled_from(["a", "b", "é", "1"]), children), max_size=3),
        ).map(lambda tl: tl[0] + "{" + ", ".join(f"{k}: {v}" for k, v in tl[1]) + "}")
    ),
    max_leaves=8,
)
YAML_FRAGMENTS = YAML_FLOW | NESTED.map(lambda n: "[" * n + "]" * n)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(YAML_FRAGMENTS, st.booleans())
def test_generated_yaml_values_end_in_a_clean_exit(
    checkout: Path, fragment: str, repeat: bool
) -> None:
    """Tags, nesting, numbers, unicode and repeated keys as the value of a real field."""
    title = next(line for line in ARTICLE_TEXT.split("\n") if line.startswith("  title: "))
    value = f"  title: {fragment}" + (f"\n  title: {fragment}" if repeat else "")
    cli_validate(checkout, ARTICLE_TEXT.replace(title, value, 1), ARTICLE)


JSON_SCALARS = (
    NUMBERS
    | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "tru", '"\\ud800"', "null"])
    | st.text(max_size=12).map(lambda s: json.dumps(s, ensure_ascii=False))
)
JSON_FLOW = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3).map(lambda items: f"[{', '.join(items)}]")
        | st.lists(st.tuples(st.sampled_from(["a", "b", "é"]), children), max_size=3).map(
            lambda pairs: "{" + ", ".join(f'"{k}": {v}' for k, v in pairs) + "}"
        )
    ),
    max_leaves=8,
)
JSON_FRAGMENTS = JSON_FLOW | NESTED.map(lambda n: "[" * n + "]" * n)
ARTICLE_LINE = json.dumps(read_yaml(REPO / ARTICLE, ARTICLE).data, ensure_ascii=False)


@FUZZ
@given(JSON_FRAGMENTS, st.sampled_from(["title", "claims", "article"]))
def test_generated_json_lines_end_in_a_clean_exit(checkout: Path, fragment: str, key: str) -> None:
    """The same as a JSON Lines line: the value of a real field, or a key given again."""
    line = ARTICLE_LINE.replace(f'"{key}": ', f'"{key}": {fragment}, "{key}": ', 1)
    cli_validate(checkout, line + "\n", ARTICLE, as_line=True)
