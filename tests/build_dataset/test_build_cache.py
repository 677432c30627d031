"""The build's cache: a rebuild after one edit checks only that edit's shard, and the checks
across shards and the events only when the edit changes what they read, and gives the bytes of
a build without the cache; an entry that is not whole, or was written for other inputs or by
other code, is worked out again rather than used; and a release is still held to its manifest,
whatever the cache holds."""

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from build_dataset import assemble, build_cache
from build_dataset.build import build, release_data
from build_dataset.build_cache import CACHE_DIR, RACY_NS, FileDigests
from build_dataset.problems import InvalidInput
from build_dataset.read import gazetteer, inputs, jsonl_source
from build_dataset.read.gazetteer import GeoName
from build_dataset.read.inputs import article_sources
from build_dataset.write.release import ReleasedVersionChanged
from build_dataset.write.version import DATASET_VERSION
from tests.checkout import REPO, copy_checkout, release_current, snapshot

VERSION = "9.9.9"
RELEASE_DATE = "2026-11-23"
EDITED = "seeds/annotations/001_d2d2eb034c79192f.yaml"
NOTE = "the agreement itself is dated to the same day"
"""In a claim's note of EDITED: an edit there keeps the annotation valid."""
SHARDS = sum(1 for _ in article_sources(REPO))
"""A shard an article."""


def released(root: Path, data_dir: Path, cache: bool) -> dict[str, bytes]:
    release_data(
        root, data_dir, VERSION, RELEASE_DATE, None, workers=1, articles_per_shard=1, cache=cache
    )
    return {p.name: p.read_bytes() for p in sorted((data_dir / VERSION).iterdir())}


def entries(root: Path, kind: str = "shard") -> dict[str, bytes]:
    """The cache's entries of one kind: shard, corpus or events registry."""
    found = {p.name: p.read_bytes() for p in sorted((root / CACHE_DIR).iterdir())}
    return {name: data for name, data in found.items() if _header(data)["kind"] == kind}


def _header(entry: bytes) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(entry.split(b"\n", 3)[2])
    return header


def edit_note(root: Path) -> None:
    path = root / EDITED
    text = path.read_text(encoding="utf-8")
    assert NOTE in text
    path.write_text(text.replace(NOTE, f"{NOTE} (edited)"), encoding="utf-8")


def rewritten(entry: bytes, change_header: dict[str, object], blob: bytes | None = None) -> bytes:
    """The entry with header fields changed and, if given, its first part's bytes replaced,
    every SHA-256 it holds made to agree: what another program could write."""
    first, digest, text, rest = entry.split(b"\n", 3)
    header = json.loads(text)
    blobs, at = [], 0
    for name, size, _ in header["blobs"]:
        blobs.append([name, rest[at : at + size]])
        at += size
    if blob is not None:
        blobs[0][1] = blob
    header |= change_header
    header["blobs"] = [[n, len(b), hashlib.sha256(b).hexdigest()] for n, b in blobs]
    text = json.dumps(header, sort_keys=True).encode()
    digest = hashlib.sha256(text).hexdigest().encode()
    return b"\n".join([first, digest, text, b"".join(b for _, b in blobs)])


@pytest.fixture
def cached(tmp_path: Path) -> Path:
    """A checkout built once with the cache, a shard an article."""
    root = copy_checkout(tmp_path / "checkout")
    released(root, tmp_path / "first", cache=True)
    assert len(entries(root)) == SHARDS
    return root


def test_a_rebuild_after_one_edit_checks_one_shard_and_gives_the_bytes_of_a_full_build(
    cached: Path, tmp_path: Path
) -> None:
    before = entries(cached)
    edit_note(cached)
    rebuilt = released(cached, tmp_path / "rebuilt", cache=True)
    after = entries(cached)
    assert len(after) == SHARDS  # the edited shard's old entry is gone: one build's entries
    assert len(set(after) & set(before)) == SHARDS - 1  # the others were used, not rewritten
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert rebuilt == released(cached, tmp_path / "full", cache=False)
    before_edit = json.loads(
        released(copy_checkout(tmp_path / "fresh"), tmp_path / "old", False)["manifest.json"]
    )
    assert json.loads(rebuilt["manifest.json"])["files"] != before_edit["files"]


