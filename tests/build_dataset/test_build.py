"""Whole builds of the real seeds and annotations into temporary checkouts."""

import json
import shutil
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
from datasets import ClassLabel, Features, List, Value
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard

from build_dataset.build import BuildResult, build
from build_dataset.cli import main
from build_dataset.documents.card import split_name
from build_dataset.evaluate.annotation_folder import AGREEMENT_DIR
from build_dataset.problems import InvalidInput
from build_dataset.write.changelog import read_changelog
from build_dataset.write.release import (
    SECOND_ANNOTATION,
    ReleasedVersionChanged,
    released_versions,
    sha256_file,
    verify_release,
)
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import RECORD_MODELS
from karabakh_schema.json_schema import SCHEMA_FILES
from karabakh_schema.vocabularies import ClaimType, RelationType
from tests.checkout import copy_checkout, release_current

REPO = Path(__file__).resolve().parents[2]
CONFIGS = tuple(RECORD_MODELS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_checkout(tmp_path_factory.mktemp("checkout")))


def release_files(release_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release_dir.iterdir())}


def test_manifest_matches_files(built: BuildResult) -> None:
    files = built.manifest["files"]
    assert isinstance(files, dict)
    second = [f"{SECOND_ANNOTATION}_{kind}" for kind in ("claims", "events")]
    tables = [*CONFIGS, *(second if (REPO / AGREEMENT_DIR).is_dir() else [])]
    assert sorted(files) == sorted(f"{name}.parquet" for name in tables)
    for name, info in files.items():
        path = built.release_dir / name
        assert info["sha256"] == sha256_file(path)
        assert info["bytes"] == path.stat().st_size
        assert info["rows"] == pq.read_metadata(path).num_rows > 0
    on_disk = json.loads((built.release_dir / "manifest.json").read_text())
    assert on_disk == built.manifest
    assert on_disk["version"] == DATASET_VERSION
    assert built.manifest_sha256 == sha256_file(built.release_dir / "manifest.json")
    # A released version's rebuild gave the manifest CHANGELOG.md records, or it was refused.
    assert built.draft is (read_changelog(REPO)[DATASET_VERSION].manifest_sha256 is None)


def test_rebuild_is_byte_identical(built: BuildResult, tmp_path: Path) -> None:
    again = build(copy_checkout(tmp_path))
    assert release_files(again.release_dir) == release_files(built.release_dir)
    root = built.release_dir.parents[1]
    assert (tmp_path / "README.md").read_bytes() == (root / "README.md").read_bytes()


@pytest.mark.parametrize(
    "document",
    ["README.md", "DATASHEET.md", "CITATION.cff", "croissant.json"]
    + [f"schema/{name}" for name in SCHEMA_FILES],
)
def test_committed_release_and_documents_are_what_the_build_gives(
    built: BuildResult, document: str
) -> None:
    committed = REPO / "data" / DATASET_VERSION
    assert release_files(committed) == release_files(built.release_dir), "run `make build`"
    root = built.release_dir.parents[1]
    assert (REPO / document).read_text() == (root / document).read_text(), "run `make build`"


def load(root: Path, config: str, cache: Path, version: str = DATASET_VERSION) -> datasets.Dataset:
    split = split_name(version)
    loaded = datasets.load_dataset(str(root), config, split=split, cache_dir=str(cache))
    assert isinstance(loaded, datasets.Dataset)
    return loaded


def test_load_dataset_gives_typed_joinable_configs(built: BuildResult, tmp_path: Path) -> None:
    root = built.release_dir.parents[1]
    articles, claims, events = (load(root, name, tmp_path) for name in CONFIGS)
    files = built.manifest["files"]
    assert isinstance(files, dict)
    for name, table in zip(CONFIGS, (articles, claims, events), strict=True):
        assert table.num_rows == files[f"{name}.parquet"]["rows"]

    features = claims.features
    assert features["claim_type"] == ClassLabel(names=list(ClaimType.__args__))
    assert features["span"] == {
        "start": Value("int64"),
        "end": Value("int64"),
        "text": Value("string"),
    }
    assert isinstance(features["dates"], List)
    assert features["dates"].feature["start"] == Value("date32")
    assert isinstance(features["quantities"].feature["measure"], ClassLabel)
    assert features["relations"].feature["type"] == ClassLabel(names=list(RelationType.__args__))
    assert articles.features["publication_date"]["date"]["start"] == Value("date32")
    assert isinstance(events.features["figures"].feature["measure"], ClassLabel)

    article_text = {row["id"]: row["clean_text"] for row in articles}
    event_ids = set(events["id"])
    for claim in claims:
        span = claim["span"]
        assert article_text[claim["article_id"]][span["start"] : span["end"]] == span["text"]
        assert set(claim["event_ids"]) <= event_ids
    for event in events:
        for mention in event["mentions"]:
            text = article_text[mention["article_id"]]
            assert (
                text[mention["span"]["start"] : mention["span"]["end"]] == mention["span"]["text"]
            )


