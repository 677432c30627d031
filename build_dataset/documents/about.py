"""What the dataset is, said once: the card, the citation, Croissant, the licence file and the
datasheet use it."""

from dataclasses import dataclass

NAME = "karabakh-ceasefire-claims"
PRETTY_NAME = "Claims and events in news coverage of the September 2023 Nagorno-Karabakh ceasefire"
SUMMARY = (
    "Five English-language news articles about the Azerbaijani offensive of 19-20 September "
    "2023 and the Nagorno-Karabakh ceasefire that ended it, annotated with attributed claims "
    "located to the character, normalized dates, figures and places, and cross-article event "
    "records whose figures keep every source's disagreement."
)
AUTHORS = ["Nagorno-Karabakh Ceasefire Claims contributors"]
KEYWORDS = ["claims", "events", "attribution", "news", "Nagorno-Karabakh", "casualty figures"]

# Where the project lives: set here once, written into the card, CITATION.cff, croissant.json
# and the BibTeX entry, and used by `build-dataset publish`. pyproject.toml's [project.urls]
# repeats them for the package metadata (tests/build_dataset/documents/test_metadata.py
# compares them).
# They are the names the project chose; neither repository exists yet. The first `publish`
# creates the Hub dataset under HUB_DATASET_ID; change both here (and in pyproject.toml) first
# if the project is published elsewhere.
REPOSITORY_URL = "https://github.com/karabakh-ceasefire-claims/karabakh-ceasefire-claims"
HUB_DATASET_ID = "karabakh-ceasefire-claims/karabakh-ceasefire-claims"
HUB_URL = f"https://huggingface.co/datasets/{HUB_DATASET_ID}"


def repository_link(path: str) -> str:
    """The absolute URL of a file of the repository, for documents read away from it (the card
    on the Hub)."""
    return f"{REPOSITORY_URL}/blob/main/{path}"


def hub_revision_url(version: str) -> str:
    """The files of one release on the Hub: its tag."""
    return f"{HUB_URL}/tree/v{version}"


@dataclass(frozen=True)
class Licence:
    """The terms of one part of the data, by its SPDX identifier (a LicenseRef- where the SPDX
    list has none)."""

    spdx: str
    name: str
    url: str
    covers: str
    terms: str


LICENSE_FILE = "LICENSE.md"
ANNOTATIONS = Licence(
    spdx="CC-BY-4.0",
    name="Creative Commons Attribution 4.0 International",
    url="https://creativecommons.org/licenses/by/4.0/",
    covers=(
        "The annotations: every column of the released tables except the article texts, and "
        "seeds/annotations/; the schemas (karabakh_schema/, schema/) and the documentation."
    ),
    terms=(
        "You may copy, redistribute and adapt them for any purpose, commercial included, if you "
        "give credit (cite the version you used), link the licence and say what you changed."
    ),
)
ARTICLE_TEXTS = Licence(
    spdx="LicenseRef-Publisher-Copyright",
    name="Copyright of the articles' publishers; not licensed by this project",
    url=repository_link(LICENSE_FILE),
    covers=(
        "The article texts: seeds/*.txt, the raw_text and clean_text columns, and the quoted "
        "text of spans and removed segments."
    ),
    terms=(
        "This project grants no licence to them. They are included so that every annotation "
        "can be checked against the exact characters it points to, for non-commercial "
        "research on news reporting. Any other use, republishing them or using them "
        "commercially, needs their publisher's permission or an exception of the copyright "
        "law that applies to you. A rights holder who wants a text removed can open an issue; "
        "it will be removed in a new version."
    ),
)
CODE = Licence(
    spdx="MIT",
    name="MIT License",
    url="https://opensource.org/license/mit",
    covers="The code: build_dataset/, tests/, bench/ and the build files.",
    terms="You may use, copy, modify and distribute it, keeping the copyright notice below.",
)
DATA_LICENCES = (ANNOTATIONS, ARTICLE_TEXTS)
"""The released data: the annotations and the texts they point to, each under its own terms."""
DATA_LICENSE = " AND ".join(licence.spdx for licence in DATA_LICENCES)
"""The data's SPDX licence expression."""
PACKAGE_LICENSE = f"{CODE.spdx} AND {ANNOTATIONS.spdx}"
"""The Python package's (pyproject.toml): the code, and the schemas it holds; no article text."""


