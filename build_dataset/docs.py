"""Generated sections of the Markdown documents: field tables, example records and figures,
all derived from the schemas and the released data, between `<!-- generated:NAME -->` and
`<!-- /generated:NAME -->` markers that the build refills."""

import json
import re
from collections import Counter
from typing import Any

import pyarrow as pa

from build_dataset.assemble import Dataset
from schema import RECORD_MODELS
from schema.columns import Column, ColumnType, decode, model_columns

_SECTION = re.compile(r"(<!-- generated:(\w+) -->\n).*?(<!-- /generated:\2 -->)", re.DOTALL)


class MissingSection(ValueError):
    pass


def fill_sections(text: str, sections: dict[str, str]) -> str:
    """Replace each named section's content; every name must have its markers in the text."""
    found = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in sections:
            return match.group(0)
        found.add(name)
        return f"{match.group(1)}{sections[name].rstrip()}\n{match.group(3)}"

    filled = _SECTION.sub(replace, text)
    missing = set(sections) - found
    if missing:
        raise MissingSection(f"no generated section markers for {sorted(missing)}")
    return filled


def _type_name(ctype: ColumnType) -> str:
    if ctype.kind == "label":
        return "class label: " + ", ".join(f"`{label}`" for label in ctype.labels)
    if ctype.kind == "list":
        assert ctype.item is not None
        inner = "struct" if ctype.item.kind == "struct" else _type_name(ctype.item)
        return f"list of {inner}"
    return {"int64": "int64", "float64": "float64", "date32": "date"}.get(ctype.kind, ctype.kind)


def _rows(columns: tuple[Column, ...], prefix: str) -> list[str]:
    rows = []
    for column in columns:
        name = f"{prefix}{column.name}"
        optional = " (nullable)" if column.type.nullable else ""
        rows.append(f"| `{name}` | {_type_name(column.type)}{optional} | {column.description} |")
        inner = column.type.item if column.type.kind == "list" else column.type
        if inner is not None and inner.kind == "struct":
            suffix = "[]." if column.type.kind == "list" else "."
            rows += _rows(inner.fields, f"{name}{suffix}")
    return rows


def field_tables() -> str:
    parts = []
    for name, model in RECORD_MODELS.items():
        parts += [f"#### `{name}`", "", "| field | type | description |", "|---|---|---|"]
        parts += _rows(model_columns(model), "")
        parts.append("")
    return "\n".join(parts)


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 160:
        return value[:157] + "..."
    if isinstance(value, list):
        return [_shorten(v) for v in value[:3]] + (["..."] if len(value) > 3 else [])
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def examples(tables: dict[str, pa.Table]) -> str:
    """The first row of each table as it loads (labels as names), long texts shortened."""
    parts = []
    for name, model in RECORD_MODELS.items():
        row = tables[name].slice(0, 1).to_pylist()[0]
        struct = ColumnType("struct", fields=model_columns(model))
        record = _shorten(decode(row, struct))
        parts += [
            f"#### `{name}`",
            "",
            "```json",
            json.dumps(record, indent=2, default=str, ensure_ascii=False),
            "```",
            "",
        ]
    return "\n".join(parts)


def _table(title: str, header: tuple[str, str], counts: Counter[str]) -> list[str]:
    rows = [f"| {key} | {count} |" for key, count in sorted(counts.items())]
    return [f"{title}:", "", f"| {header[0]} | {header[1]} |", "|---|---|", *rows, ""]


def figures(dataset: Dataset) -> str:
    """Counts per record kind, outlet and type, and the date range, from the data."""
    dates = [a.publication_date.date for a in dataset.articles if a.publication_date.date]
    dates += [e.date for e in dataset.events if e.date]
    complete = sum(a.annotation_status == "complete" for a in dataset.articles)
    mentions = [m for e in dataset.events for m in e.mentions]
    claims = dataset.claims
    return "\n".join(
        [
            f"- articles: {len(dataset.articles)} ({complete} fully annotated)",
            f"- claims: {len(claims)}",
            f"- events: {len(dataset.events)}, with {len(mentions)} mentions in "
            f"{len({m.article_id for m in mentions})} articles",
            f"- claim relations: {sum(len(c.relations) for c in claims)}",
            f"- dates covered by publication and event dates (a month or year counts whole): "
            f"{min(d.start for d in dates)} to {max(d.end for d in dates)}",
            "",
            *_table(
                "Articles per outlet",
                ("outlet", "articles"),
                Counter(a.outlet or "(not named in the text)" for a in dataset.articles),
            ),
            *_table(
                "Claims per article", ("article", "claims"), Counter(c.article_id for c in claims)
            ),
            *_table(
                "Claims per type", ("claim type", "claims"), Counter(c.claim_type for c in claims)
            ),
            *_table(
                "Claims per claimant type",
                ("claimant type", "claims"),
                Counter(c.claimant.type for c in claims),
            ),
            *_table(
                "Events per type", ("event type", "events"), Counter(e.type for e in dataset.events)
            ),
        ]
    )
