"""Publishing the verified releases to the Hugging Face Hub: each release the Hub lacks, oldest
first, in a commit of its own that holds its card and documents as made for it and the data of
it and every earlier release, tagged vX.Y.Z, so that `revision="vX.Y.Z"` loads that release."""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import CommitOperationAdd, HfApi

from build_dataset.documents.about import LICENSE_FILE, repository_link
from build_dataset.documents.generated import documents
from build_dataset.documents.paths import CITATION, CROISSANT, DATASHEET, README
from build_dataset.files import inside, read_text_inside
from build_dataset.write.changelog import (
    CHANGELOG,
    ChangelogProblem,
    Entry,
    changelog_until,
    checked_versions,
    read_changelog,
    version_problems,
)
from build_dataset.write.commit import DATA_DIR, JOURNAL, interrupted
from build_dataset.write.release import released_versions, version_key

DOCUMENTS = (README, DATASHEET, CITATION, CROISSANT, LICENSE_FILE, CHANGELOG)
"""The documents a release holds on the Hub beside its data."""
_MARKDOWN = (README, DATASHEET, LICENSE_FILE, CHANGELOG)


class NotPublishable(Exception):
    pass


@dataclass(frozen=True)
class Published:
    """A release put on the Hub: its version and the commit its tag points at."""

    version: str
    commit: str


def _released(root: Path) -> tuple[list[str], dict[str, Entry]]:
    """Every version under data/, oldest first, once all verify and CHANGELOG.md records each
    as released (a tag on the Hub is for bytes that will not change, which a draft's may)."""
    if interrupted(root):
        raise NotPublishable(
            f"a build stopped while it put a release in place ({JOURNAL} is left): build "
            "again to finish it, then publish"
        )
    try:
        entries = read_changelog(root)
    except ChangelogProblem as error:
        raise NotPublishable(str(error)) from None
    versions = released_versions(root / DATA_DIR)
    drafts = [v for v in versions if v in entries and not entries[v].released]
    if drafts:
        raise NotPublishable(
            f"{', '.join(drafts)} is a draft: record its manifest's SHA-256 under its entry in "
            f"{CHANGELOG} (the build prints the line), commit, then publish"
        )
    checked = checked_versions(entries, root / DATA_DIR)  # as verify: a released one gone too
    problems = [p for v in checked for p in version_problems(entries, root / DATA_DIR, v)]
    if problems:
        raise NotPublishable("the release does not verify:\n" + "\n".join(problems))
    return versions, entries


def absolute_links(markdown: str) -> str:
    """Relative links made absolute, to the repository: a card read on the Hub has no
    repository beside it."""
    return re.sub(
        r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s]+)\)",
        lambda match: f"]({repository_link(match.group(1))})",
        markdown,
    )


def release_files(root: Path, version: str) -> dict[str, Path | bytes]:
    """Path in the Hub repo -> local file or content: the documents of the release as made
    for it (its card loads it as the current version and pins every earlier one), and the data
    of it and every earlier release. Refuses unless every release verifies and is recorded."""
    versions, entries = _released(root)
    if version not in versions:
        raise NotPublishable(f"data/{version} is not built; run `make build` first")
    for name in (README, DATASHEET, LICENSE_FILE, CHANGELOG):
        if not (root / name).is_file():
            raise NotPublishable(f"missing {name}; restore it (git checkout -- {name})")
    earlier = [v for v in versions if version_key(v) <= version_key(version)]
    folders = {v: root / DATA_DIR / v for v in earlier}
    made = documents(root, version, entries[version].date, folders)
    made[CHANGELOG] = changelog_until(read_text_inside(root, root / CHANGELOG), version)
    files: dict[str, Path | bytes] = {
        name: (absolute_links(made[name]) if name in _MARKDOWN else made[name]).encode("utf-8")
        for name in DOCUMENTS
    }
    for v in earlier:
        for path in sorted((root / DATA_DIR / v).iterdir()):
            if not inside(root, path):
                raise NotPublishable(
                    f"{path} leads outside the repository; replace the link with the file"
                )
            files[f"{DATA_DIR}/{v}/{path.name}"] = path
    return files


def newest(root: Path) -> str:
    """The newest released version, which a staged upload lays out."""
    versions, _ = _released(root)
    if not versions:
        raise NotPublishable(f"no release under {DATA_DIR}/; run `make build` first")
    return versions[-1]


def stage(files: dict[str, Path | bytes], folder: Path) -> None:
    """Lay the upload out as the Hub repo will hold it (to load it before publishing). An
    empty folder only, so that no file left from another upload is loaded with it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NotPublishable(f"{folder} is not an empty folder; stage into a new folder")
    for path_in_repo, source in files.items():
        target = folder / path_in_repo
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            shutil.copyfile(source, target)


def _commit(api: HfApi, repo_id: str, files: dict[str, Path | bytes], message: str) -> str:
    """One commit of the files (those the Hub holds unchanged are left out by the client)."""
    operations = [
        CommitOperationAdd(
            path_in_repo=name,
            path_or_fileobj=source if isinstance(source, bytes) else str(source),
        )
        for name, source in sorted(files.items())
    ]
    commit = api.create_commit(repo_id, operations, commit_message=message, repo_type="dataset")
    oid: str = commit.oid
    return oid


def publish(api: HfApi, root: Path, repo_id: str) -> list[Published]:
    """Put on the Hub every release it has no tag for, oldest first, each in one commit tagged
    vX.Y.Z; returns what was published, nothing when the Hub has every release. When an
    earlier release was missing, the newest one's documents are committed again last, so that
    the Hub's main branch shows the newest release's card."""
    versions, _ = _released(root)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    tagged = {ref.name for ref in api.list_repo_refs(repo_id, repo_type="dataset").tags}
    missing = [v for v in versions if f"v{v}" not in tagged]
    published = []
    for version in missing:
        oid = _commit(api, repo_id, release_files(root, version), f"Release v{version}")
        api.create_tag(
            repo_id,
            tag=f"v{version}",
            tag_message=f"Release {version}",
            revision=oid,
            repo_type="dataset",
        )
        published.append(Published(version, oid))
    if missing and missing[-1] != versions[-1]:
        latest = versions[-1]
        _commit(api, repo_id, release_files(root, latest), f"The card of v{latest} again")
    return published
