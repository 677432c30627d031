"""How to cite a version: CITATION.cff (Citation File Format 1.2.0) and the BibTeX entry of the
card and of croissant.json, generated so that they always name the current version, its
release date and where its files are."""

import io

from ruamel.yaml import YAML

from build_dataset.documents.about import (
    ANNOTATIONS,
    ARTICLE_TEXTS,
    AUTHORS,
    HUB_DATASET_ID,
    HUB_URL,
    KEYWORDS,
    PRETTY_NAME,
    REPOSITORY_URL,
    SUMMARY,
    hub_revision_url,
)


def citation(version: str, release_date: str) -> dict[str, object]:
    """CFF takes SPDX identifiers only: `license` names the annotations' licence, and
    `license-url` the licence file, which states the article texts' terms too."""
    return {
        "cff-version": "1.2.0",
        "message": (
            "If you use this dataset, cite the exact version you used: the Hub tag "
            f"v{version} of {HUB_DATASET_ID}, or data/{version}/ of the repository, whose "
            "files have their SHA-256 in manifest.json. The annotations are "
            f"{ANNOTATIONS.spdx}; the article texts are not licensed by this project (see "
            "license-url)."
        ),
        "type": "dataset",
        "title": PRETTY_NAME,
        "version": version,
        "date-released": release_date,
        "authors": [{"name": name} for name in AUTHORS],
        "abstract": SUMMARY,
        "keywords": KEYWORDS,
        "license": ANNOTATIONS.spdx,
        "license-url": ARTICLE_TEXTS.url,
        "url": HUB_URL,
        "repository-code": REPOSITORY_URL,
        "identifiers": [
            {
                "type": "url",
                "value": hub_revision_url(version),
                "description": f"The files of release {version} on the Hugging Face Hub",
            }
        ],
    }


def citation_text(version: str, release_date: str) -> str:
    yaml = YAML()
    yaml.width = 100
    text = io.StringIO()
    yaml.dump(citation(version, release_date), text)
    return text.getvalue()


def bibtex(version: str, release_date: str) -> str:
    """The BibTeX entry of a version: its tag on the Hub as the URL, the source repository in
    the note."""
    key = f"karabakh_ceasefire_claims_{version.replace('.', '_')}"
    return "\n".join(
        [
            f"@misc{{{key},",
            f"  title   = {{{{{PRETTY_NAME}}}}},",
            f"  author  = {{{{{AUTHORS[0]}}}}},",
            f"  year    = {{{release_date[:4]}}},",
            f"  version = {{{version}}},",
            f"  url     = {{{hub_revision_url(version)}}},",
            f"  note    = {{Dataset, released {release_date}; source: {REPOSITORY_URL}}},",
            "}",
        ]
    )


def bibtex_section(version: str, release_date: str) -> str:
    """The card's citation section: the entry in a fenced block."""
    return f"```bibtex\n{bibtex(version, release_date)}\n```"
