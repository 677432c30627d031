"""The annotation's quality, measured for the card and the datasheet from the release itself:
the second annotation scored against the gold one on the articles it annotates (agreement),
and the rule-based baseline scored against the gold (the floor a system should beat), both by
the official scorer."""

from pathlib import Path

from build_dataset.evaluate.baseline.folder import write_baseline
from build_dataset.evaluate.score import Corpus, ScoreReport, score
from build_dataset.evaluate.score_format import agreement_markdown, history_markdown
from build_dataset.evaluate.score_inputs import read_annotations, read_release
from build_dataset.files import scratch_folder
from build_dataset.write.release import (
    MANIFEST,
    SECOND_ANNOTATION,
    read_manifest_files,
    released_tables,
    version_key,
)

NO_SECOND_ANNOTATION = "This release holds no second annotation."


def agreement(release_dir: Path) -> ScoreReport | None:
    """The second annotation scored against the gold one on the articles it annotates, or None
    when the release holds none."""
    files, _ = read_manifest_files(release_dir / MANIFEST)
    if f"{SECOND_ANNOTATION}_claims" not in released_tables(files):
        return None
    gold = read_release(release_dir)
    second = read_release(release_dir, f"{SECOND_ANNOTATION}_")
    annotated = {claim.article_id for claim in second.claims}
    articles = [article for article in second.articles if article.id in annotated]
    return score(gold, Corpus(articles, second.claims, second.events))


def agreement_by_release(folders: dict[str, Path]) -> str:
    """The agreement of every release that holds a second annotation, side by side, so that a
    consistency pass of the gold annotation shows in figures (folders: each version's release,
    oldest first)."""
    reports = {
        version: report
        for version in sorted(folders, key=version_key)
        if (report := agreement(folders[version])) is not None
    }
    return history_markdown(reports) if reports else NO_SECOND_ANNOTATION


def baseline(root: Path, release_dir: Path) -> ScoreReport:
    """The baseline, run on the repository's seeds that the gold release annotates completely
    (every one, from 1.0.0 on), scored against it."""
    gold = read_release(release_dir)
    complete = [a.id for a in gold.articles if a.annotation_status == "complete"]
    with scratch_folder("baseline") as workdir:
        folder = workdir / "baseline"
        write_baseline(root, folder, complete, as_lines=True)
        return score(gold, read_annotations(folder, root))


def quality_sections(root: Path, folders: dict[str, Path], current: str) -> dict[str, str]:
    """The generated sections 'agreement', 'agreement_by_release' and 'baseline' of the card
    and the datasheet; folders holds every version's release, current the one being built."""
    release_dir = folders[current]
    second = agreement(release_dir)
    return {
        "agreement": NO_SECOND_ANNOTATION if second is None else agreement_markdown(second),
        "agreement_by_release": agreement_by_release(folders),
        "baseline": agreement_markdown(baseline(root, release_dir)),
    }
