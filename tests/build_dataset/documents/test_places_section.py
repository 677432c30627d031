"""The card's and the datasheet's list of places without a GeoNames id: generated from
places.yaml, each with how the texts name it and the first sentence of its note as the reason."""

import re
from pathlib import Path

import pytest

from build_dataset.documents.docs import NO_REASON, places_without_id, read_places
from karabakh_schema.annotation import PlaceEntry

REPO = Path(__file__).resolve().parents[3]


def place(id_: str, geonames_id: int | None, note: str | None, *variants: str) -> PlaceEntry:
    return PlaceEntry(
        id=id_,
        name=id_.replace("-", " ").title(),
        geonames_id=geonames_id,
        country_code=None,
        variants=list(variants),
        note=note,
    )


def test_lists_only_the_places_without_an_id_by_name_with_the_first_sentence() -> None:
    section = places_without_id(
        [
            place("zeta-region", None, "A region. Its country code is AZ.", "Zeta", "the Zeta"),
            place("town", 146970, "In the extract as Khankendi."),
            place("alpha-area", None, "Not in the extract: searched as Alpha, Alfa.\nMore."),
        ]
    )
    assert section.splitlines() == [
        "| place | named in the texts | why it has no GeoNames id |",
        "|---|---|---|",
        "| Alpha Area (`alpha-area`) | Alpha Area | Not in the extract: searched as Alpha, Alfa. |",
        "| Zeta Region (`zeta-region`) | Zeta, the Zeta | A region. |",
    ]


@pytest.mark.parametrize("note", [None, "", "  "])
def test_a_place_without_a_note_says_so(note: str | None) -> None:
    assert NO_REASON in places_without_id([place("x", None, note)])


def test_a_note_of_one_unfinished_sentence_is_given_whole_and_pipes_are_escaped() -> None:
    section = places_without_id([place("x", None, "Region | no stop")])
    assert section.splitlines()[-1] == "| X (`x`) | X | Region \\| no stop |"


def test_a_gazetteer_where_every_place_has_an_id_says_so() -> None:
    assert places_without_id([place("town", 146970, None)]) == "Every place has a GeoNames id."


def test_every_place_of_the_seeds_without_an_id_has_a_reason() -> None:
    """ANNOTATION_GUIDELINES.md, section 7: the first sentence of the note says why."""
    missing = [p for p in read_places(REPO) if p.geonames_id is None]
    assert missing
    for entry in missing:
        assert entry.note and entry.note.strip(), entry.id


@pytest.mark.parametrize("document", ["README.md", "DATASHEET.md"])
def test_the_card_and_the_datasheet_list_the_seeds_places_without_an_id(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    marked = r"<!-- generated:places -->\n(.*?)\n<!-- /generated:places -->"
    sections = re.findall(marked, text, re.S)
    assert sections == [places_without_id(read_places(REPO))], "run `make build`"
