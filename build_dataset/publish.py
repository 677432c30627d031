"""Publishing a verified release to the Hugging Face Hub: one commit, tagged vX.Y.Z."""

import shutil
from pathlib import Path

from huggingface_hub import CommitOperationAdd, HfApi

from build_dataset.about import LICENSE_FILE
from build_dataset.build import CITATION, CROISSANT, DATASHEET, README
from build_dataset.changelog import (
    CHANGELOG,
    ChangelogProblem,
    checked_versions,
    read_changelog,
    version_problems,
)
from build_dataset.commit import JOURNAL, interrupted
from build_dataset.files import inside
from build_dataset.release import released_versions

DOCUMENTS = (README, DATASHEET, CITATION, CROISSANT, LICENSE_FILE, CHANGELOG)


class NotPublishable(Exception):
    pass


def release_files(root: Path, version: str) -> dict[str, Path]:
    """Path in the Hub repo -> local file: the card and documents, and every released version's
    data (the card's pinned configs point at all of them). Refuses unless all verify, and
    unless CHANGELOG.md records every version as released: a tag on the Hub is for bytes that
    will not change, which a draft's may."""
    if interrupted(root):
        raise NotPublishable(
            f"a build stopped while it put a release in place ({JOURNAL} is left): build "
            "again to finish it, then publish"
        )
    versions = released_versions(root / "data")
    if version not in versions:
        raise NotPublishable(f"data/{version} is not built; run `make build` first")
    try:
        entries = read_changelog(root)
    except ChangelogProblem as error:
        raise NotPublishable(str(error)) from None
    drafts = [v for v in versions if v in entries and not entries[v].released]
    if drafts:
        raise NotPublishable(
            f"{', '.join(drafts)} is a draft: record its manifest's SHA-256 under its entry in "
            f"{CHANGELOG} (the build prints the line), commit, then publish"
        )
    checked = checked_versions(entries, root / "data")  # as verify: a released one gone too
    problems = [p for v in checked for p in version_problems(entries, root / "data", v)]
    if problems:
        raise NotPublishable("the release does not verify:\n" + "\n".join(problems))
    files = {name: root / name for name in DOCUMENTS}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise NotPublishable(f"missing {', '.join(missing)}; run `make build`")
    for v in versions:
        for path in sorted((root / "data" / v).iterdir()):
            files[f"data/{v}/{path.name}"] = path
    outside = [name for name, path in files.items() if not inside(root, path)]
    if outside:
        raise NotPublishable(
            f"{', '.join(outside)} leads outside the repository; replace the link with the file"
        )
    return files


def stage(files: dict[str, Path], folder: Path) -> None:
    """Lay the upload out as the Hub repo will hold it (to load it before publishing). An
    empty folder only, so that no file left from another upload is loaded with it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NotPublishable(f"{folder} is not an empty folder; stage into a new folder")
    for path_in_repo, path in files.items():
        target = folder / path_in_repo
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def publish(api: HfApi, root: Path, repo_id: str, version: str) -> str:
    """Upload the release in one commit and tag it; returns the commit id."""
    files = release_files(root, version)
    operations = [
        CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(path))
        for name, path in sorted(files.items())
    ]
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    commit = api.create_commit(
        repo_id,
        operations,
        commit_message=f"Release v{version}",
        repo_type="dataset",
    )
    oid: str = commit.oid
    api.create_tag(
        repo_id,
        tag=f"v{version}",
        tag_message=f"Release {version}",
        revision=oid,
        repo_type="dataset",
    )
    return oid
