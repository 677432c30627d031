"""build-dataset diff: small hand-made releases with a known added, removed and changed record
give exactly the expected text, JSON and CHANGELOG summary; labels compare by name; the
committed 2.1.0 changes no gold row of 2.0.0; what is not a release gives one message."""

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from build_dataset.cli import main
from build_dataset.release_diff import FieldChange, decoded_tables, diff_table
from build_dataset.write.release import (
    MANIFEST,
    SECOND_ANNOTATION,
    release_table,
    released_tables,
    sha256_file,
    write_parquet,
)
from build_dataset.write.tables import to_table
from karabakh_schema import TABLES, Claim
from karabakh_schema.columns import model_columns
from tests.records import RELEASE, REPO, committed

LABELS = ("figure", "denial")
LONG = "x" * 100
"""Starts a note long enough to be shortened in the text."""


def _table(rows: list[dict[str, Any]], labels: tuple[str, ...] = LABELS) -> pa.Table:
    """A small table shaped like a released one: ids, a class label, a struct, a list of
    structs, and the Hugging Face features that name the labels."""
    value = {"_type": "Value"}
    features = {
        "id": {**value, "dtype": "string"},
        "claim_type": {"_type": "ClassLabel", "names": list(labels)},
        "span": {"start": {**value, "dtype": "int64"}, "text": {**value, "dtype": "string"}},
        "quantities": {"_type": "List", "feature": {"high": {**value, "dtype": "float64"}}},
        "note": {**value, "dtype": "string"},
    }
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("claim_type", pa.int64()),
            ("span", pa.struct([("start", pa.int64()), ("text", pa.string())])),
            ("quantities", pa.list_(pa.struct([("high", pa.float64())]))),
            ("note", pa.string()),
        ],
        metadata={"huggingface": json.dumps({"info": {"features": features}})},
    )
    encoded = [{**row, "claim_type": labels.index(row["claim_type"])} for row in rows]
    return pa.Table.from_pylist(encoded, schema=schema)


def _row(record_id: str, **changes: Any) -> dict[str, Any]:
    row = {
        "id": record_id,
        "claim_type": "figure",
        "span": {"start": 0, "text": "ten"},
        "quantities": [{"high": 10.0}],
        "note": "short",
    }
    return row | changes


