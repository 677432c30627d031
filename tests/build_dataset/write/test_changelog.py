"""CHANGELOG.md read as the record of releases: the committed file records the committed
manifests, and a heading or hash line written another way is an error naming its line."""

from pathlib import Path

import pytest

from build_dataset.write.changelog import (
    ChangelogProblem,
    Entry,
    build_entry,
    disagreement,
    parse,
    read_changelog,
)
from build_dataset.write.release import released_versions, sha256_file
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE

REPO = Path(__file__).resolve().parents[3]
SHA = "0123456789abcdef" * 4
OTHER = "fedcba9876543210" * 4
ENTRIES = {
    "1.0.0": Entry(5, "2026-11-23", SHA),
    "1.1.0": Entry(1, "2026-12-01", None),
}


def test_the_committed_changelog_records_the_committed_manifests() -> None:
    """Every released entry names a committed folder's manifest; a folder may be a draft."""
    entries = read_changelog(REPO)
    released = {v: e.manifest_sha256 for v, e in entries.items() if e.manifest_sha256}
    assert {"0.1.0", "1.0.0"} <= set(released)
    folders = {
        version: sha256_file(REPO / "data" / version / "manifest.json")
        for version in released_versions(REPO / "data")
    }
    assert {v: folders.get(v) for v in released} == released
    assert set(folders) <= set(entries)
    assert build_entry(entries, DATASET_VERSION, RELEASE_DATE).date == RELEASE_DATE


def test_entries_with_and_without_a_manifest_hash() -> None:
    text = (
        "# Changelog\n\nSome prose.\n\n"
        "## 1.1.0 — 2026-12-01\n\n- Drafted.\n\n### Details\n\n"
        f"## 1.0.0 — 2026-11-23\n\nManifest SHA-256: `{SHA}`\n\n- Released.\n"
    )
    assert parse(text) == {
        "1.1.0": Entry(5, "2026-12-01", None),
        "1.0.0": Entry(11, "2026-11-23", SHA),
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("## 1.0.0 - 2026-11-23", "CHANGELOG.md:3: an entry heading is `## X.Y.Z — YYYY-MM-DD`"),
        ("## 1.0.0 – 2026-11-23", "CHANGELOG.md:3: an entry heading is `## X.Y.Z — YYYY-MM-DD`"),
        ("## 1.0 — 2026-11-23", "CHANGELOG.md:3: an entry heading is"),
        ("## 1.0.0 — 2026-02-30", "CHANGELOG.md:3: an entry heading is"),
        ("## Unreleased", "CHANGELOG.md:3: an entry heading is"),
        (f"Manifest SHA-256: `{SHA[:-1]}`", "CHANGELOG.md:3: a manifest hash line is"),
        (f"Manifest SHA-256: {SHA}", "CHANGELOG.md:3: a manifest hash line is"),
        (f"- Manifest SHA-256: `{SHA}`", "CHANGELOG.md:3: a manifest hash line is"),
        (f"Manifest SHA-256: `{SHA.upper()}`", "CHANGELOG.md:3: a manifest hash line is"),
        (f"Manifest SHA-256: `{SHA}`", "CHANGELOG.md:3: a manifest hash before the first entry"),
    ],
)
def test_a_malformed_line_is_named_with_its_line_number(line: str, message: str) -> None:
    with pytest.raises(ChangelogProblem) as raised:
        parse(f"# Changelog\n\n{line}\n\n## 0.1.0 — 2026-11-23\n")
    assert str(raised.value).startswith(message)


def test_a_version_or_hash_given_twice_is_refused() -> None:
    twice = "## 1.0.0 — 2026-11-23\n\n## 1.0.0 — 2026-11-24\n"
    with pytest.raises(
        ChangelogProblem, match=r"^CHANGELOG\.md:3: a second entry for 1\.0\.0 \(the"
    ):
        parse(twice)
    hashes = f"## 1.0.0 — 2026-11-23\nManifest SHA-256: `{SHA}`\nManifest SHA-256: `{SHA}`\n"
    with pytest.raises(ChangelogProblem, match=r"^CHANGELOG\.md:3: a second manifest hash for"):
        parse(hashes)


def test_a_build_needs_an_entry_dated_its_release_date() -> None:
    assert build_entry(ENTRIES, "1.1.0", "2026-12-01") == ENTRIES["1.1.0"]
    with pytest.raises(ChangelogProblem) as missing:
        build_entry(ENTRIES, "1.2.0", "2027-01-05")
    assert str(missing.value) == (
        "CHANGELOG.md has no entry for 1.2.0; add the heading line `## 1.2.0 — 2027-01-05` "
        "above the newest entry, with what changed"
    )
    with pytest.raises(ChangelogProblem) as misdated:
        build_entry(ENTRIES, "1.1.0", "2026-12-02")
    assert str(misdated.value) == (
        "CHANGELOG.md:1: the entry for 1.1.0 is dated 2026-12-01, but RELEASE_DATE in "
        "build_dataset/write/version.py is 2026-12-02; make the heading line "
        "`## 1.1.0 — 2026-12-02`"
    )


def test_disagreements_between_folders_and_entries() -> None:
    assert disagreement(ENTRIES, "1.0.0", SHA) is None
    assert disagreement(ENTRIES, "1.1.0", OTHER) is None  # a draft
    assert disagreement(ENTRIES, "1.1.0", None) is None
    assert disagreement(ENTRIES, "9.9.9", None) is None
    assert disagreement(ENTRIES, "9.9.9", SHA) == (
        "data/9.9.9/manifest.json: CHANGELOG.md has no entry for 9.9.9"
    )
    assert disagreement(ENTRIES, "1.0.0", None) == (
        "CHANGELOG.md:5: 1.0.0 is released, but data/1.0.0/manifest.json is missing"
    )
    assert disagreement(ENTRIES, "1.0.0", OTHER) == (
        f"data/1.0.0/manifest.json: SHA-256 {OTHER} differs from {SHA}, the one "
        "CHANGELOG.md:5 records for 1.0.0"
    )
