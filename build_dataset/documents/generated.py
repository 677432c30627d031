"""Every document a build derives from its release and those before it: the card, the
citation, the Croissant metadata, the datasheet's and licence file's sections, and the JSON
Schemas. Its imports (datasets, mlcroissant) take about a second, which a build of the data
alone (build.release_data, and so an incremental rebuild's benchmark) does not spend: build
imports this module when it writes the documents."""

import json
from pathlib import Path

from build_dataset.documents import about
from build_dataset.documents.card import card_text, loading_section
from build_dataset.documents.citation import bibtex, bibtex_section, citation_text
from build_dataset.documents.croissant import croissant_metadata
from build_dataset.documents.docs import (
    examples,
    field_tables,
    figures,
    fill_sections,
    licences,
    places_without_id,
    read_places,
)
from build_dataset.documents.paths import CITATION, CROISSANT, DATASHEET, README, read_document
from build_dataset.documents.quality import quality_sections
from karabakh_schema.json_schema import SCHEMA_FILES, json_schema_text


def documents(
    root: Path, version: str, release_date: str, folders: dict[str, Path]
) -> dict[str, str]:
    """Every derived document's new text for version, computed from its release and the
    versions released before it; folders gives where each release is (for the one a build
    makes, its staging folder, before it is put in place)."""
    release_dir = folders[version]
    croissant = croissant_metadata(
        release_dir,
        version,
        name=about.NAME,
        description=about.SUMMARY,
        licences=about.DATA_LICENCES,
        url=about.HUB_URL,
        same_as=[about.REPOSITORY_URL],
        creators=about.AUTHORS,
        creator_url=about.REPOSITORY_URL,
        cite_as=bibtex(version, release_date),
        date_published=release_date,
        rai=about.RAI,
    )
    counted = figures(release_dir)
    measured = quality_sections(root, folders, version)
    places = places_without_id(read_places(root))
    readme_sections = {
        **measured,
        "places": places,
        "loading": loading_section(folders, version),
        "fields": field_tables(),
        "examples": examples(release_dir),
        "figures": counted,
        "citation": bibtex_section(version, release_date),
        "licences": licences(),
    }
    schemas = {f"schema/{name}": json_schema_text(model) for name, model in SCHEMA_FILES.items()}
    return schemas | {
        README: card_text(read_document(root, README), folders, version, readme_sections),
        CITATION: citation_text(version, release_date),
        CROISSANT: json.dumps(croissant, indent=2, ensure_ascii=False) + "\n",
        DATASHEET: fill_sections(
            read_document(root, DATASHEET),
            {"figures": counted, "places": places, **measured, "licences": licences()},
            DATASHEET,
        ),
        about.LICENSE_FILE: fill_sections(
            read_document(root, about.LICENSE_FILE), {"licences": licences()}, about.LICENSE_FILE
        ),
    }
