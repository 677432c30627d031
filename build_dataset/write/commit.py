"""Putting a checked release and its documents in place together. Everything is staged first:
the release in a folder beside data/<version>, each document as a complete copy beside it.
Then a journal listing the renames is written, the renames are made, and the journal is
removed. A stop before the journal leaves the old state whole; a stop after it leaves renames
that only need making, which the next build does first (finish_interrupted), so that the card
never describes other data than the data beside it."""

import json
import os
import re
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from build_dataset.files import TEMP_SUFFIX, FileRefused, write_atomic
from build_dataset.write.changelog import read_changelog
from build_dataset.write.release import MANIFEST, STAGING_PREFIX, sha256_file, verify_release

DATA_DIR = "data"
JOURNAL = f"{DATA_DIR}/.release-journal.json"
"""Where the renames still to make are listed, from the repository's root."""
_SET_ASIDE = "-previous"


class ReleaseInterrupted(Exception):
    """The renames of a release could not all be made; the journal keeps them for the next
    build."""


@dataclass(frozen=True)
class Swap:
    """What a build puts in place: the staging folder that becomes data/<version> (None when
    the released folder already holds the built bytes), and each document with its staged
    copy, as paths from the repository's root."""

    version: str
    staging: str | None
    documents: tuple[tuple[str, str], ...]


def place_folder(data_dir: Path, staging: str, version: str) -> None:
    """Rename the staging folder to data_dir/<version>, replacing any draft there (a folder
    cannot be renamed over a full one, so the draft is set aside first, then removed). Each
    step can be made again after a stop."""
    target, set_aside = data_dir / version, data_dir / f"{staging}{_SET_ASIDE}"
    if (data_dir / staging).exists():
        if target.exists():
            os.replace(target, set_aside)
        os.replace(data_dir / staging, target)
    shutil.rmtree(set_aside, ignore_errors=True)


def commit(root: Path, swap: Swap) -> None:
    """Journal the swap, then make it."""
    if swap.staging is None and not swap.documents:
        return
    journal = {"version": swap.version, "staging": swap.staging, "documents": swap.documents}
    write_atomic(root, root / JOURNAL, json.dumps(journal, indent=2).encode())
    _replay(root, swap)


def _replay(root: Path, swap: Swap) -> None:
    try:
        if swap.staging is not None:
            place_folder(root / DATA_DIR, swap.staging, swap.version)
        for staged, document in swap.documents:
            if (root / staged).exists():
                os.replace(root / staged, root / document)
        (root / JOURNAL).unlink()
    except OSError as error:
        raise ReleaseInterrupted(
            f"the release of {swap.version} stopped halfway ({error}); its journal "
            f"{JOURNAL} keeps what is left to do: fix the cause, then build again to finish it"
        ) from None


def interrupted(root: Path) -> bool:
    """Whether a build stopped halfway through putting a release in place."""
    return os.path.lexists(root / JOURNAL)


def finish_interrupted(root: Path, documents: Collection[str]) -> str | None:
    """Make the renames that a stopped build's journal lists; returns the version it released,
    or None when no build was stopped. The journal is only followed when it names a staging
    folder in data/ and staged copies of the given documents beside them, so that a journal
    that is not a build's own (one committed to the repository, say) moves nothing else."""
    path = root / JOURNAL
    if not os.path.lexists(path):
        return None
    swap = _swap(path, documents)
    if swap is None or not _sealed(root, swap):
        raise FileRefused(
            f"{JOURNAL} is not a journal a build wrote; remove it (a build writes it while it "
            "puts a release in place, and removes it after)"
        )
    _replay(root, swap)
    return swap.version


def _sealed(root: Path, swap: Swap) -> bool:
    """Whether the staging folder the swap names, if it is still there, holds a sealed release
    of its version: one that verifies against its manifest, and that CHANGELOG.md records if
    the version is released, so that a journal cannot put other bytes in place of a release."""
    if swap.staging is None or not (staged := root / DATA_DIR / swap.staging).exists():
        return True
    if staged.is_symlink() or verify_release(staged):
        return False
    manifest = json.loads((staged / MANIFEST).read_bytes())
    entry = read_changelog(root).get(swap.version)
    recorded = entry.manifest_sha256 if entry is not None else None
    return manifest.get("version") == swap.version and recorded in (
        None,
        sha256_file(staged / MANIFEST),
    )


def _swap(path: Path, documents: Collection[str]) -> Swap | None:
    """The journal's swap, or None when it is not in the shape a build writes."""
    try:
        data = json.loads(path.read_bytes()) if not path.is_symlink() else None
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        return None
    version, staging, pairs = data["version"], data.get("staging"), data.get("documents")
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        return None
    own_staging = rf"{re.escape(STAGING_PREFIX + version)}-[\w-]+"
    if staging is not None and not (
        isinstance(staging, str) and re.fullmatch(own_staging, staging)
    ):
        return None
    if not isinstance(pairs, list) or not all(_is_staged_copy(p, documents) for p in pairs):
        return None
    return Swap(version, staging, tuple((staged, document) for staged, document in pairs))


def _is_staged_copy(pair: object, documents: Collection[str]) -> bool:
    """Whether pair is [staged copy, document] for one of the documents."""
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
        return False
    staged, document = pair
    folder, _, name = document.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    pattern = rf"{re.escape(prefix)}\.{re.escape(name)}\.[\w]+{re.escape(TEMP_SUFFIX)}"
    return document in documents and re.fullmatch(pattern, staged) is not None
