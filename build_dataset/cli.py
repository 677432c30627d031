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
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from build_dataset.files import FileRefused, describe
from build_dataset.problems import InvalidInput, Problem


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
        "--force", action="store_true", help="replace an annotation file that has claims"
    )
    publish = commands.add_parser("publish", help="upload the verified release to the Hub")
    target = publish.add_mutually_exclusive_group(required=True)
    target.add_argument("--repo-id", help="Hub dataset repo, ORG/NAME")
    target.add_argument(
        "--stage",
        type=Path,
        metavar="DIR",
        help="lay the upload out in DIR as the Hub repo will hold it, uploading nothing",
    )
    args = parser.parse_args(argv)
    # a name that is not UTF-8 is shown with escapes rather than end the command
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    if argv is None:  # as a command: a closed pipe (`| head`) ends it quietly, and at exit the
        # collector does not free every module, class and model one by one, which takes longer
        # than checking an article (the operating system takes the memory back at once)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, _terminated)
        atexit.register(gc.freeze)
    root = args.root.resolve()
    try:
        return _run(parser, args, root)
    except KeyboardInterrupt:
        print("interrupted: no file was left half-written", file=sys.stderr)
        return 130
    except OSError as error:  # a full disk, a read-only folder: what no check can foresee
        print(f"failed: {describe(error)}; the repository is as it was", file=sys.stderr)
        return 1
    except FileRefused as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except Exception as error:
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
        from build_dataset.importers import FORMATS

        if args.fmt not in FORMATS:
            parser.error(f"--from must be one of {', '.join(FORMATS)}, not {args.fmt!r}")
        return _import(root, args.fmt, args.file, args.article_id, args.force)
    if args.command == "verify":
        return _verify(root, args.versions)
    if args.command == "publish":
        return _publish(root, args.repo_id, args.stage)
    return _build(root, args.workers)


def _waiting(message: str) -> None:
    print(message, file=sys.stderr)


def _terminated(signum: int, _: object) -> None:
    """A terminated build unwinds like an interrupted one, so that its staging folder and
    temporary files are removed and nothing is left half-written."""
    raise SystemExit(128 + signum)


MAX_REPORTED = 100


def _report(problems: list[Problem], stream: TextIO, note: str | None = None) -> None:
    """Every problem, or at scale the first hundred and a count per file (--format json gives
    them all), then the note, if any, on what could not be checked."""
    print(f"{len(problems)} problem(s); nothing was written:", file=stream)
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
    from build_dataset.inputs import REGISTRY_PATHS

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
) -> int:
    """Exit 0 when valid, 1 with every problem when not, 2 on a usage error.

    It runs every check on the annotations; the table checks, which catch faults of the
    builder rather than of annotations, run in build. Given only article annotation files, it
    checks just those against the registries, reporting the registries' problems too (they
    block the check), and leaves what needs the other articles (relations to their claims, ids
    repeated across files, event figures) to a full run."""
    from build_dataset.cleaning import RULES_FILE
    from build_dataset.inputs import ANNOTATIONS_DIR, REGISTRY_PATHS, is_annotation_file

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
        _report(problems, sys.stderr, note)
    else:
        print("valid" + (": " + ", ".join(sorted(wanted)) if wanted else ""))
        if assembled is not None:
            print(assembled.coverage.format())
    return 1 if problems else 0


def _import(root: Path, fmt: str, file: Path, article_id: str | None, force: bool) -> int:
    """Write one annotation file per imported article, then validate them like any other."""
    from build_dataset.importers import ImportProblem, dump_annotation, import_annotations
    from build_dataset.inputs import ANNOTATIONS_DIR
    from build_dataset.lock import exclusive

    try:
        imported = import_annotations(fmt, file, article_id=article_id, root=root)
    except ImportProblem as error:
        print(f"not imported: {error}", file=sys.stderr)
        return 1
    except InvalidInput as error:  # the cleaning rules, which the import cleans the text by
        _report(error.problems, sys.stderr)
        return 1
    targets = {article: root / ANNOTATIONS_DIR / f"{article}.yaml" for article in imported}
    with exclusive(root, _waiting):
        kept = [p for p in targets.values() if p.exists() and not force and _has_claims(root, p)]
        if kept:
            names = ", ".join(p.relative_to(root).as_posix() for p in kept)
            message = f"not imported: {names} already has claims; pass --force to replace"
            print(message, file=sys.stderr)
            return 1
        _write_together(root, {p: dump_annotation(imported[a]) for a, p in targets.items()})
    return _validate(argparse.ArgumentParser(), root, list(targets.values()), "text")


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


def _has_claims(root: Path, path: Path) -> bool:
    from build_dataset.files import inside
    from build_dataset.yaml_source import read_yaml

    if not inside(root, path):  # a link, replaced by the import rather than read
        return True
    try:
        data = read_yaml(path, path.name).data
    except InvalidInput:
        return True
    return not isinstance(data, dict) or data.get("claims") is not None


def _build(root: Path, workers: int | None) -> int:
    from build_dataset.build import build
    from build_dataset.changelog import CHANGELOG, ChangelogProblem, manifest_line
    from build_dataset.commit import ReleaseInterrupted
    from build_dataset.release import ReleasedVersionChanged

    try:
        result = build(root, workers=workers, on_wait=_waiting)
    except InvalidInput as error:
        _report(error.problems, sys.stderr)
        return 1
    except (ChangelogProblem, ReleasedVersionChanged) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except ReleaseInterrupted as error:
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


def _publish(root: Path, repo_id: str | None, folder: Path | None) -> int:
    """With a folder, the upload is laid out there, so that it can be loaded before it is
    published."""
    from huggingface_hub import HfApi

    from build_dataset.publish import NotPublishable, publish, release_files, stage
    from build_dataset.version import DATASET_VERSION

    try:
        if folder is not None:
            stage(release_files(root, DATASET_VERSION), folder)
            print(f"staged v{DATASET_VERSION} in {folder}; nothing was uploaded")
            return 0
        assert repo_id is not None
        commit = publish(HfApi(), root, repo_id, DATASET_VERSION)
    except NotPublishable as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except OSError:
        raise  # a file or the connection: said as every such fault is
    except Exception as error:  # the Hub's client raises its HTTP library's own errors
        print(f"failed: the Hub did not take v{DATASET_VERSION}: {error}", file=sys.stderr)
        return 1
    print(f"published {repo_id} v{DATASET_VERSION} (commit {commit})")
    return 0


def _verify(root: Path, versions: list[str]) -> int:
    """Each version's files against its manifest, and its manifest against CHANGELOG.md."""
    from build_dataset.changelog import (
        ChangelogProblem,
        checked_versions,
        read_changelog,
        version_problems,
    )
    from build_dataset.commit import JOURNAL, interrupted

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
