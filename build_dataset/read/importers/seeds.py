"""Finding the article an exported document is: its seed, by id or by text, with the clean text
computed with the outlet of its existing annotation file."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from build_dataset.files import link_out
from build_dataset.problems import InvalidInput
from build_dataset.read.cleaning import clean_article
from build_dataset.read.importers.common import Document, ImportProblem, read_text
from build_dataset.read.inputs import ANNOTATIONS_DIR, SEEDS_DIR
from build_dataset.read.yaml_source import read_yaml
from karabakh_schema.article import RemovedSegment


@dataclass(frozen=True)
class Seed:
    id: str
    path: Path
    sha256: str
    raw: str
    clean: str
    removed: tuple[RemovedSegment, ...]
    article: dict[str, Any] | None  # the existing annotation file's article section


class Seeds:
    """The seeds under a root, each read (with its annotation file) only when needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = {path.stem: path for path in sorted((root / SEEDS_DIR).glob("*.txt"))}

    def get(self, article_id: str) -> Seed | None:
        path = self.paths.get(article_id)
        if path is None:
            return None
        annotation = self.root / ANNOTATIONS_DIR / f"{article_id}.yaml"
        for read in (path, annotation):
            if (outside := link_out(self.root, read)) is not None:
                message = f"leads outside the repository, to {outside}, so it is not read"
                raise ImportProblem(read, "", f"{message}; replace the link with the file itself")
        return _load_seed(path, _stamp(path), annotation, _stamp(annotation))

    def find(self, text: str) -> tuple[Seed, bool] | None:
        """The seed whose clean or raw text this is, and whether it is the raw one."""
        encoded = text.encode("utf-8")
        for article_id, path in self.paths.items():
            if link_out(self.root, path) is None and path.read_bytes() == encoded:
                seed = self.get(article_id)
                assert seed is not None
                return seed, text != seed.clean
        for article_id in self.paths:
            seed = self.get(article_id)
            if seed is not None and text == seed.clean:
                return seed, False
        return None


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells a changed file from the cached one."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=64)
def _load_seed(
    path: Path,
    stamp: tuple[int, int] | None,
    annotation: Path,
    annotation_stamp: tuple[int, int] | None,
) -> Seed:
    raw_bytes = path.read_bytes()
    raw = read_text(path)
    article = _existing_article(annotation) if annotation_stamp is not None else None
    outlet = article.get("outlet") if article else None
    cleaned = clean_article(raw, outlet if isinstance(outlet, str) else None)
    return Seed(
        id=path.stem,
        path=path,
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        raw=raw,
        clean=cleaned.clean_text,
        removed=cleaned.removed,
        article=article,
    )


def _existing_article(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = read_yaml(path, str(path)).data
    except InvalidInput as error:
        message = f"cannot read it: {error.problems[0]}; fix it first, so that nothing is lost"
        raise ImportProblem(path, "", message) from None
    article = data.get("article") if isinstance(data, dict) else None
    return article if isinstance(article, dict) else None


def _first_difference(text: str, other: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b), -1)


def _mismatch(text: str, seed: Seed) -> str:
    """Where text first departs from the seed text it is closest to."""
    best = ""
    best_at = -1
    for name, other in (("clean", seed.clean), ("raw", seed.raw)):
        at = _first_difference(text, other)
        at = min(len(text), len(other)) if at == -1 else at
        if at > best_at:
            best_at = at
            best = (
                f"it first differs from the {name} text at offset {at}: "
                f"{text[at : at + 30]!r} where the seed has {other[at : at + 30]!r}"
            )
    return best


def resolve(path: Path, doc: Document, seeds: Seeds, article_id: str | None) -> tuple[Seed, bool]:
    """The seed the document's text is, and whether the text is the raw rather than clean one."""
    named = article_id if article_id is not None else doc.article_id
    if named is None and doc.id_hint in seeds.paths:
        named = doc.id_hint
    if named is not None:
        seed = seeds.get(named)
        if seed is None:
            message = (
                f"article {named!r} has no seed text {SEEDS_DIR}/{named}.txt under {seeds.root}"
            )
            raise ImportProblem(path, doc.where, message)
        if doc.text not in (seed.clean, seed.raw):
            message = (
                f"the text is neither the clean nor the raw text of {named}; "
                f"{_mismatch(doc.text, seed)}"
            )
            raise ImportProblem(path, doc.where, message)
        return seed, doc.text != seed.clean
    found = seeds.find(doc.text)
    if found is None:
        message = (
            f"the text is neither the clean nor the raw text of any seed in "
            f"{seeds.root / SEEDS_DIR} (it starts {doc.text[:60]!r}); export the article's "
            "text unchanged, or give its id"
        )
        raise ImportProblem(path, doc.where, message)
    return found
