"""The export shapes the tools document, beyond one annotation per task: several annotators,
predictions, other controls, JSON-MIN, unannotated tasks, doccano's per-user and collaborative
exports, brat's events, attributes, normalizations, equivalences, notes and discontinuous
spans. What the schema cannot hold is named in a notice; an export without spans is refused."""

import json
from pathlib import Path
from typing import Any

import pytest

from build_dataset.read.importers import Choice, ImportProblem, import_annotations
from tests.build_dataset.read.test_importers import (
    ARTICLE,
    BRAT,
    CLAIMS,
    CLEAN,
    DOCCANO_LABEL,
    FIXTURES,
    LABEL_STUDIO,
    c,
    write_brat,
)

ANNOTATORS = FIXTURES / "label_studio_annotators.json"
JSON_MIN = FIXTURES / "label_studio_min.json"
DOCCANO_USERS = FIXTURES / "doccano_users.zip"
DOCCANO_COLLABORATIVE = FIXTURES / "doccano_collaborative.jsonl"
POPULATION = {"id": c(1), "quote": CLAIMS[3]["quote"], "occurrence": 2}  # one span alone
WITHOUT_RELATIONS = [{k: v for k, v in claim.items() if k != "relations"} for claim in CLAIMS]


def claims(fmt: str, path: Path, **choice: Any) -> tuple[list[dict[str, Any]], list[str]]:
    imported = import_annotations(fmt, path, choice=Choice(**choice))
    return imported.articles[ARTICLE].claims, imported.notices


# --- Label Studio ----------------------------------------------------------------------------


def test_of_several_annotations_the_most_recent_is_imported_with_its_notes() -> None:
    found, notices = claims("label-studio", ANNOTATORS)
    assert [claim["quote"] for claim in found] == [claim["quote"] for claim in CLAIMS]
    assert found[0]["note"] == "Azerbaijan's denial, reported by the outlet."  # region meta
    assert found[3]["note"] == "Read as the whole Armenian population of Karabakh."  # text area
    assert notices == [
        "task 1 (id 41): 1 cancelled annotation(s) left out",
        "task 1 (id 41): has 2 annotations; imported the most recent, 7 by user 1 (choose with "
        "--annotation-id or --annotator)",
        "task 1 (id 41): ignored what the schema cannot hold: result 17 (choices 'topic')",
        "task 2 (id 42): has no annotation; skipped",
        "task 3 (id 43): has only predictions; skipped (--predictions imports them)",
    ]


@pytest.mark.parametrize("choice", [{"annotator": "3"}, {"annotation_id": "9"}])
def test_an_annotator_or_an_annotation_is_chosen(choice: dict[str, str]) -> None:
    found, notices = claims("label-studio", ANNOTATORS, **choice)
    assert found == [POPULATION]
    assert not any("most recent" in notice for notice in notices)


def test_a_task_with_only_predictions_imports_one_when_asked(tmp_path: Path) -> None:
    tasks = json.loads(ANNOTATORS.read_text(encoding="utf-8"))
    tasks[0]["annotations"] = []
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks[0], ensure_ascii=False), encoding="utf-8")  # one task
    with pytest.raises(ImportProblem, match="holds no labelled spans"):
        import_annotations("label-studio", path)
    found, notices = claims("label-studio", path, predictions=True)
    assert found == [POPULATION]
    assert notices == ["task 1 (id 41): has no annotation; imported its prediction 'spans-v1'"]


def test_the_json_min_export_is_read_by_containment() -> None:
    found, notices = claims("label-studio", JSON_MIN)
    assert found == WITHOUT_RELATIONS
    assert notices == [
        "record 1 (task id 41): has 2 annotations; imported the most recent, 7 by a@example.org "
        "(choose with --annotation-id or --annotator)",
        "record 1: ignored fields the schema cannot hold (task data or controls other than "
        "labels): 'topic'",
        "record 3 (task id 42): has no annotation; skipped",
        "JSON-MIN carries no relations: each claimant, cue and value goes to the claims that "
        "contain it",
    ]
    assert claims("label-studio", JSON_MIN, annotator="c@example.org")[0] == [POPULATION]


# --- doccano ---------------------------------------------------------------------------------


