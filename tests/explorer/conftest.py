"""The explorer in a real browser: the site of the current release, written by the command
itself, opened from file:// in Debian's Chromium (/usr/bin/chromium, which `make test`
installs) driven by Playwright, which downloads no browser. Every request that is not for a
file is refused and recorded, so a test fails if the site reaches for the network."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from datasets import Features
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

from bench.chromium import CHROMIUM, FLAGS
from build_dataset.cli import main
from build_dataset.write.release import table_files
from build_dataset.write.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[2]
RELEASE = REPO / "data" / DATASET_VERSION
SCREENSHOTS = REPO / "site-screenshots"
"""Every view the tests open, for review (ignored by git); the two README shows are in
docs/screenshots, written by test_explorer_screenshots.py."""

Row = dict[str, Any]


def _decoded(value: Any, feature: Any) -> Any:
    """A value with its class labels named, by the datasets library's own features."""
    if hasattr(feature, "int2str") and isinstance(value, int):
        return feature.int2str(value)
    if isinstance(feature, dict) and isinstance(value, dict):
        return {k: _decoded(v, feature.get(k)) for k, v in value.items()}
    inner = getattr(feature, "feature", None)
    if isinstance(feature, list):
        inner = feature[0]
    if inner is not None and isinstance(value, list):
        return [_decoded(v, inner) for v in value]
    return value


def parquet_rows(table: str, release: Path = RELEASE) -> list[Row]:
    """A table's rows as the Parquet files hold them, labels named by the features that
    datasets reads from each file (not by the explorer's own reader)."""
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    rows: list[Row] = []
    for name in table_files(manifest["files"], table):
        data = pq.read_table(release / name)
        features = Features.from_arrow_schema(data.schema)
        rows += [_decoded(row, dict(features)) for row in data.to_pylist()]
    return rows


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the current release, written by build-dataset explore."""
    out = tmp_path_factory.mktemp("explorer") / "site"
    assert main(["--root", str(REPO), "explore", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield launched
    launched.close()


@dataclass
class Visit:
    """A page of the site, and what it did that no test wants: requests off the machine,
    script errors."""

    page: Page
    site: Path
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, fragment: str) -> Page:
        """The site at #fragment, once its view is drawn."""
        url = (self.site / "index.html").as_uri() + "#" + fragment
        if self.page.url.startswith((self.site / "index.html").as_uri()):
            self.page.evaluate("(hash) => { location.hash = hash; }", fragment)
        else:
            self.page.goto(url)
        self.wait(fragment.split("/")[0].split("?")[0] or "articles")
        return self.page

    def wait(self, view: str) -> None:
        self.page.wait_for_function(
            "(view) => window.KCE && KCE.status.ready && KCE.status.view === view"
            " && KCE.status.hash === location.hash",
            arg=view,
        )

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=False)
        return path


@pytest.fixture
def visit(browser: Browser, site: Path) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = Visit(page, site)

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            seen.refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    yield seen
    context.close()
    assert seen.refused == [], "the site asked for the network"
    assert seen.errors == [], "the site raised script errors"
