"""doccano's JSONL exports of sequence labeling and relation projects.

One object a line: `text` (older versions: `data`), the example's `id` and metadata fields, and
either `label: [[start, end, label], ...]` (sequence labeling) or `entities: [{id, label,
start_offset, end_offset}]` with `relations: [{id, from_id, to_id, type}]` (relations), plus
`Comments: [{id, comment}]`. A project without collaborative annotation exports a zip of one
such file per user, `<user name>.jsonl` (examples nobody labelled go to `unknown.jsonl`); one
with it exports every user's labels merged in one file."""

import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from build_dataset.read.importers.common import (
    Choice,
    Document,
    ImportProblem,
    Link,
    Parsed,
    Span,
    key,
    not_json,
    optional_id,
    read_text,
    string,
    whole,
)
from build_dataset.read.jsonl_source import JsonError, load_json

UNLABELLED = "unknown"  # the user name doccano gives the examples nobody labelled
MAX_MEMBER = 1 << 30  # a zip member larger than this, unpacked, is not an export


def parse(path: Path, choice: Choice) -> Parsed:
    if zipfile.is_zipfile(path):
        return _per_user(path, choice)
    parsed = Parsed()
    _lines(path, read_text(path), "", parsed)
    return parsed


def _per_user(path: Path, choice: Choice) -> Parsed:
    """The file of one user in a zip of per-user files: the one chosen, or the only one."""
    with zipfile.ZipFile(path) as archive:
        members = {
            PurePosixPath(info.filename).stem: info
            for info in archive.infolist()
            if info.filename.endswith(".jsonl") and not info.is_dir()
        }
        users = sorted(name for name in members if name != UNLABELLED)
        if not users:
            raise ImportProblem(path, "", "holds no <user>.jsonl file: not a doccano export")
        if choice.annotator is None and len(users) > 1:
            message = (
                f"holds the labels of {len(users)} users ({', '.join(users)}); choose one "
                "with --annotator"
            )
            raise ImportProblem(path, "", message)
        user = choice.annotator if choice.annotator is not None else users[0]
        if user not in users:
            message = f"holds no labels of {user!r}; its users are {', '.join(users)}"
            raise ImportProblem(path, "", message)
        info = members[user]
        if info.file_size > MAX_MEMBER:
            raise ImportProblem(path, info.filename, "is too large to be an export")
        try:
            text = archive.read(info).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportProblem(path, info.filename, f"not UTF-8 (byte {error.start})") from None
    parsed = Parsed()
    if len(users) > 1:
        parsed.notices.append(f"imported the labels of {user}, of users {', '.join(users)}")
    _lines(path, text, f"{info.filename}, ", parsed)
    return parsed


def _lines(path: Path, text: str, prefix: str, parsed: Parsed) -> None:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{prefix}line {number}"
        try:
            record = load_json(line)
        except JsonError as error:
            message = f"{not_json(error)} (column {error.offset + 1})"
            raise ImportProblem(path, where, message) from None
        if not isinstance(record, dict):
            raise ImportProblem(path, where, "is not a JSON object")
        document = _record(path, where, record, parsed.notices)
        if document is not None:
            parsed.documents.append(document)


def _record(path: Path, where: str, record: dict[str, Any], notices: list[str]) -> Document | None:
    text = record.get("text", record.get("data"))
    if not isinstance(text, str):
        raise ImportProblem(path, where, "has no 'text' (or 'data') string")
    comments = record.get("Comments")
    if isinstance(comments, list) and comments:
        said = [c.get("comment") if isinstance(c, dict) else c for c in comments]
        notices.append(
            f"{where}: {len(comments)} comment(s) on the whole example are not kept (the schema "
            f"has no article note): {'; '.join(repr(s) for s in said)}"
        )
    if "entities" in record:
        spans, links = _entities(path, where, record)
    elif "label" in record:
        spans, links = _triples(path, where, record["label"]), []
    else:
        raise ImportProblem(path, where, "has neither 'entities' nor 'label'")
    return Document(
        where=where,
        text=text,
        article_id=optional_id(record.get("article_id")),
        id_hint=optional_id(record.get("id")),
        spans=tuple(spans),
        links=tuple(links),
    )


def _entities(path: Path, where: str, record: dict[str, Any]) -> tuple[list[Span], list[Link]]:
    entities, relations = record["entities"], record.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        raise ImportProblem(path, where, "entities and relations must be lists")
    spans, links = [], []
    for index, entity in enumerate(entities, 1):
        at = f"{where}, entity {index}"
        if not isinstance(entity, dict):
            raise ImportProblem(path, at, "is not an object")
        span_key = key(path, at, entity.get("id"), "id")
        at += f" (id {span_key})"
        spans.append(
            Span(
                key=span_key,
                start=whole(path, at, entity.get("start_offset"), "start_offset"),
                end=whole(path, at, entity.get("end_offset"), "end_offset"),
                label=string(path, at, entity.get("label"), "label"),
                text=None,
                where=at,
            )
        )
    for index, relation in enumerate(relations, 1):
        at = f"{where}, relation {index}"
        if not isinstance(relation, dict):
            raise ImportProblem(path, at, "is not an object")
        label = relation.get("type")
        links.append(
            Link(
                source=key(path, at, relation.get("from_id"), "from_id"),
                target=key(path, at, relation.get("to_id"), "to_id"),
                label=None if label is None else string(path, at, label, "type"),
                directed=True,
                where=at,
            )
        )
    return spans, links


def _triples(path: Path, where: str, labels: Any) -> list[Span]:
    if not isinstance(labels, list):
        raise ImportProblem(path, where, "label is not a list")
    spans = []
    for index, triple in enumerate(labels, 1):
        at = f"{where}, label {index}"
        if not (isinstance(triple, list) and len(triple) == 3):
            message = f"is {triple!r}, not [start, end, label] (sequence labeling export)"
            raise ImportProblem(path, at, message)
        start, end, label = triple
        spans.append(
            Span(
                key=f"label {index}",
                start=whole(path, at, start, "start"),
                end=whole(path, at, end, "end"),
                label=string(path, at, label, "label"),
                text=None,
                where=at,
            )
        )
    return spans
