"""The build-dataset command."""

import argparse
import sys
from pathlib import Path

from build_dataset.problems import InvalidInput
from build_dataset.release import ReleasedVersionChanged, released_versions, verify_release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-dataset", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository checkout")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="validate, then write data/<version>/ and the card")
    commands.add_parser("validate", help="validate everything, writing nothing")
    verify = commands.add_parser("verify", help="check released files against their manifests")
    verify.add_argument("versions", nargs="*", help="versions to check (default: all)")
    publish = commands.add_parser("publish", help="upload the verified release to the Hub")
    publish.add_argument("--repo-id", required=True, help="Hub dataset repo, ORG/NAME")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return _verify(args.root / "data", args.versions)
    if args.command == "publish":
        return _publish(args.root, args.repo_id)

    from build_dataset.build import build, check
    from build_dataset.coverage import coverage, format_coverage

    try:
        if args.command == "validate":
            checked = check(args.root)
            tables = checked.tables
            print("valid: " + ", ".join(f"{n} {t.num_rows} rows" for n, t in tables.items()))
            print(format_coverage(coverage(checked.dataset)))
            return 0
        result = build(args.root)
    except InvalidInput as error:
        print(f"{len(error.problems)} problem(s); nothing was written:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
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
