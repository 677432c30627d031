"""An annotation folder other than seeds/annotations (the second annotation in
agreement/annotations, a system's output to be scored) checked and built into a release folder
exactly as a build would, so that it gives records of the same kind."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from build_dataset.files import inside, scratch_folder
from build_dataset.problems import InvalidInput
from build_dataset.read.inputs import ANNOTATIONS_DIR, REGISTRY_FILES, SEED_NAMES, SEEDS_DIR
from build_dataset.read.jsonl_source import JsonError, lines, load_json

AGREEMENT_DIR = "agreement/annotations"
"""The second annotation, from the repository's root."""
_VERSION = "0.0.0"


def annotated_ids(folder: Path) -> set[str]:
    """The articles the folder's files annotate: a YAML file's name, each JSON Lines line's id
    (a line that does not say, or cannot be read, is reported by the build's checks; a link is
    not followed, and the build refuses it)."""
    ids = {p.stem for p in folder.glob("*.yaml") if p.stem not in REGISTRY_FILES}
    for path in folder.glob("*.jsonl"):
        if path.stem in REGISTRY_FILES or path.is_symlink():
            continue
        for _, raw in lines(path):
            try:
                data = load_json(raw.decode("utf-8"))
                ids.add(str(data["article"]["id"]))
            except (JsonError, UnicodeDecodeError, KeyError, TypeError):
                continue
    return ids


@contextmanager
def built(folder: Path, repository: Path, shown_as: str, version: str = _VERSION) -> Iterator[Path]:
    """The release folder the annotation folder gives, with the seeds it annotates taken from
    the repository's, for the body of the with; raises InvalidInput naming the folder's files
    as shown_as/<name>. Links are copied as links, which the build then refuses."""
    from build_dataset.build import release_data

    with scratch_folder("folder") as workdir:
        root = workdir / "root"
        shutil.copytree(folder, root / ANNOTATIONS_DIR, symlinks=True)
        if (names := repository / SEED_NAMES).is_file() and inside(repository, names):
            shutil.copy(names, root / SEED_NAMES)
        for article_id in annotated_ids(folder):
            seed = repository / SEEDS_DIR / f"{article_id}.txt"
            if seed.is_file() and inside(repository, seed):
                shutil.copy(seed, root / SEEDS_DIR / seed.name)
        data_dir = workdir / "data"
        try:
            release_data(root, data_dir, version, "1970-01-01", None, workers=1)
        except InvalidInput as error:
            shown = [
                replace(p, file=_shown(p.file, shown_as), hint=_hint_shown(p.hint, shown_as))
                for p in error.problems
            ]
            raise InvalidInput(shown, {_shown(f, shown_as) for f in error.blocking}) from None
        yield data_dir / version


def _hint_shown(hint: str | None, shown_as: str) -> str | None:
    """A hint that names a registry to edit names the folder's own."""
    return None if hint is None else hint.replace(f"{ANNOTATIONS_DIR}/", f"{shown_as}/")


def _shown(file: str, shown_as: str) -> str:
    """A problem's file as the user knows it, rather than in the temporary copy."""
    if file.startswith(f"{ANNOTATIONS_DIR}/"):
        return f"{shown_as}/{file.removeprefix(f'{ANNOTATIONS_DIR}/')}"
    return file
