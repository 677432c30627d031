"""Generated sections of the Markdown documents: field tables, example records and figures,
all derived from the schemas and the released data, between `<!-- generated:NAME -->` and
`<!-- /generated:NAME -->` markers that the build refills."""

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from build_dataset.documents.about import (
    ANNOTATIONS,
    ARTICLE_TEXTS,
    CODE,
    DATA_LICENSE,
    PACKAGE_LICENSE,
    Licence,
)
from build_dataset.files import read_text_inside
from build_dataset.problems import InvalidInput, Problem
from build_dataset.read.inputs import ANNOTATIONS_DIR
from build_dataset.read.yaml_source import parse_yaml
from build_dataset.write.release import MANIFEST, release_table, table_files
from karabakh_schema import RECORD_MODELS, Article, Claim, Event
from karabakh_schema.annotation import PlaceEntry, PlacesFile
from karabakh_schema.columns import Column, ColumnType, decode, model_columns

_SECTION = re.compile(r"(<!-- generated:(\w+) -->\n).*?(<!-- /generated:\2 -->)", re.DOTALL)


def fill_sections(text: str, sections: dict[str, str], document: str) -> str:
    """Replace each named section's content. Every name must have its markers in the text of
    document (a path from the repository's root, which contributors edit): a marker removed is
    a problem of that file, which says which lines to put back."""
    found = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in sections:
            return match.group(0)
        found.add(name)
        return f"{match.group(1)}{sections[name].rstrip()}\n{match.group(3)}"

    filled = _SECTION.sub(replace, text)
    if missing := sorted(set(sections) - found):
        raise InvalidInput([_missing_markers(document, name) for name in missing])
    return filled


def _missing_markers(document: str, name: str) -> Problem:
    lines = f"<!-- generated:{name} --> and <!-- /generated:{name} -->"
    return Problem(
        document,
        None,
        None,
        "",
        f"the generated section {name!r} has lost a marker, so the build cannot fill it",
        f"put back the lines {lines} where the section goes, each on a line of its own; the "
        "build writes what is between them",
    )


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


def examples(release_dir: Path) -> str:
    """The first row of each table as it loads (labels as names), long texts shortened."""
    parts = []
    for name, model in RECORD_MODELS.items():
        first = release_dir / table_files(_files(release_dir), name)[0]
        row = pq.ParquetFile(first).read_row_group(0).slice(0, 1).to_pylist()[0]
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


def _files(release_dir: Path) -> dict[str, object]:
    files: dict[str, object] = json.loads((release_dir / MANIFEST).read_text())["files"]
    return files


def _table(title: str, header: tuple[str, str], counts: dict[str, int]) -> list[str]:
    rows = [f"| {key} | {count} |" for key, count in sorted(counts.items())]
    return [f"{title}:", "", f"| {header[0]} | {header[1]} |", "|---|---|", *rows, ""]


def _labels(model: type[BaseModel], *path: str) -> tuple[str, ...]:
    ctype = ColumnType("struct", fields=model_columns(model))
    for name in path:
        ctype = next(c.type for c in ctype.fields if c.name == name)
    return ctype.labels


def _counts(values: pa.ChunkedArray | pa.Array, labels: tuple[str, ...] = ()) -> dict[str, int]:
    """How often each value occurs; labels name class label indices."""
    counts = pc.value_counts(values).to_pylist()
    return {labels[c["values"]] if labels else c["values"]: c["counts"] for c in counts}


def _field(values: pa.ChunkedArray | pa.Array, *path: str) -> pa.ChunkedArray | pa.Array:
    for name in path:
        values = pc.struct_field(values, name)
    return values


