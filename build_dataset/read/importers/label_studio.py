"""Label Studio's JSON and JSON-MIN exports.

JSON is a list of tasks (or one task) `{"id", "data": {"text"}, "annotations": [...],
"predictions": [...]}`, each annotation `{"id", "completed_by", "result": [...],
"was_cancelled", "created_at", "updated_at"}`. Results of type `labels` (`value.start`,
`value.end`, `value.text`, `value.labels`) are spans, `relation` results (`from_id`, `to_id`,
`labels`, `direction`) links; a region's `meta.text` and a per-region `textarea` (a result with
the region's id) are notes on it. JSON-MIN is a list of records, one per annotation: the task's
data fields, `id` (the task's), `annotator`, `annotation_id`, `created_at`, `updated_at`, and per
control its values, a `Labels` control's as `[{start, end, text, labels}]`; it has no relations.

Of a task's annotations that are not cancelled, the most recently updated is imported, unless
`annotation_id` or `annotator` (an email or a user id) choose another; a task with none is
skipped, or with `predictions` its most recent prediction is imported."""

from pathlib import Path
from typing import Any

from build_dataset.read.importers.common import (
    Choice,
    Document,
    ImportProblem,
    Link,
    Note,
    Parsed,
    Span,
    json_problem,
    key,
    one_label,
    optional_id,
    read_text,
    string,
    whole,
)
from build_dataset.read.jsonl_source import JsonError, load_json

DIRECTIONS = ("right", "left", "bi")
# Fields JSON-MIN adds to a task's data fields.
MIN_FIELDS = ("id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time")


def parse(path: Path, choice: Choice) -> Parsed:
    export = read_text(path)
    try:
        tasks = load_json(export)
    except JsonError as error:
        raise json_problem(path, export, error) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ImportProblem(path, "", "not a Label Studio JSON export (a list of tasks)")
    for number, task in enumerate(tasks, 1):
        if not isinstance(task, dict):
            raise ImportProblem(path, f"task {number}", "is not a task object")
    parsed = Parsed()
    if any("data" in task for task in tasks):
        for number, task in enumerate(tasks, 1):
            _task(path, number, task, choice, parsed)
    else:
        _json_min(path, tasks, choice, parsed)
    return parsed


def _who(user: Any) -> str:
    if isinstance(user, dict):
        return str(user.get("email") or user.get("id"))
    return f"user {user}" if isinstance(user, int) else str(user)


def _by(user: Any, annotator: str) -> bool:
    if isinstance(user, dict):
        return annotator in (user.get("email"), str(user.get("id")))
    return annotator == str(user)


def _annotation_id(annotation: dict[str, Any]) -> str:
    """Its id: JSON-MIN's records give it as annotation_id, beside the task's id."""
    return str(annotation.get("annotation_id", annotation.get("id")))


