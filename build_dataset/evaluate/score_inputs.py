"""Reading what the scorer compares: a release folder (data/<version>/, by its manifest.json)
or an annotation folder (like seeds/annotations, by its actors.yaml), which is checked and
built as a build would, so that both give the same records."""

from pathlib import Path

import pyarrow as pa
from pydantic import ValidationError

from build_dataset.evaluate.annotation_folder import built
from build_dataset.evaluate.score import Corpus, ScoreInputError, ScoreReport, score
from build_dataset.write.release import MANIFEST, read_manifest_files, release_table
from karabakh_schema import Article, Claim, Event
from karabakh_schema.columns import from_row

_WHAT = (
    "a release folder (data/<version>/, with manifest.json) nor an annotation folder "
    "(like seeds/annotations, with actors.yaml)"
)


def read_release(folder: Path, prefix: str = "") -> Corpus:
    """A release's records, each row validated by its model; with a prefix, the claims and
    events of the tables so named (the second annotation's, beside the gold articles)."""
    _, problem = read_manifest_files(folder / MANIFEST)
    if problem is not None:
        raise ScoreInputError(problem)
    try:
        return Corpus(
            [from_row(Article, row) for row in release_table(folder, "articles").to_pylist()],
            [from_row(Claim, r) for r in release_table(folder, f"{prefix}claims").to_pylist()],
            [from_row(Event, r) for r in release_table(folder, f"{prefix}events").to_pylist()],
        )
    except (pa.ArrowException, KeyError, ValidationError) as error:
        raise ScoreInputError(
            f"{folder}: not a release of this schema ({type(error).__name__}: {error}); check "
            "it with build-dataset verify, or build it with this build-dataset"
        ) from None


def read_annotations(folder: Path, repository: Path) -> Corpus:
    """The records a build makes of the folder, with the seeds it annotates from the
    repository's; raises InvalidInput naming the folder's files, as they are."""
    with built(folder, repository, folder.as_posix()) as release:
        return read_release(release)


def read_corpus(path: Path, repository: Path) -> Corpus:
    """A release folder's or an annotation folder's records."""
    if (path / MANIFEST).is_file():
        return read_release(path)
    if (path / "actors.yaml").is_file():
        return read_annotations(path, repository)
    raise ScoreInputError(f"{path}: neither {_WHAT}")


def score_folders(reference: Path, candidate: Path, repository: Path) -> ScoreReport:
    """The candidate folder scored against the reference folder (see build_dataset.evaluate.score),
    annotation folders with the repository's seeds."""
    return score(read_corpus(reference, repository), read_corpus(candidate, repository))
