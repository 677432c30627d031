"""The worked examples in ANNOTATION_GUIDELINES.md are the data, word for word: claims by id,
events by an id starting 'ev-' (checked against events.yaml), event figures by scope."""

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
    events = {event["id"]: event for event in files["events"]["events"]}
    for item in example:
        if "measure" in item:
            figures = [f for event in events.values() for f in event.get("figures") or []]
            matching = [f for f in figures if f["scope"] == item["scope"]]
            assert matching, f"no figure with scope {item['scope']!r}"
            assert_contained(item, matching[0], "figure")
        elif item["id"].startswith("ev-"):
            assert item["id"] in events, f"no event {item['id']}"
            assert_contained(item, events[item["id"]], item["id"])
        else:
            claims = claims_by_id(files)
            assert item["id"] in claims, f"no claim {item['id']}"
            assert_contained(item, claims[item["id"]], item["id"])


def registry() -> Any:
    return load((ANNOTATIONS / "actors.yaml").read_text(encoding="utf-8"))


def actors() -> list[Any]:
    return registry()["actors"]


def test_the_guidelines_name_every_context_dependent_reference() -> None:
    """§8 lists the references that name different actors in different sentences, which
    actors.yaml lets a claimant_text be (the builder checks every other one is a spelling)."""
    section = (REPO / "ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8")
    section = section[section.index("## 8. Actors") : section.index("## 9. Events")]
    assert all(f'"{reference}"' in section for reference in registry()["context_dependent"])


def test_one_spelling_names_one_actor_and_occurs_in_an_article() -> None:
    texts = [path.read_text(encoding="utf-8") for path in (REPO / "seeds").glob("*.txt")]
    owners: dict[str, list[str]] = {}
    for actor in actors():
        for variant in actor["variants"]:
            owners.setdefault(variant, []).append(actor["id"])
    assert {v: ids for v, ids in owners.items() if len(ids) > 1} == {}
    assert [v for v in owners if v in registry()["context_dependent"]] == []
    assert [v for v in owners if not any(v in text for text in texts)] == []