def test_an_entry_that_is_not_whole_or_not_for_this_code_is_checked_again(
    cached: Path, tmp_path: Path
) -> None:
    full = released(cached, tmp_path / "full", cache=False)
    names = sorted(entries(cached))
    spoilt = {
        names[0]: entries(cached)[names[0]][:-1] + b"x",  # a payload byte changed
        names[1]: entries(cached)[names[1]][:200],  # cut short
        names[2]: rewritten(entries(cached)[names[2]], {"shared": "0" * 64}),  # other code
        names[3]: rewritten(entries(cached)[names[3]], {"key": "0" * 64}),  # other inputs
        names[4]: b"",
    }
    for name, data in spoilt.items():
        (cached / CACHE_DIR / name).write_bytes(data)
    assert released(cached, tmp_path / "rebuilt", cache=True) == full
    repaired = entries(cached)
    assert sorted(repaired) == names
    assert all(repaired[name] != spoilt[name] for name in spoilt)


def test_an_entry_whose_bytes_agree_but_hold_other_rows_cannot_change_a_release(
    tmp_path: Path,
) -> None:
    """Were an entry forged whole (its SHA-256s agreeing), the build still gives the manifest
    that CHANGELOG.md records for a released version, or refuses."""
    root = copy_checkout(tmp_path / "checkout")
    build(root)  # the current version, its one shard in the cache
    release_current(root)
    [(name, entry)] = entries(root).items()
    _, _, text, payload = entry.split(b"\n", 3)
    header = json.loads(text)
    (articles, size, _), (claims, claims_size, _), *_ = header["blobs"]
    assert (articles, claims) == ("part:articles", "part:claims")
    rows = {"articles": header["rows"]["claims"], "claims": header["rows"]["claims"]}
    claims_part = payload[size : size + claims_size]
    forged = rewritten(entry, {"rows": rows}, claims_part)  # the claims as the articles
    (root / CACHE_DIR / name).write_bytes(forged)
    before = snapshot(root)
    with pytest.raises(ReleasedVersionChanged, match=f"{DATASET_VERSION} is released"):
        build(root)
    assert snapshot(root) == before
    build(root, cache=False)  # without the cache, the release holds
    assert snapshot(root) == before


def test_an_edit_of_one_articles_mentions_in_the_events_checks_its_shard_again(
    cached: Path, tmp_path: Path
) -> None:
    """A shard locates its articles' mentions of events: an edited mention is the shard's
    input too, though it is written in events.yaml."""
    before = entries(cached)
    path = cached / "seeds/annotations/events.yaml"
    quote = 'quote: "At least 32 people have been killed in the clashes."'
    text = path.read_text(encoding="utf-8")
    assert text.count(quote) == 1
    path.write_text(text.replace(quote, 'quote: "At least 32 people"'), encoding="utf-8")
    rebuilt = released(cached, tmp_path / "rebuilt", cache=True)
    after = entries(cached)
    assert sorted(after) == sorted(before)  # found by the article's annotation, then
    assert len([name for name in after if after[name] != before[name]]) == 1  # checked again
    assert rebuilt == released(cached, tmp_path / "full", cache=False)


def test_an_edited_seed_is_read_again(cached: Path, tmp_path: Path) -> None:
    """A seed is the shard's input too: the entry records the SHA-256 of each one it read."""
    seed = cached / "seeds/003_82aebb510e30787e.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    with pytest.raises(InvalidInput) as raised:
        released(cached, tmp_path / "rebuilt", cache=True)
    assert [(p.file, p.field) for p in raised.value.problems] == [
        ("seeds/annotations/003_82aebb510e30787e.yaml", "article.sha256")
    ]
    assert "changed since it was annotated" in raised.value.problems[0].message


def test_an_edit_that_leaves_the_corpus_index_as_it_was_reuses_the_events_and_checks(
    cached: Path, tmp_path: Path
) -> None:
    """A note is in no shard's part of the corpus index: the checks across shards and the
    events table are taken from the cache, whose entries are used as they are, not written
    again."""
    kept = {kind: entries(cached, kind) for kind in ("crossing", "events table")}
    assert all(len(found) == 1 for found in kept.values())
    written = {name: (cached / CACHE_DIR / name).stat().st_ino for e in kept.values() for name in e}
    edit_note(cached)
    rebuilt = released(cached, tmp_path / "rebuilt", cache=True)
    assert {kind: entries(cached, kind) for kind in kept} == kept
    assert {name: (cached / CACHE_DIR / name).stat().st_ino for name in written} == written
    assert rebuilt == released(cached, tmp_path / "full", cache=False)


