"""Reading annotation YAML with the line and column of every key and item."""

from pathlib import Path
from typing import Any

import pytest

from build_dataset.problems import MAX_DEPTH, InvalidInput
from build_dataset.read.yaml_source import Loc, YamlDocument, parse_yaml, read_yaml

ANNOTATIONS = Path(__file__).resolve().parents[3] / "seeds" / "annotations"

SAMPLE = """\
article:
  id: 001_d2d2eb034c79192f
  outlet: Defence Redefined
claims:
  - id: 001_d2d2eb034c79192f-c001
    quote: "The separatist Armenian forces"
    events: [ev-2023-09-20-ceasefire-agreement, ev-other]
  -   id: 001_d2d2eb034c79192f-c002
      cue: According to
"""


def test_positions_of_keys_and_items_are_one_based() -> None:
    doc = parse_yaml(SAMPLE, "sample.yaml")
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("article",)] == (1, 1)
    assert doc.positions[("article", "id")] == (2, 3)
    assert doc.positions[("article", "outlet")] == (3, 3)
    assert doc.positions[("claims",)] == (4, 1)
    assert doc.positions[("claims", 0)] == (5, 5)
    assert doc.positions[("claims", 0, "quote")] == (6, 5)
    assert doc.positions[("claims", 0, "events", 0)] == (7, 14)
    assert doc.positions[("claims", 0, "events", 1)] == (7, 49)
    assert doc.positions[("claims", 1)] == (8, 7)
    assert doc.positions[("claims", 1, "cue")] == (9, 7)


def test_data_is_plain_python() -> None:
    doc = parse_yaml(SAMPLE, "sample.yaml")
    assert doc.data == {
        "article": {"id": "001_d2d2eb034c79192f", "outlet": "Defence Redefined"},
        "claims": [
            {
                "id": "001_d2d2eb034c79192f-c001",
                "quote": "The separatist Armenian forces",
                "events": ["ev-2023-09-20-ceasefire-agreement", "ev-other"],
            },
            {"id": "001_d2d2eb034c79192f-c002", "cue": "According to"},
        ],
    }
    assert type(doc.data) is dict
    assert type(doc.data["claims"]) is list
    assert type(doc.data["claims"][0]["quote"]) is str


def test_problem_points_at_the_nearest_enclosing_position() -> None:
    doc = parse_yaml(SAMPLE, "sample.yaml")
    problem = doc.problem(("claims", 1, "cue"), "cue not in quote", "quote it exactly")
    assert (problem.file, problem.line, problem.column) == ("sample.yaml", 9, 7)
    assert problem.field == "claims[1].cue"
    missing = doc.problem(("claims", 1, "claimant"), "field required")
    assert (missing.line, missing.column, missing.field) == (8, 7, "claims[1].claimant")
    assert str(missing) == "sample.yaml:8:7: claims[1].claimant: field required"


def _key_or_item_at(lines: list[str], position: tuple[int, int]) -> str:
    line, column = position
    return lines[line - 1][column - 1 :]


def _check_positions(doc: YamlDocument, lines: list[str]) -> int:
    checked = 0
    for loc, position in doc.positions.items():
        if not loc:
            continue
        at = _key_or_item_at(lines, position)
        if isinstance(loc[-1], str):
            assert at.startswith((f"{loc[-1]}:", f'"{loc[-1]}":')), (loc, at)
        else:
            value: Any = doc.data
            for part in loc:
                value = value[part]
            if isinstance(value, dict):
                # A flow mapping item ({actor: x, role: y}) starts at its brace.
                assert at.removeprefix("{").startswith(f"{next(iter(value))}:"), (loc, at)
            elif isinstance(value, str):
                assert at.lstrip("\"'").startswith(value[:20]), (loc, at)
        checked += 1
    return checked


@pytest.mark.parametrize(
    "name", sorted(p.name for p in ANNOTATIONS.glob("*.yaml")), ids=lambda name: name
)
def test_positions_in_the_real_annotation_files_point_at_their_keys(name: str) -> None:
    path = ANNOTATIONS / name
    doc = read_yaml(path, f"seeds/annotations/{name}")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert _check_positions(doc, lines) > 5


