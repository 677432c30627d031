"""Writing annotation files: a new one in the hand-written files' style, and an existing one
changed in place, round-tripped so that its comments, quoting, order and layout stay as they
were."""

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/annotation.schema.json"

# Values written in double quotes, as in the hand-written annotation files.
_QUOTED_KEYS = frozenset(
    {"quote", "claimant_text", "cue", "text", "title", "outlet", "evidence", "note", "value"}
    | {"anchor_date", "counted", "reason"}
)


def styled(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for name, item in value.items():
            mapping[name] = styled(item, name)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(styled(item) for item in value)
    if isinstance(value, str) and key in _QUOTED_KEYS:
        return DoubleQuotedScalarString(value)
    return value


def _represent_none(representer: RoundTripRepresenter, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def dump_annotation(data: dict[str, Any]) -> str:
    """YAML text of an annotation file, opening with the schema comment editors read."""
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.representer.add_representer(type(None), _represent_none)
    stream = io.StringIO()
    yaml.dump(styled(data), stream)
    lines = stream.getvalue().split("\n")
    spaced: list[str] = []
    for line in lines:
        if line.startswith("  - id: ") and spaced and spaced[-1] != "claims:":
            spaced.append("")
        spaced.append(line)
    return SCHEMA_COMMENT + "\n" + "\n".join(spaced)


EVENTS_SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/events.schema.json"


def dump_events(events: list[dict[str, Any]]) -> str:
    """YAML text of an events file, opening with the schema comment editors read."""
    text = dump_annotation({"events": events}).split("\n", 1)[1].replace(":\n\n", ":\n", 1)
    return EVENTS_SCHEMA_COMMENT + "\n" + text


def _round_trip() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.representer.add_representer(type(None), _represent_none)
    return yaml


def load_round_trip(text: str) -> Any:
    """An annotation file's data as ruamel's commented maps and lists, which dump_round_trip
    writes back unchanged where they were not changed."""
    return _round_trip().load(text)


def dump_round_trip(data: Any) -> str:
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    return stream.getvalue()


def insert(mapping: CommentedMap, order: tuple[str, ...], key: str, value: Any) -> None:
    """Put key in its place in a map whose keys follow order. A comment after the last key (the
    blank line between claims) stays last."""
    rank = {name: index for index, name in enumerate(order)}
    keys = list(mapping)
    position = 0
    for index, name in enumerate(keys):
        if rank.get(name, len(order)) < rank[key]:
            position = index + 1
    mapping.insert(position, key, styled(value, key))
    if position == len(keys) and keys and keys[-1] in mapping.ca.items:
        mapping.ca.items[key] = mapping.ca.items.pop(keys[-1])
