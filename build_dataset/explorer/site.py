"""Writing the explorer: a release folder read (its Parquet files, decoded by their own
features, never the YAML), the page data and the static files written into a staged folder
that then takes the place of --out."""

import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from build_dataset.documents.about import PRETTY_NAME
from build_dataset.explorer.pages import Release, site_pages
from build_dataset.files import FileRefused, replace_folder, staged_folder, write_new
from build_dataset.release_diff import NotARelease, decoded_tables
from build_dataset.write.changelog import ChangelogProblem, read_changelog, version_problems
from build_dataset.write.release import MANIFEST, released_versions, sha256_file

MARKER = ".build-dataset-explore"
"""A file every site holds, so that a later run recognizes the folder as one it made, which
it may replace; any other folder that is not empty is refused."""
STATIC = ("explorer.js", "explorer.css")
FIRST_VIEW = ("index.html", *STATIC, "data/meta.js", "data/articles/0.js")
"""The files a browser loads to show the first view, which the page-weight budget counts."""
TABLES = ("articles", "claims", "events")


class NotExplorable(Exception):
    """A version that is not a release the explorer can show."""


def read_release(root: Path, version: str) -> Release:
    """The release data/<version> of root, checked against its manifest and CHANGELOG.md
    first, as verify checks it, so that the checksum the site states vouches for its data."""
    data_dir = root / "data"
    folder = data_dir / version
    if not folder.is_dir() or not (folder / MANIFEST).is_file():
        known = ", ".join(released_versions(data_dir)) or "none"
        raise NotExplorable(f"{version} is not a release under {data_dir} (releases: {known})")
    try:
        entries = read_changelog(root)
    except ChangelogProblem as error:
        raise NotExplorable(str(error)) from None
    problems = version_problems(entries, data_dir, version)
    if problems:
        raise NotExplorable(f"{'; '.join(problems)}; see build-dataset verify")
    try:
        tables = decoded_tables(folder)
    except NotARelease as error:
        raise NotExplorable(str(error)) from None
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise NotExplorable(f"{folder}: the release holds no {' or '.join(missing)} table")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    entry = entries.get(version)
    return Release(
        version=version,
        release_date=manifest.get("release_date"),
        manifest_sha256=sha256_file(folder / MANIFEST),
        recorded=entry is not None and entry.released,
        articles=tables["articles"],
        claims=tables["claims"],
        events=tables["events"],
    )


def check_out(out: Path) -> None:
    """--out is a new or empty folder, or a site this command made (it holds MARKER): a
    folder whose contents would be lost otherwise is refused, and so is a link."""
    if out.is_symlink():
        raise FileRefused(f"{out} is a link; nothing is written through it: give a folder")
    if not out.exists():
        return
    if not out.is_dir():
        raise FileRefused(f"{out} is not a folder; give a new or empty folder")
    marker = out / MARKER
    if any(out.iterdir()) and (marker.is_symlink() or not marker.is_file()):
        raise FileRefused(
            f"{out} is not empty and is not a site build-dataset explore made (it has no "
            f"{MARKER}); give a new or empty folder, so that nothing in it is lost"
        )


def script(key: str, data: Any) -> bytes:
    """A data file: a script that hands its data to the explorer (no fetch, so file:// works)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"KCE.put({json.dumps(key)},{body});\n".encode()


def index_page(release: Release) -> bytes:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("build_dataset.explorer", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    page = environment.get_template("index.html").render(
        title=PRETTY_NAME,
        version=release.version,
        release_date=release.release_date,
        manifest_sha256=release.manifest_sha256,
        recorded=release.recorded,
        counts={
            "articles": f"{len(release.articles):,}",
            "claims": f"{len(release.claims):,}",
            "events": f"{len(release.events):,}",
        },
    )
    return page.encode("utf-8")


def write_site(release: Release, out: Path) -> int:
    """The site of release in out; returns the number of files written."""
    check_out(out)
    staged = staged_folder(out)
    try:
        write_new(staged / "index.html", index_page(release))
        static = files("build_dataset.explorer") / "static"
        for name in STATIC:
            write_new(staged / name, static.joinpath(name).read_bytes())
        written = 1 + len(STATIC)
        for key, data in site_pages(release):
            write_new(staged / "data" / f"{key}.js", script(key, data))
            written += 1
        marker = {"version": release.version, "manifest_sha256": release.manifest_sha256}
        write_new(staged / MARKER, (json.dumps(marker) + "\n").encode())
        check_out(out)  # again: another process may have filled it meanwhile
        replace_folder(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return written + 1
