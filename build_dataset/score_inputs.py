"""Reading what the scorer compares: a release folder (data/<version>/, by its manifest.json)
or an annotation folder (like seeds/annotations, by its actors.yaml), which is checked and
built as a build would, so that both give the same records."""

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
from pydantic import ValidationError

from build_dataset.inputs import ANNOTATIONS_DIR, SEED_NAMES, SEEDS_DIR
from build_dataset.problems import InvalidInput
from build_dataset.release import MANIFEST, read_manifest_files, release_table
from build_dataset.score import Corpus, ScoreInputError, ScoreReport, score
from schema import Article, Claim, Event
from schema.columns import from_row

_VERSION = "0.0.0"
_WHAT = (
    "a release folder (data/<version>/, with manifest.json) nor an annotation folder "
    "(like seeds/annotations, with actors.yaml)"
)


def read_release(folder: Path) -> Corpus:
    """A release's records, each row validated by its model."""
    _, problem = read_manifest_files(folder / MANIFEST)
    if problem is not None:
        raise ScoreInputError(problem)
    try:
        return Corpus(
            [from_row(Article, row) for row in release_table(folder, "articles").to_pylist()],
            [from_row(Claim, row) for row in release_table(folder, "claims").to_pylist()],
            [from_row(Event, row) for row in release_table(folder, "events").to_pylist()],
        )
    except (pa.ArrowException, KeyError, ValidationError) as error:
        raise ScoreInputError(
            f"{folder}: not a release of this schema ({type(error).__name__}: {error}); check "
            "it with build-dataset verify, or build it with this build-dataset"
        ) from None


def annotated_ids(folder: Path) -> set[str]:
    """The articles the folder's files annotate: a YAML file's name, each JSON Lines line's id
    (a line that does not say is reported by the build's checks)."""
    ids = {p.stem for p in folder.glob("*.yaml") if p.stem not in ("actors", "places", "events")}
    for path in folder.glob("*.jsonl"):
        if path.stem == "events":
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                ids.add(str(json.loads(line)["article"]["id"]))
            except (ValueError, KeyError, TypeError):
                continue
    return ids


def read_annotations(folder: Path, seeds: Path) -> Corpus:
    """The records a build makes of the folder, with the seeds it annotates from seeds (the
    repository's seeds/); raises InvalidInput naming the folder's files, as they are."""
    from build_dataset.build import release_data

    with tempfile.TemporaryDirectory(prefix="build-dataset-score-") as workdir:
        root = Path(workdir) / "root"
        shutil.copytree(folder, root / ANNOTATIONS_DIR, symlinks=True)
        shutil.copy(seeds / Path(SEED_NAMES).name, root / SEED_NAMES)
        for article_id in annotated_ids(folder):
            seed = seeds / f"{article_id}.txt"
            if seed.is_file():
                shutil.copy(seed, root / SEEDS_DIR / seed.name)
        data_dir = Path(workdir) / "data"
        try:
            release_data(root, data_dir, _VERSION, "1970-01-01", None, workers=1)
        except InvalidInput as error:
            shown = [replace(p, file=_shown(p.file, folder)) for p in error.problems]
            raise InvalidInput(shown, error.blocking) from None
        return read_release(data_dir / _VERSION)


def _shown(file: str, folder: Path) -> str:
    """A problem's file as the user named it, rather than in the temporary copy."""
    if file.startswith(f"{ANNOTATIONS_DIR}/"):
        return (folder / file.removeprefix(f"{ANNOTATIONS_DIR}/")).as_posix()
    return file


def read_corpus(path: Path, seeds: Path) -> Corpus:
    """A release folder's or an annotation folder's records."""
    if (path / MANIFEST).is_file():
        return read_release(path)
    if (path / "actors.yaml").is_file():
        return read_annotations(path, seeds)
    raise ScoreInputError(f"{path}: neither {_WHAT}")


def score_folders(reference: Path, candidate: Path, seeds: Path) -> ScoreReport:
    """The candidate folder scored against the reference folder (see build_dataset.score)."""
    return score(read_corpus(reference, seeds), read_corpus(candidate, seeds))
