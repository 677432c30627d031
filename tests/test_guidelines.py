"""The worked examples in ANNOTATION_GUIDELINES.md are the data, word for word."""

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "seeds" / "annotations"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def examples() -> list[Any]:
    text = (REPO / "ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8")
    return [load(block) for block in BLOCK.findall(text)]


def annotation_files() -> dict[str, Any]:
    return {
        path.stem: load(path.read_text(encoding="utf-8")) for path in ANNOTATIONS.glob("*.yaml")
    }


def claims_by_id(files: dict[str, Any]) -> dict[str, Any]:
    return {
        claim["id"]: claim
        for name, data in files.items()
        if "claims" in data
        for claim in data["claims"] or []
    }


def assert_contained(example: Any, actual: Any, where: str) -> None:
    """Every field the example shows has the value the data has."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        for key, value in example.items():
            assert_contained(value, actual.get(key), f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list) and len(actual) >= len(example), where
        for index, value in enumerate(example):
            assert_contained(value, actual[index], f"{where}[{index}]")
    else:
        assert example == actual, f"{where}: guidelines say {example!r}, data has {actual!r}"


def test_guidelines_have_examples() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize("index", range(len(examples())))
def test_example_matches_the_data(index: int) -> None:
    example = examples()[index]
    files = annotation_files()
    if isinstance(example, dict) and "skipped" in example:
        skipped = [s for data in files.values() for s in data.get("skipped") or []]
        for entry in example["skipped"]:
            assert entry in skipped
        return
    if isinstance(example, dict) and "article" in example:
        articles = {
            data["article"]["id"]: data["article"] for data in files.values() if "article" in data
        }
        article_id = example["article"]["id"]
        assert article_id in articles, f"no article {article_id}"
        assert_contained(example["article"], articles[article_id], article_id)
        return
    assert isinstance(example, list)
    for item in example:
        if "measure" in item:
            figures = [f for event in files["events"]["events"] for f in event.get("figures") or []]
            matching = [f for f in figures if f["scope"] == item["scope"]]
            assert matching, f"no figure with scope {item['scope']!r}"
            assert_contained(item, matching[0], "figure")
        else:
            claims = claims_by_id(files)
            assert item["id"] in claims, f"no claim {item['id']}"
            assert_contained(item, claims[item["id"]], item["id"])
