"""Finding the registry's names (actors' or places') in a text, as whole words."""

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    id: str


@dataclass(frozen=True)
class NameIndex:
    """Each spelling with the entity that lists it first: a spelling two entries share ("the
    Armenian side") goes to the earlier one, so that the choice does not depend on chance."""

    ids: dict[str, str]
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> "NameIndex":
        ids: dict[str, str] = {}
        for entity, names in entries:
            for name in names:
                ids.setdefault(name, entity)
        if not ids:
            return cls(ids, None)
        # Longest first, so that "Azerbaijani forces" wins over "Azerbaijan" where both fit.
        spellings = "|".join(re.escape(n) for n in sorted(ids, key=lambda n: (-len(n), n)))
        return cls(ids, re.compile(rf"(?<!\w)(?:{spellings})(?!\w)"))

    def find(self, text: str) -> list[Mention]:
        """The names in text, left to right, none overlapping another."""
        if self.pattern is None:
            return []
        return [
            Mention(m.start(), m.end(), m.group(), self.ids[m.group()])
            for m in self.pattern.finditer(text)
        ]
