"""The dataset's version and release date: the one place they are defined. Every release
artifact (manifest, Parquet metadata, card, CITATION.cff, croissant.json) is stamped from here.

Semantic versioning of the data: PATCH when bytes change but rows and values do not; MINOR for
added rows that change no released row, new optional columns or configs; MAJOR for any change
to existing rows, ids or columns, corrections included."""

DATASET_VERSION = "3.0.0"
RELEASE_DATE = "2026-12-06"
