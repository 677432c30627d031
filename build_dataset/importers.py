"""Importing span annotations made in Label Studio, doccano or brat into annotation files.

The conversion is pure: it reads one export (and the seeds it refers to) and returns, per
article id, a plain dict shaped like `schema.annotation.ArticleAnnotationFile`, ready for
`dump_annotation`. It invents nothing: fields an export cannot carry are left out, so
`build-dataset validate` names exactly what the contributor still has to add.

Conventions, the same for every tool:

Text
    The annotated text must be the article's clean text (`clean_article(raw, outlet).clean_text`,
    the `clean_text` column) or its raw seed text, unchanged. Offsets count Unicode code points.
    The article is found by an explicit id (the `article_id` argument, a task's or line's
    `article_id` field), else by an id that names a seed (Label Studio `data.id`, doccano `id`,
    the brat .ann file's stem), else by finding the seed whose raw or clean text equals the
    text. Either way the text must equal that seed's raw or clean text, or the import fails.
    The clean text is computed with the outlet of the article's existing annotation file, if
    any. Spans over raw text are moved to the clean text; a span that touches text cleaning
    removes (site chrome, doubled blank lines) is an error.

Span labels (case-insensitive)
    `CLAIM` or `CLAIM:<claim_type>` (a `schema.vocabularies.ClaimType`) is a claim; its quote is
    the span's text, with `occurrence` when that text occurs more than once in the clean text,
    so that the builder resolves it back to the same characters. Claims are numbered
    `<article id>-c001`, ... in text order.
    `CLAIMANT` and `CUE` become the claim's `claimant_text` and `cue`; `QUANTITY`, `DATE` and
    `PLACE` become `quantities`, `dates` and `places` entries holding only `text`.
    Any other label is an error.

Which claim a span belongs to
    A span linked to claims by relations belongs to those claims. A span without relations
    belongs to every claim that contains it, except that a claim with a linked claimant (cue)
    ignores unlinked ones; a claim with two candidate claimants (cues) is an error, and so is a
    span that belongs to no claim. The span must lie inside the claim, and be the first
    occurrence of its text in the claim's quote, since that is how the builder locates it.

Relations (labels case-insensitive)
    Between two claims: one `schema.vocabularies.RelationType` label (agrees, contradicts,
    refines, different_scope, supersedes), directed from the claim that carries it to the other.
    Between a claim and another span, in either direction: no label or the span's kind
    (`claimant`, `cue`, `quantity`, `date`, `place`). Anything else is an error.

What is left out
    Claims get no `claimant` id, `quote_type`, `events` or `note`, and no `claim_type` unless
    the label gives it; quantities, dates and places get only `text`. The article section gets
    `id` and `sha256` from the seed, plus `title`, `outlet`, `language` and `publication_date`
    copied from the article's existing annotation file, if there is one.

Formats
    label-studio: the JSON export, a list of tasks `{"data": {"text": ...}, "annotations":
    [{"result": [...]}]}` with `labels` results (`value.start`, `value.end`, `value.text`,
    `value.labels`) and `relation` results (`from_id`, `to_id`, `labels`, `direction`); each
    task must have exactly one annotation that is not cancelled.
    doccano: the JSONL export, one object a line with `text` (or `data`) and either
    `label: [[start, end, label], ...]` or `entities: [{id, start_offset, end_offset, label}]`
    with `relations: [{from_id, to_id, type}]`.
    brat: the .ann standoff file, with the text in the .txt file of the same stem; `T` lines
    (continuous spans only) and `R` lines (`Arg1` is the source), `#` notes are ignored.

Every problem raises ImportProblem, naming the file, the task, line or result, and what is wrong.
"""

import copy
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from build_dataset.cleaning import clean_article
from build_dataset.files import link_out
from build_dataset.inputs import ANNOTATIONS_DIR, SEEDS_DIR
from build_dataset.jsonl_source import JsonError, load_json
from build_dataset.problems import InvalidInput
from build_dataset.yaml_source import read_yaml
from schema.article import RemovedSegment
from schema.vocabularies import ClaimType, RelationType

FORMATS = ("label-studio", "doccano", "brat")
REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/annotation.schema.json"