def test_every_event_figure_states_only_bounds_its_claims_state(
    built: BuildResult, tmp_path: Path
) -> None:
    """A figure's low and high are bounds that one of its claims states (a low or high, or an
    exact number), and best is a number one of them states: "at least 32" never becomes a
    high. Holds for any corpus."""
    root = built.release_dir.parents[1]
    claims, events = load(root, "claims", tmp_path), load(root, "events", tmp_path)
    qualifier = claims.features["quantities"].feature["qualifier"].int2str
    measure_name = claims.features["quantities"].feature["measure"].int2str
    quantities = {row["id"]: row["quantities"] for row in claims}
    figure_measure = events.features["figures"].feature["measure"].int2str
    for event in events:
        for figure in event["figures"]:
            measure = figure_measure(figure["measure"])
            stated = [
                q
                for claim_id in figure["claim_ids"]
                for q in quantities[claim_id]
                if measure_name(q["measure"]) == measure
            ]
            exact = {q["value"] for q in stated if qualifier(q["qualifier"]) == "exact"}
            if figure["low"] is not None:
                assert figure["low"] in {q["low"] for q in stated} | exact, (event["id"], figure)
            if figure["high"] is not None:
                assert figure["high"] in {q["high"] for q in stated} | exact, (event["id"], figure)
            numbers = {x for q in stated for x in (q["value"], q["low"], q["high"])}
            assert figure["best"] in numbers, (event["id"], figure)


def test_the_built_files_give_their_features_and_the_card_does_not_repeat_them(
    built: BuildResult,
) -> None:
    """`datasets` reads a built file's features, class labels included, from its own metadata
    (its Arrow schema is theirs), so the card leaves them out."""
    root = built.release_dir.parents[1]
    card = DatasetCard.load(root / "README.md")
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    for name in CONFIGS:
        schema = pq.read_schema(built.release_dir / f"{name}.parquet")
        stored = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
        assert Features.from_arrow_schema(schema) == Features.from_dict(stored)
        assert name not in infos and f"{name}-v{DATASET_VERSION}" not in infos


def break_first_claim_quote(root: Path) -> Path:
    annotation = root / "seeds/annotations/001_d2d2eb034c79192f.yaml"
    lines = annotation.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith("quote:"))
    lines[index] = lines[index].replace('quote: "', 'quote: "Zz ', 1)
    annotation.write_text("".join(lines), encoding="utf-8")
    return annotation


def test_invalid_input_names_file_line_and_field_and_writes_nothing(
    built: BuildResult, tmp_path: Path
) -> None:
    root = built.release_dir.parents[1]
    broken = copy_checkout(tmp_path)
    shutil.copytree(root / "data", broken / "data", dirs_exist_ok=True)
    before = release_files(broken / "data" / DATASET_VERSION)
    readme = (broken / "README.md").read_bytes()
    break_first_claim_quote(broken)
    with pytest.raises(InvalidInput) as raised:
        build(broken)
    [problem] = raised.value.problems
    assert problem.file == "seeds/annotations/001_d2d2eb034c79192f.yaml"
    assert problem.line is not None and problem.field == "claims[0].quote"
    assert problem.message == "quote not found in the text"
    assert release_files(broken / "data" / DATASET_VERSION) == before
    assert (broken / "README.md").read_bytes() == readme
    assert sorted(p.name for p in (broken / "data").iterdir()) == released_versions(REPO / "data")


