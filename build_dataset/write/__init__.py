"""Writing: the checked rows as Arrow tables and versioned Parquet, the manifest, the changelog,
and the swap that puts a release and its documents in place together."""
