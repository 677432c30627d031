"""The synthetic benchmark corpus is valid, covered, deterministic and shaped as specified, and
its injected errors are exactly the problems the validator reports."""

import hashlib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest

from bench.synthetic import Summary, generate, main
from build_dataset.build import check
from build_dataset.check.coverage import format_coverage
from build_dataset.cli import MAX_REPORTED
from build_dataset.cli import main as build_dataset
from build_dataset.problems import InvalidInput
from karabakh_schema.values import ARTICLE_ID_PATTERN
from karabakh_schema.vocabularies import ClaimType
from tests.records import Records, Release, read_records, write_release

REPO = Path(__file__).resolve().parents[2]

ARTICLES = 30
SHARD = 12  # articles a shard: three shards, checked in two worker processes
VERSION = "0.0.0"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    out = tmp_path_factory.mktemp("synthetic")
    return out, generate(out, ARTICLES, seed=0, per_file=12)


@pytest.fixture(scope="module")
def built(corpus: tuple[Path, Summary], tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The corpus checked and its tables written outside the corpus folder, which keeps only
    what was generated."""
    data_dir = tmp_path_factory.mktemp("synthetic-data")
    return write_release(corpus[0], data_dir, VERSION, workers=2, articles_per_shard=SHARD)


@pytest.fixture(scope="module")
def dataset(built: Release) -> Records:
    """The released rows as records, each validated by its model."""
    return read_records(built.release_dir)


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def annotation_lines(root: Path) -> list[dict[str, Any]]:
    """The article annotations of the corpus, one a line of its JSON Lines files."""
    return [
        json.loads(line)
        for path in sorted((root / "seeds" / "annotations").glob("articles-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_the_corpus_validates_and_the_summary_counts_it(
    corpus: tuple[Path, Summary], built: Release, dataset: Records
) -> None:
    out, summary = corpus
    assert len(dataset.articles) == summary.articles == ARTICLES
    assert len(dataset.claims) == summary.claims
    assert len(dataset.events) == summary.events
    assert built.assembled.rows == {
        "articles": summary.articles,
        "claims": summary.claims,
        "events": summary.events,
    }
    assert sum(len(e.mentions) for e in dataset.events) == summary.mentions
    assert sum(len(c.relations) for c in dataset.claims) == summary.relations
    assert sum(len(e.figures) for e in dataset.events) == summary.figures > 0
    # Every skipped expression of the annotations is in its article's clean text (one that is
    # not fails the check), and the summary counts them all.
    clean = {article.id: article.clean_text for article in dataset.articles}
    lines = annotation_lines(out)
    assert len(lines) == ARTICLES
    skipped = [(line["article"]["id"], skip["text"]) for line in lines for skip in line["skipped"]]
    assert all(text in clean[article_id] for article_id, text in skipped)
    assert len(skipped) == summary.skipped > 0
    assert summary.annotation_files == 3  # 12 + 12 + 6 articles
    assert summary.invalid == []


def test_every_number_and_date_is_normalized_or_skipped(built: Release) -> None:
    report = built.assembled.coverage
    assert report.articles == len(report.entries) == ARTICLES
    uncovered = [entry for entry in report.entries if entry.uncovered]
    assert not uncovered, "\n" + format_coverage(uncovered)


def test_claims_mentions_and_paragraphs_as_specified(dataset: Records) -> None:
    per_article = Counter(claim.article_id for claim in dataset.claims)
    assert all(15 <= per_article[article.id] <= 25 for article in dataset.articles)
    mentions = Counter(m.article_id for e in dataset.events for m in e.mentions)
    assert all(1 <= mentions[article.id] <= 4 for article in dataset.articles)
    assert 2.5 <= sum(mentions.values()) / ARTICLES <= 3.5
    for event in dataset.events:
        reporting = [m.article_id for m in event.mentions]
        assert 1 <= len(reporting) == len(set(reporting)) <= 3
    for article in dataset.articles:
        paragraphs = article.clean_text.split("\n\n")[1:]  # after the headline
        assert 8 <= len(paragraphs) <= 12, article.id
    kinds = {claim.claim_type for claim in dataset.claims}
    assert kinds == set(get_args(ClaimType))
    assert {r.type for c in dataset.claims for r in c.relations} >= {
        "supersedes",
        "different_scope",
        "contradicts",
    }


def test_site_chrome_is_there_to_be_cleaned(dataset: Records) -> None:
    rules = Counter(s.rule for a in dataset.articles for s in a.removed_segments)
    assert rules["outlet-masthead"] == ARTICLES
    assert rules["also-read-teaser"] >= ARTICLES
    assert {"published-dateline", "share-prompt", "summary-prompt"} <= set(rules)
    for article in dataset.articles:
        assert article.title is not None and article.clean_text.startswith(article.title)


def test_seed_files(corpus: tuple[Path, Summary]) -> None:
    out, _ = corpus
    seeds = sorted((out / "seeds").glob("*.txt"))
    assert len(seeds) == ARTICLES
    for path in seeds:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        assert re.fullmatch(ARTICLE_ID_PATTERN, path.stem)
        assert path.stem.endswith(hashlib.sha256(raw).hexdigest()[:16])
        assert "\r" not in text and unicodedata.is_normalized("NFC", text)
    for name in ("seeds/annotations/actors.yaml", "seeds/annotations/places.yaml", "README.md"):
        assert (out / name).read_bytes() == (REPO / name).read_bytes()


def test_same_arguments_same_bytes(corpus: tuple[Path, Summary], tmp_path: Path) -> None:
    out, summary = corpus
    again = generate(tmp_path / "again", ARTICLES, seed=0, per_file=12)
    assert again == summary
    assert files(tmp_path / "again") == files(out)
    other = generate(tmp_path / "other", ARTICLES, seed=1, per_file=12)
    assert files(tmp_path / "other") != files(out)
    assert 15 * ARTICLES <= other.claims <= 25 * ARTICLES


def test_worker_processes_do_not_change_the_bytes(tmp_path: Path) -> None:
    articles = 320  # two chunks of groups
    one = generate(tmp_path / "one", articles, seed=3, invalid=3, workers=1)
    two = generate(tmp_path / "two", articles, seed=3, invalid=3, workers=2)
    assert one == two
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_injected_errors_are_the_problems_reported(
    corpus: tuple[Path, Summary], tmp_path: Path
) -> None:
    out, _ = corpus
    summary = generate(tmp_path, ARTICLES, seed=0, invalid=4, per_file=12)
    assert len(summary.invalid) == 4
    assert len({(file, line) for file, line, _ in summary.invalid}) == 4  # spread out
    fields = {re.sub(r"claims\[\d+\]\.|\[\d+\]", "", field) for _, _, field in summary.invalid}
    assert fields == {"quote", "events", "claim_type", "id"}
    with pytest.raises(InvalidInput) as raised:
        check(tmp_path, VERSION)
    problems = raised.value.problems
    assert sorted((p.file, p.line, p.field) for p in problems) == sorted(summary.invalid)
    # Only the spoiled lines differ from the valid corpus of the same seed.
    valid, spoiled = files(out), files(tmp_path)
    assert valid.keys() == spoiled.keys()
    changed = {
        (name, number)
        for name in valid
        for number, (a, b) in enumerate(
            zip(valid[name].splitlines(), spoiled[name].splitlines(), strict=True), start=1
        )
        if a != b
    }
    assert changed == {(file, line) for file, line, _ in summary.invalid}


def test_errors_of_every_kind(tmp_path: Path) -> None:
    summary = generate(tmp_path, ARTICLES, seed=5, invalid=8)
    kinds = Counter(re.sub(r"claims\[\d+\]\.|\[\d+\]", "", f) for _, _, f in summary.invalid)
    assert kinds == {"quote": 2, "events": 2, "claim_type": 2, "id": 2}
    with pytest.raises(InvalidInput) as raised:
        check(tmp_path, VERSION)
    found = sorted((p.file, p.line, p.field) for p in raised.value.problems)
    assert found == sorted(summary.invalid)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus"
    assert main([str(out), "--articles", "4", "--seed", "2", "--per-file", "3"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["articles"] == 4 and printed["annotation_files"] == 2
    assert main([str(out), "--articles", "4"]) == 1
    assert "exists" in capsys.readouterr().err
    assert main([str(out), "--articles", "5", "--invalid", "1", "--force"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["articles"] == 5 and len(printed["invalid"]) == 1
    assert len(list((out / "seeds").glob("*.txt"))) == 5


def test_invalid_records_at_scale_are_located_capped_and_summarized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = generate(tmp_path, 240, seed=3, invalid=MAX_REPORTED + 20)
    assert build_dataset(["--root", str(tmp_path), "validate"]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == f"{MAX_REPORTED + 20} problem(s); nothing was written:"
    reported = [line for line in lines[1 : MAX_REPORTED + 1]]
    assert all(
        re.match(r"  seeds/annotations/articles-\d+\.jsonl:\d+: claims\[", r) for r in reported
    )
    assert lines[MAX_REPORTED + 1] == "  ... and 20 more; per file:"
    per_file = Counter(file for file, _, _ in summary.invalid)
    assert lines[MAX_REPORTED + 2 :] == [f"  {f}: {n}" for f, n in sorted(per_file.items())]