CLAIM = "CLAIM"
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimType)
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)
# Span kinds other than CLAIM, and the claim field each fills.
SINGLE_KINDS = {"CLAIMANT": "claimant_text", "CUE": "cue"}
LIST_KINDS = {"QUANTITY": "quantities", "DATE": "dates", "PLACE": "places"}
ATTRIBUTE_KINDS = (*SINGLE_KINDS, *LIST_KINDS)
ACCEPTED_LABELS = (
    f"{CLAIM}, {CLAIM}:<claim type> ({', '.join(CLAIM_TYPES)}), {', '.join(ATTRIBUTE_KINDS)}"
)
ACCEPTED_RELATIONS = (
    f"{', '.join(RELATION_TYPES)} between two claims; none or "
    f"{', '.join(kind.lower() for kind in ATTRIBUTE_KINDS)} from a claim to a span of that kind"
)
ARTICLE_FIELDS_KEPT = ("title", "outlet", "language", "publication_date")


class ImportProblem(ValueError):
    """An export that cannot be converted: which file, where in it, and what is wrong."""

    def __init__(self, file: Path | str, where: str, message: str) -> None:
        self.file = str(file)
        self.where = where
        self.message = message
        super().__init__(f"{self.file}: {where}: {message}" if where else f"{file}: {message}")


@dataclass(frozen=True)
class _Span:
    key: str
    start: int
    end: int
    label: str
    text: str | None  # the span's text as the export gives it, if it does
    where: str


@dataclass(frozen=True)
class _Link:
    source: str
    target: str
    label: str | None
    directed: bool
    where: str


@dataclass(frozen=True)
class _Document:
    where: str
    text: str
    article_id: str | None  # must name a seed
    id_hint: str | None  # names a seed, or is the tool's own id
    spans: tuple[_Span, ...]
    links: tuple[_Link, ...]


@dataclass(frozen=True)
class _Seed:
    id: str
    path: Path
    sha256: str
    raw: str
    clean: str
    removed: tuple[RemovedSegment, ...]
    article: dict[str, Any] | None  # the existing annotation file's article section


@dataclass(frozen=True)
class _Placed:
    """A span with its kind and its clean-text offsets."""

    span: _Span
    kind: str
    claim_type: str | None
    start: int
    end: int