def hub_licence_name(expression: str) -> str:
    """The Hub's license_name for a licence outside its list: the SPDX expression, in the
    lower-case dashed form the Hub asks for."""
    return expression.replace("LicenseRef-", "").replace(" AND ", "-and-").lower()


# Hugging Face card metadata (https://huggingface.co/docs/hub/datasets-cards).
CARD_METADATA: dict[str, object] = {
    "license": "other",
    "license_name": hub_licence_name(DATA_LICENSE),
    "license_link": repository_link(LICENSE_FILE),
    "language": ["en"],
    "language_creators": ["found"],
    "annotations_creators": ["machine-generated"],
    "multilinguality": ["monolingual"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification", "text-classification"],
    "task_ids": ["multi-class-classification"],
    "tags": [
        "claim-detection",
        "attribution",
        "temporal-normalization",
        "numeric-normalization",
        "cross-document-event-coreference",
        "conflict",
        "news",
    ],
}

# Croissant Responsible AI properties; DATASHEET.md answers the same questions at length.
RAI: dict[str, str] = {
    "dataCollection": (
        "Five news articles were collected as plain text, site chrome included, and are kept "
        "byte-identical with their SHA-256; the collection process and the selection criteria "
        "of the articles are not documented beyond the texts themselves."
    ),
    "dataCollectionType": "Web scraping (plain text of published news articles).",
    "dataPreprocessingProtocol": (
        "Site chrome (share prompts, teasers, navigation, paywall and subscription notices) is "
        "removed by line rules kept as data (build_dataset/read/cleaning_rules.yaml); every "
        "removed segment is kept with its raw offsets, so clean offsets map back to the raw text."
    ),
    "dataAnnotationProtocol": (
        "Annotated by the written guidelines in ANNOTATION_GUIDELINES.md: claims as exact "
        "quotes resolved to code-point spans, claimants as canonical actors, dates normalized "
        "against a stated anchor, figures with bounds and qualifiers, places with GeoNames ids "
        "from the bundled extract, one event per real-world happening with all its mentions."
    ),
    "dataAnnotationPlatform": (
        "YAML files in the repository, validated by the project's builder (Pydantic, pandera)."
    ),
    "annotatorDemographics": (
        "The annotations were produced by AI assistant sessions (large language models) "
        "following the written guidelines, one article per session, and merged and reviewed "
        "by another such session; no human annotator checked them."
    ),
    "dataBiases": (
        "Five articles from a few outlets, all in English, two of them truncated by paywalls; "
        "they mostly relay official statements of Azerbaijan, Armenia, Russia and the "
        "Karabakh separatists. Article 004 (June 2023) predates the ceasefire."
    ),
    "dataLimitations": (
        "Too small to train models on; meant for evaluation, schema design and qualitative "
        "comparison. Publication dates of three articles are inferred; some attributions and "
        "event identities are judgement calls recorded in notes."
    ),
    "personalSensitiveInformation": (
        "Names and statements of public officials and spokespeople as published; anonymous "
        "sources stay anonymous. No private individuals are identified."
    ),
    "dataUseCases": (
        "Evaluating claim extraction, attribution (who says what), temporal and numeric "
        "normalization, cross-document event coreference, and the handling of conflicting "
        "casualty figures."
    ),
    "dataSocialImpact": (
        "Makes disagreement between sources about a violent conflict explicit instead of "
        "averaging it away; misuse would be to read any single figure as established fact."
    ),
    "dataReleaseMaintenancePlan": (
        "Semantic versions of the data; each version is a folder with a checksum manifest, "
        "immutable once CHANGELOG.md records its manifest's SHA-256, and a tag vX.Y.Z on the "
        "Hugging Face Hub; corrections are new versions listed in CHANGELOG.md."
    ),
}
