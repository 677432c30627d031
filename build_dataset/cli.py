"""The build-dataset command."""

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from build_dataset.problems import InvalidInput, Problem
from build_dataset.release import ReleasedVersionChanged, released_versions, verify_release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-dataset", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository checkout")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="validate, then write data/<version>/ and the card")
    validate = commands.add_parser("validate", help="validate annotations, writing nothing")
    validate.add_argument("paths", nargs="*", type=Path, help="report only these files")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    verify = commands.add_parser("verify", help="check released files against their manifests")
    verify.add_argument("versions", nargs="*", help="versions to check (default: all)")
    publish = commands.add_parser("publish", help="upload the verified release to the Hub")
    publish.add_argument("--repo-id", required=True, help="Hub dataset repo, ORG/NAME")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "validate":
        return _validate(parser, root, args.paths, args.format)
    if args.command == "verify":
        return _verify(root / "data", args.versions)
    if args.command == "publish":
        return _publish(root, args.repo_id)
    return _build(root)


def _report(problems: list[Problem], stream: TextIO) -> None:
    print(f"{len(problems)} problem(s); nothing was written:", file=stream)
    for problem in problems:
        print(f"  {problem}", file=stream)


def _validate(parser: argparse.ArgumentParser, root: Path, paths: list[Path], output: str) -> int:
    """Exit 0 when valid, 1 with every problem when not, 2 on a usage error."""
    wanted = set()
    for path in paths:
        full = path.resolve()
        if not full.is_file() or not full.is_relative_to(root):
            parser.error(f"{path}: no such file in {root}")
        wanted.add(full.relative_to(root).as_posix())

    from build_dataset.assemble import assemble
    from build_dataset.coverage import coverage, format_coverage
    from build_dataset.inputs import read_inputs

    try:
        dataset = assemble(read_inputs(root))
        problems: list[Problem] = []
    except InvalidInput as error:
        dataset, problems = None, error.problems
    if wanted:
        problems = [p for p in problems if p.file in wanted]
    if output == "json":
        report = {"valid": not problems, "problems": [asdict(p) for p in problems]}
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif problems:
        _report(problems, sys.stderr)
    else:
        print("valid" + (": " + ", ".join(sorted(wanted)) if wanted else ""))
        if dataset is not None:
            print(format_coverage(coverage(dataset)))
    return 1 if problems else 0


def _build(root: Path) -> int:
    from build_dataset.build import build
    from build_dataset.coverage import coverage, format_coverage

    try:
        result = build(root)
    except InvalidInput as error:
        _report(error.problems, sys.stderr)
        return 1
    except ReleasedVersionChanged as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    files = result.manifest["files"]
    assert isinstance(files, dict)
    rows = ", ".join(f"{name} {info['rows']} rows" for name, info in files.items())
    print(f"wrote {result.release_dir}: {rows}")
    print(format_coverage(coverage(result.dataset)))
    return 0


def _publish(root: Path, repo_id: str) -> int:
    from huggingface_hub import HfApi

    from build_dataset.publish import NotPublishable, publish
    from build_dataset.version import DATASET_VERSION

    try:
        commit = publish(HfApi(), root, repo_id, DATASET_VERSION)
    except NotPublishable as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    print(f"published {repo_id} v{DATASET_VERSION} (commit {commit})")
    return 0


def _verify(data_dir: Path, versions: list[str]) -> int:
    versions = versions or released_versions(data_dir)
    if not versions:
        print(f"no released versions under {data_dir}", file=sys.stderr)
        return 1
    failed = False
    for version in versions:
        problems = verify_release(data_dir / version)
        failed = failed or bool(problems)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"ok: {data_dir / version}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
