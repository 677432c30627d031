"""JSON Lines annotations are equivalent to the hand-written YAML files."""

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from build_dataset.build import build
from build_dataset.problems import MAX_DEPTH, TOO_DEEP, InvalidInput
from build_dataset.read.jsonl_source import JsonError, load_json, repeats_a_key, split_lines
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import copy_checkout, refused_build

REPO = Path(__file__).resolve().parents[3]


def as_json_lines(root: Path) -> Path:
    """A checkout whose article and event annotations are JSON Lines instead of YAML."""
    copy_checkout(root)
    annotations = root / "seeds" / "annotations"
    yaml = YAML(typ="safe", pure=True)
    lines = []
    for path in sorted(annotations.glob("0*.yaml")):
        lines.append(json.dumps(yaml.load(path.read_text(encoding="utf-8")), ensure_ascii=False))
        path.unlink()
    (annotations / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = yaml.load((annotations / "events.yaml").read_text(encoding="utf-8"))["events"]
    (annotations / "events.yaml").unlink()
    (annotations / "events.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8"
    )
    return root


def test_json_lines_build_the_same_bytes(tmp_path: Path) -> None:
    result = build(as_json_lines(tmp_path))
    for path in sorted((REPO / "data" / DATASET_VERSION).iterdir()):
        assert (result.release_dir / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_bad_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    root = as_json_lines(tmp_path)
    lines = (root / "seeds/annotations/articles.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["claims"][4]["claim_type"] = "rumour"
    lines[2] = json.dumps(record, ensure_ascii=False)
    lines[3] = lines[3][:-1]
    (root / "seeds/annotations/articles.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidInput) as raised:
        build(root)
    bad_claim_type = (
        "seeds/annotations/articles.jsonl:3: claims[4].claim_type: Input should be "
        "'event_report', 'figure', 'plan', 'agreement_terms', 'position', 'accusation', "
        "'denial', 'evaluation' or 'background' (use one of the values listed)"
    )
    # Each line is read on its own: the bad JSON of line 4 does not hide line 3's problem.
    assert [str(p) for p in raised.value.problems] == [
        bad_claim_type,
        "seeds/annotations/articles.jsonl:4:"
        + str(len(lines[3]) + 1)
        + ": <file>: invalid JSON: Expecting ',' delimiter",
    ]
    lines[3] += "}"
    (root / "seeds/annotations/articles.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidInput) as raised:
        build(root)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.column, problem.field) == (
        "seeds/annotations/articles.jsonl",
        3,
        None,
        "claims[4].claim_type",
    )
    assert str(problem) == bad_claim_type


def test_bad_event_lines_are_reported_with_their_line_numbers(tmp_path: Path) -> None:
    root = as_json_lines(tmp_path)
    path = root / "seeds/annotations/events.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    wrong_type, repeated = json.loads(lines[1]), json.loads(lines[2])
    wrong_type["type"] = "skirmish"
    repeated["id"] = json.loads(lines[0])["id"]
    lines[1:3] = [json.dumps(wrong_type), json.dumps(repeated)]
    lines[3] = lines[3][:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        build(root)
    # The unparsable line stops the build once every event line is read, before the articles.
    assert [(p.file, p.line, p.field, p.message[:32]) for p in raised.value.problems] == [
        ("seeds/annotations/events.jsonl", 2, "events[1].type", "Input should be 'armed_clash', '"),
        ("seeds/annotations/events.jsonl", 3, "events[2].id", "duplicate event id 'ev-2023-09-1"),
        ("seeds/annotations/events.jsonl", 4, "", "invalid JSON: Expecting ',' deli"),
    ]


def test_an_event_line_that_is_not_utf8_stops_the_build(tmp_path: Path) -> None:
    root = as_json_lines(tmp_path)
    path = root / "seeds/annotations/events.jsonl"
    lines = path.read_bytes().splitlines()
    lines[1] = lines[1].replace(b'"', b'\xff"', 1)
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InvalidInput) as raised:
        build(root)
    assert [str(p) for p in raised.value.problems] == [
        "seeds/annotations/events.jsonl:2:2: <file>: is not UTF-8: byte 0xff cannot be decoded"
    ]


def test_load_json_refuses_what_json_loads_would_take_or_crash_on() -> None:
    assert load_json('{"a": [1, {"b": "}{]["}], "c": {"a": 2}}') == {
        "a": [1, {"b": "}{]["}],
        "c": {"a": 2},
    }
    text = '{"a": 1,\n "b": {"a": 2, "\\u0061": 3}}'  # the escape spells "a" too
    with pytest.raises(JsonError) as raised:
        load_json(text)
    assert raised.value.message == 'invalid JSON: duplicate key "a"'
    assert raised.value.line_column(text) == (2, 16)
    load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for depth in (MAX_DEPTH + 1, 100_000):
        with pytest.raises(JsonError) as raised:
            load_json('{"a": ' + "[" * depth + "]" * depth + "}")
        assert (raised.value.message, raised.value.offset) == (
            TOO_DEEP,
            5 + MAX_DEPTH,
        )  # the object is the first level
    with pytest.raises(JsonError) as raised:
        load_json('{"a": ' + "9" * 5000 + "}")
    assert (raised.value.message, raised.value.offset) == (
        "invalid JSON: a number has more than 4300 digits",
        6,
    )


# JSON texts whose objects may give a key twice: a few keys, written plainly or escaped.
_KEYS = st.sampled_from(["a", "b", "\\u0061", "a:", '\\"', "\\u00e9", "\u00e9"])
_VALUES = st.one_of(st.none(), st.integers(-9, 9), st.sampled_from(['"a"', '"{\\"a\\": 1}"']))
_JSON = st.recursive(
    _VALUES.map(lambda v: v if isinstance(v, str) else json.dumps(v)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(_KEYS, inner), max_size=4).map(
            lambda pairs: "{" + ", ".join(f'"{k}": {v}' for k, v in pairs) + "}"
        ),
    ),
    max_leaves=12,
)


def _repeats_a_key_by_hook(text: str) -> bool:
    """What check_keys asked before: a hook that refuses each object's repeated key."""

    class Repeated(Exception):
        pass

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        if len(dict(pairs)) < len(pairs):
            raise Repeated
        return dict(pairs)

    try:
        json.loads(text, object_pairs_hook=unique)
    except Repeated:
        return True
    return False


@given(_JSON)
def test_repeats_a_key_as_a_hook_on_each_object_says(text: str) -> None:
    assert repeats_a_key(text) == _repeats_a_key_by_hook(text)


@pytest.mark.parametrize("registry", [False, True], ids=["articles.jsonl", "events.jsonl"])
def test_a_repeated_key_in_a_valid_line_is_refused(tmp_path: Path, registry: bool) -> None:
    """The models' JSON parser would keep the last value of the key without a word."""
    root = as_json_lines(tmp_path)
    path = root / "seeds/annotations" / ("events.jsonl" if registry else "articles.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    key = next(iter(json.loads(lines[1])))
    value = json.dumps(json.loads(lines[1])[key])
    lines[1] = f'{{"{key}": {value}, ' + lines[1][1:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = refused_build(root)
    column = lines[1].index(f'"{key}"', 2) + 1
    assert (problem.file, problem.line, problem.column) == (
        path.relative_to(root).as_posix(),
        2,
        column,
    )
    assert problem.message == f'invalid JSON: duplicate key "{key}"'


def test_a_claim_id_given_again_on_another_line_is_reported_at_its_line_and_field(
    tmp_path: Path,
) -> None:
    """Where a claim of a line is written is the line itself, with the claim's field."""
    root = as_json_lines(tmp_path)
    path = root / "seeds/annotations/articles.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])["claims"][1]["id"]
    record = json.loads(lines[2])
    record["claims"][3]["id"] = first
    lines[2] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    display = path.relative_to(root).as_posix()
    repeated = [p for p in refused_build(root) if p.message.startswith("duplicate claim id")]
    assert [str(p) for p in repeated] == [
        f"{display}:3: claims[3].id: duplicate claim id {first!r} "
        f"(it is first declared at {display}:1)"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, TOO_DEEP),
        ("9" * 5000, "invalid JSON: a number has more than 4300 digits"),
    ],
    ids=["nested 100,000 deep", "5,000 digits"],
)
def test_a_line_json_loads_cannot_read_is_a_problem_of_the_line(
    tmp_path: Path, value: str, message: str
) -> None:
    root = as_json_lines(tmp_path)
    path = root / "seeds/annotations/articles.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = '{"extra": ' + value + ", " + lines[0][1:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = refused_build(root)
    assert (problem.file, problem.line, problem.message) == (
        "seeds/annotations/articles.jsonl",
        1,
        message,
    )


@given(
    st.lists(st.sampled_from([b"\n", b"\r", b"\r\n", b"a", b"{}", b" ", b"\xff"])),
    st.integers(1, 9),
)
def test_lines_read_a_block_at_a_time_are_the_lines_of_the_stream(
    pieces: list[bytes], block_size: int
) -> None:
    data = b"".join(pieces)
    assert list(split_lines(io.BytesIO(data), block_size)) == list(io.BytesIO(data))
