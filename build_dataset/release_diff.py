"""Which records two releases add, remove and change, field by field, so that a researcher
sees exactly what a new version changed (the CHANGELOG entry's summary is made from it)."""

import json
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from build_dataset.write.release import (
    MANIFEST,
    read_manifest_files,
    release_table,
    released_tables,
)

Row = dict[str, Any]


class NotARelease(Exception):
    """A folder that is not a release, or whose files cannot be read as one."""


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    path: str
    old: Any
    new: Any


class RecordChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    fields: tuple[FieldChange, ...]


class TableDiff(BaseModel):
    """A table both releases hold ("changed" or "same"), or one only the new or only the old
    holds, whose records are then all added or all removed."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    table: str
    status: Literal["same", "changed", "added table", "removed table"]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[RecordChange, ...]


class ReleaseDiff(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    old: str
    new: str
    tables: tuple[TableDiff, ...]


def _decode(value: Any, feature: Any) -> Any:
    """A stored value as its release's own features name it: a class label by its name in
    the file's label list (so a reordered list that keeps the names changes nothing), a date
    as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(feature, list) and isinstance(value, list):
        return [_decode(v, feature[0] if feature else None) for v in value]
    if not isinstance(feature, dict):
        return value
    kind = feature.get("_type")
    if kind == "ClassLabel" and isinstance(value, int):
        names = feature.get("names", [])
        return names[value] if 0 <= value < len(names) else value
    if kind in ("List", "LargeList", "Sequence") and isinstance(value, list):
        return [_decode(v, feature.get("feature")) for v in value]
    if kind is None and isinstance(value, dict):
        return {k: _decode(v, feature.get(k)) for k, v in value.items()}
    return value


def _features(table: pa.Table, label: str) -> Any:
    """The Hugging Face features every released file embeds; none, values stay as stored."""
    embedded = (table.schema.metadata or {}).get(b"huggingface")
    if embedded is None:
        return None
    try:
        return json.loads(embedded)["info"]["features"]
    except (ValueError, KeyError, TypeError):
        raise NotARelease(f"{label}: its embedded features are not readable") from None


def decoded_tables(folder: Path) -> dict[str, list[Row]]:
    """Every table of a release folder, its rows decoded."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise NotARelease(f"{folder}: not a release folder (no {MANIFEST})")
    files, problem = read_manifest_files(manifest)
    if problem is not None:
        raise NotARelease(problem)
    missing = sorted(name for name in files if not (folder / name).is_file())
    if missing:
        raise NotARelease(f"{folder}: the manifest lists {', '.join(missing)}, not there")
    tables = {}
    for name in released_tables(files):
        try:
            table = release_table(folder, name)
        except (pa.ArrowException, ValueError) as error:
            raise NotARelease(f"{folder}: {name} cannot be read as Parquet: {error}") from None
        if "id" not in table.column_names:
            raise NotARelease(f"{folder}: {name} has no id column to match its records by")
        features = _features(table, f"{folder}: {name}")
        tables[name] = [_decode(row, features) for row in table.to_pylist()]
    return tables


def _changes(old: Any, new: Any, path: str) -> Iterator[FieldChange]:
    """Where two decoded values differ: into structs by field, into lists of one length by
    position; a list whose length changed is one change. A field only one side has is null
    on the other."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _changes(a, b, f"{path}[{index}]")
    elif old != new:
        yield FieldChange(path=path, old=old, new=new)


def _by_id(rows: list[Row]) -> dict[str, Row]:
    return {row["id"]: row for row in rows}


def diff_table(name: str, old: list[Row] | None, new: list[Row] | None) -> TableDiff:
    """One table's records compared by id; None: the release does not hold the table."""
    before, after = _by_id(old or []), _by_id(new or [])
    changed = []
    for record_id in sorted(before.keys() & after.keys()):
        fields = tuple(_changes(before[record_id], after[record_id], ""))
        if fields:
            changed.append(RecordChange(id=record_id, fields=fields))
    added = tuple(sorted(after.keys() - before.keys()))
    removed = tuple(sorted(before.keys() - after.keys()))
    if old is None:
        status: Literal["same", "changed", "added table", "removed table"] = "added table"
    elif new is None:
        status = "removed table"
    else:
        status = "changed" if added or removed or changed else "same"
    return TableDiff(
        table=name, status=status, added=added, removed=removed, changed=tuple(changed)
    )


def diff_releases(
    old_name: str,
    old: Mapping[str, list[Row]],
    new_name: str,
    new: Mapping[str, list[Row]],
) -> ReleaseDiff:
    """Every table either release holds, the gold ones first."""
    names = released_tables({f"{name}.parquet": None for name in [*old, *new]})
    tables = tuple(diff_table(name, old.get(name), new.get(name)) for name in names)
    return ReleaseDiff(old=old_name, new=new_name, tables=tables)