def test_a_per_user_export_needs_a_user_and_names_them() -> None:
    with pytest.raises(ImportProblem) as caught:
        import_annotations("doccano", DOCCANO_USERS)
    assert caught.value.message == (
        "holds the labels of 2 users (alice, bob); choose one with --annotator"
    )
    found, notices = claims("doccano", DOCCANO_USERS, annotator="alice")
    assert found == WITHOUT_RELATIONS
    assert notices == [
        "imported the labels of alice, of users alice, bob",
        "alice.jsonl, line 1: 1 comment(s) on the whole example are not kept (the schema has no "
        "article note): 'Check the casualty figure against 001.'",
    ]
    assert claims("doccano", DOCCANO_USERS, annotator="bob")[0] == [POPULATION]
    with pytest.raises(ImportProblem, match="holds no labels of 'carol'; its users are alice, bob"):
        import_annotations("doccano", DOCCANO_USERS, choice=Choice(annotator="carol"))


def test_a_collaborative_export_takes_a_span_two_users_marked_once() -> None:
    found, notices = claims("doccano", DOCCANO_COLLABORATIVE)
    assert found == WITHOUT_RELATIONS
    labels = json.loads(DOCCANO_COLLABORATIVE.read_text(encoding="utf-8"))["label"]
    repeated = len(labels) - len({tuple(label) for label in labels})
    assert repeated and len(notices) == repeated
    assert all(n.endswith("(same span and label); taken as one") for n in notices)
    assert notices[0].startswith(f"line 1, label {len(labels) - repeated + 1}: repeats line 1")


# --- brat ------------------------------------------------------------------------------------


def test_what_brat_holds_beyond_spans_and_relations_is_named(tmp_path: Path) -> None:
    ann = BRAT.read_text(encoding="utf-8") + (
        "E1\tAccusation:T8 Agent:T7\n"
        "A1\tNegated T3\n"
        "M2\tConfidence T6 High\n"
        "N1\tReference T4 Wikidata:Q227\tAzerbaijan\n"
        "*\tEquiv T4 T7\n"
        "#2\tAnnotatorNotes R3\tThe two claims face each other in one sentence.\n"
        "#3\tAnnotatorNotes T12\tA rounded figure.\n"
    )
    imported = import_annotations("brat", write_brat(tmp_path, ann))
    found = imported.articles[ARTICLE].claims
    assert found[0]["relations"] == [
        {
            "type": "contradicts",
            "claim": c(2),
            "note": "The two claims face each other in one sentence.",
        }
    ]
    assert found[2]["note"] == "QUANTITY 'around 200 casualties': A rounded figure."
    assert imported.notices == [
        "ignored what the schema cannot hold: line 17 (E1) event 'Accusation:T8 Agent:T7'; "
        "line 18 (A1) attribute 'Negated T3'; line 19 (M2) attribute 'Confidence T6 High'; "
        "line 20 (N1) normalization 'Reference T4 Wikidata:Q227'; line 21 (*) equiv "
        "'Equiv T4 T7'"
    ]


def test_a_discontinuous_span_is_imported_as_the_stretch_covering_it(tmp_path: Path) -> None:
    start = CLEAN.index("Azerbaijan denied violating")
    ann = (
        f"T1\tCLAIM {start} {start + 17};{start + 28} {start + 41}\t"
        "Azerbaijan denied the ceasefire\n"
    )
    imported = import_annotations("brat", write_brat(tmp_path, ann))
    assert imported.articles[ARTICLE].claims == [
        {"id": c(1), "quote": "Azerbaijan denied violating the ceasefire"}
    ]
    assert imported.notices == [
        f"line 1 (T1): discontinuous span {start} {start + 17};{start + 28} {start + 41} "
        f"('Azerbaijan denied the ceasefire') imported as the stretch that covers it, "
        f"[{start}, {start + 41}) 'Azerbaijan denied violating the ceasefire'"
    ]


# --- Empty exports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content"),
    [
        ("label-studio", "[]"),
        ("label-studio", json.dumps({"id": 1, "data": {"text": "x"}, "annotations": []})),
        ("doccano", json.dumps({"id": 1, "text": "x", "label": []}) + "\n"),
        ("brat", ""),
    ],
)
def test_an_export_without_spans_is_refused(tmp_path: Path, fmt: str, content: str) -> None:
    if fmt == "brat":
        path = write_brat(tmp_path, content)
    else:
        path = tmp_path / "export.json"
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        import_annotations(fmt, path)
    assert caught.value.message.startswith("holds no labelled spans: there is nothing to import")


def test_the_original_fixtures_still_import_alone() -> None:
    """One annotation a task, with nothing to note."""
    assert import_annotations("label-studio", LABEL_STUDIO).notices == []
    assert import_annotations("doccano", DOCCANO_LABEL).notices == []
