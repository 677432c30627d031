"""brat's standoff format: the .ann file, with the text in the .txt file of the same stem.

Lines are `T` text-bound annotations (`T1<TAB>Label 0 5<TAB>text`; discontinuous ones list
fragments, `0 5;10 15`, their texts joined by a space), `R` relations (`R1<TAB>Type Arg1:T1
Arg2:T2`), `E` events, `A` (or `M`) attributes, `N` normalizations, `*` equivalences and `#`
notes (`#1<TAB>AnnotatorNotes T1<TAB>text`). A discontinuous span is imported as the one stretch
that covers its fragments, since a claim quotes contiguous text; a note on a T or R line is that
claim's or relation's note; events, attributes, normalizations and equivalences have no place
in the schema and are named in a notice."""

from pathlib import Path

from build_dataset.read.importers.common import (
    Choice,
    Document,
    ImportProblem,
    Link,
    Note,
    Parsed,
    Span,
    read_text,
)

IGNORED = {"E": "event", "A": "attribute", "M": "attribute", "N": "normalization", "*": "equiv"}


def parse(path: Path, _choice: Choice) -> Parsed:
    text_path = path.with_suffix(".txt")
    if not text_path.is_file():
        raise ImportProblem(path, "", f"the text file {text_path.name} is not beside it")
    text = read_text(text_path)
    parsed = Parsed()
    spans, links, notes, ignored = [], [], [], []
    for number, line in enumerate(read_text(path).split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"line {number}"
        fields = line.split("\t")
        ident = fields[0]
        if len(fields) < 2:
            raise ImportProblem(path, where, "is not '<id>\\t<annotation>...' standoff")
        where += f" ({ident})"
        if ident.startswith("T"):
            spans.append(_text_bound(path, where, ident, fields, text, parsed.notices))
        elif ident.startswith("R"):
            parts = fields[1].split()
            args = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
            if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
                message = f"relation {fields[1]!r} is not '<type> Arg1:<id> Arg2:<id>'"
                raise ImportProblem(path, where, message)
            links.append(Link(args["Arg1"], args["Arg2"], parts[0], True, where, key=ident))
        elif ident.startswith("#"):
            kind, _, target = fields[1].partition(" ")
            note = "\t".join(fields[2:]).strip()
            if kind == "AnnotatorNotes" and target.strip() and note:
                notes.append(Note(target.strip(), note, where))
            else:
                ignored.append(f"{where} note {fields[1]!r}")
        elif ident[:1] in IGNORED:
            ignored.append(f"{where} {IGNORED[ident[:1]]} {fields[1]!r}")
        else:
            message = (
                f"annotation {ident!r} is not standoff: lines start with T, R, E, A, M, N, * or #"
            )
            raise ImportProblem(path, where, message)
    if ignored:
        parsed.notices.append(f"ignored what the schema cannot hold: {'; '.join(ignored)}")
    where = f"text file {text_path.name}"
    parsed.documents.append(
        Document(where, text, None, path.stem, tuple(spans), tuple(links), tuple(notes))
    )
    return parsed


def _text_bound(
    path: Path, where: str, ident: str, fields: list[str], text: str, notices: list[str]
) -> Span:
    label, _, offsets = fields[1].partition(" ")
    fragments = []
    for fragment in offsets.split(";"):
        parts = fragment.split()
        if len(parts) != 2 or not all(part.isdigit() for part in parts):
            raise ImportProblem(path, where, f"offsets {offsets!r} are not 'start end[;start end]'")
        fragments.append((int(parts[0]), int(parts[1])))
    span_text = "\t".join(fields[2:]) if len(fields) > 2 else None
    if len(fragments) == 1:
        ((start, end),) = fragments
        return Span(ident, start, end, label, span_text, where)
    start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
    joined = " ".join(text[s:e] for s, e in fragments)
    if span_text is not None and span_text != joined:
        message = (
            f"span text {span_text!r} is not the text of fragments {offsets}, which is {joined!r} "
            "(offsets count Unicode code points)"
        )
        raise ImportProblem(path, where, message)
    notices.append(
        f"{where}: discontinuous span {offsets} ({joined!r}) imported as the stretch that "
        f"covers it, [{start}, {end}) {text[start:end]!r}"
    )
    return Span(ident, start, end, label, None, where)
