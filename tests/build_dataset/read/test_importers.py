"""Importing Label Studio, doccano and brat exports of seed 003 into annotation-file data.

The fixtures under tests/fixtures/importers/ are the tools' real export formats over the seed's
real text: the same four claims in each (one with claimant and cue relations, one related to
another claim, one with a quantity, one whose quote occurs twice in the clean text)."""

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from build_dataset.check.quotes import resolve_quote
from build_dataset.problems import MAX_DEPTH, TOO_DEEP
from build_dataset.read.cleaning import clean_article
from build_dataset.read.importers import (
    FORMATS,
    SCHEMA_COMMENT,
    ImportProblem,
    dump_annotation,
    import_annotations,
)
from build_dataset.read.yaml_source import parse_yaml
from karabakh_schema.annotation import ArticleAnnotationFile

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "importers"
ARTICLE = "003_82aebb510e30787e"
SEED = REPO / "seeds" / f"{ARTICLE}.txt"
RAW = SEED.read_bytes().decode("utf-8")
CLEANED = clean_article(RAW, None)  # 003's annotation names no outlet
CLEAN = CLEANED.clean_text

LABEL_STUDIO = FIXTURES / "label_studio.json"  # clean text, found by matching it
DOCCANO = FIXTURES / "doccano.jsonl"  # raw text, named by article_id
DOCCANO_LABEL = FIXTURES / "doccano_label.jsonl"  # clean text, [start, end, label] triples
BRAT = FIXTURES / "brat" / f"{ARTICLE}.ann"  # clean text, named by the file's stem
EXPORTS = {"label-studio": LABEL_STUDIO, "doccano": DOCCANO, "brat": BRAT}


def c(number: int) -> str:
    return f"{ARTICLE}-c{number:03d}"


CLAIMS: list[dict[str, Any]] = [
    {
        "id": c(1),
        "quote": "Azerbaijan denied violating the ceasefire",
        "claimant_text": "Azerbaijan",
        "cue": "denied",
        "claim_type": "denial",
        "relations": [{"type": "contradicts", "claim": c(2)}],
    },
    {
        "id": c(2),
        "quote": "the breakaway authorities accused them of doing so",
        "claimant_text": "the breakaway authorities",
        "cue": "accused",
        "claim_type": "accusation",
    },
    {
        "id": c(3),
        "quote": "According to separatists, the crisis has resulted in around 200 casualties.",
        "claimant_text": "separatists",
        "cue": "According to",
        "claim_type": "figure",
        "quantities": [{"text": "around 200 casualties"}],
    },
    {
        "id": c(4),
        "quote": "Karabakh’s Armenian population",
        "occurrence": 2,
        "places": [{"text": "Karabakh"}],
    },
]


NOTE = "Repeats the population named earlier in the article."  # brat's AnnotatorNotes on T1
CLAIMS_OF = {
    "label-studio": CLAIMS,
    "doccano": CLAIMS,
    "brat": [*CLAIMS[:3], {**CLAIMS[3], "note": NOTE}],
}


def existing_article() -> dict[str, Any]:
    path = REPO / "seeds" / "annotations" / f"{ARTICLE}.yaml"
    data = parse_yaml(path.read_text(encoding="utf-8"), path.name).data
    assert isinstance(data, dict)
    article = data["article"]
    assert isinstance(article, dict)
    return article


def expected(claims: list[dict[str, Any]] = CLAIMS) -> dict[str, Any]:
    article = existing_article()
    return {
        "article": {
            "id": ARTICLE,
            "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest(),
            **{k: article[k] for k in ("title", "outlet", "language", "publication_date")},
        },
        "claims": claims,
    }


def converted(fmt: str, path: Path, **options: Any) -> dict[str, dict[str, Any]]:
    """Each imported article's annotation-file data."""
    imported = import_annotations(fmt, path, **options).articles
    return {article: found.data() for article, found in imported.items()}


def is_claim(label: str) -> bool:
    return label.upper() == "CLAIM" or label.upper().startswith("CLAIM:")


