"""What the dataset is, said once: the card, the citation, Croissant and the datasheet use it."""

NAME = "karabakh-ceasefire-claims"
PRETTY_NAME = "Claims and events in news coverage of the September 2023 Nagorno-Karabakh ceasefire"
SUMMARY = (
    "Five English-language news articles about the Azerbaijani offensive of 19-20 September "
    "2023 and the Nagorno-Karabakh ceasefire that ended it, annotated with attributed claims "
    "located to the character, normalized dates, figures and places, and cross-article event "
    "records whose figures keep every source's disagreement."
)
AUTHORS = ["Nagorno-Karabakh Ceasefire Claims contributors"]
LICENSE_NAME = "cc-by-4.0-annotations"
LICENSE_FILE = "LICENSE.md"
ANNOTATIONS_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
KEYWORDS = ["claims", "events", "attribution", "news", "Nagorno-Karabakh", "casualty figures"]

# Hugging Face card metadata (https://huggingface.co/docs/hub/datasets-cards).
CARD_METADATA: dict[str, object] = {
    "license": "other",
    "license_name": LICENSE_NAME,
    "license_link": LICENSE_FILE,
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
        "removed by line rules kept as data (build_dataset/cleaning_rules.yaml); every removed "
        "segment is kept with its raw offsets, so clean offsets map back to the raw text."
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
        "Semantic versions of the data; each version is a folder with a checksum manifest and "
        "a git tag vX.Y.Z, and is immutable once CHANGELOG.md records its manifest's SHA-256; "
        "corrections are new versions listed in CHANGELOG.md."
    ),
}
