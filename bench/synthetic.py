# ruff: noqa: RUF001 -- the articles use typographic apostrophes and dashes, as the seeds do.
"""A deterministic synthetic corpus, valid by construction, for benchmarking the builder at scale.

    python -m bench.synthetic OUT_DIR --articles N [--seed S] [--invalid K] [--per-file 1000]

OUT_DIR becomes a repository-shaped folder the builder reads (`build-dataset --root OUT_DIR`):

- seeds/<id>.txt: one short news article each (title, masthead, dateline, about ten paragraphs
  and site chrome that the cleaning rules remove), assembled from sentence templates;
- seeds/annotations/actors.yaml and places.yaml: the repository's registries, byte for byte;
- seeds/annotations/articles-NNNNN.jsonl: `per_file` article annotation files a file, one a
  line, each with 15 to 25 claims whose quotes, figures, dates, places and events are exact;
- seeds/annotations/events.jsonl: one event a line; every three consecutive articles report
  the same two to four events, each article mentioning each of them once;
- README.md and DATASHEET.md: the repository's (a build refills their generated sections).

Every number and date expression of a clean text is normalized by a claim or listed as skipped,
so the coverage report is clean. The same arguments always give the same bytes: each group of
articles draws from a random.Random seeded by the seed and the group's number, nothing from the
clock or from hash order, so groups can be generated in parallel processes without changing the
output. The corpus is written as it is generated, a chunk of a few hundred articles at a time.

With `invalid=K`, K claims spread evenly over the corpus are spoiled, one each (a quote that is
not in the text, an unknown event id, a claim type outside the vocabulary, a duplicate claim
id); the summary lists where the validator must report them. Everything else stays as in the
valid corpus of the same seed."""

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
from collections.abc import Callable, Iterator, MutableSequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from build_dataset.check.coverage import MONTHS, WEEKDAYS
from build_dataset.check.figures import FigureClaim, FigureQuantity, derive_figure

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = "seeds/annotations"
COPIED = ("seeds/annotations/actors.yaml", "seeds/annotations/places.yaml")
DOCUMENTS = ("README.md", "DATASHEET.md")
GROUP = 3  # consecutive articles that report the same events
FIRST_DAY = date(2023, 9, 1)
DAYS = 60  # span of the events' first days

Json = dict[str, Any]
Location = tuple[str, int, str]
T = TypeVar("T")


class _Random(random.Random):
    """random.Random with choice, randint and shuffle drawn from random(): as deterministic, and
    several times faster than the rejection sampling of the originals."""

    def choice(self, seq: "SupportsLenAndGetItem[T]") -> T:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def shuffle(self, x: MutableSequence[Any]) -> None:
        draw = self.random
        for i in range(len(x) - 1, 0, -1):
            j = int(draw() * (i + 1))
            x[i], x[j] = x[j], x[i]


WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}

# Spellings from actors.yaml; the first letter is raised at the start of a sentence.
ACTORS: dict[str, tuple[str, ...]] = {
    "nk-separatist-forces": (
        "the separatist Armenian forces in Nagorno-Karabakh",
        "the separatists",
        "Armenian separatists",
        "separatist forces",
    ),
    "nk-authorities": (
        "Nagorno-Karabakh authorities",
        "the self-proclaimed authorities of Nagorno-Karabakh",
        "the breakaway authorities",
        "the separatist leaders",
    ),
    "azerbaijan-government": (
        "Baku",
        "Azerbaijan",
        "Azerbaijani authorities",
    ),
    "azerbaijan-ministry-of-foreign-affairs": ("the Azerbaijani Foreign Ministry",),
    "azerbaijan-presidential-administration": ("Azerbaijan’s presidency",),
    "azerbaijan-armed-forces": (
        "Azerbaijan’s Armed Forces",
        "the forces of Azerbaijan",
        "Azeri troops",
        "Azerbaijani forces",
    ),
    "armenia-government": ("Armenia", "Yerevan"),
    "armenia-ministry-of-foreign-affairs": ("the Armenian Foreign Ministry",),
    "russia-government": ("Russia", "the Kremlin", "Moscow"),
    "russian-peacekeepers": ("Russian peacekeepers", "the Russian peacekeeping contingent"),
    "russian-media": ("Russian media",),
    "russia-defence-ministry": ("Russia’s defence ministry",),
    "dmitry-peskov": ("Kremlin spokesman, Dmitry Peskov",),
    "vladimir-putin": ("President Vladimir Putin", "Russian President Vladimir Putin"),
    "nikol-pashinyan": ("Armenian Prime Minister, Nikol Pashinyan", "Pashinyan"),
    "ilham-aliyev": ("Azerbaijan’s President Ilham Aliyev",),
    "antonio-guterres": ("UN Secretary-General, Antonio Guterres",),
    "united-states-government": ("the United States", "Washington"),
    "france-government": ("France",),
    "turkey-government": ("Turkey",),
    "elchin-amirbayov": ("Elchin Amirbayov",),
    "ararat-mirzoyan": ("Armenian Foreign Minister Ararat Mirzoyan",),
    "jeyhun-bayramov": ("Jeyhun Bayramov",),
    "matthew-miller": ("Matthew Miller, spokesman for the US State Department",),
    "artsakh-national-assembly": ("the Artsakh National Assembly",),
    "osce-minsk-group": ("the OSCE Minsk Group",),
    "un-security-council": ("the UN Security Council",),
    "yerevan-protesters": ("protesters",),
    "karabakh-armenian-representatives": ("representatives of the Armenian population",),
    "karabakh-armenian-population": ("Karabakh’s Armenian population",),
}
NAMES = {
    "nk-separatist-forces": "the separatist forces",
    "nk-authorities": "the separatist authorities",
    "azerbaijan-government": "Azerbaijan",
    "armenia-government": "Armenia",
    "russian-media": "Russian media",
    "russian-peacekeepers": "the Russian peacekeepers",
}
OUTLETS = (("Defence Redefined", "defence-redefined"), ("EurasiaPeace", "eurasiapeace"))
# Spellings from places.yaml.
PLACES: dict[str, tuple[str, ...]] = {
    "nagorno-karabakh": ("Nagorno-Karabakh", "Karabakh"),
    "stepanakert": ("Stepanakert",),
    "shusha": ("Shusha",),
    "mardakert": ("Mardakert",),
    "yevlakh": ("Yevlakh",),
    "baku": ("Baku",),
    "yerevan": ("Yerevan",),
    "azerbaijan": ("Azerbaijan",),
    "washington": ("Washington",),
    "caucasus": ("Caucasus",),
}
PLACE_NAMES = {
    "nagorno-karabakh": "Nagorno-Karabakh",
    "stepanakert": "Stepanakert",
    "shusha": "Shusha",
    "mardakert": "Mardakert",
    "yevlakh": "Yevlakh",
    "baku": "Baku",
}
FRONT = ("stepanakert", "shusha", "mardakert", "nagorno-karabakh")

TITLES = (
    "Nagorno-Karabakh | Ceasefire agreement between Armenians & Azerbaijan",
    "Fighting in Nagorno-Karabakh: what we know",
    "Karabakh: shelling, ceasefire and the road to talks",
    "Ceasefire holds uneasily in Nagorno-Karabakh",
    "Armenia, Azerbaijan and the future of Karabakh",
    "Azerbaijan and Karabakh Armenians prepare for talks",
    "Direct talks and a fragile truce in the South Caucasus",
    "Karabakh Armenians weigh their future after the offensive",
)
TEASERS = (
    "Armenia | Peace proposal for Nagorno-Karabakh sent to Azerbaijan",
    "Eagle Partner | USA – Armenia military exercises",
    "Russia’s peacekeepers and the limits of mediation",
    "What the Lachin corridor means for the region",
)
FOOTERS = (
    ("Share This",),
    ("Spread the love", "", "Pin It on Pinterest"),
    ("NEWSLETTER SUBSCRIPTION", "", "READ MORE", "", "RECENTLY", "", "Share This"),
    ("Related posts", "Karabakh: the long road to a settlement", "Previous Article"),
    ("You have 41.5% of this article left to read. The rest is for subscribers only.",),
    ("Consider subscribing for free access to the full content!",),
)