def figures(release_dir: Path) -> str:
    """Counts per record kind, outlet and type, and the date range, from the released files."""
    articles = release_table(
        release_dir, "articles", ["publication_date", "annotation_status", "outlet"]
    )
    claims = release_table(release_dir, "claims", ["article_id", "claim_type", "claimant"])
    relations = release_table(release_dir, "claims", ["relations"]).column("relations")
    events = release_table(release_dir, "events", ["date", "mentions", "type"])
    published = articles.column("publication_date")
    starts = [_field(published, "date", "start"), _field(events.column("date"), "start")]
    ends = [_field(published, "date", "end"), _field(events.column("date"), "end")]
    first = min(pc.min(s).as_py() for s in starts if pc.count(s).as_py())
    last = max(pc.max(e).as_py() for e in ends if pc.count(e).as_py())
    statuses = _counts(articles.column("annotation_status"), _labels(Article, "annotation_status"))
    mentions = pc.list_flatten(events.column("mentions"))
    outlets = pc.fill_null(articles.column("outlet"), "(not named in the text)")
    return "\n".join(
        [
            f"- articles: {articles.num_rows} ({statuses.get('complete', 0)} fully annotated)",
            f"- claims: {claims.num_rows}",
            f"- events: {events.num_rows}, with {len(mentions)} mentions in "
            f"{pc.count_distinct(_field(mentions, 'article_id')).as_py()} articles",
            f"- claim relations: {pc.sum(pc.list_value_length(relations)).as_py() or 0}",
            f"- dates covered by publication and event dates (a month or year counts whole): "
            f"{first} to {last}",
            "",
            *_table("Articles per outlet", ("outlet", "articles"), _counts(outlets)),
            *_table(
                "Claims per article", ("article", "claims"), _counts(claims.column("article_id"))
            ),
            *_table(
                "Claims per type",
                ("claim type", "claims"),
                _counts(claims.column("claim_type"), _labels(Claim, "claim_type")),
            ),
            *_table(
                "Claims per claimant type",
                ("claimant type", "claims"),
                _counts(
                    _field(claims.column("claimant"), "type"), _labels(Claim, "claimant", "type")
                ),
            ),
            *_table(
                "Events per type",
                ("event type", "events"),
                _counts(events.column("type"), _labels(Event, "type")),
            ),
        ]
    )


def _licence_row(licence: Licence, linked: bool) -> str:
    name = f"[{licence.name}]({licence.url})" if linked else licence.name
    return f"| {licence.covers} | {name} (`{licence.spdx}`) | {licence.terms} |"


def licences() -> str:
    """Who may do what with which part, from build_dataset/documents/about.py: the licence
    file, the card and the datasheet say it in the same words."""
    return "\n".join(
        [
            "| what | licence | what it allows |",
            "|---|---|---|",
            _licence_row(ANNOTATIONS, linked=True),
            _licence_row(ARTICLE_TEXTS, linked=False),
            _licence_row(CODE, linked=True),
            "",
            f"In SPDX terms the released data is `{DATA_LICENSE}`, each part under its own "
            f"terms, and the Python package, which holds the code and the schemas and no "
            f"article text, is `{PACKAGE_LICENSE}`.",
        ]
    )


PLACES_FILE = f"{ANNOTATIONS_DIR}/places.yaml"
NO_REASON = "(no reason recorded)"
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)", re.DOTALL)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _reason(note: str | None) -> str:
    """The first sentence of a place's note, which says why it has no GeoNames id
    (ANNOTATION_GUIDELINES.md, section 7)."""
    if not note or not note.strip():
        return NO_REASON
    match = _FIRST_SENTENCE.match(note.strip())
    return match.group(1) if match else note.strip()


def places_without_id(places: Iterable[PlaceEntry]) -> str:
    """The places of the gazetteer that have no GeoNames id, with how the texts name them and
    why they have none, as a Markdown table for the card and the datasheet."""
    missing = sorted((p for p in places if p.geonames_id is None), key=lambda p: (p.name, p.id))
    if not missing:
        return "Every place has a GeoNames id."
    rows = [
        f"| {_cell(p.name)} (`{p.id}`) | {_cell(', '.join(p.variants) or p.name)} "
        f"| {_cell(_reason(p.note))} |"
        for p in missing
    ]
    return "\n".join(
        ["| place | named in the texts | why it has no GeoNames id |", "|---|---|---|", *rows]
    )


def read_places(root: Path) -> list[PlaceEntry]:
    """The gazetteer in the repository's places.yaml (which the build has already checked)."""
    text = read_text_inside(root, root / PLACES_FILE)
    return PlacesFile.model_validate(parse_yaml(text, PLACES_FILE).data).places
