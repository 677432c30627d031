"""Croissant metadata of the committed release, checked and loaded by mlcroissant itself."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any, cast

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from build_dataset.documents.about import DATA_LICENCES
from build_dataset.documents.croissant import croissant_metadata
from build_dataset.write.release import (
    released_tables,
    sha256_file,
    shard_names,
    table_kind,
    write_parquet,
)
from build_dataset.write.version import DATASET_VERSION
from karabakh_schema import RECORD_MODELS
from karabakh_schema.columns import Column, model_columns

ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = ROOT / "data" / DATASET_VERSION
MANIFEST = json.loads((DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
RAI = {
    "dataCollection": "News articles about the September 2023 ceasefire, collected as text.",
    "dataCollectionType": "Web scraping",
    "dataAnnotationProtocol": "See ANNOTATION_GUIDELINES.md.",
    "dataAnnotationPlatform": "YAML files in the repository.",
    "dataBiases": "Coverage is skewed towards outlets publishing in English.",
    "dataLimitations": "A small sample of articles.",
    "personalSensitiveInformation": "Names of public officials.",
    "dataUseCases": "Claim extraction and attribution.",
    "dataSocialImpact": "Helps compare conflicting reports of a conflict.",
    "dataReleaseMaintenancePlan": "Semantic versions; each release is tagged.",
    "annotatorDemographics": "Project maintainers.",
}


def _metadata(
    rai: dict[str, str] = RAI, data_dir: Path = DATA_DIR, version: str = DATASET_VERSION
) -> dict[str, object]:
    return croissant_metadata(
        data_dir,
        version,
        name="karabakh-ceasefire-claims",
        description="Claims and events in news coverage of the 2023 Karabakh ceasefire.",
        licences=DATA_LICENCES,
        url="https://example.org/karabakh-ceasefire-claims",
        same_as=["https://example.org/source"],
        creators=["Karabakh ceasefire claims contributors"],
        creator_url="https://example.org/source",
        cite_as="@misc{karabakh2024, title={Karabakh ceasefire claims}}",
        date_published="2024-05-01",
        rai=rai,
    )


def _write(folder: Path, jsonld: dict[str, object]) -> Path:
    """croissant.json in folder, with the repository's data/ at the relative content URLs."""
    if not (folder / "data").exists():
        (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
    path = folder / "croissant.json"
    path.write_text(json.dumps(jsonld, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def jsonld() -> dict[str, Any]:
    return _metadata()


@pytest.fixture(scope="module")
def croissant_path(jsonld: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("croissant"), jsonld)


@pytest.fixture(scope="module")
def dataset(croissant_path: Path) -> Any:
    return mlc.Dataset(jsonld=croissant_path)


def _record_set(jsonld: dict[str, Any], table: str) -> dict[str, Any]:
    return next(rs for rs in jsonld["recordSet"] if rs["@id"] == table)


def test_mlcroissant_validates_without_issues(dataset: Any) -> None:
    issues = dataset.metadata.ctx.issues
    assert not issues.errors
    assert not issues.warnings


CLI = Path(sys.executable).parent / "mlcroissant"


@pytest.mark.skipif(not CLI.exists(), reason="mlcroissant CLI not installed next to python")
def test_mlcroissant_cli_validates(croissant_path: Path) -> None:
    done = subprocess.run(
        [str(CLI), "validate", "--jsonld", str(croissant_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "error" not in output.lower()
    assert "warning" not in output.lower()


def test_header_files_and_rai(jsonld: dict[str, Any], dataset: Any) -> None:
    assert jsonld["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert jsonld["@context"]["rai"] == "http://mlcommons.org/croissant/RAI/"
    assert jsonld["version"] == DATASET_VERSION
    files = {f["contentUrl"]: f for f in jsonld["distribution"]}
    assert set(files) == {f"data/{DATASET_VERSION}/{name}" for name in MANIFEST["files"]}
    for name, entry in MANIFEST["files"].items():
        file_object = files[f"data/{DATASET_VERSION}/{name}"]
        assert file_object["sha256"] == entry["sha256"]
        assert file_object["encodingFormat"] == "application/x-parquet"
    for key, text in RAI.items():
        assert text in (jsonld[f"rai:{key}"], [jsonld[f"rai:{key}"]]), key
    assert dataset.metadata.data_biases == [RAI["dataBiases"]]
    assert dataset.metadata.data_social_impact == RAI["dataSocialImpact"]


def test_unknown_rai_property_is_rejected() -> None:
    with pytest.raises(ValueError, match="dataBias"):
        _metadata({"dataBias": "typo"})


def test_output_is_deterministic(jsonld: dict[str, Any]) -> None:
    again = _metadata()
    assert json.dumps(again, sort_keys=False) == json.dumps(jsonld, sort_keys=False)


def _check_fields(fields: list[dict[str, Any]], columns: tuple[Column, ...], prefix: str) -> None:
    """The fields mirror the model columns, recursively, with the right shapes."""
    assert [f["name"] for f in fields] == [c.name for c in columns]
    for field, column in zip(fields, columns, strict=True):
        ctype = column.type
        assert field["@id"] == f"{prefix}/{column.name}"
        assert field.get("repeated", False) == (ctype.kind == "list")
        inner = ctype.item if ctype.kind == "list" and ctype.item is not None else ctype
        assert field["description"].startswith(column.description)
        if inner.kind == "struct":
            assert "dataType" not in field
            _check_fields(field["subField"], inner.fields, field["@id"])
        else:
            assert "subField" not in field
            assert field["source"]["fileObject"]["@id"] == f"{prefix.split('/')[0]}-parquet"
        if inner.kind == "label":
            ids = ", ".join(f"{i}={label}" for i, label in enumerate(inner.labels))
            assert field["dataType"] == "sc:Integer"
            assert field["description"].endswith(f"Class ids: {ids}.")


def test_fields_are_derived_from_the_models(jsonld: dict[str, Any]) -> None:
    tables = released_tables(MANIFEST["files"])
    assert [rs["@id"] for rs in jsonld["recordSet"]] == tables
    assert tables[: len(RECORD_MODELS)] == list(RECORD_MODELS)
    for table in tables:
        model = RECORD_MODELS[table_kind(table)]
        record_set = _record_set(jsonld, table)
        names = {f["name"] for f in record_set["field"]}
        assert names == {c.name for c in model_columns(model)}
        _check_fields(record_set["field"], model_columns(model), table)

    claims = {f["name"]: f for f in _record_set(jsonld, "claims")["field"]}
    span = {sub["name"]: sub for sub in claims["span"]["subField"]}
    assert set(span) == {"start", "end", "text"}
    assert span["start"]["dataType"] == "sc:Integer"
    assert span["start"]["source"]["extract"] == {"column": "span"}
    assert span["start"]["source"]["transform"] == {"jsonPath": "start"}
    assert claims["quantities"]["repeated"] is True
    assert claims["event_ids"]["repeated"] is True
    events = {f["name"]: f for f in _record_set(jsonld, "events")["field"]}
    date = {sub["name"]: sub for sub in events["date"]["subField"]}
    assert date["start"]["dataType"] == "sc:Date"
    assert date["precision"]["description"].endswith("Class ids: 0=day, 1=month, 2=year.")


def test_records_load_and_round_trip(dataset: Any) -> None:
    for table in RECORD_MODELS:
        records = list(dataset.records(table))
        assert len(records) == MANIFEST["files"][f"{table}.parquet"]["rows"], table

    rows = pq.read_table(DATA_DIR / "claims.parquet").to_pylist()
    first = next(iter(dataset.records("claims")))
    assert first["claims/id"].decode() == rows[0]["id"]
    assert first["claims/span"]["claims/span/start"] == rows[0]["span"]["start"]
    assert first["claims/span"]["claims/span/text"].decode() == rows[0]["span"]["text"]
    assert first["claims/claim_type"] == rows[0]["claim_type"]
    assert [e.decode() for e in first["claims/event_ids"]] == rows[0]["event_ids"]

    events = pq.read_table(DATA_DIR / "events.parquet").to_pylist()
    event = next(iter(dataset.records("events")))
    figures = event["events/figures"]
    assert [f["events/figures/best"] for f in figures] == [f["best"] for f in events[0]["figures"]]
    assert [[c.decode() for c in f["events/figures/claim_ids"]] for f in figures] == [
        f["claim_ids"] for f in events[0]["figures"]
    ]


def test_tampered_sha256_fails_loading(jsonld: dict[str, Any], tmp_path: Path) -> None:
    tampered = json.loads(json.dumps(jsonld))
    claims_file = next(f for f in tampered["distribution"] if f["@id"] == "claims-parquet")
    claims_file["sha256"] = "0" * 64
    dataset = mlc.Dataset(jsonld=_write(tmp_path, tampered))
    with pytest.raises(mlc.GenerationError) as failure:
        next(iter(dataset.records("claims")))
    causes, error = [], failure.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__ or error.__context__
    assert any("Hash of downloaded file" in cause for cause in causes), causes


def test_committed_croissant_json_validates_and_loads() -> None:
    dataset = mlc.Dataset(jsonld=ROOT / "croissant.json")
    claims = list(dataset.records(record_set="claims"))
    assert len(claims) == MANIFEST["files"]["claims.parquet"]["rows"]
    metadata = json.loads((ROOT / "croissant.json").read_text(encoding="utf-8"))
    assert {"rai:dataAnnotationProtocol", "rai:dataBiases"} <= set(metadata)


def test_committed_croissant_json_has_every_property_croissant_1_0_requires() -> None:
    """The Croissant 1.0 specification, "Dataset-level Information", lists as required
    @context, @type (sc:Dataset), dct:conformsTo, description, license, name, url, creator and
    datePublished, and distribution as a required addition; mlcroissant validates without url
    and creator, so each is checked here."""
    metadata = json.loads((ROOT / "croissant.json").read_text(encoding="utf-8"))
    assert metadata["@context"]["@vocab"] == "https://schema.org/"
    assert metadata["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert metadata["@type"] == "sc:Dataset"
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert metadata["description"].strip() and metadata["name"].strip()
    licences = metadata["license"]
    assert isinstance(licences, list) and licences
    for licence in licences:
        assert licence["@type"] == "sc:CreativeWork"
        assert licence["url"].startswith("https://") and licence["name"].strip()
    assert metadata["url"].startswith("https://")
    creators = metadata["creator"]
    for creator in creators if isinstance(creators, list) else [creators]:
        assert creator["@type"] in ("sc:Organization", "sc:Person") and creator["name"].strip()
    assert date.fromisoformat(metadata["datePublished"])
    assert {f["@type"] for f in metadata["distribution"]} <= {"cr:FileObject", "cr:FileSet"}
    assert metadata["distribution"]
    # citeAs is a BibTeX entry, as the specification recommends, that leads to the data.
    assert metadata["citeAs"].startswith("@misc{") and metadata["citeAs"].endswith("}")
    assert f"version = {{{DATASET_VERSION}}}" in metadata["citeAs"]
    assert f"url     = {{{metadata['url']}/tree/v{DATASET_VERSION}}}" in metadata["citeAs"]


SHARDED_VERSION = "9.9.9"
SHARDS = {"articles": 1, "claims": 3, "events": 2}  # one table in one file, two in shards


def _write_sharded_release(root: Path, shards: dict[str, int] = SHARDS) -> Path:
    """data/<SHARDED_VERSION>/ under root: the committed tables cut into shards, and a manifest
    of the same shape as the builder's."""
    release_dir = root / "data" / SHARDED_VERSION
    release_dir.mkdir(parents=True)
    files = {}
    for table, count in shards.items():
        rows = pq.read_table(DATA_DIR / f"{table}.parquet")
        size = -(-rows.num_rows // count)
        for index, file_name in enumerate(shard_names(table, count)):
            path = release_dir / file_name
            write_parquet(rows.slice(index * size, size), path)
            files[file_name] = {
                "bytes": path.stat().st_size,
                "rows": pq.ParquetFile(path).metadata.num_rows,
                "sha256": sha256_file(path),
            }
    manifest = {
        "version": SHARDED_VERSION,
        "release_date": MANIFEST["release_date"],
        "schema_fingerprint": MANIFEST["schema_fingerprint"],
        "files": files,
    }
    (release_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    )
    return release_dir


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A checkout-like folder holding a sharded release (real files: mlcroissant finds a
    FileSet's files by walking the folder of croissant.json, which skips symlinked folders)
    and croissant.json, and that JSON-LD."""
    root = tmp_path_factory.mktemp("sharded")
    release_dir = _write_sharded_release(root)
    jsonld = _metadata(data_dir=release_dir, version=SHARDED_VERSION)
    _write(root, jsonld)
    return release_dir, cast(dict[str, Any], jsonld)


def test_sharded_release_files(sharded: tuple[Path, dict[str, Any]]) -> None:
    release_dir, jsonld = sharded
    files = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))["files"]
    file_objects = {f["@id"]: f for f in jsonld["distribution"] if f["@type"] == "cr:FileObject"}
    assert {f["contentUrl"] for f in file_objects.values()} == {
        f"data/{SHARDED_VERSION}/{name}" for name in files
    }
    for name, entry in files.items():
        file_object = file_objects[f"{name.removesuffix('.parquet')}-parquet"]
        assert file_object["contentUrl"] == f"data/{SHARDED_VERSION}/{name}"
        assert file_object["contentSize"] == f"{entry['bytes']} B"
        assert file_object["sha256"] == entry["sha256"]
        assert file_object["encodingFormat"] == "application/x-parquet"
    file_sets = {f["@id"]: f for f in jsonld["distribution"] if f["@type"] == "cr:FileSet"}
    assert set(file_sets) == {"claims-parquet", "events-parquet"}
    for table in ("claims", "events"):
        assert (
            file_sets[f"{table}-parquet"]["includes"] == f"data/{SHARDED_VERSION}/{table}-*.parquet"
        )
        assert file_sets[f"{table}-parquet"]["encodingFormat"] == "application/x-parquet"
        assert "containedIn" not in file_sets[f"{table}-parquet"]
    assert "articles-parquet" in file_objects  # the one-file table stays a FileObject
    for table in RECORD_MODELS:
        field = _record_set(jsonld, table)["field"][0]
        kind = "fileSet" if SHARDS[table] > 1 else "fileObject"
        assert field["source"] == {
            kind: {"@id": f"{table}-parquet"},
            "extract": {"column": field["name"]},
        }


def test_sharded_release_validates_and_loads_every_record(
    sharded: tuple[Path, dict[str, Any]],
) -> None:
    release_dir, _ = sharded
    dataset = mlc.Dataset(jsonld=release_dir.parents[1] / "croissant.json")
    assert not dataset.metadata.ctx.issues.errors
    assert not dataset.metadata.ctx.issues.warnings
    for table, count in SHARDS.items():
        shard_ids = [
            row_id
            for file_name in shard_names(table, count)
            for row_id in pq.read_table(release_dir / file_name, columns=["id"])["id"].to_pylist()
        ]
        records = list(dataset.records(table))
        assert [r[f"{table}/id"].decode() for r in records] == shard_ids, table
    rows = pq.read_table(DATA_DIR / "claims.parquet").to_pylist()
    claims = list(dataset.records("claims"))
    assert len(claims) == len(rows)
    last = claims[-1]
    assert last["claims/span"]["claims/span/text"].decode() == rows[-1]["span"]["text"]
    assert [e.decode() for e in last["claims/event_ids"]] == rows[-1]["event_ids"]


def test_table_without_files_is_rejected(tmp_path: Path) -> None:
    release_dir = _write_sharded_release(tmp_path, {"articles": 1, "events": 2})
    with pytest.raises(ValueError, match=r"lists no \['claims.parquet'\]"):
        _metadata(data_dir=release_dir, version=SHARDED_VERSION)


def test_missing_shard_is_rejected(tmp_path: Path) -> None:
    release_dir = _write_sharded_release(tmp_path)
    manifest_path = release_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["files"]["claims-00001-of-00003.parquet"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing \['claims-00001-of-00003\.parquet'\]"):
        _metadata(data_dir=release_dir, version=SHARDED_VERSION)
