"""Putting an import into an article's annotation file without losing what the file holds.

An imported claim whose span is an existing claim's (same characters of the clean text, so the
same quote) is that claim: it keeps its id, claimant, values, events and note, and only gains
what it lacks (a claimant text, cue, claim type or note where it has none; quantities, dates and
places whose text it does not list; relations it does not have). Other imported claims are
appended with new ids, numbered after the highest this article's claims have ever had in the
file or in any reference. Replacing makes the export's claims the file's, still keeping the ids
of the matched ones; dropping a claim that events or other claims refer to is refused (see
cli). The rest of the file (article, skipped, comments) is written back as it was."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from build_dataset.check.quotes import QuoteError, resolve_quote
from build_dataset.problems import InvalidInput
from build_dataset.read.importers.common import ImportProblem
from build_dataset.read.importers.convert import ArticleImport
from build_dataset.read.importers.yaml_out import (
    dump_annotation,
    dump_round_trip,
    insert,
    load_round_trip,
    styled,
)
from build_dataset.read.yaml_source import parse_yaml

CLAIM_KEYS = (
    "id",
    "quote",
    "occurrence",
    "claimant",
    "claimant_text",
    "cue",
    "quote_type",
    "claim_type",
    "quantities",
    "dates",
    "places",
    "events",
    "relations",
    "note",
)
FILE_KEYS = ("article", "claims", "skipped")
FILLED = ("claimant_text", "cue", "claim_type", "note")
LISTED = ("quantities", "dates", "places")
MAX_NUMBER = 999  # claim ids end in three digits
_NUMBER = re.compile(r"-c([0-9]{3})$")


@dataclass
class Report:
    """What an import did to one article's claims, by id."""

    article: str
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> the fields
    left: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # where the export says otherwise

    def lines(self) -> list[str]:
        def short(ids: Iterable[str]) -> str:
            return ", ".join(i.removeprefix(f"{self.article}-") for i in ids) or "none"

        changed = [f"{short([i])} ({', '.join(f)})" for i, f in self.changed.items()]
        out = [
            f"{self.article}: added {len(self.added)} claim(s): {short(self.added)}",
            f"  changed {len(changed)}: {', '.join(changed) or 'none'}",
            f"  left as they were {len(self.left)}: {short(self.left)}",
        ]
        if self.dropped:
            out.append(f"  dropped {len(self.dropped)}: {short(self.dropped)}")
        out += [f"  kept {kept}" for kept in self.kept]
        return out


@dataclass(frozen=True)
class Merged:
    text: str
    report: Report


def _dicts(value: Any) -> list[Any]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def claim_references(files: Iterable[tuple[str, Any]]) -> dict[str, list[str]]:
    """Where each claim id is referred to, in (file, data) pairs: events' figures and claims'
    relations (mentions quote the text, so they do not name claims)."""
    found: dict[str, list[str]] = {}
    for display, data in files:
        if not isinstance(data, dict):
            continue
        for event in _dicts(data.get("events")):
            for number, figure in enumerate(_dicts(event.get("figures")), 1):
                for claim in figure.get("claims") or []:
                    where = f"{display}: event {event.get('id')}, figure {number}"
                    found.setdefault(str(claim), []).append(where)
        for claim in _dicts(data.get("claims")):
            for relation in _dicts(claim.get("relations")):
                where = f"{display}: claim {claim.get('id')}, relation {relation.get('type')}"
                found.setdefault(str(relation.get("claim")), []).append(where)
    return found


def merge(
    existing: str | None,
    display: str,
    imported: ArticleImport,
    *,
    replace: bool,
    references: Mapping[str, list[str]],
) -> Merged:
    """The file's new text, and what changed. references gives the claim ids referred to
    anywhere, so that a new id is none of them."""
    article_id = imported.article["id"]
    report = Report(article_id)
    if existing is None:
        final = _numbered(display, imported, {}, set(references), [])
        entries = [_renamed(entry, final) for entry in imported.claims]
        report.added = [entry["id"] for entry in entries]
        return Merged(dump_annotation({**imported.data(), "claims": entries}), report)
    try:
        parse_yaml(existing, display)
    except InvalidInput as error:
        message = f"cannot read it: {error.problems[0]}; fix it first, so that nothing is lost"
        raise ImportProblem(display, "", message) from None
    data = load_round_trip(existing)
    if not isinstance(data, CommentedMap):
        raise ImportProblem(display, "", "is not a mapping of article and claims; fix it first")
    old = _old_claims(display, data.get("claims"))
    matched = _matches(imported, old)
    final = _numbered(display, imported, matched, set(references), old)
    entries = [_renamed(entry, final) for entry in imported.claims]
    by_index = {index: old[o] for index, o in matched.items()}
    if replace:
        _replace(data, entries, by_index, old, report)
    else:
        _merge(data, entries, by_index, old, report)
    return Merged(_spaced(existing, dump_round_trip(data), report.added), report)