def exported_claims(fmt: str, path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The exported text and its CLAIM spans' offsets, in text order."""
    spans: list[tuple[int, int]] = []
    if fmt == "label-studio":
        (task,) = json.loads(path.read_text(encoding="utf-8"))
        text = task["data"]["text"]
        for item in task["annotations"][0]["result"]:
            if item["type"] == "labels" and is_claim(item["value"]["labels"][0]):
                spans.append((item["value"]["start"], item["value"]["end"]))
    elif fmt == "doccano":
        record = json.loads(path.read_text(encoding="utf-8"))
        text = record["text"]
        for entity in record["entities"]:
            if is_claim(entity["label"]):
                spans.append((entity["start_offset"], entity["end_offset"]))
    else:
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                label, start, end = line.split("\t")[1].split()
                if is_claim(label):
                    spans.append((int(start), int(end)))
    return text, sorted(spans)


def raw_to_clean(offset: int) -> int:
    """The clean offset of a raw offset outside the removed chrome, counted independently."""
    return offset - sum(seg.end - seg.start for seg in CLEANED.removed if seg.end <= offset)


# --- Conversion ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_converts_to_the_expected_annotation(fmt: str) -> None:
    assert converted(fmt, EXPORTS[fmt]) == {ARTICLE: expected(CLAIMS_OF[fmt])}


def test_the_sequence_labeling_export_links_by_containment_alone() -> None:
    without_relations = [{k: v for k, v in claim.items() if k != "relations"} for claim in CLAIMS]
    assert converted("doccano", DOCCANO_LABEL) == {ARTICLE: expected(without_relations)}


def test_the_doccano_export_is_over_the_raw_text() -> None:
    record = json.loads(DOCCANO.read_text(encoding="utf-8"))
    assert record["text"] == RAW != CLEAN


@pytest.mark.parametrize("fmt", FORMATS)
def test_dumped_quotes_resolve_to_the_exported_offsets(fmt: str) -> None:
    path = EXPORTS[fmt]
    dumped = dump_annotation(converted(fmt, path)[ARTICLE])
    claims = parse_yaml(dumped, "dumped.yaml").data["claims"]
    text, exported = exported_claims(fmt, path)
    assert len(claims) == len(exported) == 4
    for claim, (start, end) in zip(claims, exported, strict=True):
        if text == RAW:
            start, end = raw_to_clean(start), raw_to_clean(end)
        assert resolve_quote(CLEAN, claim["quote"], claim.get("occurrence")) == (start, end)
        # The builder finds claimant, cue, quantities and places as first occurrences in the
        # quote: they land on the spans the export marked.
        quote = CLEAN[start:end]
        inner = [claim.get("claimant_text"), claim.get("cue")]
        inner += [item["text"] for key in ("quantities", "places") for item in claim.get(key, [])]
        for value in filter(None, inner):
            first, _ = resolve_quote(quote, value, 1)
            assert CLEAN[start + first : start + first + len(value)] == value


def test_the_dumped_file_lacks_only_what_no_export_carries() -> None:
    data = parse_yaml(dump_annotation(expected()), "dumped.yaml").data
    assert data == expected()
    with pytest.raises(ValidationError) as caught:
        ArticleAnnotationFile.model_validate(data)
    assert {error["type"] for error in caught.value.errors()} == {"missing"}
    quantity = ("value", "low", "high", "qualifier", "unit", "measure", "counted")
    assert {error["loc"] for error in caught.value.errors()} == {
        *((("claims", i, "claimant")) for i in range(4)),
        *((("claims", i, "quote_type")) for i in range(4)),
        ("claims", 3, "claim_type"),
        *(("claims", 2, "quantities", 0, name) for name in quantity),
        ("claims", 3, "places", 0, "place"),
    }


def test_dump_starts_with_the_schema_comment_and_writes_text_verbatim() -> None:
    text = dump_annotation(expected())
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert "\r" not in text
    assert '    quote: "Karabakh’s Armenian population"\n    occurrence: 2\n' in text
    assert "outlet: null\n" in text


def test_without_an_annotation_file_the_article_gets_only_id_and_sha256(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    imported = converted("brat", BRAT, root=tmp_path)
    assert imported[ARTICLE]["article"] == {
        "id": ARTICLE,
        "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest(),
    }
    assert imported[ARTICLE]["claims"] == CLAIMS_OF["brat"]


def test_a_linked_claimant_takes_precedence_over_contained_ones(tmp_path: Path) -> None:
    ann = BRAT.read_text(encoding="utf-8")
    sentence = "However, Azerbaijan denied violating the ceasefire, while the breakaway "
    sentence += "authorities accused them of doing so."
    start = CLEAN.index(sentence)
    # A claim over the whole sentence holds T3 and T6, each the innermost claim of its spans.
    wide = ann + f"T20\tCLAIM {start} {start + len(sentence)}\t{sentence}\n"
    claims = converted("brat", write_brat(tmp_path / "a", wide))[ARTICLE]["claims"]
    assert claims[0] == {"id": c(1), "quote": sentence}
    linked = wide + "R9\tclaimant Arg1:T20 Arg2:T4\n"
    claims = converted("brat", write_brat(tmp_path / "b", linked))[ARTICLE]["claims"]
    assert claims[0] == {"id": c(1), "quote": sentence, "claimant_text": "Azerbaijan"}
    assert claims[1]["claimant_text"] == "Azerbaijan"  # T3 keeps its own link to T4
    unlinked = ann.replace("R1\tclaimant Arg1:T3 Arg2:T4\n", "")
    claims = converted("brat", write_brat(tmp_path / "c", unlinked))[ARTICLE]["claims"]
    assert claims == CLAIMS_OF["brat"]  # T4 is the only claimant inside T3
    azerbaijan, authorities = CLEAN.index("Azerbaijan denied"), CLEAN.index("the breakaway")
    doubled = (
        f"T1\tCLAIM {start} {start + len(sentence)}\t{sentence}\n"
        f"T2\tCLAIMANT {azerbaijan} {azerbaijan + 10}\tAzerbaijan\n"
        f"T3\tCLAIMANT {authorities} {authorities + 25}\tthe breakaway authorities\n"
    )
    with pytest.raises(ImportProblem) as caught:
        import_annotations("brat", write_brat(tmp_path / "d", doubled))
    assert f"claim {c(1)} (line 1 (T1)) has 2 CLAIMANT spans: line 2 (T2), line 3 (T3)" in str(
        caught.value
    )


def test_an_unlinked_span_belongs_to_the_innermost_claim(tmp_path: Path) -> None:
    """A claim reported inside another: the inner claimant is not a second claimant of the
    outer claim."""
    inner = "the crisis has resulted in around 200 casualties"
    start = CLEAN.index(inner)
    ann = BRAT.read_text(encoding="utf-8") + (
        f"T30\tCLAIM {start} {start + len(inner)}\t{inner}\n"
        f"T31\tCLAIMANT {start} {start + 10}\tthe crisis\n"
    )
    claims = converted("brat", write_brat(tmp_path, ann))[ARTICLE]["claims"]
    outer = next(claim for claim in claims if claim["quote"].startswith("According to"))
    nested = next(claim for claim in claims if claim["quote"] == inner)
    assert (outer["claimant_text"], outer["cue"]) == ("separatists", "According to")
    assert "quantities" not in outer
    assert nested["claimant_text"] == "the crisis"
    assert nested["quantities"] == [{"text": "around 200 casualties"}]


# --- Problems --------------------------------------------------------------------------------


def write_brat(directory: Path, ann: str, text: str = CLEAN) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{ARTICLE}.txt").write_text(text, encoding="utf-8")
    path = directory / f"{ARTICLE}.ann"
    path.write_text(ann, encoding="utf-8")
    return path


def edited_label_studio(tmp_path: Path, edit: Any) -> Path:
    tasks = json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))
    edit(tasks[0])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def result(task: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in task["annotations"][0]["result"] if r.get("id") == key)
    return found


