"""Builds the dataset: seeds and annotations in, validated versioned Parquet out."""