def test_cli_exit_codes_and_report(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = built.release_dir.parents[1]
    assert main(["--root", str(root), "validate"]) == 0
    broken = copy_checkout(tmp_path)
    break_first_claim_quote(broken)
    assert main(["--root", str(broken), "validate"]) == 1
    err = capsys.readouterr().err
    assert "seeds/annotations/001_d2d2eb034c79192f.yaml:" in err
    assert "claims[0].quote: quote not found in the text (" in err
    with pytest.raises(SystemExit) as usage:
        main(["--root", str(root), "no-such-command"])
    assert usage.value.code == 2


def test_changed_seed_fails_against_its_recorded_checksum(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    seed = root / "seeds/003_82aebb510e30787e.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Leave a Comment", b"Leave a comment"))
    with pytest.raises(InvalidInput) as raised:
        build(root)
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == (
        "seeds/annotations/003_82aebb510e30787e.yaml",
        "article.sha256",
    )
    assert problem.line == 4
    assert problem.message.startswith(
        "seeds/003_82aebb510e30787e.txt changed since it was annotated"
    )
    assert not (root / "data" / DATASET_VERSION).exists()


def test_seeds_are_byte_identical_to_the_shared_originals() -> None:
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared/seeds beside this checkout")
    originals = sorted(p.name for p in shared.glob("*.txt"))
    assert originals
    for name in originals:  # the corpus may have grown beyond them
        assert (REPO / "seeds" / name).read_bytes() == (shared / name).read_bytes()


def test_a_released_version_is_never_rewritten(built: BuildResult, tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    release_current(root)
    shutil.copytree(built.release_dir.parent, root / "data", dirs_exist_ok=True)
    claims = root / "data" / DATASET_VERSION / "claims.parquet"
    claims.write_bytes(claims.read_bytes() + b"\0")
    tampered = release_files(root / "data" / DATASET_VERSION)
    with pytest.raises(ReleasedVersionChanged) as raised:
        build(root)
    assert str(raised.value) == (
        f"data/{DATASET_VERSION} is released, and this build gives the manifest CHANGELOG.md "
        "records, but the folder holds other claims.parquet: it was changed since; restore it "
        f"(git checkout -- data/{DATASET_VERSION}), or delete it and build again"
    )
    assert release_files(root / "data" / DATASET_VERSION) == tampered


def test_verify_passes_on_the_release_and_fails_on_a_tampered_copy(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify_release(built.release_dir) == []
    assert main(["--root", str(REPO), "verify"]) == 0
    shutil.copytree(built.release_dir.parent, tmp_path / "data")
    events = tmp_path / "data" / DATASET_VERSION / "events.parquet"
    data = bytearray(events.read_bytes())
    data[100] ^= 0xFF
    events.write_bytes(bytes(data))
    (tmp_path / "data" / DATASET_VERSION / "extra.csv").write_text("x\n")
    assert verify_release(tmp_path / "data" / DATASET_VERSION) == [
        f"{events}: sha256 differs from the manifest",
        f"{tmp_path / 'data' / DATASET_VERSION / 'extra.csv'}: not in the manifest",
    ]
    assert main(["--root", str(tmp_path), "verify", DATASET_VERSION]) == 1
    assert "sha256 differs" in capsys.readouterr().err


def test_every_released_version_loads_by_its_pinned_config(
    built: BuildResult, tmp_path: Path
) -> None:
    for version in released_versions(REPO / "data"):
        files = json.loads((REPO / "data" / version / "manifest.json").read_text())["files"]
        for name in CONFIGS:
            loaded = load(REPO, f"{name}-v{version}", tmp_path, version)
            assert loaded.num_rows == files[f"{name}.parquet"]["rows"]


def test_validate_one_file_reports_its_problems_and_none_from_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy_checkout(tmp_path)
    break_first_claim_quote(broken)
    article = broken / "seeds/annotations/001_d2d2eb034c79192f.yaml"
    other = broken / "seeds/annotations/003_82aebb510e30787e.yaml"
    assert main(["--root", str(broken), "validate", str(other)]) == 0
    assert capsys.readouterr().out.startswith(
        "valid: seeds/annotations/003_82aebb510e30787e.yaml\n003_82aebb510e30787e: "
    )
    assert main(["--root", str(broken), "validate", str(article), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["file"], p["field"], p["message"]) for p in report["problems"]] == [
        (
            "seeds/annotations/001_d2d2eb034c79192f.yaml",
            "claims[0].quote",
            "quote not found in the text",
        )
    ]
