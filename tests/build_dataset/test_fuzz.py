"""Random and mutated annotation files never crash the validator: every outcome is either a
valid dataset or a list of problems, never a traceback."""

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dataset.assemble import Settings, assemble
from build_dataset.inputs import article_sources, read_inputs
from build_dataset.problems import InvalidInput
from build_dataset.version import DATASET_VERSION
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