def _write(folder: Path, tables: dict[str, pa.Table]) -> Path:
    """A release folder: each table in one file, and the manifest of their sizes and hashes."""
    folder.mkdir(parents=True)
    files = {}
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        write_parquet(table, path)
        files[path.name] = {
            "bytes": path.stat().st_size,
            "rows": table.num_rows,
            "sha256": sha256_file(path),
        }
    (folder / MANIFEST).write_text(json.dumps({"version": folder.name, "files": files}))
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Release 1.0.0, and 1.1.0: c1's note and c2's label, span, figure and long note
    changed, c3 removed, c4 added, c5 and the events the same, a second annotation added."""
    events = _table([_row("e1")])
    _write(
        tmp_path / "data" / "1.0.0",
        {
            "claims": _table(
                [_row("c1"), _row("c2", note=f"{LONG} old end"), _row("c3"), _row("c5")]
            ),
            "events": events,
        },
    )
    changed = _row(
        "c2",
        claim_type="denial",
        span={"start": 5, "text": "ten"},
        quantities=[{"high": 12.0}],
        note=f"{LONG} new end",
    )
    _write(
        tmp_path / "data" / "1.1.0",
        {
            "claims": _table([_row("c1", note="shorter"), changed, _row("c4"), _row("c5")]),
            "events": events,
            f"{SECOND_ANNOTATION}_claims": _table([_row("s1")]),
        },
    )
    return tmp_path


def _diff(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--root", str(root), "diff", *args]) == 0
    return capsys.readouterr().out


def test_text_lists_the_added_removed_and_changed_records(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the long notes are shown from 20 characters before their first difference: the
    # opening quote and 100 x, then " old end" or " new end" (index 102 differs)
    tail = "x" * 19
    assert _diff(root, capsys, "1.0.0", "1.1.0") == (
        "1.0.0 -> 1.1.0\n"
        "claims: 1 added, 1 removed, 2 changed\n"
        "events: no change\n"
        "second_annotation_claims: added table, 1 record(s)\n"
        "\n"
        "claims:\n"
        "  + c4\n"
        "  - c3\n"
        "  ~ c1\n"
        '      note: "short" -> "shorter"\n'
        "  ~ c2\n"
        '      claim_type: "figure" -> "denial"\n'
        "      span.start: 0 -> 5\n"
        "      quantities[0].high: 10.0 -> 12.0\n"
        f'      note: ...{tail} old end" -> ...{tail} new end"\n'
    )


def test_the_summary_counts_records_and_fields(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _diff(root, capsys, "1.0.0", "1.1.0", "--summary") == (
        "Records since 1.0.0 (`build-dataset diff 1.0.0 1.1.0`):\n"
        "\n"
        "| table | added | removed | changed | fields changed (records) |\n"
        "|---|---|---|---|---|\n"
        "| `claims` | 1 | 1 | 2 | `note` 2, `claim_type` 1, `quantities[].high` 1, "
        "`span.start` 1 |\n"
        "| `events` | 0 | 0 | 0 |  |\n"
        "| `second_annotation_claims` (added table) | 1 | 0 | 0 |  |\n"
    )


def test_json_holds_every_value_whole(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    diff = json.loads(_diff(root, capsys, "1.0.0", "1.1.0", "--format", "json"))
    assert [(t["table"], t["status"]) for t in diff["tables"]] == [
        ("claims", "changed"),
        ("events", "same"),
        ("second_annotation_claims", "added table"),
    ]
    claims = diff["tables"][0]
    assert (claims["added"], claims["removed"]) == (["c4"], ["c3"])
    assert claims["changed"][1]["fields"][-1] == {
        "path": "note",
        "old": f"{LONG} old end",
        "new": f"{LONG} new end",
    }
    assert diff["tables"][2]["added"] == ["s1"]


def test_a_removed_table_and_release_folders_given_as_paths(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = root / "data"
    out = _diff(root, capsys, str(data / "1.1.0"), str(data / "1.0.0"))
    assert "second_annotation_claims: removed table, 1 record(s)\n" in out
    assert "claims: 1 added, 1 removed, 2 changed\n" in out


def test_identical_releases_change_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _diff(root, capsys, "1.0.0", "1.0.0") == (
        "1.0.0 -> 1.0.0\nclaims: no change\nevents: no change\n"
    )


def test_labels_compare_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [_row("c1"), _row("c2", claim_type="denial")]
    _write(tmp_path / "data" / "1.0.0", {"claims": _table(rows)})
    reordered = ("denial", "figure")  # other indexes, the same names: no change
    _write(tmp_path / "data" / "1.0.1", {"claims": _table(rows, reordered)})
    renamed = [_row("c1", claim_type="statistic"), rows[1]]  # index 0 renamed
    _write(tmp_path / "data" / "2.0.0", {"claims": _table(renamed, ("statistic", "denial"))})
    assert "claims: no change\n" in _diff(tmp_path, capsys, "1.0.0", "1.0.1")
    assert '  ~ c1\n      claim_type: "figure" -> "statistic"\n' in _diff(
        tmp_path, capsys, "1.0.1", "2.0.0"
    )


def test_fields_are_compared_by_path() -> None:
    """Into structs and lists of one length; a list whose length changed is one change, and a
    field only one release has is null in the other."""
    old = [{"id": "a", "span": {"start": 1}, "tags": ["x", "y"], "items": [1]}]
    new = [{"id": "a", "span": {"start": 2}, "tags": ["x", "z"], "items": [1, 2], "extra": 3}]
    assert diff_table("t", old, new).changed[0].fields == (
        FieldChange(path="span.start", old=1, new=2),
        FieldChange(path="tags[1]", old="y", new="z"),
        FieldChange(path="items", old=[1], new=[1, 2]),
        FieldChange(path="extra", old=None, new=3),
    )


def test_rows_written_by_the_build_s_writer(tmp_path: Path) -> None:
    """The committed release's claims written again by tables.to_table, one claim's type
    changed and the last claim left out: those two are all that differs."""
    release = RELEASE
    claims = [claim.model_dump() for claim in committed().claims]
    labels = next(c.type.labels for c in model_columns(Claim) if c.name == "claim_type")
    first, dropped = claims[0], claims.pop()
    first["claim_type"] = next(label for label in labels if label != first["claim_type"])
    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    manifest = json.loads((copy / MANIFEST).read_text())
    path = copy / "claims.parquet"
    write_parquet(to_table("claims", claims, release.name), path)
    manifest["files"][path.name] |= {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    (copy / MANIFEST).write_text(json.dumps(manifest))

    old, new = decoded_tables(release), decoded_tables(copy)
    diffs = {name: diff_table(name, old[name], new[name]) for name in old}
    assert {name for name, d in diffs.items() if d.status != "same"} == {"claims"}
    assert diffs["claims"].removed == (dropped["id"],)
    assert diffs["claims"].added == ()
    [change] = diffs["claims"].changed
    assert change.id == first["id"]
    assert [(f.path, f.new) for f in change.fields] == [("claim_type", first["claim_type"])]


def test_2_1_0_changes_no_gold_row_of_2_0_0(capsys: pytest.CaptureFixture[str]) -> None:
    """2.1.0 adds the second annotation's tables, each record of them added, and changes no
    row of the gold tables."""
    diff = json.loads(_diff(REPO, capsys, "2.0.0", "2.1.0", "--format", "json"))
    new = REPO / "data" / "2.1.0"
    names = released_tables(json.loads((new / MANIFEST).read_text())["files"])
    assert [t["table"] for t in diff["tables"]] == names
    for table in diff["tables"]:
        if table["table"] in TABLES:
            assert table["status"] == "same"
        else:
            ids = release_table(new, table["table"], ["id"]).column("id").to_pylist()
            assert table["status"] == "added table"
            assert table["added"] == sorted(ids)
    assert any(t["table"] not in TABLES for t in diff["tables"])


def _refused(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--root", str(root), "diff", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    return captured.err


def test_what_is_not_a_release_is_named(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "9.9.9 is neither a version" in _refused(root, capsys, "1.0.0", "9.9.9")
    (root / "data" / "notes").mkdir()
    assert "notes: not a release folder (no manifest.json)" in _refused(
        root, capsys, "notes", "1.0.0"
    )
    (root / "data" / "1.1.0" / "events.parquet").unlink()
    assert "lists events.parquet, not there" in _refused(root, capsys, "1.0.0", "1.1.0")
    (root / "data" / "1.0.0" / MANIFEST).write_text("{")
    assert "1.0.0/manifest.json: not a JSON manifest" in _refused(root, capsys, "1.0.0", "1.0.0")


def test_a_file_that_is_not_parquet_is_named(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "data" / "1.0.0" / "claims.parquet").write_bytes(b"not parquet")
    assert "claims cannot be read as Parquet" in _refused(root, capsys, "1.0.0", "1.1.0")
