"""Whether the checks across shards, which found nothing wrong in the corpus before an edit,
still find nothing after it: decided from what the edit changed in the edited shards' parts of
the corpus index and a question or two of the index, rather than every question asked of the
whole corpus again. Whatever could make a check fail sends the build to the whole checks, so
that every problem is found and worded as it always is:

- an article or claim id that a part no longer declares (a relation, or a seed, may now point
  at nothing);
- a supersedes relation that no part before the edit held (it may close a cycle);
- an id written twice in one part, or an id added that is written anywhere else;
- a relation to a claim that was no target before, and that nothing declares."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from build_dataset.check.corpus_index import CorpusIndex, Kind, read_part_tables

KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True)
class PartChange:
    """A shard's part of the corpus index before and after an edit."""

    before: bytes
    after: bytes


@dataclass(frozen=True)
class _Part:
    written: dict[Kind, list[str]]
    """The ids written where they are kept (those the checks of repeated ids read)."""
    declared: dict[Kind, set[str]]
    """Those and the ids declared, valid or not."""
    targets: set[str]
    """The claims that relations between articles point at."""
    supersedes: set[tuple[str, str]]


def _part(data: bytes) -> _Part:
    tables = read_part_tables(data)

    def ids(name: str, column: str = "id") -> list[str]:
        return [str(i) for i in tables[name].column(column).to_pylist()]

    written = {kind: ids(kind) for kind in KINDS}
    declared = {kind: {*written[kind], *ids(f"declared_{kind}")} for kind in KINDS}
    supersedes = zip(ids("supersedes", "source"), ids("supersedes", "target"), strict=True)
    return _Part(written, declared, set(ids("relations", "target")), set(supersedes))


def still_passes(index: CorpusIndex, changes: Sequence[PartChange]) -> bool:
    """Whether the checks across shards find nothing wrong in the index, given that they found
    nothing wrong in the same index with each changed part as it was before."""
    import pyarrow as pa

    added: dict[Kind, set[str]] = {kind: set() for kind in KINDS}
    targets: set[str] = set()
    for change in changes:
        try:
            before, after = _part(change.before), _part(change.after)
        except (pa.ArrowException, OSError):  # a part as no build writes it: a forged entry's
            return False
        for kind in KINDS:
            written = after.written[kind]
            if (
                len(set(written)) != len(written)
                or not before.declared[kind] <= after.declared[kind]
            ):
                return False
            added[kind] |= set(written) - set(before.written[kind])
        if not after.supersedes <= before.supersedes:
            return False
        targets |= after.targets - before.targets
    if any(added[kind] and index.repeated_among(kind, added[kind]) for kind in KINDS):
        return False
    return not (targets and index.undeclared_among("claims", targets))