def test_an_edit_that_changes_a_relation_is_checked_across_shards_again(
    cached: Path, tmp_path: Path
) -> None:
    """A relation to a claim of another article is checked across shards: the edit changes
    its shard's part of the corpus index, so the cache's checks of the corpus before it are
    not used."""
    path = cached / "seeds/annotations/000_e0392172d7493b06.yaml"
    text = path.read_text(encoding="utf-8")
    target = "claim: 001_d2d2eb034c79192f-c032"
    assert text.count(target) == 1
    path.write_text(text.replace(target, "claim: 001_d2d2eb034c79192f-c932"), encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        released(cached, tmp_path / "rebuilt", cache=True)
    [problem] = raised.value.problems
    assert (problem.file, problem.message) == (
        "seeds/annotations/000_e0392172d7493b06.yaml",
        "unknown claim '001_d2d2eb034c79192f-c932'",
    )


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """A corpus whose events are JSON Lines, built once with the cache by two workers, three
    articles a shard."""
    root = tmp_path / "synthetic"
    generate(root, 12, seed=0, per_file=6)
    synthetic_release(root, tmp_path / "first", cache=True)
    return root


def synthetic_release(root: Path, data_dir: Path, cache: bool) -> dict[str, bytes]:
    release_data(root, data_dir, VERSION, RELEASE_DATE, None, 2, 3, cache=cache)
    return {p.name: p.read_bytes() for p in sorted((data_dir / VERSION).iterdir())}


def test_the_events_registry_is_read_again_only_when_events_jsonl_changes(
    synthetic: Path, tmp_path: Path
) -> None:
    [registry] = entries(synthetic, "events registry")
    written = (synthetic / CACHE_DIR / registry).stat().st_ino
    assert synthetic_release(synthetic, tmp_path / "again", cache=True)
    assert list(entries(synthetic, "events registry")) == [registry]
    assert (synthetic / CACHE_DIR / registry).stat().st_ino == written
    path = synthetic / "seeds/annotations/events.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    event = json.loads(lines[0])
    event["description"] += " (edited)"
    path.write_bytes(json.dumps(event, ensure_ascii=False).encode() + b"\n" + b"".join(lines[1:]))
    rebuilt = synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    assert list(entries(synthetic, "events registry")) not in ([], [registry])
    assert rebuilt == synthetic_release(synthetic, tmp_path / "full", cache=False)


@pytest.mark.parametrize("edited", [1, 2], ids=["one shard", "two shards"])
def test_a_rebuild_by_two_workers_that_misses_some_shards_gives_the_bytes_of_a_full_build(
    synthetic: Path, tmp_path: Path, edited: int
) -> None:
    """One shard missed is checked in the main process; with a second, both go to workers."""
    before = entries(synthetic)
    for path in sorted((synthetic / "seeds/annotations").glob("articles-*.jsonl"))[:edited]:
        lines = path.read_bytes().splitlines(keepends=True)
        record = json.loads(lines[0])
        record["claims"][0]["note"] = "edited"
        lines[0] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
        path.write_bytes(b"".join(lines))
    rebuilt = synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    assert len(set(entries(synthetic)) - set(before)) == edited
    assert rebuilt == synthetic_release(synthetic, tmp_path / "full", cache=False)


def test_a_file_is_known_by_its_times_only_until_it_changes(tmp_path: Path) -> None:
    """As git's index: a file's record holds while stat says the same of it; rewriting it with
    the same size and its old modification time still changes the time of its last change. A
    file changed just before the build is not recorded at all."""
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"first")
    later = time.time_ns() + 10 * RACY_NS  # the file is old by then
    digests = FileDigests(tmp_path, later, {})
    digests.record("seed.txt", "digest of first")
    kept = json.loads(json.dumps(digests.now))  # as the next build reads them
    assert FileDigests(tmp_path, later, kept).known("seed.txt") == "digest of first"
    modified = seed.stat().st_mtime_ns
    time.sleep(0.01)
    seed.write_bytes(b"other")
    os.utime(seed, ns=(modified, modified))
    assert FileDigests(tmp_path, later, kept).known("seed.txt") is None
    just_changed = FileDigests(tmp_path, time.time_ns(), {})
    just_changed.record("seed.txt", "digest of other")
    assert just_changed.now == {}


