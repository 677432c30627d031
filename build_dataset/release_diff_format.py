"""A release diff as text for a terminal, and as the Markdown summary of a CHANGELOG entry."""

import json
import re
from collections import Counter
from typing import Any

from build_dataset.release_diff import ReleaseDiff, TableDiff

LONGEST_VALUE = 80
"""Characters of a value shown in the text; the JSON diff holds every value whole."""
CONTEXT = 20
"""Characters shown before the first difference of two long values."""
_INDEX = re.compile(r"\[[0-9]+\]")


def _clip(text: str, start: int) -> str:
    shown = ("..." if start else "") + text[start:]
    return shown if len(shown) <= LONGEST_VALUE else shown[: LONGEST_VALUE - 3] + "..."


def _shown(old: Any, new: Any) -> str:
    """Both values as JSON; long ones shortened, from a little before where they differ."""
    before, after = json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
    if max(len(before), len(after)) <= LONGEST_VALUE:
        return f"{before} -> {after}"
    same = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    start = max(0, same - CONTEXT)
    return f"{_clip(before, start)} -> {_clip(after, start)}"


def _counts(table: TableDiff) -> str:
    if table.status == "same":
        return "no change"
    if table.status == "added table":
        return f"added table, {len(table.added)} record(s)"
    if table.status == "removed table":
        return f"removed table, {len(table.removed)} record(s)"
    return f"{len(table.added)} added, {len(table.removed)} removed, {len(table.changed)} changed"


def diff_text(diff: ReleaseDiff) -> str:
    """A summary line per table, then each compared table's added (+), removed (-) and
    changed (~) records; an added or removed table's records are not listed one by one."""
    lines = [f"{diff.old} -> {diff.new}"]
    lines += [f"{table.table}: {_counts(table)}" for table in diff.tables]
    for table in diff.tables:
        if table.status != "changed":
            continue
        lines += ["", f"{table.table}:"]
        lines += [f"  + {record_id}" for record_id in table.added]
        lines += [f"  - {record_id}" for record_id in table.removed]
        for record in table.changed:
            lines.append(f"  ~ {record.id}")
            lines += [f"      {f.path}: {_shown(f.old, f.new)}" for f in record.fields]
    return "\n".join(lines) + "\n"


def field_counts(table: TableDiff) -> Counter[str]:
    """How many changed records each field changed in, list positions merged
    (`quantities[].high`, as the card's field tables name it)."""
    fields = ({_INDEX.sub("[]", f.path) for f in record.fields} for record in table.changed)
    return Counter(path for paths in fields for path in paths)


def changelog_summary(diff: ReleaseDiff) -> str:
    """The Markdown table a CHANGELOG entry gives of what its version changed: records added,
    removed and changed per table, and which fields changed in how many records (most first)."""
    lines = [
        f"Records since {diff.old} (`build-dataset diff {diff.old} {diff.new}`):",
        "",
        "| table | added | removed | changed | fields changed (records) |",
        "|---|---|---|---|---|",
    ]
    for table in diff.tables:
        note = "" if table.status in ("same", "changed") else f" ({table.status})"
        counts = sorted(field_counts(table).items(), key=lambda item: (-item[1], item[0]))
        fields = ", ".join(f"`{path}` {n}" for path, n in counts)
        lines.append(
            f"| `{table.table}`{note} | {len(table.added)} | {len(table.removed)} "
            f"| {len(table.changed)} | {fields} |"
        )
    return "\n".join(lines) + "\n"