def test_an_unknown_label_is_named_with_the_accepted_ones(tmp_path: Path) -> None:
    def relabel(task: dict[str, Any]) -> None:
        result(task, "x-claimant")["value"]["labels"] = ["SOURCE"]

    path = edited_label_studio(tmp_path, relabel)
    with pytest.raises(ImportProblem) as caught:
        import_annotations("label-studio", path)
    message = str(caught.value)
    assert message.startswith(f"{path}: task 1 (id 41), result 4 (id 'x-claimant'): ")
    assert "unknown label 'SOURCE'" in message
    assert "CLAIM:<claim type> (event_report, figure," in message
    assert "CLAIMANT, CUE, QUANTITY, DATE, PLACE" in message


def test_an_unknown_claim_type_is_an_unknown_label(tmp_path: Path) -> None:
    ann = BRAT.read_text(encoding="utf-8").replace("CLAIM:denial", "CLAIM:rebuttal")
    path = write_brat(tmp_path, ann)
    with pytest.raises(ImportProblem, match=r": line 3 \(T3\): unknown label 'CLAIM:rebuttal'"):
        import_annotations("brat", path)


def test_a_span_text_that_is_not_the_text_at_its_offsets_is_reported(tmp_path: Path) -> None:
    ann = BRAT.read_text(encoding="utf-8").replace("\tAzerbaijan\n", "\tAzerbaijan’s\n")
    path = write_brat(tmp_path, ann)
    with pytest.raises(ImportProblem) as caught:
        import_annotations("brat", path)
    assert str(caught.value).startswith(f"{path}: line 4 (T4): span text 'Azerbaijan’s' is not")
    assert "which is 'Azerbaijan'" in str(caught.value)

    def shift(task: dict[str, Any]) -> None:
        result(task, "x")["value"]["start"] += 1

    path = edited_label_studio(tmp_path, shift)
    with pytest.raises(ImportProblem, match=r"task 1 \(id 41\), result 3 \(id 'x'\): span text"):
        import_annotations("label-studio", path)


