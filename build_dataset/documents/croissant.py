"""Croissant 1.0 metadata (with the Responsible AI vocabulary) for one released version.

Every record set and field is derived from the record models through
`karabakh_schema.columns`, so the metadata cannot drift from the Parquet schema; the files and
their checksums come from the release manifest. The JSON-LD is built with the mlcroissant API,
which supplies the standard `@context` and validates the graph."""

import dataclasses
import inspect
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import mlcroissant as mlc

from build_dataset.documents.about import Licence
from build_dataset.write.release import released_tables, shard_names, table_files, table_kind
from karabakh_schema import RECORD_MODELS
from karabakh_schema.columns import Column, ColumnType, model_columns

CROISSANT_VERSION = "http://mlcommons.org/croissant/1.0"
_RAI_NAMESPACE = "http://mlcommons.org/croissant/RAI/"

_DATA_TYPES: dict[str, str] = {
    "string": mlc.DataType.TEXT,
    "int64": mlc.DataType.INTEGER,
    "float64": mlc.DataType.FLOAT,
    "bool": mlc.DataType.BOOL,
    "date32": mlc.DataType.DATE,
    "label": mlc.DataType.INTEGER,  # closed vocabularies are stored as int64 class ids
}


def _rai_properties() -> dict[str, tuple[str, bool]]:
    """RAI property name (e.g. 'dataBiases') -> (Metadata attribute, takes a list)."""
    properties: dict[str, tuple[str, bool]] = {}
    for field in dataclasses.fields(mlc.Metadata):
        url = str(field.metadata.get("url", ""))
        if url.startswith(_RAI_NAMESPACE):
            many = field.metadata.get("cardinality") == "MANY"
            properties[url.removeprefix(_RAI_NAMESPACE)] = (field.name, many)
    return properties


def _rai_kwargs(rai: dict[str, str]) -> dict[str, object]:
    supported = _rai_properties()
    unknown = sorted(set(rai) - set(supported))
    if unknown:
        raise ValueError(f"unknown RAI properties {unknown}; supported: {sorted(supported)}")
    kwargs: dict[str, object] = {}
    for key in sorted(rai):
        attribute, many = supported[key]
        value = rai[key]
        if key == "dataCollectionTimeFrame":  # an ISO interval 'start/end', or one date
            kwargs[attribute] = value.split("/")
        else:
            kwargs[attribute] = [value] if many else value
    return kwargs


def _description(column: Column, ctype: ColumnType) -> str:
    if ctype.kind == "list" and ctype.item is not None:
        return _description(column, ctype.item)
    if ctype.kind != "label":
        return column.description
    ids = ", ".join(f"{i}={label}" for i, label in enumerate(ctype.labels))
    return f"{column.description} Class ids: {ids}.".strip()


def _source(ctx: mlc.Context, file_id: str, *, file_set: bool, **kwargs: Any) -> mlc.Source:
    if file_set:
        return mlc.Source(ctx=ctx, file_set=file_id, **kwargs)
    return mlc.Source(ctx=ctx, file_object=file_id, **kwargs)


def _field(
    ctx: mlc.Context,
    file_id: str,
    file_set: bool,
    field_id: str,
    column: Column,
    *,
    top_column: str,
    json_paths: tuple[tuple[str, ...], ...],
    in_list: bool,
) -> mlc.Field:
    """The field of one column or sub-column.

    file_id names the FileObject, or the FileSet when file_set, the values are read from.
    top_column is the Parquet column the value lives in. json_paths holds one jsonPath transform
    per level: names leading from the column's value to the sub-column, and a new transform at
    each list of structs, because mlcroissant applies a transform to every item of a list."""
    ctype = column.type
    repeated = ctype.kind == "list"
    inner = ctype.item if repeated and ctype.item is not None else ctype
    if repeated and inner.kind == "list":
        raise NotImplementedError(f"{field_id}: lists of lists have no Croissant 1.0 form")
    if repeated and in_list and inner.kind == "struct":
        raise NotImplementedError(f"{field_id}: nested lists of structs cannot be extracted")
    kwargs: dict[str, Any] = {
        "ctx": ctx,
        "id": field_id,
        "name": column.name,
        "description": _description(column, ctype),
    }
    if repeated:
        kwargs["repeated"] = True
    if inner.kind == "struct":
        kwargs["sub_fields"] = [
            _field(
                ctx,
                file_id,
                file_set,
                f"{field_id}/{sub.name}",
                sub,
                top_column=top_column,
                json_paths=(*json_paths, (sub.name,))
                if repeated or not json_paths
                else (*json_paths[:-1], (*json_paths[-1], sub.name)),
                in_list=in_list or repeated,
            )
            for sub in inner.fields
        ]
    else:
        kwargs["data_types"] = [_DATA_TYPES[inner.kind]]
        kwargs["source"] = _source(
            ctx,
            file_id,
            file_set=file_set,
            extract=mlc.Extract(ctx=ctx, column=top_column),
            transforms=[mlc.Transform(ctx=ctx, json_path=".".join(p)) for p in json_paths],
        )
    return mlc.Field(**kwargs)


