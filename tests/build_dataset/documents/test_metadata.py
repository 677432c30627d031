"""One licence story, one place for the data, one version: what the card, LICENSE.md,
CITATION.cff, croissant.json and the package metadata say agrees with
build_dataset/documents/about.py and build_dataset/write/version.py, each read as its own
readers read it."""

import json
import shutil
import subprocess
import sys
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from huggingface_hub import DatasetCard
from ruamel.yaml import YAML

from build_dataset.documents.about import (
    ANNOTATIONS,
    ARTICLE_TEXTS,
    CODE,
    DATA_LICENCES,
    DATA_LICENSE,
    HUB_URL,
    LICENSE_FILE,
    PACKAGE_LICENSE,
    REPOSITORY_URL,
    hub_licence_name,
    hub_revision_url,
    repository_link,
)
from build_dataset.documents.card import split_front_matter
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE

REPO = Path(__file__).resolve().parents[3]
PACKAGE_FILES = ("pyproject.toml", "README.md", LICENSE_FILE, "build_dataset", "karabakh_schema")
"""What setuptools reads to make the package's metadata."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel setuptools builds from a copy of the repository's package files, offline."""
    source = tmp_path_factory.mktemp("source")
    for name in PACKAGE_FILES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))",
            str(out),
        ],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    return zipfile.ZipFile(out / made.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def package_metadata(wheel: zipfile.ZipFile) -> Message:
    """The wheel's METADATA."""
    [name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return Parser().parsestr(wheel.read(name).decode("utf-8"))


def test_the_wheel_installs_only_top_level_packages_of_its_own(wheel: zipfile.ZipFile) -> None:
    """No `schema` (the name of a PyPI distribution, whose module it would overwrite): the
    record models install as karabakh_schema."""
    top_level = {name.split("/")[0] for name in wheel.namelist() if ".dist-info/" not in name}
    assert top_level == {"build_dataset", "karabakh_schema"}
    assert "karabakh_schema/vocabularies.py" in wheel.namelist()


def test_the_package_metadata_names_the_package_licence_version_and_places(
    package_metadata: Message,
) -> None:
    assert package_metadata["Version"] == DATASET_VERSION
    assert package_metadata["License-Expression"] == PACKAGE_LICENSE
    assert package_metadata.get_all("License-File") == [LICENSE_FILE]
    urls = dict(url.split(", ", 1) for url in package_metadata.get_all("Project-URL"))
    assert set(urls.values()) == {REPOSITORY_URL, HUB_URL}
    assert package_metadata["Requires-Python"] == ">=3.11"


def test_the_card_licenses_the_data_as_licence_md_does() -> None:
    data = DatasetCard.load(REPO / "README.md").data
    assert (data.license, data.license_name) == ("other", hub_licence_name(DATA_LICENSE))
    assert data.license_link == repository_link(LICENSE_FILE)
    licence_md = (REPO / LICENSE_FILE).read_text(encoding="utf-8")
    body = split_front_matter((REPO / "README.md").read_text(encoding="utf-8"))
    for licence in (*DATA_LICENCES, CODE):
        for text in (licence_md, body):
            assert f"| {licence.covers} |" in text and f"(`{licence.spdx}`)" in text
    for text in (licence_md, body):
        assert f"the released data is `{DATA_LICENSE}`" in text
        assert f"is `{PACKAGE_LICENSE}`" in text


def test_citation_cff_names_the_licences_the_version_and_where_the_data_is() -> None:
    cff = YAML(typ="safe").load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == ANNOTATIONS.spdx
    assert cff["license-url"] == ARTICLE_TEXTS.url == repository_link(LICENSE_FILE)
    assert (cff["url"], cff["repository-code"]) == (HUB_URL, REPOSITORY_URL)
    assert (cff["version"], cff["date-released"]) == (DATASET_VERSION, RELEASE_DATE)
    assert [i["value"] for i in cff["identifiers"]] == [hub_revision_url(DATASET_VERSION)]


def test_croissant_names_each_licence_the_version_and_where_the_data_is() -> None:
    croissant = json.loads((REPO / "croissant.json").read_text(encoding="utf-8"))
    licences = croissant["license"]
    assert [(lic["name"], lic["url"]) for lic in licences] == [
        (licence.spdx, licence.url) for licence in DATA_LICENCES
    ]
    assert (croissant["url"], croissant["sameAs"]) == (HUB_URL, REPOSITORY_URL)
    assert (croissant["version"], croissant["datePublished"]) == (DATASET_VERSION, RELEASE_DATE)
    assert croissant["creator"]["url"] == REPOSITORY_URL


def test_the_cards_bibtex_is_croissants_and_leads_to_the_version() -> None:
    body = split_front_matter((REPO / "README.md").read_text(encoding="utf-8"))
    croissant = json.loads((REPO / "croissant.json").read_text(encoding="utf-8"))
    assert f"```bibtex\n{croissant['citeAs']}\n```" in body
    assert hub_revision_url(DATASET_VERSION) in croissant["citeAs"]
    assert REPOSITORY_URL in croissant["citeAs"]