def test_a_text_that_matches_no_seed_is_refused(tmp_path: Path) -> None:
    def edit(task: dict[str, Any]) -> None:
        task["data"]["text"] = task["data"]["text"].replace("’", "'")

    path = edited_label_studio(tmp_path, edit)
    with pytest.raises(ImportProblem, match=r"task 1 \(id 41\): the text is neither .* any seed"):
        import_annotations("label-studio", path)
    # Named by its id, the article's text is compared with the seed's, and the difference shown.
    with pytest.raises(ImportProblem) as caught:
        import_annotations("label-studio", path, article_id=ARTICLE)
    first = CLEAN.index("’")
    assert f"first differs from the clean text at offset {first}: \"'s swift" in str(caught.value)


def test_a_named_article_without_a_seed_is_refused() -> None:
    with pytest.raises(ImportProblem, match=r"article '999_0000000000000000' has no seed text"):
        import_annotations("brat", BRAT, article_id="999_0000000000000000")


def test_a_span_in_removed_chrome_of_the_raw_text_is_refused(tmp_path: Path) -> None:
    record = json.loads(DOCCANO.read_text(encoding="utf-8"))
    start = RAW.index("Spread the love")
    chrome = {"id": 200, "label": "CLAIM", "start_offset": start, "end_offset": start + 15}
    record["entities"].append(chrome)
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        import_annotations("doccano", path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 1, entity 13 (id 200): CLAIM span 'Spread the love'")
    removed = "(share 'Spread the love\\n', rule share-prompt)"
    assert f"overlaps text that cleaning removes {removed}; claims quote the clean text" in message


def test_relations_between_claims_need_a_relation_type(tmp_path: Path) -> None:
    ann = BRAT.read_text(encoding="utf-8").replace("contradicts", "disputes")
    with pytest.raises(ImportProblem, match=r"line 15 \(R3\): relation label 'disputes' between"):
        import_annotations("brat", write_brat(tmp_path, ann))


def test_a_span_inside_no_claim_is_refused(tmp_path: Path) -> None:
    start = CLEAN.index("Russia’s defence ministry")
    extra = f"T30\tCLAIMANT {start} {start + 25}\tRussia’s defence ministry\n"
    ann = BRAT.read_text(encoding="utf-8") + extra
    with pytest.raises(ImportProblem, match=r"line 17 \(T30\): CLAIMANT .* belongs to no claim"):
        import_annotations("brat", write_brat(tmp_path, ann))


def test_a_span_the_builder_would_find_elsewhere_in_the_quote_is_refused(tmp_path: Path) -> None:
    quote = (
        "The recent events have sparked jubilation among Azerbaijanis, while in Armenia, "
        "pressure on Pashinyan has intensified due to concessions made to Azerbaijan."
    )
    start = CLEAN.index(quote)
    place = start + quote.rindex("Azerbaijan")  # "Azerbaijanis" holds its first occurrence
    ann = f"T1\tCLAIM {start} {start + len(quote)}\t{quote}\nT2\tPLACE {place} {place + 10}\t"
    ann += "Azerbaijan\n"
    with pytest.raises(ImportProblem) as caught:
        import_annotations("brat", write_brat(tmp_path, ann))
    assert ": line 2 (T2): PLACE span 'Azerbaijan' at [" in str(caught.value)
    assert "is occurrence 2 of its text in the quote of claim" in str(caught.value)


def test_an_unknown_format_and_a_missing_file_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match=r"unknown format 'inception'"):
        import_annotations("inception", BRAT)
    with pytest.raises(ImportProblem, match=r"no such file"):
        import_annotations("doccano", tmp_path / "missing.jsonl")


@pytest.mark.parametrize(("fmt", "export"), [("label-studio", LABEL_STUDIO), ("doccano", DOCCANO)])
def test_a_repeated_key_or_deep_nesting_is_named_with_its_place(
    tmp_path: Path, fmt: str, export: Path
) -> None:
    """json.loads would keep the last value of a repeated key, and raise RecursionError
    100,000 levels deep."""
    text = export.read_text(encoding="utf-8").strip()
    opening = text.index("{")
    level = text.count("[", 0, opening) + 1  # of the first object: nothing closes before it
    path = tmp_path / export.name
    for inserted, message, offset in (
        ('"id": 0, "id": 1, ', 'not JSON: duplicate key "id"', opening + 10),
        ('"x": ' + "[" * 100_000 + "]" * 100_000 + ", ", TOO_DEEP, opening + 6 + MAX_DEPTH - level),
    ):
        edited = text[: opening + 1] + inserted + text[opening + 1 :]
        path.write_text(edited + "\n", encoding="utf-8")
        with pytest.raises(ImportProblem) as caught:
            import_annotations(fmt, path)
        line = edited.count("\n", 0, offset) + 1
        column = offset - edited.rfind("\n", 0, offset)
        where = f"line {line}, column {column}" if fmt == "label-studio" else f"column {column}"
        assert caught.value.message == f"{message} ({where})"
