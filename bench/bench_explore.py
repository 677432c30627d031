"""The explorer at scale: a synthetic corpus (bench/synthetic.py) released into WORK/data, its
site written by build-dataset explore into WORK/site, and measured in Debian's Chromium from
file://: the first page's load, an article and a claim opened by their fragment, an event
found by id, and find over every claim. Prints figures; it is not a test.

    python -m bench.bench_explore WORK --articles 50000

The corpus is released by build_dataset.build.release_data, the tables alone, as
bench/bench_build.py does: `build-dataset --root WORK build` also writes the documents, whose
agreement section annotates the corpus with the baseline, and that refuses a corpus of 1,000
articles or more (its events.yaml passes the 2 MB limit of an annotation file). A corpus
already released in WORK is reused."""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from bench.chromium import CHROMIUM, FLAGS
from bench.synthetic import generate
from build_dataset.build import release_data
from build_dataset.explorer.site import FIRST_VIEW
from build_dataset.write.changelog import CHANGELOG, heading
from build_dataset.write.release import MANIFEST
from build_dataset.write.version import DATASET_VERSION, RELEASE_DATE


def release_corpus(work: Path, articles: int) -> dict[str, Any]:
    """The synthetic corpus of that many articles, released as a draft of DATASET_VERSION."""
    if (work / "data" / DATASET_VERSION / MANIFEST).is_file():
        return {"release_wall_s": "reused"}
    generate(work, articles)
    entry = f"# Changelog\n\n{heading(DATASET_VERSION, RELEASE_DATE)}\n\nSynthetic corpus.\n"
    (work / CHANGELOG).write_text(entry, encoding="utf-8")
    started = time.perf_counter()
    release_data(work, work / "data", DATASET_VERSION, RELEASE_DATE, None)
    return {"release_wall_s": round(time.perf_counter() - started, 1)}


def write_site(root: Path, version: str, out: Path) -> dict[str, Any]:
    """build-dataset explore in its own process: wall time and peak RSS."""
    command = [sys.executable, "-m", "build_dataset.cli", "--root", str(root), "explore"]
    started = time.perf_counter()
    subprocess.run([*command, "--version", version, "--out", str(out)], check=True)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "explore_wall_s": round(wall, 1),
        "explore_peak_rss_mib": round(peak),
        "files": len(files),
        "site_mib": round(sum(p.stat().st_size for p in files) / 2**20, 1),
        "first_view_kib": round(sum((out / n).stat().st_size for n in FIRST_VIEW) / 1024, 1),
        "largest_file_kib": round(max(p.stat().st_size for p in files) / 1024, 1),
    }


def _drawn(page: Page, view: str) -> None:
    page.wait_for_function(
        "(view) => window.KCE && KCE.status.ready && KCE.status.view === view"
        " && KCE.status.hash === location.hash",
        arg=view,
        timeout=600_000,
    )


def _timed(page: Page, fragment: str) -> float:
    """Milliseconds from setting the fragment to the view drawn."""
    started = time.perf_counter()
    page.evaluate("(hash) => { location.hash = hash; }", fragment)
    _drawn(page, fragment.split("/")[0].split("?")[0])
    return round((time.perf_counter() - started) * 1000, 1)


def measure(site: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """The views' times in the browser, each from a page already open on the site."""
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        page.goto((site / "index.html").as_uri() + "#articles")
        _drawn(page, "articles")
        figures: dict[str, Any] = {
            "first_page_ms": round((time.perf_counter() - started) * 1000, 1),
            "dom_content_loaded_ms": round(
                page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                ),
                1,
            ),
        }
        last_page = meta["pages"]["articles"] - 1
        figures["last_article_page_ms"] = _timed(page, f"articles/{last_page}")
        last = page.evaluate(f"KCE.cache.get('articles/{last_page}').slice(-1)[0]")
        figures["article_ms"] = _timed(page, f"article/{last['id']}")
        claim = f"{last['id']}-{last['claims'][-1][0]}"
        figures["claim_in_open_article_ms"] = _timed(page, f"claim/{claim}")
        figures["events_page_ms"] = _timed(page, "events")
        event = page.evaluate("KCE.cache.get('events/t0').events.slice(-1)[0].id")
        figures["event_by_id_ms"] = _timed(page, f"event/{event}")
        figures["figures_page_ms"] = _timed(page, "figures")
        figures["pairs_page_ms"] = _timed(page, "pairs")
        rare = meta["actors"][-1][0]
        for name, query in (
            ("find_claim_type", f"type={meta['claim_types'][0]}"),
            ("find_rare_actor", f"actor={rare}"),
            ("find_relation", f"relation={meta['relation_types'][0]}"),
            ("find_article", f"article={last['id']}"),
        ):
            page.evaluate("() => { KCE.cache = new Map(); }")  # every page read again
            _timed(page, f"find?{query}")
            page.wait_for_function(
                "document.getElementById('main').dataset.results === 'complete'",
                timeout=600_000,
            )
            found = page.evaluate("KCE.status.find")
            figures[f"{name}_first_results_ms"] = round(found["first"], 1)
            figures[f"{name}_all_ms"] = round(found["all"], 1)
            figures[f"{name}_matches"] = found["matches"]
        browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_explore", description=__doc__)
    parser.add_argument("work", type=Path, help="a new folder, or one this script filled before")
    parser.add_argument("--articles", type=int, required=True, help="articles in the corpus")
    args = parser.parse_args(argv)
    work, site = args.work.resolve(), args.work.resolve() / "site"
    released = release_corpus(work, args.articles)
    written = write_site(work, DATASET_VERSION, site)
    meta_js = (site / "data" / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta_js[meta_js.index(",") + 1 : meta_js.rindex(")")])
    figures = {"counts": meta["counts"], **released, **written, **measure(site, meta)}
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
