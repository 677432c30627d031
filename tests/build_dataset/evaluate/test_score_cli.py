"""build-dataset score end to end: the committed release against itself, and against a copy of
seeds/annotations with one claim removed and one claimant changed, whose scores follow from
the release's counts; bad folders give one clear message."""

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from ruamel.yaml import YAML

from build_dataset.cli import main
from karabakh_schema import Claim
from tests.records import RELEASE, REPO, committed


def _floats(data: Any) -> list[float | None]:
    """Every score of a JSON report: its floats and nulls (the counts are integers)."""
    if isinstance(data, dict):
        return [x for value in data.values() for x in _floats(value)]
    if isinstance(data, list):
        return [x for value in data for x in _floats(value)]
    return [data] if data is None or isinstance(data, float) else []


def test_the_release_against_itself_scores_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(RELEASE), str(RELEASE), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(_floats(report["overall"])) == {1.0}
    assert set(_floats(report["articles"])) <= {1.0, None}  # None: nothing of a kind to compare
    assert [a["article_id"] for a in report["articles"]] == sorted(a.id for a in committed()[0])


def _removable(claims: list[Claim]) -> Claim:
    """An article's last claim that no relation or event figure refers to, without relations
    of its own, so that removing it leaves the other annotations valid and their relations."""
    events = committed().events
    referred = {r.claim_id for c in claims for r in c.relations}
    referred |= {i for e in events for f in e.figures for i in f.claim_ids}
    last = {c.article_id: c for c in sorted(claims, key=lambda c: c.id)}
    return next(c for c in last.values() if c.id not in referred and not c.relations)


def _edited_copy(tmp_path: Path) -> tuple[Path, Claim, Claim]:
    """seeds/annotations copied, one claim removed, another's claimant changed."""
    folder = tmp_path / "candidate"
    shutil.copytree(REPO / "seeds" / "annotations", folder)
    claims = committed().claims
    removed = _removable(claims)
    changed = next(
        c
        for c in claims
        if c.id != removed.id and c.claimant_span is None and c.quote_type != "unattributed"
    )
    other = next(
        c.claimant.id
        for c in claims
        if c.claimant.id != changed.claimant.id and c.quote_type != "unattributed"
    )
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10_000
    for target, edit in ((removed, "remove"), (changed, "claimant")):
        path = folder / f"{target.article_id}.yaml"
        data = yaml.load(path)
        index = next(i for i, c in enumerate(data["claims"]) if c["id"] == target.id)
        if edit == "remove":
            del data["claims"][index]
        else:
            data["claims"][index]["claimant"] = other
        yaml.dump(data, path)
    return folder, removed, changed


def test_an_edited_annotation_folder_scores_as_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, removed, changed = _edited_copy(tmp_path)
    assert main(["--root", str(REPO), "score", str(RELEASE), str(folder), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    n = len(committed().claims)
    overall = report["overall"]
    for kind in ("exact", "overlap"):
        spans = overall["claims"][kind]
        assert (spans["reference"], spans["candidate"], spans["matched"]) == (n, n - 1, n - 1)
        assert (spans["precision"], spans["recall"]) == (1.0, (n - 1) / n)
        assert spans["f1"] == pytest.approx(2 * (n - 1) / (2 * n - 1))
    assert overall["claims"]["claimant"] == {
        "pairs": n - 1,
        "agree": n - 2,
        "accuracy": (n - 2) / (n - 1),
    }
    assert overall["claims"]["cue"]["accuracy"] == 1.0
    assert overall["relations"]["f1"] == overall["events"]["conll_f1"] == 1.0
    articles = {a["article_id"]: a for a in report["articles"]}
    in_article = sum(c.article_id == removed.article_id for c in committed().claims)
    assert articles[removed.article_id]["claims"]["overlap"]["recall"] == (
        (in_article - 1) / in_article
    )
    assert articles[changed.article_id]["claims"]["claimant"]["accuracy"] < 1.0


def test_the_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(RELEASE), str(RELEASE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["metric", "all"]
    assert any(line.startswith("event mentions CoNLL F1") for line in lines)


def test_an_invalid_annotation_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "candidate"
    shutil.copytree(REPO / "seeds" / "annotations", folder)
    first = committed().claims[0]
    article, claimant = folder / f"{first.article_id}.yaml", first.claimant.id
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(f"claimant: {claimant}", "claimant: no-such-actor"), "utf-8")
    assert main(["--root", str(REPO), "score", str(RELEASE), str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "problem(s); nothing was scored:" in err
    assert f"{article.as_posix()}:" in err and "no-such-actor" in err
    assert "Traceback" not in err


def test_a_folder_of_neither_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(RELEASE), str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"not scored: {tmp_path}: neither a release folder (data/<version>/, with "
        "manifest.json) nor an annotation folder (like seeds/annotations, with actors.yaml)\n"
    )


def test_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["score", str(RELEASE), str(tmp_path / "nothing")])
    assert stop.value.code == 2
    assert "nothing: no such folder" in capsys.readouterr().err


def test_a_candidate_with_an_article_the_reference_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reference: the release without its first article."""
    reference = tmp_path / "reference"
    shutil.copytree(RELEASE, reference)
    dropped = committed().articles[0].id
    for path in reference.glob("articles*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.filter(pc.field("id") != dropped), path)
    assert main(["score", str(reference), str(RELEASE)]) == 1
    assert capsys.readouterr().err.startswith(
        f"not scored: the candidate annotates articles the reference lacks: {dropped}; "
    )


def _self_contained_article() -> str:
    """An article none of whose claims relates to another article's, nor shares an event
    figure with one."""
    records = committed()
    for article in records.articles:
        mine = {c.id for c in records.claims if c.article_id == article.id}
        outward = any(
            r.claim_id not in mine for c in records.claims if c.id in mine for r in c.relations
        )
        shared = any(
            mine & set(f.claim_ids) and not set(f.claim_ids) <= mine
            for e in records.events
            for f in e.figures
        )
        if not outward and not shared:
            return article.id
    pytest.skip("no article stands alone")


def test_a_second_annotation_of_some_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder annotating one article, with its own events.yaml holding that article's
    mentions, is compared on that article alone."""
    chosen = _self_contained_article()
    folder = tmp_path / "agreement"
    folder.mkdir()
    source = REPO / "seeds" / "annotations"
    for name in ("actors.yaml", "places.yaml", f"{chosen}.yaml"):
        shutil.copy(source / name, folder / name)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10_000
    events = yaml.load(source / "events.yaml")
    kept = []
    for event in events["events"]:
        event["mentions"] = [m for m in event["mentions"] if m["article"] == chosen]
        event["figures"] = [
            f for f in event.get("figures", []) if all(i.startswith(chosen) for i in f["claims"])
        ]
        if event["mentions"]:
            kept.append(event)
    events["events"] = kept
    yaml.dump(events, folder / "events.yaml")
    assert main(["--root", str(REPO), "score", str(RELEASE), str(folder), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [a["article_id"] for a in report["articles"]] == [chosen]
    assert set(_floats(report["overall"])) <= {1.0, None}
    assert report["overall"]["claims"]["overlap"]["f1"] == 1.0


def test_a_damaged_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "release"
    shutil.copytree(RELEASE, damaged)
    for path in damaged.glob("claims*.parquet"):
        path.write_bytes(b"not parquet")
    assert main(["score", str(damaged), str(RELEASE)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"not scored: {damaged}: not a release of this schema (")
    assert err.endswith("check it with build-dataset verify, or build it with this build-dataset\n")
