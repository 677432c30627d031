"""Generated sections: a document whose markers a contributor removed is a problem of that
document, found before anything is written, not a fault of the build."""

from pathlib import Path

import pytest

from build_dataset.documents.docs import fill_sections
from build_dataset.problems import InvalidInput
from tests.checkout import copy_checkout, refused_build

TEXT = "intro\n<!-- generated:a -->\nold\n<!-- /generated:a -->\nend\n"


def test_sections_are_filled_between_their_markers() -> None:
    assert fill_sections(TEXT, {"a": "new"}, "DOC.md") == TEXT.replace("old", "new")


def test_a_section_without_its_markers_names_the_document_and_the_lines_to_put_back() -> None:
    with pytest.raises(InvalidInput) as raised:
        fill_sections(TEXT, {"a": "new", "b": "x", "c": "y"}, "DOC.md")
    assert [(p.file, p.line, p.message) for p in raised.value.problems] == [
        (
            "DOC.md",
            None,
            f"the generated section {name!r} has lost a marker, so the build cannot fill it",
        )
        for name in ("b", "c")
    ]
    hint = raised.value.problems[0].hint or ""
    assert "<!-- generated:b --> and <!-- /generated:b -->" in hint


@pytest.mark.parametrize("document", ["README.md", "DATASHEET.md", "LICENSE.md"])
def test_a_build_whose_document_lost_a_marker_is_refused_with_nothing_written(
    tmp_path: Path, document: str
) -> None:
    root = copy_checkout(tmp_path)
    path = root / document
    text = path.read_text(encoding="utf-8")
    assert "<!-- generated:licences -->\n" in text
    path.write_text(text.replace("<!-- generated:licences -->\n", ""), encoding="utf-8")
    [problem] = refused_build(root)
    assert (problem.file, problem.line) == (document, None)
    assert "'licences' has lost a marker" in problem.message
