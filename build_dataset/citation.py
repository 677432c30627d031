"""CITATION.cff (Citation File Format 1.2.0), generated so it always names the current version."""

import io

from ruamel.yaml import YAML

from build_dataset.about import AUTHORS, KEYWORDS, PRETTY_NAME, SUMMARY


def citation(version: str, release_date: str) -> dict[str, object]:
    return {
        "cff-version": "1.2.0",
        "message": (
            "If you use this dataset, cite the exact version you used; its files are in "
            f"data/{version}/ with their SHA-256 in manifest.json."
        ),
        "type": "dataset",
        "title": PRETTY_NAME,
        "version": version,
        "date-released": release_date,
        "authors": [{"name": name} for name in AUTHORS],
        "abstract": SUMMARY,
        "keywords": KEYWORDS,
    }


def citation_text(version: str, release_date: str) -> str:
    yaml = YAML()
    yaml.width = 100
    text = io.StringIO()
    yaml.dump(citation(version, release_date), text)
    return text.getvalue()


def bibtex(version: str, release_date: str) -> str:
    key = f"karabakh_ceasefire_claims_{version.replace('.', '_')}"
    return "\n".join(
        [
            "```bibtex",
            f"@misc{{{key},",
            f"  title   = {{{{{PRETTY_NAME}}}}},",
            f"  author  = {{{{{AUTHORS[0]}}}}},",
            f"  year    = {{{release_date[:4]}}},",
            f"  version = {{{version}}},",
            f"  note    = {{Dataset, released {release_date}}},",
            "}",
            "```",
        ]
    )