def test_a_rebuild_reads_only_the_files_changed_since_the_last_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "synthetic"
    generate(root, 12, seed=0, per_file=6)
    time.sleep(RACY_NS / 1e9)  # the files are older than the build by more than a tick
    synthetic_release(root, tmp_path / "first", cache=True)
    second = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[1]
    lines = second.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[0])
    record["claims"][0]["note"] = "edited"
    lines[0] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    second.write_bytes(b"".join(lines))
    read: list[str] = []

    def counted(path: Path) -> Iterator[tuple[int, bytes]]:
        read.append(path.name)
        return jsonl_source.lines(path)

    monkeypatch.setattr(inputs, "lines", counted)
    rebuilt = synthetic_release(root, tmp_path / "rebuilt", cache=True)
    assert read == [second.name]
    monkeypatch.undo()
    assert rebuilt == synthetic_release(root, tmp_path / "full", cache=False)
    seed = next((root / "seeds").glob("*.txt"))  # known by its times in its shard's entry
    seed.write_bytes(seed.read_bytes() + b"\n")
    with pytest.raises(InvalidInput) as raised:
        synthetic_release(root, tmp_path / "seed edited", cache=True)
    assert "article.sha256" in [p.field for p in raised.value.problems]


def test_a_relation_across_articles_is_checked_again_and_the_events_table_reused(
    synthetic: Path, tmp_path: Path
) -> None:
    """A relation is read by the checks across shards, not by the events."""
    [events] = entries(synthetic, "events table")
    [crossing] = entries(synthetic, "crossing")
    path = sorted((synthetic / "seeds/annotations").glob("articles-*.jsonl"))[1]
    lines = path.read_bytes().splitlines(keepends=True)
    other = json.loads(lines[0])["claims"][0]["id"]
    record = json.loads(lines[1])
    record["claims"][0].setdefault("relations", []).append(
        {"type": "agrees", "claim": other, "note": None}
    )
    lines[1] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(b"".join(lines))
    rebuilt = synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    assert list(entries(synthetic, "events table")) == [events]
    assert list(entries(synthetic, "crossing")) not in ([], [crossing])
    assert rebuilt == synthetic_release(synthetic, tmp_path / "full", cache=False)


def test_an_entry_naming_a_seed_outside_the_seeds_folder_is_not_used(
    cached: Path, tmp_path: Path
) -> None:
    """An entry can only name the seeds a shard reads: one that names another file, whatever
    its SHA-256, is checked again rather than read through."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not a seed")
    name, entry = next(iter(entries(cached).items()))
    path = os.path.relpath(outside, cached)
    seeds = [[path, hashlib.sha256(outside.read_bytes()).hexdigest(), None]]
    forged = rewritten(entry, {"seeds": seeds})
    (cached / CACHE_DIR / name).write_bytes(forged)
    released(cached, tmp_path / "rebuilt", cache=True)
    checked_again = entries(cached)[name]
    assert checked_again != forged
    assert [s[0] for s in _header(checked_again)["seeds"]] == [
        s[0] for s in _header(entry)["seeds"]
    ]


def edit_record(root: Path, file: int, line: int, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit one article's record: the line of that index in the synthetic corpus's file."""
    path = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[file]
    lines = path.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[line])
    edit(record)
    lines[line] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(b"".join(lines))


def first_claim(root: Path, file: int, line: int) -> str:
    path = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[file]
    return str(json.loads(path.read_bytes().splitlines()[line])["claims"][0]["id"])


def relate(target: str, kind: str = "agrees") -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        relation = {"type": kind, "claim": target, "note": None}
        record["claims"][0].setdefault("relations", []).append(relation)

    return edit


