"""The explorer's quality bar: no accessibility violation axe-core finds (its own script, as
axe-playwright-python ships it from PyPI), a claim's details reached by keyboard alone, the page
weight budget README.md states, and the screenshots README.md shows, taken here."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, Visit, parquet_rows

from build_dataset.explorer.site import FIRST_VIEW
from build_dataset.files import write_atomic

OFFENSIVE = "ev-2023-09-19-azerbaijan-offensive-nagorno-karabakh"
README = REPO / "README.md"
README_SHOTS = {
    "article-view": "docs/screenshots/article-view.png",
    "disagreement-view": "docs/screenshots/disagreement-view.png",
}


def _views() -> list[str]:
    claims = parquet_rows("claims")
    richest = max(claims, key=lambda c: (len(c["relations"]) + len(c["quantities"]), c["id"]))
    return [
        "articles",
        f"article/{richest['article_id']}",
        f"claim/{richest['id']}",
        f"article/{richest['article_id']}?by=type",
        "events",
        f"event/{OFFENSIVE}",
        "figures",
        f"figure/{OFFENSIVE}",
        "pairs",
        f"find?type={richest['claim_type']}",
    ]


@pytest.mark.parametrize("fragment", _views())
def test_axe_finds_no_violation(visit: Visit, fragment: str) -> None:
    """Every rule of axe-core's default set (WCAG 2 A and AA, contrast included) runs; none is
    excluded. preload is off: from file:// the style sheet is of another origin to axe, which
    would fetch it to read it as CSSOM, a request the site itself never makes; only the
    css-orientation-lock rule reads that, and the style sheet locks no orientation."""
    page = visit.open(fragment)
    if fragment.startswith("find"):
        page.wait_for_function("document.getElementById('main').dataset.results === 'complete'")
    results = Axe().run(
        page, context="html", options={"resultTypes": ["violations"], "preload": False}
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert violations == []
    assert results.response["testEngine"]["version"].startswith("4.")
    checked = {rule["id"] for rule in results.response["passes"]}
    assert {"color-contrast", "link-name", "landmark-one-main"} <= checked


def test_a_claims_details_are_reached_by_keyboard_alone(visit: Visit) -> None:
    article = parquet_rows("articles")[0]["id"]
    page = visit.open(f"article/{article}")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.id") == "skip"
    page.keyboard.press("Enter")  # to the text's first claim
    focused = page.evaluate("document.activeElement.dataset.claim || ''")
    assert focused.startswith(article)
    page.keyboard.press("Tab")  # the next claim
    second = page.evaluate("document.activeElement.dataset.claim || ''")
    assert second.startswith(article) and second != focused
    page.keyboard.press("Enter")
    visit.wait("claim")
    assert page.evaluate("location.hash") == f"#claim/{second}"
    assert page.evaluate("document.activeElement.id") == "details-title"
    assert second in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Tab")  # into the details: the first link there
    assert page.evaluate("document.getElementById('details').contains(document.activeElement)")
    for _ in range(60):  # Tab through the details to their last link
        if page.evaluate("document.activeElement.textContent") == "back to the claim in the text":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.claim") == second


def test_views_are_reached_from_the_navigation_by_keyboard(visit: Visit) -> None:
    page = visit.open("articles")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Disagreements":
            break
    page.keyboard.press("Enter")
    visit.wait("figures")
    assert page.evaluate("document.activeElement.id") == "view-title"


def _budget() -> tuple[int, int]:
    """The budget README.md states: the whole site of the current release, and its first
    view, in KB (1,000 bytes)."""
    text = README.read_text(encoding="utf-8")
    stated = r"Page weight budget: the whole site of the current release at most ([0-9,]+) KB, "
    stated += r"its first view at most ([0-9,]+) KB"
    found = re.search(stated.replace(" ", r"\s+"), text)
    assert found, "README.md states the explorer's page weight budget"
    whole, first = (int(g.replace(",", "")) * 1000 for g in found.groups())
    return whole, first


def test_the_site_keeps_to_its_page_weight_budget(site: Path) -> None:
    whole, first = _budget()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total <= whole, f"the site is {total:,} bytes"
    opened = sum((site / name).stat().st_size for name in FIRST_VIEW)
    assert opened <= first, f"the first view is {opened:,} bytes"


def test_the_first_view_loads_only_what_the_budget_counts(visit: Visit) -> None:
    loaded: list[str] = []
    visit.page.on("request", lambda r: loaded.append(r.url))
    visit.open("articles")
    root = visit.site.as_uri() + "/"
    assert sorted(u.removeprefix(root).split("#")[0] for u in loaded) == sorted(FIRST_VIEW)


def test_screenshots_of_the_article_and_disagreement_views(visit: Visit) -> None:
    """The two README.md shows, from the real site, and one of each view for review."""
    article = parquet_rows("articles")[1]["id"]
    claims = [c for c in parquet_rows("claims") if c["article_id"] == article]
    claim = min((c for c in claims if c["event_ids"]), key=lambda c: c["span"]["start"])
    visit.page.set_viewport_size({"width": 1280, "height": 1000})
    visit.open(f"claim/{claim['id']}")
    visit.page.evaluate("window.scrollTo(0, 0)")
    write_atomic(REPO, REPO / README_SHOTS["article-view"], visit.page.screenshot())
    visit.open(f"figure/{OFFENSIVE}")
    write_atomic(REPO, REPO / README_SHOTS["disagreement-view"], visit.page.screenshot())
    for name, fragment in (
        ("articles", "articles"),
        ("events", "events"),
        ("event", f"event/{OFFENSIVE}"),
        ("pairs", "pairs"),
        ("find", f"find?type={claim['claim_type']}"),
        ("article-by-type", f"article/{article}?by=type"),
    ):
        visit.open(fragment)
        assert visit.shot(name).stat().st_size > 0


def test_readme_shows_the_committed_screenshots() -> None:
    text = README.read_text(encoding="utf-8")
    for path in README_SHOTS.values():
        assert (REPO / path).is_file()
        assert (REPO / path).read_bytes().startswith(b"\x89PNG")
        assert f"]({path})" in text
