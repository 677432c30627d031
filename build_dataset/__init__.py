"""Builds the dataset: seeds and annotations in, validated versioned Parquet out.

Data flows one way, through a folder a stage:

- read/: seeds, annotation files and the registries, each value with where it was written;
- check/: a shard of articles at a time (shard_step, a pure function of its inputs; after an
  edit, only the articles that changed: shard_reuse), then what crosses shards, asked of
  DuckDB over the shards' parts (corpus_index; after an edit, what it changed:
  crossing_change), and the events, built in runs from the registry and those parts
  (events_step, a pure function too);
- write/: the checked rows as Arrow tables and Parquet, the manifest, the changelog, and the
  swap that puts a release and its documents in place together;
- documents/: the card, datasheet sections, citation, Croissant and licences, from a release
  (generated.py gives every document's text).

assemble.py runs read and check over the corpus, a shard at a time, through runners.py (in
this process, worker processes or a Dask cluster), reusing from build_cache.py what did not
change since the last build (shards, the events registry, the checks across shards, the events
table); build.py makes a release and its documents; cli.py is the command line.
problems.py (what every stage reports) and files.py (how every stage touches the disk) are
shared by all. Beside the pipeline: evaluate/ scores one annotation against another,
explorer/ renders a release as a static site, publish.py uploads releases to the Hub, and
release_diff.py compares two releases."""