def _spaced(old: str, new: str, added: list[str]) -> str:
    """A blank line before each added claim but the first of the list, as between the others,
    and before each top-level key that had one (a comment after the last claim moves with the
    claims appended)."""
    openings = {f"  - id: {claim_id}" for claim_id in added}
    keys = set(re.findall(r"(?<=\n\n)([A-Za-z_]+:)", old))
    lines: list[str] = []
    for line in new.split("\n"):
        opens = line in openings or line.split(" ", 1)[0] in keys
        if opens and lines and lines[-1] not in ("", "claims:"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def _old_claims(display: str, claims: Any) -> list[CommentedMap]:
    if claims is None:
        return []
    if not isinstance(claims, list):
        raise ImportProblem(display, "claims", "is not a list; fix it first")
    for index, claim in enumerate(claims):
        if not isinstance(claim, CommentedMap) or not isinstance(claim.get("id"), str):
            message = "has no id; give it one first, as an import keeps every claim"
            raise ImportProblem(display, f"claims[{index}]", message)
    return list(claims)


def _matches(imported: ArticleImport, old: list[CommentedMap]) -> dict[int, int]:
    """Imported claim index -> existing claim index, for those at the same characters."""
    at: dict[tuple[int, int], int] = {}
    for index, claim in enumerate(old):
        quote, occurrence = claim.get("quote"), claim.get("occurrence")
        if not isinstance(quote, str) or not isinstance(occurrence, int | None):
            continue
        try:
            at.setdefault(resolve_quote(imported.clean, quote, occurrence), index)
        except QuoteError:
            continue
    return {index: at[span] for index, span in enumerate(imported.spans) if span in at}


def _numbered(
    display: str,
    imported: ArticleImport,
    matched: dict[int, int],
    referenced: set[str],
    old: list[CommentedMap],
) -> dict[str, str]:
    """Each imported claim's final id: a matched claim's, or the next number never used."""
    prefix = f"{imported.article['id']}-c"
    used = [c["id"] for c in old] + [r for r in referenced if r.startswith(prefix)]
    numbers = [int(m.group(1)) for u in used if (m := _NUMBER.search(u))]
    following = max(numbers, default=0) + 1
    final = {}
    for index, entry in enumerate(imported.claims):
        if index in matched:
            final[entry["id"]] = str(old[matched[index]]["id"])
            continue
        if following > MAX_NUMBER:
            message = f"a new claim would be number {following}; ids allow {MAX_NUMBER}"
            raise ImportProblem(display, "", message)
        final[entry["id"]] = f"{prefix}{following:03d}"
        following += 1
    return final


def _renamed(entry: dict[str, Any], final: dict[str, str]) -> dict[str, Any]:
    out = {**entry, "id": final[entry["id"]]}
    if "relations" in entry:
        out["relations"] = [{**r, "claim": final[r["claim"]]} for r in entry["relations"]]
    return out


def _merge(
    data: CommentedMap,
    entries: list[dict[str, Any]],
    by_index: dict[int, CommentedMap],
    old: list[CommentedMap],
    report: Report,
) -> None:
    for index, entry in enumerate(entries):
        claim = by_index.get(index)
        if claim is not None and (changed := _fill(claim, entry, report.kept)):
            report.changed[entry["id"]] = changed
    report.left = [c["id"] for c in old if c["id"] not in report.changed]
    new = [entry for index, entry in enumerate(entries) if index not in by_index]
    report.added = [entry["id"] for entry in new]
    if not new:
        return
    claims = data.get("claims")
    if isinstance(claims, CommentedSeq) and claims:
        claims.extend(styled(entry) for entry in new)
    elif "claims" in data:  # null, or [] written in flow style
        data["claims"] = styled(new)
    else:
        insert(data, FILE_KEYS, "claims", new)


def _fill(claim: CommentedMap, entry: dict[str, Any], kept: list[str]) -> list[str]:
    """What the export adds to an existing claim; where it differs, the claim's own stays."""
    changed = []
    for name in FILLED:
        if name not in entry:
            continue
        value, current = entry[name], claim.get(name)
        if current is None:
            if name in claim:
                claim[name] = styled(value, name)
            else:
                insert(claim, CLAIM_KEYS, name, value)
            changed.append(name)
        elif current != value:
            kept.append(f"{claim['id']}'s {name} {current!r}; the export has {value!r}")
    for name in (*LISTED, "relations"):
        current = claim.get(name)
        have = current if isinstance(current, list) else []
        if name == "relations":
            known = {(r.get("type"), r.get("claim")) for r in _dicts(have)}
            new = [r for r in entry.get(name, []) if (r["type"], r["claim"]) not in known]
        else:
            texts = {item.get("text") for item in _dicts(have)}
            new = [item for item in entry.get(name, []) if item["text"] not in texts]
        if not new:
            continue
        if isinstance(current, CommentedSeq) and current:
            current.extend(styled(item) for item in new)
        elif name in claim:
            claim[name] = styled(new)
        else:
            insert(claim, CLAIM_KEYS, name, new)
        changed.append(name)
    return changed


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _replace(
    data: CommentedMap,
    entries: list[dict[str, Any]],
    by_index: dict[int, CommentedMap],
    old: list[CommentedMap],
    report: Report,
) -> None:
    for index, entry in enumerate(entries):
        claim = by_index.get(index)
        if claim is None:
            report.added.append(entry["id"])
        elif _plain(claim) == entry:
            report.left.append(entry["id"])
        else:
            fields = [k for k in CLAIM_KEYS if _plain(claim.get(k)) != entry.get(k)]
            report.changed[entry["id"]] = fields
    kept = {claim["id"] for claim in by_index.values()}
    report.dropped = [c["id"] for c in old if c["id"] not in kept]
    if "claims" in data:
        data["claims"] = styled(entries)
    else:
        insert(data, FILE_KEYS, "claims", entries)
