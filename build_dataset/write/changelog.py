"""CHANGELOG.md as the record of what is released. Each entry starts with a heading
`## <version> — <YYYY-MM-DD>`; a released entry also holds a line Manifest SHA-256: `<hash>`,
the SHA-256 of data/<version>/manifest.json. The file is committed by hand, so a release
folder deleted and rebuilt with other bytes no longer matches it; an entry without the line is
a draft, which a build may still rewrite."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from build_dataset.files import read_text_inside
from build_dataset.write.release import (
    MANIFEST,
    released_versions,
    sha256_file,
    verify_release,
    version_key,
)

CHANGELOG = "CHANGELOG.md"
_HEADING = re.compile(r"## (?P<version>\d+\.\d+\.\d+) — (?P<date>\d{4}-\d{2}-\d{2})")
_MANIFEST_LINE = re.compile(r"Manifest SHA-256: `(?P<sha256>[0-9a-f]{64})`")


class ChangelogProblem(Exception):
    """CHANGELOG.md is malformed, or lacks what the version being built needs."""


@dataclass(frozen=True)
class Entry:
    """One version's entry: the line of its heading, its date, and its manifest's SHA-256 once
    it is released (None while it is a draft)."""

    line: int
    date: str
    manifest_sha256: str | None

    @property
    def released(self) -> bool:
        return self.manifest_sha256 is not None


def heading(version: str, release_date: str) -> str:
    return f"## {version} — {release_date}"


def manifest_line(sha256: str) -> str:
    return f"Manifest SHA-256: `{sha256}`"


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse(text: str) -> dict[str, Entry]:
    """Every entry by version. Every `## ` line must be an entry heading, and every line that
    starts like a manifest line must be one, at most once an entry: a hash written another way
    would otherwise be missed, leaving a released version open to rewriting as a draft."""
    entries: dict[str, Entry] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{CHANGELOG}:{number}"
        if line.startswith("## "):
            match = _HEADING.fullmatch(line.rstrip())
            if match is None or not _is_date(match["date"]):
                raise ChangelogProblem(
                    f"{where}: an entry heading is `## X.Y.Z — YYYY-MM-DD` (with an em dash and "
                    f"a real date), not {line!r}"
                )
            current = match["version"]
            if current in entries:
                raise ChangelogProblem(
                    f"{where}: a second entry for {current} (the first is at line "
                    f"{entries[current].line})"
                )
            entries[current] = Entry(number, match["date"], None)
        elif line.lstrip("-*> \t").lower().startswith("manifest sha"):
            match = _MANIFEST_LINE.fullmatch(line.rstrip())
            if match is None:
                raise ChangelogProblem(
                    f"{where}: a manifest hash line is `Manifest SHA-256: `<64 lower-case hex "
                    f"digits>`` on a line of its own, not {line!r}"
                )
            if current is None:
                raise ChangelogProblem(f"{where}: a manifest hash before the first entry")
            entry = entries[current]
            if entry.released:
                raise ChangelogProblem(f"{where}: a second manifest hash for {current}")
            entries[current] = Entry(entry.line, entry.date, match["sha256"])
    return entries


def read_changelog(root: Path) -> dict[str, Entry]:
    """The entries of root's CHANGELOG.md; none when there is no such file."""
    path = root / CHANGELOG
    if not path.is_file():
        return {}
    return parse(read_text_inside(root, path))


def build_entry(entries: dict[str, Entry], version: str, release_date: str) -> Entry:
    """The entry a build of version needs: there, and dated release_date, so that nothing is
    built that the changelog does not announce."""
    entry = entries.get(version)
    if entry is None:
        raise ChangelogProblem(
            f"{CHANGELOG} has no entry for {version}; add the heading line "
            f"`{heading(version, release_date)}` above the newest entry, with what changed"
        )
    if entry.date != release_date:
        raise ChangelogProblem(
            f"{CHANGELOG}:{entry.line}: the entry for {version} is dated {entry.date}, but "
            f"RELEASE_DATE in build_dataset/write/version.py is {release_date}; make the heading "
            f"line `{heading(version, release_date)}`"
        )
    return entry


def disagreement(
    entries: dict[str, Entry], version: str, manifest_sha256: str | None
) -> str | None:
    """How data/<version>/manifest.json, of the given SHA-256 (None when there is no such
    file), disagrees with the changelog; None when it agrees, or the version is a draft."""
    manifest = f"data/{version}/{MANIFEST}"
    entry = entries.get(version)
    if entry is None and manifest_sha256 is not None:
        return f"{manifest}: {CHANGELOG} has no entry for {version}"
    if entry is None or entry.manifest_sha256 in (None, manifest_sha256):
        return None
    if manifest_sha256 is None:
        return f"{CHANGELOG}:{entry.line}: {version} is released, but {manifest} is missing"
    return (
        f"{manifest}: SHA-256 {manifest_sha256} differs from {entry.manifest_sha256}, the one "
        f"{CHANGELOG}:{entry.line} records for {version}"
    )


def checked_versions(entries: dict[str, Entry], data_dir: Path) -> list[str]:
    """The versions the changelog records as released or data_dir holds, oldest first."""
    released = {v for v, entry in entries.items() if entry.released}
    return sorted(released | set(released_versions(data_dir)), key=version_key)


def version_problems(entries: dict[str, Entry], data_dir: Path, version: str) -> list[str]:
    """Every way data_dir/<version> differs from its manifest, and its manifest from the
    changelog; empty when both agree."""
    manifest = data_dir / version / MANIFEST
    if manifest.is_symlink() or (data_dir / version).is_symlink():
        return verify_release(data_dir / version)  # which says so, reading nothing through it
    sha256 = sha256_file(manifest) if manifest.is_file() else None
    differs = disagreement(entries, version, sha256)
    if sha256 is None and differs:  # the folder's own check would only say the same
        return [differs]
    return verify_release(data_dir / version) + ([differs] if differs else [])


def changelog_until(text: str, version: str) -> str:
    """The changelog as it reads at version's release: its preamble and the entries of version
    and every earlier one (the file lists them newest first)."""
    kept, keep = [], True
    for line in text.splitlines(keepends=True):
        heading_line = _HEADING.fullmatch(line.rstrip())
        if heading_line is not None:
            keep = version_key(heading_line["version"]) <= version_key(version)
        if keep:
            kept.append(line)
    return "".join(kept)