@pytest.fixture
def whole_crossings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One item for each time a build asks every check across shards of the whole corpus."""
    asked: list[bool] = []
    whole = assemble._crossing

    def counted(*args: Any) -> None:
        asked.append(True)
        whole(*args)

    monkeypatch.setattr(assemble, "_crossing", counted)
    return asked


def test_a_valid_relation_across_articles_is_checked_without_asking_the_whole_corpus(
    synthetic: Path, tmp_path: Path, whole_crossings: list[bool]
) -> None:
    """The checks across shards passed before the edit: what the edited part adds (a relation
    to a declared claim) is asked of the index alone."""
    edit_record(synthetic, 1, 4, relate(first_claim(synthetic, 0, 1)))
    rebuilt = synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    assert whole_crossings == []
    assert rebuilt == synthetic_release(synthetic, tmp_path / "full", cache=False)
    assert whole_crossings == [True]


def _unknown_claim(root: Path) -> None:
    edit_record(root, 1, 4, relate(first_claim(root, 0, 1).replace("-c001", "-c999")))


def _repeated_article(root: Path) -> None:
    path = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[1]
    first = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[0]
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = first.read_bytes().splitlines(keepends=True)[0]
    path.write_bytes(b"".join(lines))


def _cycle(root: Path) -> None:
    one, other = first_claim(root, 0, 1), first_claim(root, 1, 4)
    edit_record(root, 0, 1, relate(other, "supersedes"))
    edit_record(root, 1, 4, relate(one, "supersedes"))


def _unannotated(root: Path) -> None:
    path = sorted((root / "seeds/annotations").glob("articles-*.jsonl"))[1]
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))


@pytest.mark.parametrize(
    ("edit", "found"),
    [
        (_unknown_claim, "unknown claim"),
        (_repeated_article, "duplicate article id"),
        (_cycle, "supersedes relations make a cycle"),
        (_unannotated, "seed has no annotation file"),
    ],
    ids=["unknown claim", "article repeated", "supersedes cycle", "seed without annotation"],
)
def test_an_edit_that_fails_a_check_across_shards_is_found_as_without_the_cache(
    synthetic: Path, tmp_path: Path, edit: Callable[[Path], None], found: str
) -> None:
    edit(synthetic)
    with pytest.raises(InvalidInput) as cached:
        synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    with pytest.raises(InvalidInput) as whole:
        synthetic_release(synthetic, tmp_path / "full", cache=False)
    assert cached.value.problems == whole.value.problems
    assert any(found in p.message for p in whole.value.problems)


def test_a_claim_no_longer_declared_is_found_unknown_where_relations_point_at_it(
    synthetic: Path, tmp_path: Path
) -> None:
    """A relation in a part the edit left alone points at a claim the edited part no longer
    declares."""
    target = first_claim(synthetic, 0, 1)
    edit_record(synthetic, 1, 4, relate(target))
    synthetic_release(synthetic, tmp_path / "related", cache=True)

    def renumber(record: dict[str, Any]) -> None:
        record["claims"][0]["id"] = target.replace("-c001", "-c999")

    edit_record(synthetic, 0, 1, renumber)
    with pytest.raises(InvalidInput) as cached:
        synthetic_release(synthetic, tmp_path / "rebuilt", cache=True)
    with pytest.raises(InvalidInput) as whole:
        synthetic_release(synthetic, tmp_path / "full", cache=False)
    assert cached.value.problems == whole.value.problems
    assert f"unknown claim {target!r}" in [p.message for p in whole.value.problems]


def test_the_places_are_looked_up_again_only_when_the_extract_changes(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GeoNames lookups are kept by what stat says of the extract's files: a rebuild takes
    them from the cache, unless one of the files changed since."""
    [kept] = entries(cached, "gazetteer")
    asked: list[int] = []

    def counted(geonames_id: int) -> GeoName | None:
        asked.append(geonames_id)
        return gazetteer.lookup(geonames_id)

    monkeypatch.setattr(build_cache, "lookup", counted)
    again = released(cached, tmp_path / "again", cache=True)
    assert asked == []
    assert list(entries(cached, "gazetteer")) == [kept]
    copies = []
    for path in gazetteer.extract_files():
        copy = tmp_path / "extract" / Path(path).name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(str(copy))
    time.sleep(RACY_NS / 1e9)  # the copies are older than the build by more than a tick
    monkeypatch.setattr(build_cache, "extract_files", lambda: tuple(copies))
    changed = released(cached, tmp_path / "changed", cache=True)
    assert asked  # each place with a GeoNames id, looked up in the extract again
    assert list(entries(cached, "gazetteer")) not in ([], [kept])
    assert again == changed == released(cached, tmp_path / "full", cache=False)


def test_a_rebuild_does_not_read_the_events_file_that_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its SHA-256, which keys the events registry, is known by what stat says of it, as the
    articles' files are."""
    root = tmp_path / "synthetic"
    generate(root, 12, seed=0, per_file=6)
    time.sleep(RACY_NS / 1e9)  # the files are older than the build by more than a tick
    first = synthetic_release(root, tmp_path / "first", cache=True)
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        read.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    again = synthetic_release(root, tmp_path / "again", cache=True)
    assert root / "seeds/annotations/events.jsonl" not in read
    assert read  # what is read is counted
    monkeypatch.undo()
    assert again == first