EVENT_KINDS = ("attack", "ceasefire", "talks", "evacuation", "protest", "call", "council")
# Days after the group's first day on which each kind of event happens.
EVENT_OFFSET = {
    "attack": 0,
    "ceasefire": 1,
    "evacuation": 1,
    "protest": 1,
    "talks": 2,
    "call": 2,
    "council": 3,
}
EVENT_TYPES = {
    "attack": ("shelling_artillery_missile_attack", "armed_clash", "air_drone_strike"),
    "ceasefire": ("agreement",),
    "talks": ("negotiation",),
    "evacuation": ("evacuation",),
    "protest": ("peaceful_protest",),
    "call": ("diplomatic_contact",),
    "council": ("diplomatic_meeting",),
}
CATEGORY = {
    "shelling_artillery_missile_attack": "explosions_remote_violence",
    "armed_clash": "battles",
    "air_drone_strike": "explosions_remote_violence",
    "agreement": "strategic_developments",
    "negotiation": "diplomacy",
    "evacuation": "humanitarian",
    "peaceful_protest": "protests",
    "diplomatic_contact": "diplomacy",
    "diplomatic_meeting": "diplomacy",
}
INVALID_KINDS = ("quote", "event", "claim_type", "duplicate_id")


@dataclass(frozen=True)
class Summary:
    """What was written. `invalid` lists (file, line, field) of each injected error."""

    articles: int
    claims: int
    mentions: int
    events: int
    skipped: int
    relations: int
    figures: int
    annotation_files: int
    invalid: list[Location]


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _occurrence(text: str, part: str, start: int) -> int | None:
    """The 1-based occurrence of part at start, or None when part occurs only once."""
    position, number = text.find(part), 1
    if position == start:
        return None if text.find(part, start + 1) == -1 else 1
    while position != start:
        if position == -1:
            raise AssertionError(f"{part!r} is not at {start}")
        position = text.find(part, position + 1)
        number += 1
    return number


class _Claim:
    __slots__ = ("fields", "id", "quote", "referenced", "relations", "start")

    def __init__(self, quote: str, start: int, fields: Json) -> None:
        self.quote = quote
        self.start = start
        self.fields = fields
        self.relations: list[tuple[str, _Claim, str]] = []
        self.referenced = False
        self.id = ""

    def relate(self, kind: str, other: "_Claim", note: str) -> None:
        self.relations.append((kind, other, note))
        other.referenced = True

    def fatalities(self) -> Json | None:
        found = [q for q in self.fields.get("quantities", ()) if q["measure"] == "fatalities"]
        return found[0] if len(found) == 1 else None


