"""Croissant metadata of the committed release, checked and loaded by mlcroissant itself."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from build_dataset.croissant import croissant_metadata
from build_dataset.version import DATASET_VERSION
from schema import RECORD_MODELS
from schema.columns import Column, model_columns

ROOT = Path(__file__).resolve().parents[2]
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


def _metadata(rai: dict[str, str] = RAI) -> dict[str, object]:
    return croissant_metadata(
        DATA_DIR,
        DATASET_VERSION,
        name="karabakh-ceasefire-claims",
        description="Claims and events in news coverage of the 2023 Karabakh ceasefire.",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        url="https://example.org/karabakh-ceasefire-claims",
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
    assert [rs["@id"] for rs in jsonld["recordSet"]] == list(RECORD_MODELS)
    for table, model in RECORD_MODELS.items():
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