def test_positions_of_a_known_claim_in_article_001() -> None:
    path = ANNOTATIONS / "001_d2d2eb034c79192f.yaml"
    doc = read_yaml(path, "001.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    c024 = next(i for i, c in enumerate(doc.data["claims"]) if c["id"].endswith("-c024"))
    line, column = doc.positions[("claims", c024)]
    assert lines[line - 1] == "  - id: 001_d2d2eb034c79192f-c024"
    assert column == 5
    relation_line, _ = doc.positions[("claims", c024, "relations", 1, "type")]
    assert lines[relation_line - 1].strip() == "- type: refines"
    assert lines[relation_line].strip() == "claim: 001_d2d2eb034c79192f-c019"


def test_duplicate_keys_are_invalid_input_with_the_line() -> None:
    text = SAMPLE + "  - id: 001_d2d2eb034c79192f-c003\n    cue: said\n    cue: told\n"
    with pytest.raises(InvalidInput) as raised:
        parse_yaml(text, "dup.yaml")
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == ("dup.yaml", 12)
    assert "duplicate key" in problem.message and '"cue"' in problem.message
    assert problem.message.startswith("invalid YAML: ")


def test_duplicate_top_level_key_points_at_the_second_one() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml("claims: null\narticle: {}\nclaims: []\n", "dup.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (3, 1)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("article:\n  id: x\n  events: [a, b\nclaims: null\n", 4),
        ("article:\n  id: x\n    title: y\n", 3),
        ('article:\n  title: "unclosed\n', 2),
        ("article:\n  - x\n  id: y\n", 3),
    ],
)
def test_syntax_errors_are_invalid_input_naming_the_line(text: str, line: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml(text, "bad.yaml")
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == ("bad.yaml", line, "")
    assert problem.message.startswith("invalid YAML: ")
    assert "\n" not in problem.message
    assert str(raised.value).startswith(f"bad.yaml:{line}:")


def test_a_closed_quoted_string_over_two_lines_is_not_called_unclosed() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml('note: "a long note\n  that wraps" extra\nz: 1\n', "a.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.hint) == (2, 15, None)
    assert problem.message == "invalid YAML: did not find expected key"


def test_unquoted_dates_come_back_as_iso_strings() -> None:
    doc = parse_yaml(
        "value: 2023-09-20\nanchor_date: 2024-02-29\nquoted: '2023-09-20'\nyear: 2023\n"
        "published: 2023-09-20 11:35:00\n",
        "dates.yaml",
    )
    assert doc.data["value"] == "2023-09-20"
    assert doc.data["anchor_date"] == "2024-02-29"
    assert doc.data["quoted"] == "2023-09-20"
    # A date with a time is kept as written, not cut to its day: date fields then reject it.
    assert doc.data["published"] == "2023-09-20 11:35:00"
    assert doc.data["year"] == 2023
    assert type(doc.data["year"]) is int


def test_a_date_that_does_not_exist_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml("claims:\n  - value: 2023-02-30\n", "a.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (2, 12)
    assert problem.message == (
        "invalid YAML: 2023-02-30 is not a valid date (day is out of range for month)"
    )
    assert problem.hint is not None and "in quotes" in problem.hint


def test_integers_are_read_as_yaml_1_2_reads_them() -> None:
    doc = parse_yaml("a: 08\nb: 012\nc: 0o12\nd: 0x1f\ne: -07\nf: +3\n", "i.yaml")
    assert doc.data == {"a": 8, "b": 12, "c": 10, "d": 31, "e": -7, "f": 3}


def test_scalars_keep_their_types() -> None:
    doc = parse_yaml("a: 32\nb: 7.5\nc: true\nd: null\ne: '32'\nf: 1e3\n", "s.yaml")
    assert doc.data == {"a": 32, "b": 7.5, "c": True, "d": None, "e": "32", "f": 1000.0}
    assert [type(doc.data[k]) for k in "abcef"] == [int, float, bool, str, float]


def test_empty_document_is_none() -> None:
    assert parse_yaml("", "empty.yaml").data is None
    assert parse_yaml("# only a comment\n", "empty.yaml").data is None


def test_non_utf8_bytes_become_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("article:\n  outlet: Défense\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as raised:
        read_yaml(path, "seeds/annotations/latin1.yaml")
    [problem] = raised.value.problems
    assert problem.file == "seeds/annotations/latin1.yaml"
    assert (problem.line, problem.column) == (2, 12)
    assert problem.message == "is not UTF-8: byte 0xe9 cannot be decoded"
    assert problem.hint == "save as UTF-8"


def test_utf8_file_reads_with_its_characters(tmp_path: Path) -> None:
    path = tmp_path / "utf8.yaml"
    path.write_text('quote: "Azerbaijan\u2019s Armed Forces"\n', encoding="utf-8")
    doc = read_yaml(path, "utf8.yaml")
    assert doc.data == {"quote": "Azerbaijan\u2019s Armed Forces"}
    assert doc.path == "utf8.yaml"


def test_loc_type_accepts_nested_paths() -> None:
    doc = parse_yaml(SAMPLE, "sample.yaml")
    loc: Loc = ("claims", 0, "events", 1)
    assert doc.position(loc) == (7, 49)
    assert doc.position(("nowhere", 3)) == (1, 1)


@pytest.mark.parametrize(
    "value",
    [
        "!role: party",
        "!!python/object:os.system party",
        "!!binary aGVsbG8gd29ybGQ=",
        "!!timestamp 2023-09-20",
        "!!python/tuple [a, b]",
        "!!omap [a: 1]",
        "!!set {a, b}",
        "!custom {a: 1}",
        "!!map [a]",
        "!!str [a]",
    ],
)
def test_tags_outside_the_core_schema_are_invalid_input_with_the_line(value: str) -> None:
    """On scalars and on lists and mappings alike: a tag used to escape as a yaml
    ConstructorError, or to be ignored, or to turn bytes into the text "b'...'"."""
    with pytest.raises(InvalidInput) as raised:
        parse_yaml(f"events:\n  - role: {value}\n", "tags.yaml")
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.column) == ("tags.yaml", 2, 11)
    assert problem.message == f"invalid YAML: the tag {value.split()[0]} is not allowed"
    assert problem.hint == "remove the tag; annotation files use no YAML tags"


def test_core_tags_may_be_written_for_values_in_their_core_form() -> None:
    doc = parse_yaml(
        "a: !!str 12\nb: !!int '12'\nc: !!seq [x]\nd: !!map {e: !!null ''}\n", "t.yaml"
    )
    assert doc.data == {"a": "12", "b": 12, "c": ["x"], "d": {"e": None}}
    with pytest.raises(InvalidInput) as raised:
        parse_yaml("a: 1\nb: !!float twelve\n", "t.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message == "invalid YAML: 'twelve' is not a YAML 1.2 float"
    assert problem.hint == "correct it, or remove the tag !!float"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
@pytest.mark.parametrize(
    "nest",
    [
        lambda n: "a: " + "[" * n + "]" * n + "\n",
        lambda n: "a: " + "{b: " * n + "}" * n + "\n",
        lambda n: "a:\n" + "- " * n + "x\n",
    ],
    ids=["flow lists", "flow mappings", "block lists"],
)
def test_nesting_past_the_limit_is_invalid_input_where_it_passes(nest: Any, depth: int) -> None:
    """Not a RecursionError (2,000 deep) nor a crash of libyaml's composer (100,000 deep)."""
    parse_yaml(nest(MAX_DEPTH - 1), "deep.yaml")  # the document itself is one level
    with pytest.raises(InvalidInput) as raised:
        parse_yaml(nest(depth), "deep.yaml")
    [problem] = raised.value.problems
    assert problem.message == f"lists and mappings nest more than {MAX_DEPTH} levels deep here"
    assert problem.file == "deep.yaml" and problem.line is not None


def test_an_integer_too_long_to_convert_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_yaml(f"a: 1\nb: {'9' * 5000}\n", "big.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message == "invalid YAML: a number of 5000 characters is too large to read"