def import_annotations(
    fmt: str, path: Path, *, article_id: str | None = None, root: Path = REPO_ROOT
) -> dict[str, dict[str, Any]]:
    """Annotation-file data per article id, from one export of a format in FORMATS."""
    path = Path(path)
    parser = _PARSERS.get(fmt)
    if parser is None:
        raise ImportProblem(path, "", f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise ImportProblem(path, "", "no such file")
    documents = parser(path)
    if article_id is not None and len(documents) != 1:
        message = f"an article id was given, but the file holds {len(documents)} documents"
        raise ImportProblem(path, "", message)
    seeds = _Seeds(Path(root))
    out: dict[str, dict[str, Any]] = {}
    first: dict[str, str] = {}
    for document in documents:
        seed, is_raw = _resolve(path, document, seeds, article_id)
        if seed.id in out:
            message = f"article {seed.id} was already imported from {first[seed.id]}"
            raise ImportProblem(path, document.where, message)
        first[seed.id] = document.where
        out[seed.id] = _annotation(path, document, seed, is_raw)
    return out


# --- Reading the exports --------------------------------------------------------------------


def _read_text(path: Path, where: str = "") -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(path, where, f"not UTF-8 (byte {error.start})") from None


def _int(path: Path, where: str, value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportProblem(path, where, f"{name} is {value!r}, not a whole number")
    return value


def _str(path: Path, where: str, value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ImportProblem(path, where, f"{name} is {value!r}, not a string")
    return value


def _key(path: Path, where: str, value: Any, name: str) -> str:
    """A span id, which tools write as a string or a number."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImportProblem(path, where, f"{name} is {value!r}, not an id")
    return str(value)


def _optional_id(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _one_label(path: Path, where: str, labels: Any, required: bool) -> str | None:
    if labels is None and not required:
        return None
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ImportProblem(path, where, f"labels is {labels!r}, not a list of strings")
    if len(labels) > 1 or (required and not labels):
        raise ImportProblem(path, where, f"has {len(labels)} labels; give exactly one")
    return labels[0] if labels else None


def _not_json(error: JsonError) -> str:
    return error.message.replace("invalid JSON", "not JSON", 1)


def _label_studio(path: Path) -> list[_Document]:
    export = _read_text(path)
    try:
        tasks = load_json(export)
    except JsonError as error:
        line, column = error.line_column(export)
        raise ImportProblem(
            path, "", f"{_not_json(error)} (line {line}, column {column})"
        ) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ImportProblem(path, "", "not a Label Studio JSON export (a list of tasks)")
    documents = []
    for number, task in enumerate(tasks, 1):
        where = f"task {number}"
        if not isinstance(task, dict):
            raise ImportProblem(path, where, "is not a task object")
        if "id" in task:
            where += f" (id {task['id']})"
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ImportProblem(path, where, "has no data.text string")
        annotations = task.get("annotations", [])
        if not isinstance(annotations, list):
            raise ImportProblem(path, where, "annotations is not a list")
        kept = [a for a in annotations if not (isinstance(a, dict) and a.get("was_cancelled"))]
        if len(kept) != 1:
            message = (
                f"has {len(kept)} annotations that are not cancelled; "
                "export exactly one annotation per task"
            )
            raise ImportProblem(path, where, message)
        annotation = kept[0]
        result = annotation.get("result") if isinstance(annotation, dict) else None
        if not isinstance(result, list):
            raise ImportProblem(path, where, "annotation has no result list")
        spans, links = [], []
        for index, item in enumerate(result, 1):
            at = f"{where}, result {index}"
            if not isinstance(item, dict):
                raise ImportProblem(path, at, "is not an object")
            kind = item.get("type")
            if kind == "relation":
                direction = item.get("direction", "right")
                if direction not in ("right", "left", "bi"):
                    raise ImportProblem(path, at, f"direction {direction!r} is not right/left/bi")
                source = _key(path, at, item.get("from_id"), "from_id")
                target = _key(path, at, item.get("to_id"), "to_id")
                if direction == "left":
                    source, target = target, source
                label = _one_label(path, at, item.get("labels"), required=False)
                links.append(_Link(source, target, label, direction != "bi", at))
            elif kind == "labels":
                value = item.get("value")
                if not isinstance(value, dict):
                    raise ImportProblem(path, at, "has no value object")
                key = _key(path, at, item.get("id"), "id")
                at += f" (id {key!r})"
                text = value.get("text")
                spans.append(
                    _Span(
                        key=key,
                        start=_int(path, at, value.get("start"), "value.start"),
                        end=_int(path, at, value.get("end"), "value.end"),
                        label=_one_label(path, at, value.get("labels"), required=True) or "",
                        text=None if text is None else _str(path, at, text, "value.text"),
                        where=at,
                    )
                )
            else:
                message = f"result type {kind!r} is not supported (only 'labels' and 'relation')"
                raise ImportProblem(path, at, message)
        documents.append(
            _Document(
                where=where,
                text=data["text"],
                article_id=_optional_id(data.get("article_id")),
                id_hint=_optional_id(data.get("id")),
                spans=tuple(spans),
                links=tuple(links),
            )
        )
    return documents


def _doccano(path: Path) -> list[_Document]:
    documents = []
    for number, line in enumerate(_read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = load_json(line)
        except JsonError as error:
            message = f"{_not_json(error)} (column {error.offset + 1})"
            raise ImportProblem(path, where, message) from None
        if not isinstance(record, dict):
            raise ImportProblem(path, where, "is not a JSON object")
        text = record.get("text", record.get("data"))
        if not isinstance(text, str):
            raise ImportProblem(path, where, "has no 'text' (or 'data') string")
        spans, links = [], []
        if "entities" in record:
            entities, relations = record["entities"], record.get("relations", [])
            if not isinstance(entities, list) or not isinstance(relations, list):
                raise ImportProblem(path, where, "entities and relations must be lists")
            for index, entity in enumerate(entities, 1):
                at = f"{where}, entity {index}"
                if not isinstance(entity, dict):
                    raise ImportProblem(path, at, "is not an object")
                key = _key(path, at, entity.get("id"), "id")
                at += f" (id {key})"
                spans.append(
                    _Span(
                        key=key,
                        start=_int(path, at, entity.get("start_offset"), "start_offset"),
                        end=_int(path, at, entity.get("end_offset"), "end_offset"),
                        label=_str(path, at, entity.get("label"), "label"),
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
                    _Link(
                        source=_key(path, at, relation.get("from_id"), "from_id"),
                        target=_key(path, at, relation.get("to_id"), "to_id"),
                        label=None if label is None else _str(path, at, label, "type"),
                        directed=True,
                        where=at,
                    )
                )
        elif "label" in record:
            labels = record["label"]
            if not isinstance(labels, list):
                raise ImportProblem(path, where, "label is not a list")
            for index, triple in enumerate(labels, 1):
                at = f"{where}, label {index}"
                if not (isinstance(triple, list) and len(triple) == 3):
                    message = f"is {triple!r}, not [start, end, label] (sequence labeling export)"
                    raise ImportProblem(path, at, message)
                start, end, label = triple
                spans.append(
                    _Span(
                        key=f"label {index}",
                        start=_int(path, at, start, "start"),
                        end=_int(path, at, end, "end"),
                        label=_str(path, at, label, "label"),
                        text=None,
                        where=at,
                    )
                )
        else:
            raise ImportProblem(path, where, "has neither 'entities' nor 'label'")
        documents.append(
            _Document(
                where=where,
                text=text,
                article_id=_optional_id(record.get("article_id")),
                id_hint=_optional_id(record.get("id")),
                spans=tuple(spans),
                links=tuple(links),
            )
        )
    return documents


def _brat(path: Path) -> list[_Document]:
    text_path = path.with_suffix(".txt")
    if not text_path.is_file():
        raise ImportProblem(path, "", f"the text file {text_path.name} is not beside it")
    text = _read_text(text_path)
    spans, links = [], []
    for number, line in enumerate(_read_text(path).split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        where = f"line {number}"
        fields = line.split("\t")
        ident = fields[0]
        if len(fields) < 2:
            raise ImportProblem(path, where, "is not '<id>\\t<annotation>...' standoff")
        where += f" ({ident})"
        if ident.startswith("T"):
            label, _, offsets = fields[1].partition(" ")
            if ";" in offsets:
                message = (
                    f"discontinuous span {offsets!r} is not supported; "
                    "annotate one continuous stretch of text"
                )
                raise ImportProblem(path, where, message)
            parts = offsets.split()
            if len(parts) != 2 or not all(part.isdigit() for part in parts):
                raise ImportProblem(path, where, f"offsets {offsets!r} are not 'start end'")
            span_text = "\t".join(fields[2:]) if len(fields) > 2 else None
            spans.append(_Span(ident, int(parts[0]), int(parts[1]), label, span_text, where))
        elif ident.startswith("R"):
            parts = fields[1].split()
            args = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
            if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
                message = f"relation {fields[1]!r} is not '<type> Arg1:<id> Arg2:<id>'"
                raise ImportProblem(path, where, message)
            links.append(_Link(args["Arg1"], args["Arg2"], parts[0], True, where))
        else:
            message = (
                f"annotation {ident!r} is not supported; only text-bound (T) and relation (R) "
                "annotations and # notes are"
            )
            raise ImportProblem(path, where, message)
    where = f"text file {text_path.name}"
    return [_Document(where, text, None, path.stem, tuple(spans), tuple(links))]


_PARSERS: dict[str, Callable[[Path], list[_Document]]] = {
    "label-studio": _label_studio,
    "doccano": _doccano,
    "brat": _brat,
}


# --- Finding the article ---------------------------------------------------------------------


class _Seeds:
    """The seeds under a root, each read (with its annotation file) only when needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = {path.stem: path for path in sorted((root / SEEDS_DIR).glob("*.txt"))}

    def get(self, article_id: str) -> _Seed | None:
        path = self.paths.get(article_id)
        if path is None:
            return None
        annotation = self.root / ANNOTATIONS_DIR / f"{article_id}.yaml"
        for read in (path, annotation):
            if (outside := link_out(self.root, read)) is not None:
                message = f"leads outside the repository, to {outside}, so it is not read"
                raise ImportProblem(read, "", f"{message}; replace the link with the file itself")
        return _load_seed(path, _stamp(path), annotation, _stamp(annotation))

    def find(self, text: str) -> tuple[_Seed, bool] | None:
        """The seed whose clean or raw text this is, and whether it is the raw one."""
        encoded = text.encode("utf-8")
        for article_id, path in self.paths.items():
            if link_out(self.root, path) is None and path.read_bytes() == encoded:
                seed = self.get(article_id)
                assert seed is not None
                return seed, text != seed.clean
        for article_id in self.paths:
            seed = self.get(article_id)
            if seed is not None and text == seed.clean:
                return seed, False
        return None


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells a changed file from the cached one."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=64)
def _load_seed(
    path: Path,
    stamp: tuple[int, int] | None,
    annotation: Path,
    annotation_stamp: tuple[int, int] | None,
) -> _Seed:
    raw_bytes = path.read_bytes()
    raw = _read_text(path)
    article = _existing_article(annotation) if annotation_stamp is not None else None
    outlet = article.get("outlet") if article else None
    cleaned = clean_article(raw, outlet if isinstance(outlet, str) else None)
    return _Seed(
        id=path.stem,
        path=path,
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        raw=raw,
        clean=cleaned.clean_text,
        removed=cleaned.removed,
        article=article,
    )


def _existing_article(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = read_yaml(path, str(path)).data
    except InvalidInput as error:
        raise ImportProblem(path, "", f"cannot read it: {error.problems[0]}") from None
    article = data.get("article") if isinstance(data, dict) else None
    return article if isinstance(article, dict) else None


def _first_difference(text: str, other: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b), -1)


def _mismatch(text: str, seed: _Seed) -> str:
    """Where text first departs from the seed text it is closest to."""
    best = ""
    best_at = -1
    for name, other in (("clean", seed.clean), ("raw", seed.raw)):
        at = _first_difference(text, other)
        at = min(len(text), len(other)) if at == -1 else at
        if at > best_at:
            best_at = at
            best = (
                f"it first differs from the {name} text at offset {at}: "
                f"{text[at : at + 30]!r} where the seed has {other[at : at + 30]!r}"
            )
    return best


def _resolve(
    path: Path, doc: _Document, seeds: _Seeds, article_id: str | None
) -> tuple[_Seed, bool]:
    """The seed the document's text is, and whether the text is the raw rather than clean one."""
    named = article_id if article_id is not None else doc.article_id
    if named is None and doc.id_hint in seeds.paths:
        named = doc.id_hint
    if named is not None:
        seed = seeds.get(named)
        if seed is None:
            message = (
                f"article {named!r} has no seed text {SEEDS_DIR}/{named}.txt under {seeds.root}"
            )
            raise ImportProblem(path, doc.where, message)
        if doc.text not in (seed.clean, seed.raw):
            message = (
                f"the text is neither the clean nor the raw text of {named}; "
                f"{_mismatch(doc.text, seed)}"
            )
            raise ImportProblem(path, doc.where, message)
        return seed, doc.text != seed.clean
    found = seeds.find(doc.text)
    if found is None:
        message = (
            f"the text is neither the clean nor the raw text of any seed in "
            f"{seeds.root / SEEDS_DIR} (it starts {doc.text[:60]!r}); export the article's "
            "text unchanged, or give its id"
        )
        raise ImportProblem(path, doc.where, message)
    return found


# --- Converting spans to claims --------------------------------------------------------------


def _describe(span: _Span, text: str) -> str:
    return f"{span.label} span {text[span.start : span.end]!r} at [{span.start}, {span.end})"


def _check_span(path: Path, doc: _Document, span: _Span) -> None:
    if not 0 <= span.start < span.end <= len(doc.text):
        message = (
            f"span [{span.start}, {span.end}) is not a non-empty stretch of the text "
            f"({len(doc.text)} characters)"
        )
        raise ImportProblem(path, span.where, message)
    actual = doc.text[span.start : span.end]
    if span.text is not None and span.text != actual:
        message = (
            f"span text {span.text!r} is not the text at [{span.start}, {span.end}), "
            f"which is {actual!r} (offsets count Unicode code points)"
        )
        raise ImportProblem(path, span.where, message)


def _parse_label(path: Path, span: _Span) -> tuple[str, str | None]:
    kind, colon, claim_type = span.label.strip().partition(":")
    kind = kind.strip().upper()
    claim_type = claim_type.strip().lower()
    if kind == CLAIM and (not colon or claim_type in CLAIM_TYPES):
        return CLAIM, claim_type or None
    if kind in ATTRIBUTE_KINDS and not colon:
        return kind, None
    message = f"unknown label {span.label!r}; the accepted labels are {ACCEPTED_LABELS}"
    raise ImportProblem(path, span.where, message)


def _to_clean(path: Path, span: _Span, seed: _Seed) -> tuple[int, int]:
    """Clean-text offsets of a span over the raw text."""
    for segment in seed.removed:
        if segment.start < span.end and span.start < segment.end:
            message = (
                f"{_describe(span, seed.raw)} of the raw text overlaps text that cleaning "
                f"removes ({segment.kind} {segment.text!r}, rule {segment.rule}); "
                "claims quote the clean text"
            )
            raise ImportProblem(path, span.where, message)
    removed_before, cursor = 0, 0
    for segment in sorted(seed.removed, key=lambda s: s.start):
        if segment.start >= span.start:
            break
        removed_before += max(0, segment.end - max(cursor, segment.start))
        cursor = max(cursor, segment.end)
    start = span.start - removed_before
    end = start + span.end - span.start
    if seed.clean[start:end] != seed.raw[span.start : span.end]:
        message = f"cannot map {_describe(span, seed.raw)} to the clean text"
        raise ImportProblem(path, span.where, message)
    return start, end


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """Which occurrence of quote starts at start (1-based), or None if it occurs once."""
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found.index(start) + 1 if len(found) > 1 else None


def _annotation(path: Path, doc: _Document, seed: _Seed, is_raw: bool) -> dict[str, Any]:
    placed: dict[str, _Placed] = {}
    for span in doc.spans:
        _check_span(path, doc, span)
        kind, claim_type = _parse_label(path, span)
        if span.key in placed:
            raise ImportProblem(path, span.where, f"span id {span.key!r} is used twice")
        start, end = _to_clean(path, span, seed) if is_raw else (span.start, span.end)
        placed[span.key] = _Placed(span, kind, claim_type, start, end)
    text = seed.clean
    claims = sorted((p for p in placed.values() if p.kind == CLAIM), key=lambda p: (p.start, p.end))
    if len(claims) > 999:
        raise ImportProblem(path, doc.where, f"{len(claims)} claims; ids allow at most 999")
    ids = {claim.span.key: f"{seed.id}-c{number:03d}" for number, claim in enumerate(claims, 1)}

    linked: dict[str, set[str]] = {}  # attribute span key -> claim keys
    relations: dict[str, set[tuple[str, str]]] = {key: set() for key in ids}
    for link in doc.links:
        ends = []
        for key in (link.source, link.target):
            if key not in placed:
                raise ImportProblem(path, link.where, f"refers to span id {key!r}, which is absent")
            ends.append(placed[key])
        source, target = ends
        label = link.label.strip().lower() if link.label and link.label.strip() else None
        if source.kind == CLAIM and target.kind == CLAIM:
            if label not in RELATION_TYPES:
                message = (
                    f"relation label {link.label!r} between two claims is not one of "
                    f"{', '.join(RELATION_TYPES)}"
                )
                raise ImportProblem(path, link.where, message)
            if not link.directed:
                message = "a relation between claims must point one way, from the claim it is on"
                raise ImportProblem(path, link.where, message)
            if source is target:
                raise ImportProblem(path, link.where, "relates a claim to itself")
            relations[source.span.key].add((label, target.span.key))
        elif CLAIM in (source.kind, target.kind) and source.kind != target.kind:
            claim, other = (source, target) if source.kind == CLAIM else (target, source)
            if label is not None and label != other.kind.lower():
                message = (
                    f"relation label {link.label!r} does not link a claim to a {other.kind} "
                    f"span; use {other.kind.lower()!r} or no label"
                )
                raise ImportProblem(path, link.where, message)
            linked.setdefault(other.span.key, set()).add(claim.span.key)
        else:
            message = (
                f"links a {source.kind} span to a {target.kind} span; accepted relations: "
                f"{ACCEPTED_RELATIONS}"
            )
            raise ImportProblem(path, link.where, message)

    members: dict[str, list[_Placed]] = {key: [] for key in ids}
    attributes = sorted(
        (p for p in placed.values() if p.kind != CLAIM), key=lambda p: (p.start, p.end)
    )
    for attribute in attributes:
        for key in linked.get(attribute.span.key, ()):
            members[key].append(attribute)
    used = set(linked)
    for claim in claims:
        mine = members[claim.span.key]
        for attribute in attributes:
            if attribute.span.key in linked or not claim.start <= attribute.start:
                continue
            if attribute.end > claim.end:
                continue
            if attribute.kind in SINGLE_KINDS and any(
                m.kind == attribute.kind and m.span.key in linked for m in mine
            ):
                continue
            mine.append(attribute)
            used.add(attribute.span.key)
    for attribute in attributes:
        if attribute.span.key not in used:
            message = (
                f"{_describe(attribute.span, doc.text)} belongs to no claim: put it inside "
                "a claim's span, or link it to one with a relation"
            )
            raise ImportProblem(path, attribute.span.where, message)

    out = []
    for claim in claims:
        quote = text[claim.start : claim.end]
        entry: dict[str, Any] = {"id": ids[claim.span.key], "quote": quote}
        occurrence = _occurrence(text, quote, claim.start)
        if occurrence is not None:
            entry["occurrence"] = occurrence
        mine = sorted(set(members[claim.span.key]), key=lambda p: (p.start, p.end, p.span.key))
        for kind, field in SINGLE_KINDS.items():
            found = [m for m in mine if m.kind == kind]
            if len(found) > 1:
                message = (
                    f"claim {ids[claim.span.key]} ({claim.span.where}) has {len(found)} "
                    f"{kind} spans: {', '.join(m.span.where for m in found)}; link the right one "
                    f"to it with a {kind.lower()!r} relation"
                )
                raise ImportProblem(path, claim.span.where, message)
            if found:
                entry[field] = _inner(path, doc, text, claim, found[0], ids)
        if claim.claim_type is not None:
            entry["claim_type"] = claim.claim_type
        for kind, field in LIST_KINDS.items():
            items = [
                {"text": _inner(path, doc, text, claim, m, ids)} for m in mine if m.kind == kind
            ]
            if items:
                entry[field] = items
        if relations[claim.span.key]:
            entry["relations"] = [
                {"type": relation_type, "claim": ids[target]}
                for relation_type, target in sorted(
                    relations[claim.span.key], key=lambda r: (ids[r[1]], r[0])
                )
            ]
        out.append(entry)

    article: dict[str, Any] = {"id": seed.id, "sha256": seed.sha256}
    for name in ARTICLE_FIELDS_KEPT:
        if seed.article is not None and name in seed.article:
            article[name] = copy.deepcopy(seed.article[name])
    return {"article": article, "claims": out}


def _inner(
    path: Path, doc: _Document, text: str, claim: _Placed, part: _Placed, ids: dict[str, str]
) -> str:
    """The text of a span inside a claim, which the builder finds as its first occurrence there."""
    claim_id = ids[claim.span.key]
    if not (claim.start <= part.start and part.end <= claim.end):
        message = (
            f"{_describe(part.span, doc.text)} is not inside claim {claim_id}, "
            f"{_describe(claim.span, doc.text)}; its text is quoted from the claim's quote"
        )
        raise ImportProblem(path, part.span.where, message)
    quote, value = text[claim.start : claim.end], text[part.start : part.end]
    occurrence = _occurrence(quote, value, part.start - claim.start) or 1
    if occurrence != 1:
        message = (
            f"{_describe(part.span, doc.text)} is occurrence {occurrence} of its text in the "
            f"quote of claim {claim_id}, but the builder takes the first; mark the first one"
        )
        raise ImportProblem(path, part.span.where, message)
    return value


# --- Writing ---------------------------------------------------------------------------------

# Values written in double quotes, as in the hand-written annotation files.
_QUOTED_KEYS = frozenset(
    {"quote", "claimant_text", "cue", "text", "title", "outlet", "evidence", "note", "value"}
    | {"anchor_date", "counted", "reason"}
)


def _styled(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for name, item in value.items():
            mapping[name] = _styled(item, name)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_styled(item) for item in value)
    if isinstance(value, str) and key in _QUOTED_KEYS:
        return DoubleQuotedScalarString(value)
    return value


def _represent_none(representer: RoundTripRepresenter, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def dump_annotation(data: dict[str, Any]) -> str:
    """YAML text of an annotation file, opening with the schema comment editors read."""
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.representer.add_representer(type(None), _represent_none)
    stream = io.StringIO()
    yaml.dump(_styled(data), stream)
    lines = stream.getvalue().split("\n")
    spaced: list[str] = []
    for line in lines:
        if line.startswith("  - id: ") and spaced and spaced[-1] != "claims:":
            spaced.append("")
        spaced.append(line)
    return SCHEMA_COMMENT + "\n" + "\n".join(spaced)
