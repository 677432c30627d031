"""The explorer: a static site made from a release folder's Parquet files, to look at every
claim in its article, every event across outlets and every disagreement in a browser, offline
from file:// (build-dataset explore)."""
