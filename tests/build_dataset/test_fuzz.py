"""Random and mutated annotation files never crash the validator: every outcome is either a
valid dataset or a list of problems, never a traceback."""

import random
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_dataset.assemble import assemble
from build_dataset.inputs import Inputs, read_inputs
from build_dataset.problems import InvalidInput
from build_dataset.yaml_source import parse_yaml

REPO = Path(__file__).resolve().parents[2]
INPUTS = read_inputs(REPO)
ARTICLE = INPUTS.articles[3]
ARTICLE_TEXT = (REPO / ARTICLE.path).read_text(encoding="utf-8")
EVENTS_TEXT = (REPO / INPUTS.events.path).read_text(encoding="utf-8")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate(text: str, path: str, events: bool = False) -> None:
    """Parse and assemble with one file replaced; only InvalidInput may come out."""
    try:
        document = parse_yaml(text, path)
        if events:
            inputs = replace(INPUTS, events=document)
        else:
            articles = tuple(document if d.path == path else d for d in INPUTS.articles)
            inputs: Inputs = replace(INPUTS, articles=articles)
        assemble(inputs)
    except InvalidInput as error:
        assert error.problems
        assert all(p.file for p in error.problems)


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
def test_mutated_article_annotations_never_crash(seed: int, edits: int) -> None:
    validate(mutate(ARTICLE_TEXT, seed, edits), ARTICLE.path)


@SETTINGS
@given(st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_events_never_crash(seed: int, edits: int) -> None:
    validate(mutate(EVENTS_TEXT, seed, edits), INPUTS.events.path, events=True)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    validate(text, ARTICLE.path)


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
def test_random_structures_never_crash(value: object) -> None:
    import json

    validate(json.dumps(value), ARTICLE.path)
