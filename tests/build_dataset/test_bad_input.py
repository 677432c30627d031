"""Every class of bad input gets an exact message naming file, line and field, and leaves the
released data and the card as they were."""

import errno
import hashlib
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

import build_dataset.assemble
from build_dataset.build import build, check
from build_dataset.cli import main
from build_dataset.problems import InvalidInput
from build_dataset.write.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[2]
ARTICLE = "seeds/annotations/003_82aebb510e30787e.yaml"
EVENTS = "seeds/annotations/events.yaml"


def snapshot(root: Path) -> dict[str, str]:
    """Digest of every file a failed build must leave alone."""
    paths = [p for p in (root / "data").rglob("*") if p.is_file()] + [root / "README.md"]
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths
    }


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    shutil.copytree(REPO / "data", tmp_path / "data")
    for name in ("README.md", "DATASHEET.md", "LICENSE.md", "CHANGELOG.md"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def failed_build(root: Path, file: str, edit: Callable[[Path], None]) -> list[str]:
    before = snapshot(root)
    edit(root / file)
    with pytest.raises(InvalidInput) as raised:
        build(root)
    assert snapshot(root) == before
    assert not list((root / "data").glob(".tmp-*"))
    return [str(problem) for problem in raised.value.problems]


def line_of(file: str, text: str) -> int:
    """The 1-based line of the real file where text first stands."""
    return position_of(file, text)[0]


def position_of(file: str, text: str) -> tuple[int, int]:
    """The 1-based line and column (in characters) of the real file where text first stands."""
    content = (REPO / file).read_text(encoding="utf-8")
    at = content.index(text)
    return content[:at].count("\n") + 1, at - content.rfind("\n", 0, at)


L_CLAIMS = line_of(ARTICLE, "\nclaims:\n") + 1
L_FIGURE = line_of(ARTICLE, "claim_type: figure")
# The index of the claim that line belongs to: the claims that start above it, less one.
I_FIGURE = (
    sum(
        line.startswith("  - id: ")
        for line in (REPO / ARTICLE).read_text(encoding="utf-8").splitlines()[:L_FIGURE]
    )
    - 1
)
L_C002 = line_of(ARTICLE, "id: 003_82aebb510e30787e-c002")
L_CEASEFIRE = line_of(ARTICLE, "events: [ev-2023-09-20-ceasefire-agreement]")
L_TWO_PARTIES = line_of(ARTICLE, 'quote: "The two parties')
L_CLAIM_OF_CONTROL = line_of(ARTICLE, 'quote: "Azerbaijan’s claim of control')
L_MENTION = line_of(EVENTS, "{article: 003_82aebb510e30787e,")
L_C011 = line_of(EVENTS, "001_d2d2eb034c79192f-c011,")
L_CRISIS = line_of(EVENTS, "the crisis has resulted in around 200")
ARTICLE_LINES = (REPO / ARTICLE).read_text(encoding="utf-8").count("\n")
ARTICLE_BYTES = len((REPO / ARTICLE).read_bytes())
SEED = "seeds/003_82aebb510e30787e.txt"
L_APOSTROPHE, C_APOSTROPHE = position_of(ARTICLE, "’")
L_SEED_APOSTROPHE, C_SEED_APOSTROPHE = position_of(SEED, "’")
CHANGED_SEED_SHA256 = hashlib.sha256(
    (REPO / SEED).read_bytes().replace(b"Leave a Comment", b"Leave a comment")
).hexdigest()

CASES = {
    "malformed YAML": (
        ARTICLE,
        replace("claims:\n", "claims: [\n"),
        f"{ARTICLE}:{L_CLAIMS + 1}:3: <file>: invalid YAML: did not find expected node content",
    ),
    "unclosed quote": (
        ARTICLE,
        replace('over the contested region"\n', "over the contested region\n"),
        f"{ARTICLE}:{L_CLAIM_OF_CONTROL}:12: <file>: invalid YAML: did not find expected key "
        f"at line {L_CLAIM_OF_CONTROL + 2}, after the quoted string that starts here (a quoted "
        "string may be unclosed)",
    ),
    "duplicate key": (
        ARTICLE,
        replace("  language: en\n", "  language: en\n  language: en\n"),
        f'{ARTICLE}:8:3: <file>: invalid YAML: duplicate key "language" (it is already set at '
        "line 7)",
    ),
    "byte-order mark": (
        ARTICLE,
        lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()),
        f"{ARTICLE}:1:1: <file>: starts with a byte-order mark (save as UTF-8 without a BOM)",
    ),
    "wrong encoding": (
        ARTICLE,
        lambda p: p.write_bytes(p.read_bytes().replace("’".encode(), "’".encode("cp1252"), 1)),
        f"{ARTICLE}:{L_APOSTROPHE}:{C_APOSTROPHE}: <file>: is not UTF-8: byte 0x92 cannot be "
        "decoded (save as UTF-8)",
    ),
    "seed in another encoding": (
        SEED,
        lambda p: p.write_bytes(p.read_bytes().replace("’".encode(), "’".encode("cp1252"), 1)),
        f"{SEED}:{L_SEED_APOSTROPHE}:{C_SEED_APOSTROPHE}: <file>: is not UTF-8: byte 0x92 cannot "
        "be decoded",
    ),
    "CRLF line ends": (
        ARTICLE,
        lambda p: p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n")),
        f"{ARTICLE}:1: <file>: has CRLF (Windows) line ends (save with LF line ends)",
    ),
    "other Unicode normalization": (
        ARTICLE,
        replace(
            "  language: en\n", "  language: en\n  # " + unicodedata.normalize("NFD", "Café\n")
        ),
        f"{ARTICLE}:8: <file>: is not in Unicode NFC, the normalization form of the seeds "
        "(normalize it to NFC (copy quotes from the seed file))",
    ),
    "unknown field": (
        ARTICLE,
        replace("  language: en\n", "  language: en\n  langauge: en\n"),
        f"{ARTICLE}:8:3: article.langauge: Extra inputs are not permitted "
        "(remove the field or correct its name)",
    ),
    "wrong type": (
        ARTICLE,
        replace("  language: en\n", "  language: 5\n"),
        f"{ARTICLE}:7:3: article.language: Input should be a valid string",
    ),
    "wrong vocabulary value": (
        ARTICLE,
        replace("claim_type: figure", "claim_type: figures"),
        f"{ARTICLE}:{L_FIGURE}:5: claims[{I_FIGURE}].claim_type: Input should be 'event_report', "
        "'figure', 'plan', 'agreement_terms', 'position', 'accusation', 'denial', 'evaluation' "
        "or 'background' (use one of the values listed)",
    ),
    "impossible date": (
        ARTICLE,
        replace('value: "2023-09-21/2023-09-26"', 'value: "2023-02-30"'),
        f"{ARTICLE}:9:5: article.publication_date.value: day is out of range for month",
    ),
    "date in another form": (
        ARTICLE,
        replace('value: "2023-09-21/2023-09-26"', 'value: "09/2023"'),
        f"{ARTICLE}:9:5: article.publication_date.value: '09/2023' is not a date in a form the "
        "dataset takes (write YYYY, YYYY-MM or YYYY-MM-DD, with a two-digit month and day, or an "
        "interval A/B of two of those with the same precision: 2023, 2023-09, 2023-09-20, "
        "2023-09-19/2023-09-20)",
    ),
    "out-of-range date": (
        ARTICLE,
        replace('value: "2023-09-21/2023-09-26"', 'value: "2023-13"'),
        f"{ARTICLE}:9:5: article.publication_date.value: month must be in 1..12",
    ),
    "duplicate id": (
        ARTICLE,
        replace("id: 003_82aebb510e30787e-c002", "id: 003_82aebb510e30787e-c001"),
        f"{ARTICLE}:{L_C002}:5: claims[1].id: duplicate claim id '003_82aebb510e30787e-c001' "
        f"(it is first declared at {ARTICLE}:{L_CLAIMS + 1})",
    ),
    "unknown event": (
        ARTICLE,
        replace(
            "events: [ev-2023-09-20-ceasefire-agreement]",
            "events: [ev-2023-09-20-ceasefire-agrement]",
        ),
        f"{ARTICLE}:{L_CEASEFIRE}:14: "
        "claims[3].events[0]: unknown event 'ev-2023-09-20-ceasefire-agrement' (known ids, "
        "closest first: ev-2023-09-20-ceasefire-agreement, ...",
    ),
    "unknown article": (
        EVENTS,
        replace("{article: 003_82aebb510e30787e,", "{article: 003_82aebb510e30787f,"),
        f"{EVENTS}:{L_MENTION}:10: "
        "events[0].mentions[11].article: unknown article "
        "'003_82aebb510e30787f' (known ids, closest first: 003_82aebb510e30787e, ...",
    ),
    "unknown claim": (
        EVENTS,
        replace("001_d2d2eb034c79192f-c011,", "001_d2d2eb034c79192f-c111,"),
        f"{EVENTS}:{L_C011}:18: "
        "events[0].figures[0].claims[0]: unknown claim "
        "'001_d2d2eb034c79192f-c111' (known ids, closest first: 001_d2d2eb034c79192f-c011, ...",
    ),
    "missing quote": (
        ARTICLE,
        replace(
            'quote: "The two parties engaged in their initial',
            'quote: "The two parties engaged in their first',
        ),
        f"{ARTICLE}:{L_TWO_PARTIES}:5: claims[1].quote: "
        "quote not found in the text (closest text: 'The "
        "two parties engaged in their initial direct peace discussions on Thursday, following "
        "Azerbaijan’s claim of control over the contested regio')",
    ),
    "ambiguous quote": (
        ARTICLE,
        replace(
            'quote: "Azerbaijan’s claim of control over the contested region"',
            'quote: "Azerbaijan"',
        ),
        f"{ARTICLE}:{L_CLAIM_OF_CONTROL}:5: "
        "claims[2].quote: quote occurs 11 times (add 'occurrence: N' with N "
        "from 1 to 11, or quote more words)",
    ),
    "mentions overlapping badly": (
        EVENTS,
        replace(
            '{article: 003_82aebb510e30787e, quote: "the crisis has resulted in around 200 '
            'casualties"}',
            '{article: 003_82aebb510e30787e, quote: "the crisis has resulted in around 200 '
            'casualties"}\n      - {article: 003_82aebb510e30787e, quote: "around 200 '
            'casualties."}',
        ),
        f"{EVENTS}:{L_CRISIS + 1}:41: "
        "events[0].mentions[14].quote: mention overlaps another mention of "
        "this event ('the crisis has resulted in around 200 casualties') without containing it "
        "or being contained (merge the two quotes into one mention, or make them disjoint)",
    ),
    "id escaping the folder": (
        ARTICLE,
        replace("  id: 003_82aebb510e30787e\n", "  id: ../../etc/passwd\n"),
        f"{ARTICLE}:3:3: article.id: String should match pattern '^[0-9]{{3}}_[0-9a-f]{{16}}$'",
    ),
    "alias bomb": (
        ARTICLE,
        lambda p: p.write_text(
            p.read_text(encoding="utf-8")
            + "".join(
                f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9) if i else 'lol'}]\n"
                for i in range(12)
            ),
            encoding="utf-8",
        ),
        f"{ARTICLE}:{ARTICLE_LINES + 2}:10: x1[0]: YAML anchors and aliases are not allowed",
    ),
    "very large file": (
        ARTICLE,
        lambda p: p.write_text(p.read_text(encoding="utf-8") + "#" * 3_000_000 + "\n"),
        f"{ARTICLE}: <file>: is {ARTICLE_BYTES + 3_000_001} bytes, over the 2097152 byte "
        "limit for an annotation file (split it, or check the file)",
    ),
    "seed changed after annotation": (
        SEED,
        replace("Leave a Comment", "Leave a comment"),
        f"{ARTICLE}:4:3: article.sha256: {SEED} changed since it was "
        f"annotated (its sha256 is now {CHANGED_SEED_SHA256}) (restore the seed, or re-check "
        "every quote against the new text and update sha256)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_exactly_and_changes_nothing(checkout: Path, case: str) -> None:
    file, edit, expected = CASES[case]
    problems = failed_build(checkout, file, edit)
    # A hint ending in ', ...' is compared up to there: what follows grows with the corpus.
    prefix = expected.endswith(", ...") and problems[0].startswith(expected.removesuffix("..."))
    assert problems[0] == expected or prefix, problems[0]


def test_validate_reports_json_for_bots(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace("  language: en\n", "  language: 5\n")(checkout / ARTICLE)
    assert main(["--root", str(checkout), "validate", "--format", "json"]) == 1
    report = capsys.readouterr().out
    assert '"valid": false' in report
    assert '"field": "article.language"' in report and '"line": 7' in report


@pytest.mark.parametrize(
    "failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]
)
def test_a_build_failing_while_writing_leaves_data_as_it_was(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    shutil.rmtree(checkout / "data" / DATASET_VERSION)
    before = snapshot(checkout)
    written = []

    def write_then_fail(path: Path, data: bytes) -> None:
        if written:
            raise failure
        written.append(path)
        path.write_bytes(data[: len(data) // 2])

    # The main process writes each shard's parts, as the shard step returns them.
    monkeypatch.setattr(build_dataset.assemble, "write_new", write_then_fail)
    with pytest.raises(type(failure)):
        build(checkout)
    assert snapshot(checkout) == before
    assert sorted(p.name for p in (checkout / "data").iterdir()) == sorted(
        p.name for p in (REPO / "data").iterdir() if p.name != DATASET_VERSION
    )


def test_a_span_beyond_the_end_of_the_text_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = REPO / "tests/fixtures/importers/brat/003_82aebb510e30787e"
    export = tmp_path / "export"
    export.mkdir()
    shutil.copy(fixture.with_suffix(".txt"), export / "003_82aebb510e30787e.txt")
    text = (export / "003_82aebb510e30787e.txt").read_text(encoding="utf-8")
    ann = export / "003_82aebb510e30787e.ann"
    ann.write_text(f"T1\tCLAIM {len(text) - 5} {len(text) + 20}\tpopulation fears\n")
    before = snapshot(checkout)
    args = ["--root", str(checkout), "import", "--from", "brat", str(ann)]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"not imported: {ann}: line 1 (T1): span [{len(text) - 5}, {len(text) + 20}) is not a "
        f"non-empty stretch of the text ({len(text)} characters)\n"
    )
    assert snapshot(checkout) == before


def test_what_the_builder_does_not_read_is_reported_and_hidden_files_are_left_alone(
    checkout: Path,
) -> None:
    annotations = checkout / "seeds" / "annotations"
    (annotations / "drafts.yaml").mkdir()
    (annotations / ".#003_82aebb510e30787e.yaml").symlink_to("an editor's lock")
    with pytest.raises(InvalidInput) as raised:
        check(checkout)
    assert [str(p) for p in raised.value.problems] == [
        "seeds/annotations/drafts.yaml: <file>: is not read: annotation files go directly in the "
        "folder (move its files into seeds/annotations, or the folder out of it)"
    ]


def test_a_checkout_without_annotations_is_told_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    with pytest.raises(InvalidInput) as raised:
        check(tmp_path)
    missing = {p.file for p in raised.value.problems if p.message == "file is missing"}
    assert missing == {f"seeds/annotations/{name}.yaml" for name in ("actors", "places", "events")}
