"""The build-dataset command."""

import argparse
import atexit
import gc
import io
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from build_dataset.files import FileRefused, describe, link_out
from build_dataset.problems import InvalidInput, Problem

if TYPE_CHECKING:
    from build_dataset.read.importers import ArticleImport, Merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-dataset", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository checkout")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="validate, then write data/<version>/ and the card")
    validate = commands.add_parser("validate", help="validate annotations, writing nothing")
    for command in (build, validate):
        command.add_argument(
            "--workers", type=int, default=None, help="processes to use (default: every core)"
        )
    build.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="check everything again, not taking what did not change from the cache in "
        ".build-cache/",
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="check the shards on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://host:8786; needs the extra 'dask': pip install -e '.[dask]')",
    )
    validate.add_argument("paths", nargs="*", type=Path, help="report only these files")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    verify = commands.add_parser("verify", help="check released files against their manifests")
    verify.add_argument("versions", nargs="*", help="versions to check (default: all)")
    importer = commands.add_parser(
        "import", help="convert a Label Studio, doccano or brat export into annotation files"
    )
    importer.add_argument("--from", dest="fmt", required=True, help="label-studio|doccano|brat")
    importer.add_argument("file", type=Path, help="the export (for brat, the .ann file)")
    importer.add_argument("--article-id", help="the article, when the export does not say")
    importer.add_argument(
        "--replace",
        action="store_true",
        help="make the export's claims the file's (matched claims keep their ids); shows the "
        "changes, and writes them only with --yes",
    )
    importer.add_argument("--yes", action="store_true", help="write what --replace showed")
    importer.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    importer.add_argument(
        "--annotator",
        metavar="EMAIL|ID|NAME",
        help="import this annotator's annotation (Label Studio email or id, doccano user name)",
    )
    importer.add_argument(
        "--annotation-id", metavar="N", help="import this Label Studio annotation"
    )
    importer.add_argument(
        "--predictions",
        action="store_true",
        help="import a Label Studio task's prediction where it has no annotation",
    )
    baseline = commands.add_parser(
        "baseline", help="annotate the seeds by simple rules into an annotation folder"
    )
    baseline.add_argument("--out", type=Path, required=True, help="folder to write it in")
    baseline.add_argument("--articles", nargs="+", metavar="ID", help="only these seeds")
    publish = commands.add_parser(
        "publish",
        help="put every verified release the Hub lacks on it, each tagged vX.Y.Z, in the "
        "dataset repo build_dataset/documents/about.py names",
    )
    publish.add_argument(
        "--stage",
        type=Path,
        metavar="DIR",
        help="lay the newest release's upload out in DIR as the Hub repo will hold it, "
        "uploading nothing",
    )
    _add_score(commands)
    _add_diff(commands)
    _add_explore(commands)
    args = parser.parse_args(argv)
    # a name that is not UTF-8 is shown with escapes rather than end the command
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    if argv is None:  # as a command: a closed pipe (`| head`) ends it quietly, and at exit the
        # collector does not free every module, class and model one by one, which takes longer
        # than checking an article (the operating system takes the memory back at once)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, _terminated)
        atexit.register(_freeze_at_exit)
    root = args.root.resolve()
    try:
        return _run(parser, args, root)
    except KeyboardInterrupt:
        print("interrupted: no file was left half-written", file=sys.stderr)
        return 130
    except Exception as error:
        if _signalled:  # the exit was raised inside a compiled library, which wrapped it
            print("terminated: no file was left half-written", file=sys.stderr)
            return 128 + _signalled[-1]
        if isinstance(error, OSError):  # a full disk, a read-only folder: what no check foresees
            print(f"failed: {describe(error)}; the repository is as it was", file=sys.stderr)
            return 1
        if isinstance(error, FileRefused):
            print(f"refused: {error}", file=sys.stderr)
            return 1
        if os.environ.get(SHOW_TRACEBACK):
            raise
        print(
            f"internal error: {type(error).__name__}: {error}; this is a bug of build-dataset: "
            f"please report it with the command you ran ({SHOW_TRACEBACK}=1 shows where it "
            "happened)",
            file=sys.stderr,
        )
        return 70


