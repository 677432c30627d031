"""Where each document a build writes lives, from the repository's root, and how a build
reads the text it replaces."""

from pathlib import Path

from build_dataset.documents.about import LICENSE_FILE
from build_dataset.files import read_text_inside
from karabakh_schema.json_schema import SCHEMA_FILES

README = "README.md"
CITATION = "CITATION.cff"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"

DOCUMENTS = (
    README,
    CITATION,
    CROISSANT,
    DATASHEET,
    LICENSE_FILE,
    *(f"schema/{n}" for n in SCHEMA_FILES),
)
"""Every document a build writes, from the repository's root."""


def read_document(root: Path, name: str) -> str:
    """A document's text as the repository holds it; empty if it has none yet."""
    path = root / name
    return read_text_inside(root, path) if path.exists() else ""