def _latest(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The most recently updated (or created) item; the last listed of equal ones."""
    order = {id(item): index for index, item in enumerate(items)}
    return max(
        items,
        key=lambda i: (str(i.get("updated_at") or i.get("created_at") or ""), order[id(i)]),
    )


def _chosen(
    where: str, items: list[dict[str, Any]], choice: Choice, user_field: str, notices: list[str]
) -> dict[str, Any] | None:
    """The annotation to import of a task's annotations, with a notice when it was a choice."""
    if choice.annotation_id is not None:
        items = [a for a in items if _annotation_id(a) == choice.annotation_id]
        if not items:
            notices.append(f"{where}: has no annotation {choice.annotation_id}; skipped")
            return None
    elif choice.annotator is not None:
        mine = [a for a in items if _by(a.get(user_field), choice.annotator)]
        if not mine:
            others = ", ".join(sorted({_who(a.get(user_field)) for a in items})) or "none"
            notices.append(
                f"{where}: has no annotation by {choice.annotator} (annotators: {others}); skipped"
            )
            return None
        items = mine
    if not items:
        return None
    chosen = _latest(items)
    if len(items) > 1:
        name = _annotation_id(chosen)
        notices.append(
            f"{where}: has {len(items)} annotations; imported the most recent, {name} by "
            f"{_who(chosen.get(user_field))} (choose with --annotation-id or --annotator)"
        )
    return chosen


def _task(path: Path, number: int, task: dict[str, Any], choice: Choice, parsed: Parsed) -> None:
    where = f"task {number}"
    if "id" in task:
        where += f" (id {task['id']})"
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ImportProblem(path, where, "has no data.text string")
    lists = {}
    for name in ("annotations", "predictions"):
        items = task.get(name) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ImportProblem(path, where, f"{name} is not a list of objects")
        lists[name] = items
    kept = [a for a in lists["annotations"] if not (a.get("was_cancelled") or a.get("skipped"))]
    if len(kept) < len(lists["annotations"]):
        cancelled = len(lists["annotations"]) - len(kept)
        parsed.notices.append(f"{where}: {cancelled} cancelled annotation(s) left out")
    annotation = _chosen(where, kept, choice, "completed_by", parsed.notices)
    if annotation is None and not kept and lists["predictions"]:
        if not choice.predictions:
            parsed.notices.append(
                f"{where}: has only predictions; skipped (--predictions imports them)"
            )
            return
        annotation = _latest(lists["predictions"])
        parsed.notices.append(
            f"{where}: has no annotation; imported its prediction "
            f"{annotation.get('model_version', annotation.get('id'))!r}"
        )
    elif annotation is None:
        if not kept and choice.annotation_id is None and choice.annotator is None:
            parsed.notices.append(f"{where}: has no annotation; skipped")
        return
    result = annotation.get("result")
    if not isinstance(result, list):
        raise ImportProblem(path, where, "annotation has no result list")
    spans, links, notes, ignored = [], [], [], []
    for index, item in enumerate(result, 1):
        at = f"{where}, result {index}"
        if not isinstance(item, dict):
            raise ImportProblem(path, at, "is not an object")
        kind = item.get("type")
        value = item.get("value")
        if kind == "relation":
            direction = item.get("direction", "right")
            if direction not in DIRECTIONS:
                raise ImportProblem(path, at, f"direction {direction!r} is not right/left/bi")
            source = key(path, at, item.get("from_id"), "from_id")
            target = key(path, at, item.get("to_id"), "to_id")
            if direction == "left":
                source, target = target, source
            label = one_label(path, at, item.get("labels"), required=False)
            links.append(_relation(source, target, label, direction, at))
            notes += _meta_notes(item, at, at)
            continue
        if not isinstance(value, dict):
            raise ImportProblem(path, at, "has no value object")
        region = key(path, at, item.get("id"), "id") if "id" in item else None
        if kind == "labels":
            if region is None:
                raise ImportProblem(path, at, "has no id")
            at += f" (id {region!r})"
            text = value.get("text")
            spans.append(
                Span(
                    key=region,
                    start=whole(path, at, value.get("start"), "value.start"),
                    end=whole(path, at, value.get("end"), "value.end"),
                    label=one_label(path, at, value.get("labels"), required=True) or "",
                    text=None if text is None else string(path, at, text, "value.text"),
                    where=at,
                )
            )
            notes += _meta_notes(item, region, at)
        elif kind == "textarea" and region is not None and _texts(value.get("text")):
            notes.append(Note(region, "\n".join(_texts(value.get("text"))), at))
        else:
            ignored.append(f"result {index} ({kind} {item.get('from_name')!r})")
    targets = {span.key for span in spans} | {link.key for link in links}
    for note in [n for n in notes if n.target not in targets]:
        notes.remove(note)
        ignored.append(f"{note.where.removeprefix(where + ', ')} (a note on no labelled region)")
    if ignored:
        parsed.notices.append(f"{where}: ignored what the schema cannot hold: {', '.join(ignored)}")
    parsed.documents.append(
        Document(
            where=where,
            text=data["text"],
            article_id=optional_id(data.get("article_id")),
            id_hint=optional_id(data.get("id")),
            spans=tuple(spans),
            links=tuple(links),
            notes=tuple(notes),
        )
    )


def _relation(source: str, target: str, label: str | None, direction: str, at: str) -> Link:
    return Link(source, target, label, direction != "bi", at, key=at)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [text for text in value if isinstance(text, str) and text.strip()]


def _meta_notes(item: dict[str, Any], target: str, at: str) -> list[Note]:
    """A region's or relation's `meta.text`, which Label Studio shows as its meta info."""
    meta = item.get("meta")
    texts = _texts(meta.get("text")) if isinstance(meta, dict) else []
    return [Note(target, "\n".join(texts), f"{at}, meta")] if texts else []


def _json_min(path: Path, records: list[dict[str, Any]], choice: Choice, parsed: Parsed) -> None:
    tasks: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, record in enumerate(records, 1):
        task_id = record.get("id")
        tasks.setdefault(f"id {task_id}" if task_id is not None else f"#{number}", []).append(
            (number, record)
        )
    for numbered in tasks.values():
        first = numbered[0][0]
        where = f"record {first}" + (
            f" (task id {numbered[0][1]['id']})" if "id" in numbered[0][1] else ""
        )
        annotated = [r for _, r in numbered if r.get("annotation_id") is not None]
        if not annotated:
            parsed.notices.append(f"{where}: has no annotation; skipped")
            continue
        chosen = _chosen(where, annotated, choice, "annotator", parsed.notices)
        if chosen is None:
            continue
        number = next(n for n, r in numbered if r is chosen)
        parsed.documents.append(_min_record(path, number, chosen, parsed.notices))
    if parsed.documents:
        parsed.notices.append(
            "JSON-MIN carries no relations: each claimant, cue and value goes to the claims "
            "that contain it"
        )


def _min_record(path: Path, number: int, record: dict[str, Any], notices: list[str]) -> Document:
    where = f"record {number}"
    text = record.get("text")
    if not isinstance(text, str):
        raise ImportProblem(path, where, "has no 'text' string (the task's data)")
    spans: list[Span] = []
    notes: list[Note] = []
    ignored: list[str] = []
    regions: dict[tuple[Any, Any], str] = {}
    for name, value in record.items():
        if name in (*MIN_FIELDS, "text", "article_id", "agreement"):
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, dict) and "start" in i and "end" in i for i in items) or not items:
            ignored.append(repr(name))
            continue
        for index, item in enumerate(items, 1):
            at = f"{where}, {name} {index}"
            if "labels" not in item:
                continue
            span_text = item.get("text")
            span = Span(
                key=f"{name} {index}",
                start=whole(path, at, item.get("start"), "start"),
                end=whole(path, at, item.get("end"), "end"),
                label=one_label(path, at, item.get("labels"), required=True) or "",
                text=None if span_text is None else string(path, at, span_text, "text"),
                where=at,
            )
            spans.append(span)
            regions.setdefault((span.start, span.end), span.key)
    for name, value in record.items():  # per-region text areas: a region's note
        items = value if isinstance(value, list) else []
        for index, item in enumerate(items, 1):
            if isinstance(item, dict) and "labels" not in item and "start" in item:
                at = f"{where}, {name} {index}"
                region = regions.get((item.get("start"), item.get("end")))
                if region is not None and _texts(item.get("text")):
                    notes.append(Note(region, "\n".join(_texts(item.get("text"))), at))
                else:
                    ignored.append(f"{name} {index}")
    if ignored:
        notices.append(
            f"{where}: ignored fields the schema cannot hold (task data or controls other "
            f"than labels): {', '.join(ignored)}"
        )
    return Document(
        where=where,
        text=text,
        article_id=optional_id(record.get("article_id")),
        id_hint=optional_id(record.get("id")),
        spans=tuple(spans),
        links=(),
        notes=tuple(notes),
    )