class _Sentence:
    __slots__ = ("claims", "mentions", "skips", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.claims: list[_Claim] = []
        self.skips: list[tuple[int, str, str]] = []
        self.mentions: list[tuple[int, str, _Event]] = []

    def claim(
        self,
        quote: str,
        claimant: str,
        claimant_text: str | None,
        cue: str | None,
        quote_type: str,
        claim_type: str,
        *,
        quantities: tuple[Json, ...] = (),
        dates: tuple[Json, ...] = (),
        places: tuple[Json, ...] = (),
        events: tuple["_Event", ...] = (),
        note: str | None = None,
    ) -> _Claim:
        fields: Json = {
            "claimant": claimant,
            "claimant_text": claimant_text,
            "cue": cue,
            "quote_type": quote_type,
            "claim_type": claim_type,
        }
        if quantities:
            fields["quantities"] = list(quantities)
        if dates:
            fields["dates"] = list(dates)
        if places:
            fields["places"] = list(places)
        if events:
            fields["events"] = [event.id for event in events]
        if note:
            fields["note"] = note
        claim = _Claim(quote, self.text.index(quote), fields)
        self.claims.append(claim)
        return claim

    def skip(self, text: str, reason: str) -> None:
        self.skips.append((self.text.index(text), text, reason))

    def mention(self, event: "_Event", quote: str) -> None:
        self.mentions.append((self.text.index(quote), quote, event))


class _Event:
    __slots__ = ("actors", "day", "fatal", "id", "kind", "mentions", "place", "toll", "type")

    def __init__(self, rng: random.Random, group: int, number: int, kind: str, first: date) -> None:
        self.kind = kind
        self.type = rng.choice(EVENT_TYPES[kind])
        self.day = first + timedelta(days=EVENT_OFFSET[kind])
        self.id = f"ev-{self.day.isoformat()}-{kind}-g{group:06d}-{number}"
        self.place: str | None = {
            "attack": rng.choice(FRONT),
            "ceasefire": "nagorno-karabakh",
            "evacuation": rng.choice(FRONT),
            "talks": rng.choice(("yevlakh", "baku")),
            "protest": "yerevan",
        }.get(kind)
        self.toll = rng.randint(15, 180)
        self.actors: list[tuple[str, str]] = {
            "attack": [
                ("azerbaijan-armed-forces", "initiator"),
                ("nk-separatist-forces", "target"),
            ],
            "ceasefire": [
                ("nk-separatist-forces", "party"),
                ("azerbaijan-government", "party"),
                ("russian-peacekeepers", "mediator"),
            ],
            "talks": [
                ("karabakh-armenian-representatives", "party"),
                ("azerbaijan-government", "party"),
            ],
            "evacuation": [
                ("karabakh-armenian-population", "party"),
                ("russian-peacekeepers", "party"),
            ],
            "protest": [("yerevan-protesters", "initiator"), ("armenia-government", "target")],
            "call": [
                ("vladimir-putin", "party"),
                (rng.choice(("nikol-pashinyan", "ilham-aliyev")), "party"),
            ],
            "council": [("un-security-council", "host"), ("france-government", "initiator")],
        }[kind]
        self.fatal: list[_Claim] = []
        self.mentions: list[Json] = []

    def description(self) -> str:
        where = PLACE_NAMES.get(self.place or "", "")
        when = _day(self.day)
        if self.kind == "attack":
            verb = {
                "shelling_artillery_missile_attack": "shelled",
                "armed_clash": "clashed with separatist forces in",
                "air_drone_strike": "carried out drone strikes on",
            }[self.type]
            return f"Azerbaijani forces {verb} {where} on {when}."
        if self.kind == "ceasefire":
            return (
                f"The Karabakh separatist forces accepted a Russian-brokered ceasefire on {when}."
            )
        if self.kind == "talks":
            return (
                f"Azerbaijan and Karabakh Armenian representatives held talks in {where} on {when}."
            )
        if self.kind == "evacuation":
            return f"Residents were evacuated from {where} on {when}."
        if self.kind == "protest":
            return f"Protesters gathered outside the government building in Yerevan on {when}."
        if self.kind == "call":
            other = "Nikol Pashinyan" if self.actors[1][0] == "nikol-pashinyan" else "Ilham Aliyev"
            return f"Vladimir Putin held a telephone call with {other} on {when}."
        return f"The UN Security Council held an emergency meeting at France’s request on {when}."

    def record(self) -> Json:
        record: Json = {
            "id": self.id,
            "type": self.type,
            "category": CATEGORY[self.type],
            "description": self.description(),
            "date": {"value": self.day.isoformat()},
            "place": self.place,
            "actors": [{"actor": actor, "role": role} for actor, role in self.actors],
            "mentions": self.mentions,
        }
        figure = self._figure()
        if figure:
            record["figures"] = [figure]
        return record

    def _figure(self) -> Json | None:
        """Fatalities by the rule of build_dataset/check/figures.py over every claim that gives
        one."""
        if not self.fatal:
            return None
        claims = []
        for claim in self.fatal:
            quantity = claim.fatalities()
            assert quantity is not None
            fields = ("measure", "value", "low", "high", "qualifier")
            superseded = frozenset(o.id for kind, o, _ in claim.relations if kind == "supersedes")
            claims.append(
                FigureClaim(claim.id, (FigureQuantity(*(quantity[f] for f in fields)),), superseded)
            )
        best, low, high = derive_figure("fatalities", claims)
        return {
            "measure": "fatalities",
            "scope": "all people killed in the attack, as reported (sides not distinguished)",
            "best": best,
            "low": low,
            "high": high,
            "claims": [claim.id for claim in self.fatal],
        }


Template = Callable[["_Article", "_Event | None"], _Sentence]


class _Article:
    """One article under construction: its publication day, outlet, events and sentences."""

    def __init__(self, rng: random.Random, published: date, events: list[_Event]) -> None:
        self.rng = rng
        self.p = published
        self.outlet, self.outlet_id = rng.choice(OUTLETS)
        self.events = events
        # Past or future tense for each event; either for an event on the publication day.
        self.tense = {
            event.id: (
                "past"
                if event.day < published
                else "future"
                if event.day > published
                else rng.choice(sorted(LEADS[event.kind]))
            )
            for event in events
        }
        # Per attack: the claims that relations connect, by role.
        self.roles: dict[str, dict[str, _Claim]] = {event.id: {} for event in events}

    # Building blocks -------------------------------------------------------------------------

    def actor(self, actor: str, cap: bool = False) -> str:
        text = self.rng.choice(ACTORS[actor])
        return _cap(text) if cap else text

    def place(self, place: str) -> Json:
        return {"text": self.rng.choice(PLACES[place]), "place": place}

    def when(self, day: date, tense: str) -> Json:
        """A date expression for day as seen from the publication day, with its resolution."""
        p, rng = self.p, self.rng
        delta = (day - p).days
        forms = ["dmy", "mdy", "wdm"] + (["dm"] if day.year == p.year else [])
        if (tense == "past" and -6 <= delta <= 0) or (tense == "future" and 0 <= delta <= 6):
            forms += ["weekday"] * 4
        if delta == -1 and tense == "past":
            forms += ["yesterday"] * 2
        if delta == 0:
            forms.append("today")
        if delta == 1 and tense == "future":
            forms += ["tomorrow"] * 2
        form = rng.choice(forms)
        weekday, month = WEEKDAYS[day.weekday()], MONTHS[day.month - 1]
        if form == "dmy":
            text, anchor = f"on {day.day} {month} {day.year}", None
        elif form == "mdy":
            text, anchor = f"on {month} {day.day}, {day.year}", None
        elif form == "dm":
            text, anchor = f"on {day.day} {month}", p
        elif form == "wdm":
            text, anchor = f"on {weekday}, {day.day} {month}", p
        elif form == "weekday":
            text, anchor = f"on {weekday}", p
        else:  # yesterday, today, tomorrow
            text, anchor = form, p
        return {
            "text": text,
            "value": day.isoformat(),
            "anchor": "absolute" if anchor is None else "publication_date",
            "anchor_date": None if anchor is None else anchor.isoformat(),
        }

    def quantity(
        self,
        n: int,
        noun: str,
        measure: str,
        counted: str,
        styles: tuple[str, ...] = ("at_least", "more_than", "about", "exact"),
        unit: str = "people",
        cap: bool = False,
    ) -> Json:
        style = self.rng.choice(styles)
        if style == "word" and n not in WORDS:
            style = "exact"
        number = f"{n:,}"
        value, low, high, qualifier = n, None, None, style
        if style == "at_least":
            text, low = f"at least {number}", n
        elif style == "more_than":
            text, low = f"more than {number}", n
        elif style == "about":
            hedge = self.rng.choice(("approximately", "around", "some", "about"))
            text = f"{hedge} {number}"
        elif style == "at_most":
            text, high = f"up to {number}", n
        elif style == "less_than":
            text, high = f"fewer than {number}", n
        elif style == "word":
            text, qualifier = WORDS[n], "exact"
        else:
            text, qualifier = number, "exact"
        text = f"{text} {noun}" if noun else text
        return {
            "text": _cap(text) if cap else text,
            "value": value,
            "low": low,
            "high": high,
            "qualifier": qualifier,
            "unit": unit,
            "measure": measure,
            "counted": counted,
        }

    # Sentences -------------------------------------------------------------------------------

    def sentences(self, target: int) -> list[_Sentence]:
        """A lead sentence for each event, then others until the article has target claims."""
        rng = self.rng
        leads = [self._lead(event) for event in self.events]
        count = sum(len(s.claims) for s in leads)
        pool: list[tuple[Template, _Event | None]] = [
            (template, event)
            for event in self.events
            for template in FOLLOW_UPS[event.kind].get(self.tense[event.id], ())
        ] + [(template, None) for template in GENERAL]
        rng.shuffle(pool)
        rest: list[_Sentence] = []
        while count < target:
            if not pool:
                pool = [(template, None) for template in GENERAL]
                rng.shuffle(pool)
            template, event = pool.pop()
            sentence = template(self, event)
            if count + len(sentence.claims) > target:
                continue
            rest.append(sentence)
            count += len(sentence.claims)
        self._relate()
        rng.shuffle(rest)
        for lead in leads[1:]:
            rest.insert(rng.randint(0, len(rest) // 2), lead)
        return leads[:1] + rest

    def _lead(self, event: _Event) -> _Sentence:
        templates = LEADS[event.kind][self.tense[event.id]]
        return self.rng.choice(templates)(self, event)

    def _relate(self) -> None:
        for event in self.events:
            roles = self.roles[event.id]
            lead, earlier = roles.get("lead"), roles.get("earlier")
            if lead and earlier:
                lead.relate(
                    "supersedes",
                    earlier,
                    "The other toll is explicitly an earlier report ('earlier spoke of').",
                )
            if "civilians" in roles and earlier:
                roles["civilians"].relate(
                    "different_scope",
                    earlier,
                    "Civilians killed on the Azerbaijani-controlled side, not the civilians "
                    "among the separatists' dead.",
                )
            if lead and "toll" in roles:
                lead_value = lead.fatalities()
                toll_value = roles["toll"].fatalities()
                if lead_value and toll_value and lead_value["value"] == toll_value["value"]:
                    roles["toll"].relate("agrees", lead, "The same death toll, another source.")

    def fatal(self, claim: _Claim, event: _Event, role: str) -> _Claim:
        """Register a claim that gives the attack's fatalities (for the event's figure)."""
        self.roles[event.id][role] = claim
        claim.referenced = True
        return claim


def _event(event: _Event | None) -> _Event:
    assert event is not None
    return event


# Attacks ---------------------------------------------------------------------------------------


def attack_killing(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    forces = a.actor("azerbaijan-armed-forces", cap=True)
    action = {
        "shelling_artillery_missile_attack": f"{forces} shelled {place['text']}",
        "armed_clash": f"{forces} clashed with separatist forces in {place['text']}",
        "air_drone_strike": f"{forces} carried out drone strikes on {place['text']}",
    }[e.type]
    when = a.when(e.day, "past")
    source = a.rng.choice(("armenia-government", "nk-authorities", "nk-separatist-forces"))
    source_text = a.actor(source)
    n = e.toll - a.rng.choice((0, 0, 1, 2))
    killed = a.quantity(
        n,
        "people",
        "fatalities",
        f"people killed in the attack on {PLACE_NAMES[e.place or '']}, according to "
        f"{NAMES[source]}",
    )
    s = _Sentence(f"{action} {when['text']}, killing {killed['text']}, according to {source_text}.")
    s.mention(e, f"{action} {when['text']}")
    claim = s.claim(
        s.text,
        source,
        source_text,
        "according to",
        "indirect",
        "figure",
        quantities=(killed,),
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    e.fatal.append(a.fatal(claim, e, "lead"))
    return s


def attack_said(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    source = a.actor("nk-separatist-forces", cap=True)
    forces = a.actor("azerbaijan-armed-forces")
    when = a.when(e.day, "past")
    killed = a.quantity(
        e.toll, "people", "fatalities", "people killed in the attack, according to the separatists"
    )
    wounded = a.quantity(
        e.toll * a.rng.randint(3, 8) + a.rng.randint(1, 9),
        "people",
        "injuries",
        "people wounded in the attack, according to the separatists",
        ("more_than", "about", "exact"),
    )
    attack = f"launched a large-scale attack on {place['text']} {when['text']}"
    s = _Sentence(
        f"{source} said that {forces} had {attack}, leaving {killed['text']} dead and "
        f"{wounded['text']} wounded."
    )
    s.mention(e, attack)
    claim = s.claim(
        s.text,
        "nk-separatist-forces",
        source,
        "said",
        "indirect",
        "figure",
        quantities=(killed, wounded),
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    e.fatal.append(a.fatal(claim, e, "lead"))
    return s


def attack_fighting(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    when = a.when(e.day, "past")
    forces = a.actor("azerbaijan-armed-forces")
    source = a.rng.choice(("armenia-government", "russian-media", "nk-authorities"))
    source_text = a.actor(source)
    fighting = f"Heavy fighting broke out in {place['text']} {when['text']}"
    s = _Sentence(
        f"{fighting}, where {forces} used artillery, rockets and attack drones, {source_text} said."
    )
    s.mention(e, fighting)
    s.claim(
        s.text,
        source,
        source_text,
        "said",
        "indirect",
        "event_report",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def attack_earlier(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    source = a.actor("nk-separatist-forces", cap=True)
    n = e.toll - a.rng.randint(1, 6)
    dead = a.quantity(
        n, "dead", "fatalities", "people killed, in the separatists' earlier count", ("exact",)
    )
    civilians = a.quantity(
        a.rng.randint(2, 9),
        "civilians",
        "civilian_fatalities",
        "civilians among the dead, in the separatists' earlier count",
        ("word",),
    )
    injured = a.quantity(
        n * a.rng.randint(4, 9),
        "injured",
        "injuries",
        "people injured, in the separatists' earlier count",
        ("more_than", "exact"),
    )
    s = _Sentence(
        f"{source} earlier spoke of {dead['text']}, including {civilians['text']}, and "
        f"{injured['text']}."
    )
    claim = s.claim(
        s.text,
        "nk-separatist-forces",
        source,
        "spoke of",
        "indirect",
        "figure",
        quantities=(dead, civilians, injured),
        events=(e,),
    )
    e.fatal.append(a.fatal(claim, e, "earlier"))
    return s


def attack_civilians(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    source = a.rng.choice(("Azerbaijan", "Baku"))
    civilians = a.quantity(
        a.rng.randint(2, 6),
        "civilians",
        "civilian_fatalities",
        "civilians killed in areas controlled by Azerbaijan, according to Azerbaijan",
        ("word",),
    )
    s = _Sentence(f"{source} said that {civilians['text']} were killed in the areas it controls.")
    a.roles[e.id]["civilians"] = s.claim(
        s.text,
        "azerbaijan-government",
        source,
        "said",
        "indirect",
        "figure",
        quantities=(civilians,),
        events=(e,),
    )
    return s


def attack_toll(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    source = a.rng.choice(("russian-media", "armenia-government", "nk-authorities"))
    source_text = a.actor(source, cap=True)
    n = e.toll if a.rng.random() < 0.5 else e.toll + a.rng.randint(1, 12)
    toll = a.quantity(
        n,
        "",
        "fatalities",
        f"people killed in the attack, according to {NAMES[source]}",
        ("exact", "about", "more_than"),
    )
    s = _Sentence(f"{source_text} put the death toll at {toll['text']}.")
    claim = s.claim(
        s.text, source, source_text, "put", "indirect", "figure", quantities=(toll,), events=(e,)
    )
    e.fatal.append(a.fatal(claim, e, "toll"))
    return s


def attack_positions(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    forces = a.rng.choice(("Azerbaijan’s Armed Forces", "The forces of Azerbaijan"))
    positions = a.quantity(
        a.rng.randint(12, 90),
        "Armenian positions",
        "military_positions",
        "Armenian positions captured, according to the Azerbaijani armed forces",
        ("exact", "more_than"),
        unit="positions",
    )
    s = _Sentence(f"{forces} announced that they had captured {positions['text']}.")
    s.claim(
        s.text,
        "azerbaijan-armed-forces",
        forces,
        "announced",
        "indirect",
        "figure",
        quantities=(positions,),
        events=(e,),
    )
    return s


def attack_denial(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    ministry = "The Azerbaijani Ministry of Defense"
    s = _Sentence(
        f"{ministry} denied targeting civilians in {place['text']} and said its units struck "
        "only military positions."
    )
    s.claim(
        s.text,
        "azerbaijan-ministry-of-defense",
        ministry,
        "denied",
        "indirect",
        "denial",
        places=(place,),
        events=(e,),
    )
    return s


def attack_accusation(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    accuser = a.actor("armenia-government", cap=True)
    accused = a.rng.choice(("Baku", "Azerbaijan"))
    s = _Sentence(
        f"{accuser} accused {accused} of carrying out a campaign of ethnic cleansing in "
        f"{place['text']}."
    )
    s.claim(
        s.text,
        "armenia-government",
        accuser,
        "accused",
        "indirect",
        "accusation",
        places=(place,),
        events=(e,),
    )
    return s


def attack_dismissal(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    kremlin = a.rng.choice(("The Kremlin", "Moscow"))
    when = a.when(a.p - timedelta(days=a.rng.randint(0, 1)), "past")
    claims = (
        f"Armenian claims that Russia had not done enough to prevent the fighting in "
        f"{place['text']}"
    )
    s = _Sentence(
        f"{kremlin} {when['text']} dismissed {claims}, saying the issue was about Azerbaijan’s "
        "actions on its own soil."
    )
    denial = s.claim(
        s.text,
        "russia-government",
        kremlin,
        "dismissed",
        "indirect",
        "denial",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    accusation = s.claim(
        claims, "armenia-government", "Armenian", "claims", "indirect", "accusation"
    )
    denial.relate("contradicts", accusation, "Russia rejects the Armenian claim.")
    return s


def attack_duration(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    hours = a.rng.choice((24, 24, 36, 48))
    duration = {
        "text": f"{hours}-hour",
        "value": hours,
        "low": None,
        "high": None,
        "qualifier": "exact",
        "unit": "hours",
        "measure": "duration",
        "counted": "length of the offensive until the separatists agreed to disarm",
    }
    source = a.rng.choice(("Russian media", "the Kremlin"))
    actor = "russian-media" if source == "Russian media" else "russia-government"
    s = _Sentence(
        f"The {duration['text']} offensive ended when the separatists agreed to lay down their "
        f"arms, {source} reported."
    )
    s.claim(
        s.text, actor, source, "reported", "indirect", "figure", quantities=(duration,), events=(e,)
    )
    return s


def attack_homes(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    source = a.actor("nk-authorities", cap=True)
    vague = a.rng.choice(("dozens of homes", "hundreds of homes"))
    s = _Sentence(f"{source} said {vague} had been destroyed in {place['text']}.")
    s.claim(
        s.text,
        "nk-authorities",
        source,
        "said",
        "indirect",
        "event_report",
        places=(place,),
        events=(e,),
    )
    s.skip(vague, "Vague quantity; the words fix no bound.")
    return s


# The ceasefire ---------------------------------------------------------------------------------


def ceasefire_agreed(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    source = a.actor("nk-separatist-forces", cap=True)
    when = a.when(e.day, "past")
    keepers = a.actor("russian-peacekeepers")
    agreed = f"they had agreed to ceasefire terms proposed by {keepers}"
    s = _Sentence(f"{source} said {when['text']} that {agreed}.")
    s.mention(e, agreed)
    s.claim(
        s.text,
        "nk-separatist-forces",
        source,
        "said",
        "indirect",
        "event_report",
        dates=(when,),
        events=(e,),
    )
    return s


def ceasefire_signed(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    when = a.when(e.day, "past")
    signed = f"A ceasefire agreement was signed {when['text']}"
    s = _Sentence(f"{signed} under the aegis of Moscow, ending the offensive of the previous day.")
    s.mention(e, signed)
    s.claim(
        s.text, a.outlet_id, None, None, "unattributed", "event_report", dates=(when,), events=(e,)
    )
    return s


def ceasefire_terms(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    when = a.when(e.day, "past")
    hour = f"{a.rng.choice((10, 11, 13, 15))}:00"
    s = _Sentence(
        f"According to a statement posted on Facebook, the ceasefire, which came into effect at "
        f"{hour} local time {when['text']}, means that separatist forces will disband and disarm."
    )
    s.claim(
        s.text,
        "nk-separatist-forces",
        None,
        "According to",
        "indirect",
        "agreement_terms",
        dates=(when,),
        events=(e,),
        note="The statement's author is not named in the sentence; attributed to the separatist "
        "forces, who announced the agreement.",
    )
    s.skip(hour, "Time of day the ceasefire took effect; the date holds the day.")
    return s


def ceasefire_withdrawal(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("nagorno-karabakh")
    troops = a.quantity(
        a.rng.randint(10, 60) * 100,
        "servicemen",
        "personnel",
        "Armenian servicemen to withdraw under the agreement",
        ("about", "at_most", "exact"),
    )
    s = _Sentence(
        f"Under the agreement, {troops['text']} of Armenia’s armed forces are to withdraw from "
        f"{place['text']}, Russia’s defence ministry said."
    )
    s.claim(
        s.text,
        "russia-defence-ministry",
        "Russia’s defence ministry",
        "said",
        "indirect",
        "agreement_terms",
        quantities=(troops,),
        places=(place,),
        events=(e,),
    )
    return s


def ceasefire_evaluation(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("caucasus")
    s = _Sentence(
        f"Turkey described the agreement as “a chance for lasting peace in the {place['text']}”."
    )
    s.claim(
        s.text,
        "turkey-government",
        "Turkey",
        "described",
        "direct",
        "evaluation",
        places=(place,),
        events=(e,),
    )
    return s


def ceasefire_violations(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    keepers = a.actor("russian-peacekeepers", cap=True)
    low = a.rng.randint(2, 6)
    high = low + a.rng.randint(2, 5)
    violations = {
        "text": f"between {low} and {high} ceasefire violations",
        "value": None,
        "low": low,
        "high": high,
        "qualifier": "range",
        "unit": "violations",
        "measure": "ceasefire_violations",
        "counted": "ceasefire violations recorded by the peacekeepers",
    }
    s = _Sentence(
        f"{keepers} said they had recorded {violations['text']} since the agreement took effect."
    )
    s.claim(
        s.text,
        "russian-peacekeepers",
        keepers,
        "said",
        "indirect",
        "figure",
        quantities=(violations,),
        events=(e,),
    )
    return s


# Talks ----------------------------------------------------------------------------------------

SIDES = "between representatives of the Armenian population and Azerbaijani authorities"


def talks_planned(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    when = a.when(e.day, "future")
    source, actor = a.rng.choice(
        (
            ("the separatists", "nk-authorities"),
            ("Azerbaijan’s presidency", "azerbaijan-presidential-administration"),
            ("the statement", "nk-separatist-forces"),
        )
    )
    held = f"Talks on the future of the region will be held {when['text']} in {place['text']}"
    s = _Sentence(f"{held} {SIDES}, {source} said.")
    s.mention(e, held)
    s.claim(
        s.text,
        actor,
        None if source == "the statement" else source,
        "said",
        "indirect",
        "plan",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def talks_held(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    when = a.when(e.day, "past")
    met = f"met {when['text']} in {place['text']} for talks on the future of the region"
    s = _Sentence(
        f"Representatives of the Armenian population and Azerbaijani authorities {met}, Russian "
        "media reported."
    )
    s.mention(e, met)
    s.claim(
        s.text,
        "russian-media",
        "Russian media",
        "reported",
        "indirect",
        "event_report",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def talks_demand(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    baku = a.rng.choice(("Baku", "Azerbaijan"))
    s = _Sentence(
        f"{baku} had demanded that the separatist authorities dissolve before talks could take "
        "place on the future of the region."
    )
    s.claim(s.text, "azerbaijan-government", baku, "demanded", "indirect", "position", events=(e,))
    return s


def talks_delegation(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    low = a.rng.randint(2, 5)
    people = {
        "text": f"{_cap(WORDS[low])} or {WORDS[low + 1]} people",
        "value": None,
        "low": low,
        "high": low + 1,
        "qualifier": "range",
        "unit": "people",
        "measure": "other",
        "counted": "members of the Armenian delegation expected at the talks",
    }
    s = _Sentence(f"“{people['text']} are expected on the Armenian side,” Elchin Amirbayov said.")
    s.claim(
        s.text,
        "elchin-amirbayov",
        "Elchin Amirbayov",
        "said",
        "direct",
        "plan",
        quantities=(people,),
        events=(e,),
    )
    return s


def talks_mediation(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    putin = a.actor("vladimir-putin")
    s = _Sentence(
        "“These negotiations will take place with the mediation of the leadership of the Russian "
        f"peacekeeping contingent,” {putin} said."
    )
    s.claim(s.text, "vladimir-putin", putin, "said", "direct", "plan", events=(e,))
    return s


def talks_coming_days(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    source = "Elchin Amirbayov"
    s = _Sentence(f"{source} said further rounds of talks would follow in the coming days.")
    s.claim(s.text, "elchin-amirbayov", source, "said", "indirect", "plan", events=(e,))
    return s


# Evacuation -----------------------------------------------------------------------------------


def evacuation_residents(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    when = a.when(e.day, "past")
    source = a.actor("nk-authorities")
    evacuated = a.quantity(
        a.rng.randint(5, 90) * 100,
        "residents",
        "evacuated",
        f"residents evacuated from {PLACE_NAMES[e.place or '']}",
        ("about", "more_than", "exact"),
        cap=True,
    )
    left = f"were evacuated from {place['text']} {when['text']}"
    s = _Sentence(f"{evacuated['text']} {left}, {source} said.")
    s.mention(e, left)
    s.claim(
        s.text,
        "nk-authorities",
        source,
        "said",
        "indirect",
        "figure",
        quantities=(evacuated,),
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def evacuation_peacekeepers(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    when = a.when(e.day, "past")
    keepers = a.actor("russian-peacekeepers", cap=True)
    evacuated = a.quantity(
        a.rng.randint(5, 90) * 100,
        "civilians",
        "evacuated",
        "civilians evacuated by the Russian peacekeepers",
        ("about", "more_than", "exact"),
    )
    took = f"had evacuated {evacuated['text']} from {place['text']}"
    s = _Sentence(f"{keepers} said {when['text']} that they {took}.")
    s.mention(e, took)
    s.claim(
        s.text,
        "russian-peacekeepers",
        keepers,
        "said",
        "indirect",
        "figure",
        quantities=(evacuated,),
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def evacuation_share(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    share = a.rng.randint(10, 90)
    quantity = {
        "text": f"About {share}% of the population",
        "value": share,
        "low": None,
        "high": None,
        "qualifier": "about",
        "unit": "percent",
        "measure": "percentage",
        "counted": f"share of the population of {PLACE_NAMES[e.place or '']} that has left",
    }
    s = _Sentence(
        f"{quantity['text']} of {place['text']} has left, according to the breakaway authorities."
    )
    s.claim(
        s.text,
        "nk-authorities",
        "the breakaway authorities",
        "according to",
        "indirect",
        "figure",
        quantities=(quantity,),
        places=(place,),
        events=(e,),
    )
    return s


def evacuation_shelter(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    keepers = a.actor("russian-peacekeepers", cap=True)
    sheltered = a.quantity(
        a.rng.randint(3, 60) * 100,
        "civilians",
        "displaced",
        "displaced civilians sheltered at the peacekeepers' base",
        ("more_than", "about", "exact"),
    )
    s = _Sentence(f"{keepers} said they were sheltering {sheltered['text']} at their base.")
    s.claim(
        s.text,
        "russian-peacekeepers",
        keepers,
        "said",
        "indirect",
        "figure",
        quantities=(sheltered,),
        events=(e,),
    )
    return s


def evacuation_waiting(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place(e.place or "")
    s = _Sentence(f"Hundreds of families are still waiting to leave {place['text']}.")
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "event_report",
        places=(place,),
        events=(e,),
    )
    s.skip("Hundreds of families", "Vague quantity; the words fix no bound.")
    return s


# Protest --------------------------------------------------------------------------------------


def protest_gathered(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("yerevan")
    when = a.when(e.day, "past")
    gathered = f"Protesters gathered outside the government building in Yerevan {when['text']}"
    s = _Sentence(f"{gathered}, demanding the resignation of Prime Minister Nikol Pashinyan.")
    s.mention(e, gathered)
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "event_report",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def protest_detained(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    detained = a.quantity(
        a.rng.randint(8, 140),
        "people",
        "other",
        "people detained by the police at the protest",
        ("more_than", "at_least", "exact"),
    )
    s = _Sentence(f"Police detained {detained['text']} during the protest.")
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "figure",
        quantities=(detained,),
        events=(e,),
    )
    return s


def protest_crowd(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    crowd = a.quantity(
        a.rng.randint(2, 30) * 1000,
        "people",
        "other",
        "people at the protest in Yerevan, according to Russian media",
        ("about", "more_than"),
    )
    s = _Sentence(f"The crowd numbered {crowd['text']}, Russian media reported.")
    s.claim(
        s.text,
        "russian-media",
        "Russian media",
        "reported",
        "indirect",
        "figure",
        quantities=(crowd,),
        events=(e,),
    )
    return s


def protest_coup(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    pashinyan = a.actor("nikol-pashinyan")
    s = _Sentence(f"{pashinyan} said the protesters were trying to seize power.")
    s.claim(s.text, "nikol-pashinyan", pashinyan, "said", "indirect", "accusation", events=(e,))
    return s


# A telephone call -----------------------------------------------------------------------------


def _callee(e: _Event) -> str:
    return (
        "Armenian Prime Minister, Nikol Pashinyan"
        if e.actors[1][0] == "nikol-pashinyan"
        else "Azerbaijan’s President Ilham Aliyev"
    )


def call_held(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    when = a.when(e.day, "past")
    putin = a.actor("vladimir-putin")
    call = f"held a telephone conversation with {_callee(e)} {when['text']}"
    s = _Sentence(f"{putin} {call}, the Kremlin said.")
    s.mention(e, call)
    s.claim(
        s.text,
        "russia-government",
        "the Kremlin",
        "said",
        "indirect",
        "event_report",
        dates=(when,),
        events=(e,),
    )
    return s


def call_planned(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    when = a.when(e.day, "future")
    call = (
        f"a telephone conversation between President Vladimir Putin and {_callee(e)} would take "
        f"place {when['text']}"
    )
    s = _Sentence(f"Kremlin spokesman, Dmitry Peskov, said {call}.")
    s.mention(e, call)
    s.claim(
        s.text,
        "dmitry-peskov",
        "Kremlin spokesman, Dmitry Peskov",
        "said",
        "indirect",
        "plan",
        dates=(when,),
        events=(e,),
    )
    return s


def call_discussed(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("nagorno-karabakh")
    s = _Sentence(
        f"The Kremlin said the two leaders had discussed the situation in {place['text']}."
    )
    s.claim(
        s.text,
        "russia-government",
        "The Kremlin",
        "said",
        "indirect",
        "event_report",
        places=(place,),
        events=(e,),
    )
    s.skip("the two leaders", "Refers to the two parties to the call, not a reported figure.")
    return s


# The Security Council -------------------------------------------------------------------------


def council_planned(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("nagorno-karabakh")
    when = a.when(e.day, "future")
    meeting = f"the UN Security Council would hold an emergency meeting on {place['text']}"
    s = _Sentence(f"France said {meeting} {when['text']}.")
    s.mention(e, meeting)
    s.claim(
        s.text,
        "france-government",
        "France",
        "said",
        "indirect",
        "plan",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


def council_held(a: _Article, e: _Event | None) -> _Sentence:
    e = _event(e)
    place = a.place("nagorno-karabakh")
    when = a.when(e.day, "past")
    meeting = f"The UN Security Council held an emergency meeting on {place['text']} {when['text']}"
    s = _Sentence(f"{meeting} at the request of France.")
    s.mention(e, meeting)
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "event_report",
        dates=(when,),
        places=(place,),
        events=(e,),
    )
    return s


# Not about one event --------------------------------------------------------------------------


def background_control(a: _Article, e: _Event | None) -> _Sentence:
    region, country = a.place("nagorno-karabakh"), a.place("azerbaijan")
    s = _Sentence(
        f"{region['text']}, which is recognized internationally as part of {country['text']}, "
        "had been controlled by ethnic Armenian separatists since a war that ended in 1994."
    )
    year = {"text": "1994", "value": "1994", "anchor": "absolute", "anchor_date": None}
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "background",
        dates=(year,),
        places=(region, country),
    )
    return s


def background_peacekeepers(a: _Article, e: _Event | None) -> _Sentence:
    keepers = a.quantity(
        a.rng.choice((1960, 2000)),
        "peacekeepers",
        "personnel",
        "Russian peacekeepers deployed in Nagorno-Karabakh",
        ("about",),
    )
    year = {"text": "2020", "value": "2020", "anchor": "absolute", "anchor_date": None}
    s = _Sentence(
        f"Russia, a guarantor of the 2020 ceasefire, has {keepers['text']} deployed in the region."
    )
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "background",
        quantities=(keepers,),
        dates=(year,),
    )
    return s


def background_war(a: _Article, e: _Event | None) -> _Sentence:
    weeks = {
        "text": "six-week",
        "value": 6,
        "low": None,
        "high": None,
        "qualifier": "exact",
        "unit": "weeks",
        "measure": "duration",
        "counted": "length of the 2020 war",
    }
    year = {"text": "in 2020", "value": "2020", "anchor": "absolute", "anchor_date": None}
    s = _Sentence("Armenia and Azerbaijan fought a six-week war over the region in 2020.")
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "background",
        quantities=(weeks,),
        dates=(year,),
    )
    return s


def background_population(a: _Article, e: _Event | None) -> _Sentence:
    people = a.quantity(
        a.rng.choice((100_000, 120_000)),
        "ethnic Armenians",
        "other",
        "population of the region, according to the separatist authorities",
        ("about",),
    )
    source = a.actor("nk-authorities")
    s = _Sentence(f"The region is home to {people['text']}, according to {source}.")
    s.claim(
        s.text,
        "nk-authorities",
        source,
        "according to",
        "indirect",
        "figure",
        quantities=(people,),
    )
    return s


def position_guterres(a: _Article, e: _Event | None) -> _Sentence:
    place = a.place("nagorno-karabakh")
    guterres = "UN Secretary-General, Antonio Guterres"
    s = _Sentence(f"{guterres}, called for an immediate end to the fighting in {place['text']}.")
    s.claim(
        s.text,
        "antonio-guterres",
        guterres,
        "called for",
        "indirect",
        "position",
        places=(place,),
    )
    return s


def position_united_states(a: _Article, e: _Event | None) -> _Sentence:
    us = a.actor("united-states-government", cap=True)
    s = _Sentence(f"{us} urged Azerbaijan to halt military operations and return to negotiations.")
    s.claim(s.text, "united-states-government", us, "urged", "indirect", "position")
    return s


def position_turkey(a: _Article, e: _Event | None) -> _Sentence:
    s = _Sentence(
        "Turkey called for the continuation of the negotiation process between the two countries."
    )
    s.claim(s.text, "turkey-government", "Turkey", "called for", "indirect", "position")
    s.skip("the two countries", "Refers to Armenia and Azerbaijan, not a figure.")
    return s


def position_russia(a: _Article, e: _Event | None) -> _Sentence:
    russia = a.actor("russia-government", cap=True)
    s = _Sentence(
        f"{russia} has expressed its concern over the violent escalation of the situation."
    )
    s.claim(s.text, "russia-government", russia, "expressed", "indirect", "position")
    return s


def evaluation_kremlin(a: _Article, e: _Event | None) -> _Sentence:
    s = _Sentence("The Kremlin described the talks as “constructive and peaceful”.")
    s.claim(s.text, "russia-government", "The Kremlin", "described", "direct", "evaluation")
    return s


def evaluation_miller(a: _Article, e: _Event | None) -> _Sentence:
    miller = "Matthew Miller, spokesman for the US State Department"
    s = _Sentence(f"“We continue to believe that peace is within reach,” said {miller}.")
    s.claim(s.text, "matthew-miller", miller, "said", "direct", "evaluation")
    return s


def denial_troops(a: _Article, e: _Event | None) -> _Sentence:
    place = a.place("nagorno-karabakh")
    armenia = a.actor("armenia-government", cap=True)
    s = _Sentence(f"{armenia} has assured that it has no troops in {place['text']}.")
    s.claim(s.text, "armenia-government", armenia, "assured", "indirect", "denial", places=(place,))
    return s


FOREIGN_MINISTRY = "The Azerbaijani Foreign Ministry"


def accusation_interference(a: _Article, e: _Event | None) -> _Sentence:
    baku, actor = a.rng.choice(
        (
            ("Baku", "azerbaijan-government"),
            (FOREIGN_MINISTRY, "azerbaijan-ministry-of-foreign-affairs"),
        )
    )
    s = _Sentence(
        f"{baku} accused Yerevan of interfering in the reintegration of Karabakh’s Armenian "
        "residents."
    )
    s.claim(s.text, actor, baku, "accused", "indirect", "accusation")
    return s


def position_assembly(a: _Article, e: _Event | None) -> _Sentence:
    assembly = "The Artsakh National Assembly"
    s = _Sentence(f"{assembly} called on the OSCE Minsk Group to impose sanctions on Azerbaijan.")
    s.claim(s.text, "artsakh-national-assembly", assembly, "called on", "indirect", "position")
    return s


def event_lachin(a: _Article, e: _Event | None) -> _Sentence:
    month = {"text": "December 2022", "value": "2022-12", "anchor": "absolute", "anchor_date": None}
    ministry = FOREIGN_MINISTRY
    s = _Sentence(
        f"{ministry} said the blockade of the Lachin corridor, in place since December 2022, "
        "would be lifted."
    )
    s.claim(
        s.text,
        "azerbaijan-ministry-of-foreign-affairs",
        ministry,
        "said",
        "indirect",
        "plan",
        dates=(month,),
    )
    return s


def figure_mines(a: _Article, e: _Event | None) -> _Sentence:
    share = a.rng.randint(5, 60)
    mines = {
        "text": f"{share}% of the mines",
        "value": share,
        "low": None,
        "high": None,
        "qualifier": "exact",
        "unit": "percent",
        "measure": "percentage",
        "counted": "share of the mines laid in the region that have been cleared",
    }
    s = _Sentence(f"Azerbaijan said {mines['text']} laid in the region had been cleared.")
    s.claim(
        s.text,
        "azerbaijan-government",
        "Azerbaijan",
        "said",
        "indirect",
        "figure",
        quantities=(mines,),
    )
    return s


def figure_missing(a: _Article, e: _Event | None) -> _Sentence:
    source = a.actor("nk-authorities")
    missing = a.quantity(
        a.rng.randint(20, 400),
        "people",
        "other",
        "people missing, according to the separatist authorities",
        ("at_most",),
        cap=True,
    )
    s = _Sentence(f"{missing['text']} may still be missing, {source} said.")
    s.claim(s.text, "nk-authorities", source, "said", "indirect", "figure", quantities=(missing,))
    return s


def figure_journalists(a: _Article, e: _Event | None) -> _Sentence:
    journalists = a.quantity(
        a.rng.randint(10, 50),
        "journalists",
        "other",
        "journalists allowed into the region",
        ("less_than",),
        cap=True,
    )
    s = _Sentence(f"{journalists['text']} have been allowed into the region so far.")
    s.claim(
        s.text,
        a.outlet_id,
        None,
        None,
        "unattributed",
        "figure",
        quantities=(journalists,),
    )
    return s


def plan_ministers(a: _Article, e: _Event | None) -> _Sentence:
    place = a.place("washington")
    s = _Sentence(
        "Armenian Foreign Minister Ararat Mirzoyan and Jeyhun Bayramov are expected to meet in "
        f"{place['text']} later this month."
    )
    s.claim(s.text, a.outlet_id, None, None, "unattributed", "plan", places=(place,))
    return s


def report_media(a: _Article, e: _Event | None) -> _Sentence:
    keepers = a.actor("russian-peacekeepers")
    s = _Sentence(
        f"Russian media reported that the truce was achieved thanks to the intervention of "
        f"{keepers}."
    )
    s.claim(s.text, "russian-media", "Russian media", "reported", "indirect", "event_report")
    return s


LEADS: dict[str, dict[str, tuple[Template, ...]]] = {
    "attack": {"past": (attack_killing, attack_said, attack_fighting)},
    "ceasefire": {"past": (ceasefire_agreed, ceasefire_signed)},
    "talks": {"past": (talks_held,), "future": (talks_planned,)},
    "evacuation": {"past": (evacuation_residents, evacuation_peacekeepers)},
    "protest": {"past": (protest_gathered,)},
    "call": {"past": (call_held,), "future": (call_planned,)},
    "council": {"past": (council_held,), "future": (council_planned,)},
}
_ATTACK = (
    attack_earlier,
    attack_civilians,
    attack_toll,
    attack_positions,
    attack_denial,
    attack_accusation,
    attack_dismissal,
    attack_duration,
    attack_homes,
)
FOLLOW_UPS: dict[str, dict[str, tuple[Template, ...]]] = {
    "attack": {"past": _ATTACK},
    "ceasefire": {
        "past": (
            ceasefire_terms,
            ceasefire_withdrawal,
            ceasefire_evaluation,
            ceasefire_violations,
        )
    },
    "talks": {
        "past": (talks_demand, talks_coming_days),
        "future": (talks_demand, talks_delegation, talks_mediation, talks_coming_days),
    },
    "evacuation": {
        "past": (evacuation_share, evacuation_shelter, evacuation_waiting),
    },
    "protest": {"past": (protest_detained, protest_crowd, protest_coup)},
    "call": {"past": (call_discussed,)},
    "council": {},
}
GENERAL: tuple[Template, ...] = (
    background_control,
    background_peacekeepers,
    background_war,
    background_population,
    position_guterres,
    position_united_states,
    position_turkey,
    position_russia,
    evaluation_kremlin,
    evaluation_miller,
    denial_troops,
    accusation_interference,
    position_assembly,
    event_lachin,
    figure_mines,
    figure_missing,
    figure_journalists,
    plan_ministers,
    report_media,
)


# Writing -------------------------------------------------------------------------------------


@dataclass
class _Counts:
    articles: int = 0
    claims: int = 0
    mentions: int = 0
    events: int = 0
    skipped: int = 0
    relations: int = 0
    figures: int = 0

    def add(self, other: "_Counts") -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class _Written:
    id: str
    raw: bytes
    record: Json
    claims: list[_Claim]


def _paragraphs(rng: random.Random, sentences: list[_Sentence]) -> list[list[_Sentence]]:
    """Eight to twelve paragraphs (fewer only if there are fewer sentences)."""
    count = min(rng.randint(8, 12), len(sentences))
    cuts = [0, *sorted(rng.sample(range(1, len(sentences)), count - 1)), len(sentences)]
    return [sentences[a:b] for a, b in pairwise(cuts)]


def _article(rng: random.Random, number: int, published: date, events: list[_Event]) -> _Written:
    """One article: its raw text, and its annotation record with every quote resolved."""
    art = _Article(rng, published, events)
    sentences = art.sentences(rng.randint(15, 25))
    inferred = rng.random() < 0.1
    dateline = None
    if inferred:
        headline_date = _day(published)
        title = f"Karabakh conflict update, {headline_date}"
    else:
        title = rng.choice(TITLES)
    # The clean text, sentence by sentence, with where each sentence starts.
    parts: list[str] = [title]
    starts: list[tuple[int, _Sentence]] = []
    offset = len(title)
    paragraphs = _paragraphs(rng, sentences)
    texts = []
    for paragraph in paragraphs:
        offset += 2
        pieces = []
        for k, sentence in enumerate(paragraph):
            if k:
                offset += 1
            starts.append((offset, sentence))
            offset += len(sentence.text)
            pieces.append(sentence.text)
        texts.append(" ".join(pieces))
    parts += texts
    clean = "\n\n".join(parts)
    # The raw text: the clean text with site chrome around and between the paragraphs.
    lines = [title, art.outlet]
    if not inferred:
        time = f" at {rng.randint(7, 22)}:{rng.randint(0, 59):02d}" if rng.random() < 0.8 else ""
        dateline = f"Published on {published.day:02d}/{published.month:02d}/{published.year}{time}"
        lines.append(dateline)
    lines.append("")
    if rng.random() < 0.3:
        lines += ["No time to read?", "Get a summary", ""]
    numbered = rng.randrange(len(texts))
    extra = rng.randrange(len(texts)) if rng.random() < 0.5 else -1
    for k, text in enumerate(texts):
        lines += [text, ""]
        if k == numbered:
            lines += [f"Also read: Karabakh briefing no. {number}", ""]
        if k == extra:
            lines += [f"Also read: {rng.choice(TEASERS)}", ""]
    footer = rng.choice(FOOTERS)
    lines += footer
    raw = ("\n".join(lines) + ("\n" if rng.random() < 0.5 else "")).encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    article_id = f"{number % 1000:03d}_{digest[:16]}"
    # Claims in text order, numbered, each quote located exactly.
    placed: list[_Claim] = []
    skipped: list[Json] = []
    if inferred:
        skipped.append(
            {
                "text": headline_date,
                **_occurrence_field(clean, headline_date, clean.index(headline_date)),
                "reason": "Date in the headline; recorded as the article's publication date.",
            }
        )
    for start, sentence in starts:
        for claim in sentence.claims:
            claim.start += start
            placed.append(claim)
        for at, text, reason in sentence.skips:
            skipped.append(
                {"text": text, **_occurrence_field(clean, text, start + at), "reason": reason}
            )
        for at, quote, event in sentence.mentions:
            mention: Json = {"article": article_id, "quote": quote}
            mention.update(_occurrence_field(clean, quote, start + at))
            event.mentions.append(mention)
    placed.sort(key=lambda c: (c.start, -len(c.quote)))
    for index, claim in enumerate(placed, start=1):
        claim.id = f"{article_id}-c{index:03d}"
    claims = []
    for claim in placed:
        record: Json = {"id": claim.id, "quote": claim.quote}
        record.update(_occurrence_field(clean, claim.quote, claim.start))
        record.update(claim.fields)
        if claim.relations:
            record["relations"] = [
                {"type": kind, "claim": other.id, "note": note}
                for kind, other, note in claim.relations
            ]
        claims.append(record)
    publication: Json
    if inferred:
        publication = {
            "value": published.isoformat(),
            "derivation": "inferred",
            "evidence": headline_date,
            "note": "The article has no dateline; the headline gives its date.",
        }
    else:
        publication = {
            "value": published.isoformat(),
            "derivation": "stated",
            "evidence": dateline,
            "note": None,
        }
    record = {
        "article": {
            "id": article_id,
            "sha256": digest,
            "title": title,
            "outlet": art.outlet,
            "language": "en",
            "publication_date": publication,
        },
        "claims": claims,
        "skipped": skipped,
    }
    return _Written(article_id, raw, record, placed)


def _occurrence_field(text: str, part: str, start: int) -> Json:
    occurrence = _occurrence(text, part, start)
    return {} if occurrence is None else {"occurrence": occurrence}


def _spoil(
    rng: random.Random, written: _Written, kinds: list[int], path: str, line: int
) -> tuple[Json, list[Location]]:
    """The record with one of its claims made invalid for each error number in kinds."""
    record = json.loads(json.dumps(written.record))
    claims: list[Json] = record["claims"]
    candidates = [i for i, claim in enumerate(written.claims) if not claim.referenced and i > 0]
    if len(candidates) < len(kinds):
        raise ValueError(f"article {written.id} has too few claims to spoil {len(kinds)}")
    chosen = sorted(rng.sample(candidates, len(kinds)))
    untouched = [i for i in range(len(claims)) if i not in chosen]
    locations = []
    for number, index in zip(kinds, chosen, strict=True):
        claim = claims[index]
        kind = INVALID_KINDS[number % len(INVALID_KINDS)]
        if kind == "quote":
            claim["quote"] = claim["quote"].replace(" ", "  ", 1)
            field = "quote"
        elif kind == "event":
            events = claim.setdefault("events", [])
            events.append(f"ev-unknown-{number:06d}")
            field = f"events[{len(events) - 1}]"
        elif kind == "claim_type":
            claim["claim_type"] = "rumour"
            field = "claim_type"
        else:
            earlier = [i for i in untouched if i < index]
            claim["id"] = claims[rng.choice(earlier)]["id"]
            field = "id"
        locations.append((path, line, f"claims[{index}].{field}"))
    return record, locations


def _spread(total: int, articles: int) -> dict[int, list[int]]:
    """The errors (numbered from 0) each chosen article gets: total errors spread evenly."""
    chosen: dict[int, list[int]] = {}
    for k in range(total):
        chosen.setdefault((2 * k + 1) * articles // (2 * total), []).append(k)
    return chosen


def _write_bytes(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _dump(record: Json) -> str:
    return _ENCODER.encode(record) + "\n"


@dataclass(frozen=True)
class _Job:
    """What every chunk of groups needs to know; small, so that it pickles cheaply."""

    out: Path
    seed: int
    articles: int
    per_file: int
    spoiled: dict[int, list[int]]


@dataclass
class _Chunk:
    """A chunk's output for the annotation files, in article order."""

    lines: list[str]
    events: list[str]
    invalid: list[Location]
    counts: _Counts


def _file_of(job: _Job, number: int) -> tuple[str, int]:
    """The articles file holding an article, and its line there."""
    return f"{ANNOTATIONS}/articles-{number // job.per_file:05d}.jsonl", number % job.per_file + 1


def _groups(job: _Job, groups: range) -> _Chunk:
    """Generate groups of articles; write their seed files, return their annotation lines.

    Each group draws from its own random.Random, seeded by the seed and the group's number, so
    chunks can be generated in any order, in any process, and give the same bytes."""
    chunk = _Chunk([], [], [], _Counts())
    counts = chunk.counts
    seeds = job.out / "seeds"
    for group in groups:
        rng = _Random(f"{job.seed}:{group}")
        first_article = group * GROUP
        first = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        kinds = ["attack", *rng.sample(EVENT_KINDS[1:], rng.choice((1, 2, 2, 3)))]
        if rng.random() < 0.15:
            kinds = list(dict.fromkeys([*kinds[1:], rng.choice(EVENT_KINDS[1:])]))
        events = [_Event(rng, group, k + 1, kind, first) for k, kind in enumerate(kinds)]
        for number in range(first_article, min(first_article + GROUP, job.articles)):
            published = first + timedelta(days=rng.randint(1, 3))
            written = _article(rng, number, published, events)
            _write_bytes(seeds / f"{written.id}.txt", written.raw)
            record = written.record
            if number in job.spoiled:
                path, line = _file_of(job, number)
                spoiler = _Random(f"{job.seed}:invalid:{number}")
                record, found = _spoil(spoiler, written, job.spoiled[number], path, line)
                chunk.invalid += found
            chunk.lines.append(_dump(record))
            counts.articles += 1
            counts.claims += len(written.claims)
            counts.skipped += len(record["skipped"])
            counts.relations += sum(len(c.relations) for c in written.claims)
        for event in events:
            event_record = event.record()
            counts.events += 1
            counts.mentions += len(event.mentions)
            counts.figures += len(event_record.get("figures", ()))
            chunk.events.append(_dump(event_record))
    return chunk


def _chunks(job: _Job, workers: int) -> Iterator[_Chunk]:
    """Every chunk of groups in order, generated by workers processes."""
    groups = -(-job.articles // GROUP)
    size = 100
    ranges = [range(g, min(g + size, groups)) for g in range(0, groups, size)]
    if workers <= 1 or len(ranges) <= 1:
        yield from (_groups(job, r) for r in ranges)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(partial(_groups, job), ranges)


def _default_workers(articles: int) -> int:
    if articles < 2000:
        return 1
    return max(1, min(8, len(os.sched_getaffinity(0))))


def generate(
    out: Path,
    articles: int,
    seed: int = 0,
    invalid: int = 0,
    per_file: int = 1000,
    *,
    overwrite: bool = False,
    workers: int | None = None,
) -> Summary:
    """Write the corpus under out; see the module's docstring. workers (default: one for a
    small corpus, else one per available CPU, at most 8) does not change the bytes written."""
    if articles < 0 or invalid < 0 or per_file < 1:
        raise ValueError("articles and invalid must be 0 or more, per_file 1 or more")
    if invalid and not articles:
        raise ValueError("cannot spoil claims of an empty corpus")
    seeds = out / "seeds"
    if seeds.exists():
        if not overwrite:
            raise FileExistsError(f"{seeds} exists; pass overwrite=True (--force) to replace it")
        shutil.rmtree(seeds)
        shutil.rmtree(out / "data", ignore_errors=True)
    annotations = out / ANNOTATIONS
    annotations.mkdir(parents=True)
    for name in (*COPIED, *DOCUMENTS):
        shutil.copyfile(REPO / name, out / name)
    job = _Job(out, seed, articles, per_file, _spread(invalid, articles) if invalid else {})
    counts, locations, files = _Counts(), [], 0
    stream: TextIO | None = None
    number = 0
    with (annotations / "events.jsonl").open("w", encoding="utf-8", newline="\n") as events_out:
        for chunk in _chunks(job, _default_workers(articles) if workers is None else workers):
            for line in chunk.lines:
                if number % per_file == 0:
                    if stream is not None:
                        stream.close()
                    stream = (out / _file_of(job, number)[0]).open(
                        "w", encoding="utf-8", newline="\n"
                    )
                    files += 1
                assert stream is not None
                stream.write(line)
                number += 1
            events_out.writelines(chunk.events)
            locations += chunk.invalid
            counts.add(chunk.counts)
    if stream is not None:
        stream.close()
    return Summary(
        articles=counts.articles,
        claims=counts.claims,
        mentions=counts.mentions,
        events=counts.events,
        skipped=counts.skipped,
        relations=counts.relations,
        figures=counts.figures,
        annotation_files=files,
        invalid=locations,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--invalid", type=int, default=0, help="claims to make invalid")
    parser.add_argument("--per-file", type=int, default=1000, help="articles per .jsonl file")
    parser.add_argument("--workers", type=int, help="processes (default: one per CPU, at most 8)")
    parser.add_argument("--force", action="store_true", help="replace an existing corpus")
    args = parser.parse_args(argv)
    try:
        summary = generate(
            args.out,
            args.articles,
            seed=args.seed,
            invalid=args.invalid,
            per_file=args.per_file,
            overwrite=args.force,
            workers=args.workers,
        )
    except (FileExistsError, ValueError) as error:
        print(f"synthetic: {error}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(summary), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
