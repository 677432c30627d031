"""The dataset's version: the one place it is defined (semantic versioning of the data)."""

DATASET_VERSION = "0.1.0"