def _record_set(ctx: mlc.Context, table: str, *, file_set: bool) -> mlc.RecordSet:
    model = RECORD_MODELS[table_kind(table)]
    fields = [
        _field(
            ctx,
            _file_id(table),
            file_set,
            f"{table}/{column.name}",
            column,
            top_column=column.name,
            json_paths=(),
            in_list=False,
        )
        for column in model_columns(model)
    ]
    description = inspect.cleandoc(model.__doc__ or "")
    return mlc.RecordSet(ctx=ctx, id=table, name=table, description=description, fields=fields)


def _file_id(stem: str) -> str:
    """The id of a table's FileObject or FileSet (stem 'claims'), or of a shard's FileObject."""
    return f"{stem}-parquet"


def _table_distribution(
    ctx: mlc.Context, table: str, version: str, files: dict[str, Any]
) -> list[mlc.FileObject | mlc.FileSet]:
    """A FileObject per file of the table; a sharded table also gets a FileSet of its shards,
    which its record set reads (mlcroissant reads a FileSet's files from the local folder of
    croissant.json, matching the includes glob against paths relative to it)."""
    names = table_files(files, table)
    counts = [
        int(match.group(1))
        for match in (
            re.fullmatch(rf"{re.escape(table)}-\d{{5}}-of-(\d{{5}})\.parquet", n) for n in names
        )
        if match
    ]
    expected = shard_names(table, max(counts, default=len(names)))
    if names != expected:
        raise ValueError(
            f"manifest of {version} lists the {table} table as {names}: missing "
            f"{sorted(set(expected) - set(names))}, unexpected {sorted(set(names) - set(expected))}"
        )
    sharded = len(names) > 1
    distribution: list[mlc.FileObject | mlc.FileSet] = [
        mlc.FileObject(
            ctx=ctx,
            id=_file_id(file_name.removesuffix(".parquet")),
            name=file_name,
            description=(
                f"Shard {index + 1} of {len(names)} of the {table} table, release {version}."
                if sharded
                else f"The {table} table, release {version}."
            ),
            content_url=f"data/{version}/{file_name}",
            content_size=f"{files[file_name]['bytes']} B",
            encoding_formats=[mlc.EncodingFormat.PARQUET],
            sha256=files[file_name]["sha256"],
        )
        for index, file_name in enumerate(names)
    ]
    if sharded:
        distribution.append(
            mlc.FileSet(
                ctx=ctx,
                id=_file_id(table),
                name=f"{table}-*.parquet",
                description=f"The {table} table, release {version}, in {len(names)} shards.",
                encoding_formats=[mlc.EncodingFormat.PARQUET],
                includes=[f"data/{version}/{table}-*.parquet"],
            )
        )
    return distribution


def croissant_metadata(
    data_dir: Path,
    version: str,
    *,
    name: str,
    description: str,
    licences: Sequence[Licence],
    url: str,
    same_as: Sequence[str],
    creators: Sequence[str],
    creator_url: str,
    cite_as: str,
    date_published: str,
    rai: dict[str, str],
) -> dict[str, object]:
    """The Croissant JSON-LD of the release in data_dir (holding manifest.json and the tables).

    Each licence is a CreativeWork named by its SPDX identifier, whose description says what it
    covers and allows, so that no part of the data reads as licensed under another's terms.
    url is the dataset's web page, same_as its other pages, creators the creators'
    organizations (creator_url their page), cite_as a BibTeX entry.

    Content URLs are relative to the repository root, where the caller writes croissant.json:
    'data/<version>/<table>.parquet' for a table in one file; a table in shards has a
    FileObject per shard ('data/<version>/<table>-00000-of-00003.parquet', ...) and a FileSet
    including 'data/<version>/<table>-*.parquet', which its record set reads. rai maps RAI
    property names without the 'rai:' prefix (e.g. 'dataBiases') to text;
    'dataCollectionTimeFrame' takes an ISO date or 'start/end'. Raises ValueError on an
    unknown RAI property, a manifest of another version, a missing table or shard, and
    mlcroissant.ValidationError when mlcroissant rejects the metadata."""
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("version") != version:
        raise ValueError(f"{data_dir}/manifest.json is version {manifest.get('version')!r}")
    files: dict[str, Any] = manifest["files"]
    missing = sorted(f"{t}.parquet" for t in RECORD_MODELS if not table_files(files, t))
    if missing:
        raise ValueError(f"manifest of {version} lists no {missing} (nor shards of them)")
    ctx = mlc.Context()
    tables = released_tables(files)
    distribution = [
        file for table in sorted(tables) for file in _table_distribution(ctx, table, version, files)
    ]
    record_sets = [
        _record_set(ctx, table, file_set=len(table_files(files, table)) > 1) for table in tables
    ]
    metadata = mlc.Metadata(
        ctx=ctx,
        name=name,
        description=description,
        conforms_to=[CROISSANT_VERSION],
        license=[
            mlc.CreativeWork(
                ctx=ctx,
                name=licence.spdx,
                description=f"{licence.name}. {licence.covers} {licence.terms}",
                url=licence.url,
            )
            for licence in licences
        ],
        url=url,
        same_as=list(same_as),
        creators=[mlc.Organization(ctx=ctx, name=creator, url=creator_url) for creator in creators],
        cite_as=cite_as,
        date_published=date_published,
        version=version,
        distribution=distribution,
        record_sets=record_sets,
        **_rai_kwargs(rai),
    )
    jsonld: dict[str, object] = metadata.to_json()
    return jsonld