SHOW_TRACEBACK = "BUILD_DATASET_TRACEBACK"
"""Set, an error that no check foresaw ends with its traceback, for a developer."""


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, root: Path) -> int:
    if args.command == "validate":
        return _validate(parser, root, args.paths, args.format, args.workers)
    if args.command == "import":
        from build_dataset.read.importers import FORMATS

        if args.fmt not in FORMATS:
            parser.error(f"--from must be one of {', '.join(FORMATS)}, not {args.fmt!r}")
        if args.force:
            print(FORCE_GONE, file=sys.stderr)
            return 2
        return _import(root, args)
    if args.command == "verify":
        return _verify(root, args.versions)
    if args.command == "publish":
        return _publish(root, args.stage)
    if args.command == "baseline":
        return _baseline(root, args.out, args.articles)
    if args.command == "score":
        return _score(parser, root, args.reference, args.candidate, args.format)
    if args.command == "diff":
        return _diff(root, args.old, args.new, args.format, args.summary)
    if args.command == "explore":
        return _explore(root, args.version, args.out)
    return _build(root, args.workers, args.cache, args.scheduler)


def _add_score(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    score = commands.add_parser(
        "score", help="score a candidate annotation against a reference (README.md, Scoring)"
    )
    for name in ("reference", "candidate"):
        score.add_argument(
            name, type=Path, help="a release folder (data/<version>) or an annotation folder"
        )
    score.add_argument("--format", choices=("text", "json"), default="text")


def _score(
    parser: argparse.ArgumentParser, root: Path, reference: Path, candidate: Path, output: str
) -> int:
    """Print the candidate's scores; exit 1 when a folder cannot be read or compared."""
    from build_dataset.evaluate.score import ScoreInputError
    from build_dataset.evaluate.score_format import report_text
    from build_dataset.evaluate.score_inputs import score_folders

    for path in (reference, candidate):
        if not path.is_dir():
            parser.error(f"{path}: no such folder")
    try:
        report = score_folders(reference, candidate, root)
    except ScoreInputError as error:
        print(f"not scored: {error}", file=sys.stderr)
        return 1
    except InvalidInput as error:
        _report(error.problems, sys.stderr, outcome="nothing was scored")
        return 1
    print(report.model_dump_json(indent=2) if output == "json" else report_text(report), end="")
    return 0


def _add_diff(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    diff = commands.add_parser(
        "diff", help="records added, removed and changed between two releases, field by field"
    )
    for name in ("old", "new"):
        diff.add_argument(name, help="a released version (a folder of data/) or a release folder")
    shown = diff.add_mutually_exclusive_group()
    shown.add_argument("--format", choices=("text", "json"), default="text")
    shown.add_argument(
        "--summary", action="store_true", help="the Markdown summary of a CHANGELOG entry"
    )


def _diff(root: Path, old: str, new: str, output: str, summary: bool) -> int:
    """Print what NEW changed since OLD; exit 1 when either is not a release."""
    from build_dataset.release_diff import NotARelease, decoded_tables, diff_releases
    from build_dataset.release_diff_format import changelog_summary, diff_text

    folders = {}
    for name in (old, new):
        folder = root / "data" / name
        folders[name] = folder if folder.is_dir() else Path(name)
        if not folders[name].is_dir():
            print(
                f"not compared: {name} is neither a version under {root / 'data'} nor a folder",
                file=sys.stderr,
            )
            return 1
    try:
        diff = diff_releases(old, decoded_tables(folders[old]), new, decoded_tables(folders[new]))
    except NotARelease as error:
        print(f"not compared: {error}", file=sys.stderr)
        return 1
    if summary:
        print(changelog_summary(diff), end="")
    else:
        print(diff.model_dump_json(indent=2) if output == "json" else diff_text(diff), end="")
    return 0


def _add_explore(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from build_dataset.write.version import DATASET_VERSION

    explore = commands.add_parser(
        "explore", help="write the explorer, a static site of a release, viewable from file://"
    )
    explore.add_argument(
        "--version",
        default=DATASET_VERSION,
        help=f"a version under data/ (default: the current one, {DATASET_VERSION})",
    )
    explore.add_argument(
        "--out",
        type=Path,
        required=True,
        help="a new or empty folder, or one that explore wrote before (it replaces it)",
    )


def _explore(root: Path, version: str, out: Path) -> int:
    """Write the site; exit 1 when the version is not a release it can show, or out is a
    folder it must not replace."""
    from build_dataset.explorer.site import NotExplorable, read_release, write_site

    try:
        release = read_release(root, version)
    except NotExplorable as error:
        print(f"not written: {error}", file=sys.stderr)
        return 1
    written = write_site(release, out.absolute())
    print(f"wrote {out}: the explorer of {version} ({written} files); open {out / 'index.html'}")
    return 0


def _waiting(message: str) -> None:
    print(message, file=sys.stderr)


_signalled: list[int] = []
"""The signal that ended the command, if one did."""


def _freeze_at_exit() -> None:
    """Leave every object to the operating system at exit, but once DuckDB is loaded (a full
    check): its bindings print each object of theirs left unfreed as a leak, so it frees them."""
    if "duckdb" not in sys.modules:
        gc.freeze()


def _terminated(signum: int, _: object) -> None:
    """A terminated build unwinds like an interrupted one, so that its staging folder and
    temporary files are removed and nothing is left half-written. The signal is also recorded:
    raised inside a compiled library (pydantic-core building a model), the exit arrives wrapped
    in that library's own error."""
    _signalled.append(signum)
    raise SystemExit(128 + signum)


MAX_REPORTED = 100


def _report(
    problems: list[Problem],
    stream: TextIO,
    note: str | None = None,
    outcome: str = "nothing was written",
) -> None:
    """Every problem, or at scale the first hundred and a count per file (--format json gives
    them all), then the note, if any, on what could not be checked."""
    print(f"{len(problems)} problem(s); {outcome}:", file=stream)
    for problem in problems[:MAX_REPORTED]:
        print(f"  {problem}", file=stream)
    if len(problems) > MAX_REPORTED:
        print(f"  ... and {len(problems) - MAX_REPORTED} more; per file:", file=stream)
        for file, count in sorted(Counter(p.file for p in problems).items()):
            print(f"  {file}: {count}", file=stream)
    if note is not None:
        print(note, file=stream)


def _unchecked_note(
    wanted: set[str], blocking: frozenset[str], registry_problems: set[str]
) -> str | None:
    """What the registries' problems kept from being checked: everything asked for when they
    stopped the run, else (for a check of some article files) what their problems may hide."""
    from build_dataset.read.inputs import REGISTRY_PATHS

    if blocking:
        asked = ", ".join(sorted(wanted - blocking)) or "the articles"
        files = ", ".join(sorted(blocking))
        return f"not checked: {asked}; fix {files} first, as articles are checked against it"
    articles = ", ".join(sorted(wanted - REGISTRY_PATHS))
    if articles and registry_problems:
        files = ", ".join(sorted(registry_problems))
        return f"not fully checked: {articles}, as the problems in {files} block it; fix them first"
    return None


def _validate(
    parser: argparse.ArgumentParser,
    root: Path,
    paths: list[Path],
    output: str,
    workers: int | None = None,
    outcome: str = "nothing was written",
) -> int:
    """Exit 0 when valid, 1 with every problem when not, 2 on a usage error.

    It runs every check on the annotations; the table checks, which catch faults of the
    builder rather than of annotations, run in build. Given only article annotation files, it
    checks just those against the registries, reporting the registries' problems too (they
    block the check), and leaves what needs the other articles (relations to their claims, ids
    repeated across files, event figures) to a full run."""
    from build_dataset.read.cleaning import RULES_FILE
    from build_dataset.read.inputs import ANNOTATIONS_DIR, REGISTRY_PATHS, is_annotation_file

    wanted = set()
    for path in paths:
        full = path.resolve()
        if not full.is_file() or not full.is_relative_to(root):
            parser.error(f"{path}: no such file in {root}")
        name = full.relative_to(root).as_posix()
        if not is_annotation_file(name):
            parser.error(
                f"{path}: validate takes annotation files, {ANNOTATIONS_DIR}/*.yaml or *.jsonl, "
                "not hidden ones, named in UTF-8"
            )
        wanted.add(name)

    from build_dataset.assemble import Assembled, Settings, assemble

    only = frozenset(wanted) if wanted and not wanted & REGISTRY_PATHS else None
    assembled: Assembled | None = None
    blocking: frozenset[str] = frozenset()
    try:
        assembled = assemble(Settings(root, "0.0.0", tables=False, only=only), workers)
        problems: list[Problem] = []
    except InvalidInput as error:
        problems, blocking = error.problems, error.blocking
    shared = REGISTRY_PATHS | {RULES_FILE}  # what every article is checked against
    if wanted:  # and the files they are checked against, whose problems come first, and when
        # only articles are checked, the seeds they annotate (no other article is read)
        problems = [
            p
            for p in problems
            if p.file in wanted
            or p.file in shared
            or (only is not None and not is_annotation_file(p.file))
        ]
        problems.sort(key=lambda p: p.file not in shared)
    note = _unchecked_note(wanted, blocking, {p.file for p in problems if p.file in shared})
    if output == "json":
        report = {"valid": not problems, "problems": [asdict(p) for p in problems], "note": note}
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif problems:
        _report(problems, sys.stderr, note, outcome)
    else:
        print("valid" + (": " + ", ".join(sorted(wanted)) if wanted else ""))
        if assembled is not None:
            print(assembled.coverage.format())
    return 1 if problems else 0


FORCE_GONE = (
    "--force is gone: import now merges into the claims a file has, keeping their ids; to "
    "replace them, use --replace (it shows the changes; --yes writes them)"
)


def _import(root: Path, args: argparse.Namespace) -> int:
    """Merge each imported article into its annotation file (or replace its claims, once the
    changes were shown and confirmed), then validate the files like any other."""
    from build_dataset.read.importers import Choice, ImportProblem, import_annotations
    from build_dataset.read.inputs import ANNOTATIONS_DIR
    from build_dataset.write.lock import exclusive

    choice = Choice(args.annotator, args.annotation_id, args.predictions)
    try:
        imported = import_annotations(
            args.fmt, args.file, article_id=args.article_id, choice=choice, root=root
        )
    except ImportProblem as error:
        print(f"not imported: {error}", file=sys.stderr)
        return 1
    except InvalidInput as error:  # the cleaning rules, which the import cleans the text by
        _report(error.problems, sys.stderr)
        return 1
    for notice in imported.notices:
        print(f"notice: {notice}", file=sys.stderr)
    targets = {a: root / ANNOTATIONS_DIR / f"{a}.yaml" for a in imported.articles}
    with exclusive(root, _waiting):
        try:
            merged = _merged(root, imported.articles, targets, args.replace)
        except ImportProblem as error:
            print(f"not imported: {error}", file=sys.stderr)
            return 1
        if args.replace and not _replacing(root, merged, targets, args.yes):
            return 1
        _write_together(root, {path: m.text for path, m in merged.items()})
    for result in merged.values():
        print("\n".join(result.report.lines()))
    outcome = "the import was written; fill these in"
    return _validate(argparse.ArgumentParser(), root, list(targets.values()), "text", None, outcome)


def _merged(
    root: Path, articles: dict[str, "ArticleImport"], targets: dict[str, Path], replace: bool
) -> dict[Path, "Merged"]:
    from build_dataset.files import read_text_inside
    from build_dataset.read.importers import claim_references, merge

    references = claim_references(_referring(root))
    out = {}
    for article, path in targets.items():
        existing = read_text_inside(root, path) if path.exists() else None
        display = path.relative_to(root).as_posix()
        out[path] = merge(
            existing, display, articles[article], replace=replace, references=references
        )
    return out


def _replacing(
    root: Path, merged: dict[Path, "Merged"], targets: dict[str, Path], yes: bool
) -> bool:
    """Show what replacing changes; whether to write it: not when it drops a claim that events
    or other articles' claims refer to, nor without --yes."""
    import difflib

    from build_dataset.read.importers import claim_references

    shown = {path.relative_to(root).as_posix() for path in targets.values()}
    references = claim_references((f, d) for f, d in _referring(root) if f not in shown)
    broken = []
    for path, result in merged.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        display = path.relative_to(root).as_posix()
        sys.stdout.writelines(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                f"a/{display}",
                f"b/{display}",
            )
        )
        print("\n".join(result.report.lines()))
        for claim_id in result.report.dropped:
            broken += [
                f"  {claim_id}, which {where} refers to" for where in references.get(claim_id, [])
            ]
    if broken:
        print("not replaced: it would drop claims that are referred to:", file=sys.stderr)
        print("\n".join(broken), file=sys.stderr)
        print("keep them in the export, or change those references first", file=sys.stderr)
        return False
    if not yes:
        print(
            "not written: these are the changes --replace makes; add --yes to write them",
            file=sys.stderr,
        )
        return False
    return True


_FIX_FIRST = "fix it first, as an import checks the claims it refers to"


def _referring(root: Path) -> Iterator[tuple[str, object]]:
    """Each annotation file's data (a JSON Lines file's, a line at a time), for the claim ids
    it refers to; one that cannot be read stops the import, as its references cannot be
    checked."""
    from build_dataset.read.importers import ImportProblem
    from build_dataset.read.inputs import ANNOTATIONS_DIR, is_annotation_file
    from build_dataset.read.jsonl_source import JsonError, lines, load_json
    from build_dataset.read.yaml_source import read_yaml

    for path in sorted((root / ANNOTATIONS_DIR).iterdir()):
        display = path.relative_to(root).as_posix()
        if not is_annotation_file(display) or not path.is_file() or link_out(root, path):
            continue
        if path.suffix == ".yaml":
            try:
                yield display, read_yaml(path, display).data
            except InvalidInput as error:
                message = f"cannot read it: {error.problems[0]}; {_FIX_FIRST}"
                raise ImportProblem(display, "", message) from None
            continue
        for number, raw in lines(path):
            try:
                data = load_json(raw.decode("utf-8"))
            except (JsonError, UnicodeDecodeError):
                message = (
                    "cannot read it; fix it first, as an import checks the claims it refers to"
                )
                raise ImportProblem(display, f"line {number}", message) from None
            yield display, {"events": [data]} if path.name == "events.jsonl" else data


def _write_together(root: Path, texts: dict[Path, str]) -> None:
    """Every file staged whole before any replaces its original, so that a full disk leaves
    all of them as they were."""
    from build_dataset.files import staged_copy, writable_folder

    copies: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            writable_folder(root, path.parent)
            copies.append((staged_copy(path, text.encode("utf-8")), path))
        for copy, path in copies:
            os.replace(copy, path)
            print(f"wrote {path.relative_to(root).as_posix()}")
    finally:
        for copy, _ in copies:
            copy.unlink(missing_ok=True)


def _build(root: Path, workers: int | None, cache: bool, scheduler: str | None) -> int:
    from build_dataset.build import build
    from build_dataset.runners import RunnerUnavailable
    from build_dataset.write.changelog import CHANGELOG, ChangelogProblem, manifest_line
    from build_dataset.write.commit import ReleaseInterrupted
    from build_dataset.write.release import ReleasedVersionChanged

    try:
        result = build(root, workers=workers, on_wait=_waiting, cache=cache, scheduler=scheduler)
    except InvalidInput as error:
        _report(error.problems, sys.stderr)
        return 1
    except (ChangelogProblem, ReleasedVersionChanged) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except (ReleaseInterrupted, RunnerUnavailable) as error:
        print(f"failed: {error}", file=sys.stderr)
        return 1
    files = result.manifest["files"]
    assert isinstance(files, dict)
    rows = ", ".join(f"{name} {info['rows']} rows" for name, info in files.items())
    print(f"wrote {result.release_dir}: {rows}")
    print(result.assembled.coverage.format())
    if result.draft:
        print(
            f"{result.version} is a draft: to release it, add the line "
            f"{manifest_line(result.manifest_sha256)} to its entry in {CHANGELOG} and commit"
        )
    return 0


def _baseline(root: Path, out: Path, articles: list[str] | None) -> int:
    """The baseline's annotation folder, which validates as seeds/annotations of a checkout
    with the same seeds, and is scored like the gold."""
    from build_dataset.evaluate.baseline.folder import UnknownArticles, write_baseline

    try:
        written = write_baseline(root, out, articles)
    except UnknownArticles as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except InvalidInput as error:  # the registries it reads the names from
        _report(error.problems, sys.stderr)
        return 1
    for article_id, claims in written.claims.items():
        print(f"{article_id}: {claims} claim(s)")
    print(f"wrote {out}: {len(written.claims)} article(s), {sum(written.claims.values())} claims")
    return 0


def _publish(root: Path, folder: Path | None) -> int:
    """With a folder, the newest release's upload is laid out there, so that it can be loaded
    before it is published."""
    from huggingface_hub import HfApi

    from build_dataset.documents.about import HUB_DATASET_ID
    from build_dataset.publish import NotPublishable, newest, publish, release_files, stage

    try:
        if folder is not None:
            version = newest(root)
            stage(release_files(root, version), folder)
            print(f"staged v{version} in {folder}; nothing was uploaded")
            return 0
        published = publish(HfApi(), root, HUB_DATASET_ID)
    except NotPublishable as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except OSError:
        raise  # a file or the connection: said as every such fault is
    except Exception as error:  # the Hub's client raises its HTTP library's own errors
        print(
            f"failed: the Hub did not take the release: {error}; what it took is tagged, so "
            "publishing again goes on from there",
            file=sys.stderr,
        )
        return 1
    for release in published:
        print(f"published {HUB_DATASET_ID} v{release.version} (commit {release.commit})")
    if not published:
        print(f"{HUB_DATASET_ID} has every release; nothing was published")
    return 0


def _verify(root: Path, versions: list[str]) -> int:
    """Each version's files against its manifest, and its manifest against CHANGELOG.md."""
    from build_dataset.write.changelog import (
        ChangelogProblem,
        checked_versions,
        read_changelog,
        version_problems,
    )
    from build_dataset.write.commit import JOURNAL, interrupted

    data_dir = root / "data"
    if interrupted(root):
        print(
            f"{JOURNAL}: a build stopped while it put a release in place; build again to "
            "finish it, then verify",
            file=sys.stderr,
        )
        return 1
    try:
        entries = read_changelog(root)
    except ChangelogProblem as error:
        print(error, file=sys.stderr)
        return 1
    versions = versions or checked_versions(entries, data_dir)
    if not versions:
        print(f"no released versions under {data_dir}", file=sys.stderr)
        return 1
    failed = False
    for version in versions:
        problems = version_problems(entries, data_dir, version)
        failed = failed or bool(problems)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:  # so the version has an entry: without one, a manifest disagrees
            draft = "" if entries[version].released else " (a draft, not yet released)"
            print(f"ok: {data_dir / version}{draft}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
