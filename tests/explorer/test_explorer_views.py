"""The explorer's views against the release's Parquet rows, in a real browser: each check
holds for every article, claim and event the release has, so it keeps holding as articles are
added."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import RELEASE, REPO, Row, Visit, parquet_rows

from build_dataset.write.changelog import read_changelog
from build_dataset.write.release import sha256_file
from build_dataset.write.version import DATASET_VERSION

OFFENSIVE = "ev-2023-09-19-azerbaijan-offensive-nagorno-karabakh"
PAIR_TYPES = ("contradicts", "opposes", "different_scope", "supersedes")


def words(label: str) -> str:
    return label.replace("_", " ")


def richest_claim(claims: list[Row]) -> Row:
    """The claim whose details have the most to show (cue, dates, figures, places, relations,
    events), so that every part of the panel is checked."""
    parts = ("cue", "claimant_span", "dates", "quantities", "places", "relations", "event_ids")
    return max(claims, key=lambda c: (sum(bool(c[p]) for p in parts), c["id"]))


def test_the_site_states_its_release_and_manifest_checksum(visit: Visit) -> None:
    page = visit.open("articles")
    assert page.inner_text("#release-version") == DATASET_VERSION
    sha256 = sha256_file(RELEASE / "manifest.json")
    assert page.inner_text("#manifest-sha256") == sha256
    recorded = read_changelog(REPO)[DATASET_VERSION].manifest_sha256
    header = page.inner_text("header .release")
    assert ("as CHANGELOG.md records it" in header) == (recorded == sha256)
    assert page.locator("table tbody tr").count() == min(len(parquet_rows("articles")), 200)


def test_clicking_a_claim_shows_its_parquet_row(visit: Visit) -> None:
    claim = richest_claim(parquet_rows("claims"))
    page = visit.open(f"article/{claim['article_id']}")
    page.locator(f'#article-text a[data-claim="{claim["id"]}"]').first.click()
    visit.wait("claim")
    assert page.evaluate("location.hash") == f"#claim/{claim['id']}"
    details = page.locator("#details")
    assert claim["id"] in details.locator("h3").inner_text()
    fields = dict(
        zip(
            details.locator("dl.fields > dt").all_inner_texts(),
            details.locator("dl.fields > dd").all_inner_texts(),
            strict=True,
        )
    )
    assert details.locator("blockquote.quote").inner_text() == claim["span"]["text"].strip()
    assert fields["Claimant"].startswith(claim["claimant"]["name"])
    assert words(claim["claimant"]["type"]) in fields["Claimant"]
    assert fields["Cue"] == (claim["cue"]["text"] if claim["cue"] else "none")
    assert fields["Quote type"] == words(claim["quote_type"])
    assert fields["Claim type"] == words(claim["claim_type"])
    for date in claim["dates"]:
        assert f"{date['span']['text']} → {date['value']} ({date['precision']}" in fields["Dates"]
    for quantity in claim["quantities"]:
        assert f"{quantity['span']['text']} → {words(quantity['qualifier'])}" in fields["Figures"]
        assert words(quantity["measure"]) in fields["Figures"]
    for place in claim["places"]:
        assert f"{place['span']['text']} → {place['place']['name']}" in fields["Places"]
    links = details.locator("dl.fields a").evaluate_all("nodes => nodes.map(n => n.hash)")
    for relation in claim["relations"]:
        assert f"#claim/{relation['claim_id']}" in links
        assert words(relation["type"]) in fields["Relations"].lower()
    for event_id in claim["event_ids"]:
        assert f"#event/{event_id}" in links


def test_every_claim_is_highlighted_on_its_span_in_the_clean_text(visit: Visit) -> None:
    claims = defaultdict(list)
    for claim in parquet_rows("claims"):
        claims[claim["article_id"]].append(claim)
    for article in parquet_rows("articles"):
        page = visit.open(f"article/{article['id']}?removed=hide")
        text = page.locator("#article-text")
        assert text.evaluate("node => node.textContent").startswith(article["clean_text"])
        spans = {c["id"]: c["span"] for c in claims[article["id"]]}
        marked: dict[str, int] = defaultdict(int)
        for claim_id, start, end, piece in text.locator("a.claim").evaluate_all(
            "ns => ns.map(n => [n.dataset.claim, +n.dataset.from, +n.dataset.to, n.textContent])"
        ):
            span = spans[claim_id]
            assert span["start"] <= start <= end <= span["end"]
            assert piece in ("", article["clean_text"][start:end])
            marked[claim_id] += len(piece)
        assert set(marked) == set(spans)  # every claim can be clicked
        alone = [
            i
            for i, s in spans.items()
            if not any(
                o != i and t["start"] < s["end"] and t["end"] > s["start"] for o, t in spans.items()
            )
        ]
        for claim_id in alone:  # a claim that overlaps none is marked whole
            assert marked[claim_id] == spans[claim_id]["end"] - spans[claim_id]["start"]


def test_removed_chrome_and_the_truncation_point_are_shown_in_place(visit: Visit) -> None:
    for article in parquet_rows("articles"):
        page = visit.open(f"article/{article['id']}")
        shown = page.locator("#article-text .removed")
        kept = [s for s in article["removed_segments"] if s["kind"] != "whitespace"]
        assert shown.count() == len(kept)
        assert page.locator("#article-text .cut-end").count() == int(article["truncated"])
        if article["truncated"]:
            notices = [s for s in kept if s["kind"] in ("paywall", "subscription")]
            assert page.locator("#article-text .removed.truncation").count() == len(notices)
        page.uncheck("#show-removed")
        visit.wait("article")
        assert page.locator("#article-text .removed").count() == 0


def test_colours_switch_between_claimant_and_claim_type(visit: Visit) -> None:
    claims = parquet_rows("claims")
    article_id = claims[0]["article_id"]
    mine = [c for c in claims if c["article_id"] == article_id]
    page = visit.open(f"article/{article_id}")
    for by, key in (
        ("claimant", lambda c: c["claimant"]["id"]),
        ("type", lambda c: c["claim_type"]),
    ):
        if by == "type":
            page.check('input[name="colour-by"][value="type"]')
            visit.wait("article")
            assert page.evaluate("location.hash").endswith("?by=type")
        colour = {}
        for claim in mine:
            classes = page.locator(f'a.claim[data-claim="{claim["id"]}"]').first.get_attribute(
                "class"
            )
            colour[claim["id"]] = " ".join(re.findall(r"\b(?:c[0-9]+|pattern)\b", classes or ""))
        for a in mine:
            for b in mine:
                if key(a) == key(b):
                    assert colour[a["id"]] == colour[b["id"]]
        legend = page.locator(".legend li").count()
        assert legend == len({key(c) for c in mine})


def test_a_relation_link_leads_to_the_related_claim(visit: Visit) -> None:
    claim = next(c for c in parquet_rows("claims") if c["relations"])
    target = claim["relations"][0]["claim_id"]
    page = visit.open(f"claim/{claim['id']}")
    page.locator(f'#details dl.fields a[href="#claim/{target}"]').first.click()
    visit.wait("claim")
    assert page.evaluate("location.hash") == f"#claim/{target}"
    assert target in page.inner_text("#details h3")
    assert page.locator(f'#article-text a.selected[data-claim="{target}"]').count() >= 1


def test_an_event_lists_its_mentions_in_every_article(visit: Visit) -> None:
    events = parquet_rows("events")
    assert any(e["id"] == OFFENSIVE for e in events)
    for event in events:
        page = visit.open(f"event/{event['id']}")
        assert page.inner_text("#view-title") == event["description"]
        expected: dict[str, list[str]] = defaultdict(list)
        for mention in event["mentions"]:
            expected[mention["article_id"]].append(mention["span"]["text"])
        shown = page.locator("ul.mentions > li")
        assert shown.count() == len(expected)
        for article_id, quoted in expected.items():
            item = page.locator(f'ul.mentions > li[data-article="{article_id}"]')
            assert item.locator("q.mention").all_inner_texts() == quoted
        for actor in event["actors"]:
            assert f"{words(actor['role'])}: {actor['actor']['name']}" in page.inner_text(
                "dl.fields"
            )
        if event["place"] is not None:
            assert event["place"]["name"] in page.inner_text("dl.fields")
        precision = event["date"]["precision"] if event["date"] else "undated"
        assert precision in page.inner_text("dl.fields")


def test_the_events_timeline_is_in_date_order_with_precision(visit: Visit) -> None:
    events = parquet_rows("events")
    page = visit.open("events")
    shown = page.locator("ol.timeline li.event")
    assert shown.count() == min(len(events), 200)
    dates = shown.locator("time").all_inner_texts()
    starts = [d.split("/")[0] for d in dates if d != "no date"]
    assert starts == sorted(starts)
    assert shown.locator(".badge").count() == shown.count()


def test_the_offensive_death_toll_shows_its_claims_bounds_and_no_upper_bound(
    visit: Visit,
) -> None:
    event = next(e for e in parquet_rows("events") if e["id"] == OFFENSIVE)
    figure = next(f for f in event["figures"] if f["measure"] == "fatalities")
    assert (figure["best"], figure["low"], figure["high"]) == (32, 29, None)
    page = visit.open(f"figure/{OFFENSIVE}")
    section = page.locator('section.figure[data-measure="fatalities"]')
    assert section.locator('td[data-value="best"]').inner_text() == "32"
    assert section.locator('td[data-value="low"]').inner_text() == "29"
    assert section.locator('td[data-value="high"]').inner_text() == "no upper bound"
    cards = section.locator(".card")
    assert cards.evaluate_all("n => n.map(c => c.dataset.claim)") == figure["claim_ids"]
    claims = {c["id"]: c for c in parquet_rows("claims")}
    for claim_id in figure["claim_ids"]:
        card = section.locator(f'.card[data-claim="{claim_id}"]')
        claim = claims[claim_id]
        assert card.locator("blockquote").inner_text() == claim["span"]["text"].strip()
        assert claim["claimant"]["name"] in card.locator("h4").inner_text()
        quantity = next(q for q in claim["quantities"] if q["measure"] == "fatalities")
        assert quantity["span"]["text"] in card.locator(".quantity q").inner_text()
        assert words(quantity["qualifier"]) in card.inner_text()
    superseded = {
        r["claim_id"]
        for c in figure["claim_ids"]
        for r in claims[c]["relations"]
        if r["type"] == "supersedes" and r["claim_id"] in figure["claim_ids"]
    }
    for claim_id in superseded:
        assert "superseded by" in section.locator(f'.card[data-claim="{claim_id}"]').inner_text()
    assert "The release's values are the ones the rule gives." in section.inner_text()


def test_every_figure_and_every_disagreeing_pair_is_shown(visit: Visit) -> None:
    figures = [(e["id"], f) for e in parquet_rows("events") for f in e["figures"]]
    page = visit.open("figures")
    sections = page.locator("section.figure")
    assert sections.count() == min(len(figures), 50)
    pairs = set()
    for claim in parquet_rows("claims"):
        for relation in claim["relations"]:
            if relation["type"] in PAIR_TYPES:
                ends = (claim["id"], relation["claim_id"])
                pairs.add(
                    (
                        relation["type"],
                        ends if relation["type"] == "supersedes" else tuple(sorted(ends)),
                    )
                )
    shown = set()
    page = visit.open("pairs")
    while True:
        for kind, a, b in page.locator("section.pair").evaluate_all(
            "n => n.map(s => [s.dataset.type, ...[...s.querySelectorAll('.card')]"
            ".map(c => c.dataset.claim)])"
        ):
            shown.add((kind, (a, b) if kind == "supersedes" else tuple(sorted((a, b)))))
        following = page.locator('nav.pager a[rel="next"]')
        if not following.count():
            break
        following.click()
        visit.wait("pairs")
    assert shown == pairs


@pytest.mark.parametrize("facet", ["actor", "type", "relation", "article"])
def test_find_filters_claims(visit: Visit, facet: str) -> None:
    claims = parquet_rows("claims")
    sample = richest_claim(claims)
    value, keep = {
        "actor": (
            sample["claimant"]["id"],
            lambda c: c["claimant"]["id"] == sample["claimant"]["id"],
        ),
        "type": (sample["claim_type"], lambda c: c["claim_type"] == sample["claim_type"]),
        "relation": (
            sample["relations"][0]["type"],
            lambda c: (
                any(r["type"] == sample["relations"][0]["type"] for r in c["relations"])
                or any(
                    r["claim_id"] == c["id"] and r["type"] == sample["relations"][0]["type"]
                    for o in claims
                    for r in o["relations"]
                )
            ),
        ),
        "article": (sample["article_id"], lambda c: c["article_id"] == sample["article_id"]),
    }[facet]
    page = visit.open(f"find?{facet}={value}")
    page.wait_for_function("document.getElementById('main').dataset.results === 'complete'")
    expected = [c["id"] for c in claims if keep(c)]
    assert f"{len(expected)} claim(s) match" in page.inner_text("#find-status")
    shown = page.locator("ol.results li").evaluate_all("n => n.map(li => li.dataset.claim)")
    assert shown == expected[:50]


def test_the_find_form_writes_its_filters_into_the_fragment(visit: Visit) -> None:
    sample = richest_claim(parquet_rows("claims"))
    page = visit.open("find")
    page.select_option('select[name="type"]', sample["claim_type"])
    page.click('form.find button[type="submit"]')
    visit.wait("find")
    assert page.evaluate("location.hash") == f"#find?type={sample['claim_type']}"


def test_the_browser_finds_event_files_as_python_places_them(visit: Visit) -> None:
    from build_dataset.explorer.pages import bucket

    page = visit.open("articles")
    ids = [e["id"] for e in parquet_rows("events")]
    for buckets in (1, 7, 100):
        assert page.evaluate("([ids, b]) => ids.map(i => KCE.bucket(i, b))", [ids, buckets]) == [
            bucket(i, buckets) for i in ids
        ]


def test_an_unknown_claim_or_view_says_so(visit: Visit) -> None:
    page = visit.open("articles")
    page.evaluate("location.hash = '#claim/999_0000000000000000-c001'")
    page.wait_for_selector("#main [role=alert]")
    assert "no article 999_0000000000000000" in page.inner_text("#main [role=alert]")
    page.evaluate("location.hash = '#nowhere'")
    page.wait_for_function(
        "document.querySelector('#main [role=alert]').textContent.includes('#nowhere')"
    )
    assert visit.errors == ["Failed to load resource: net::ERR_FILE_NOT_FOUND"]  # the article's
    visit.errors.clear()


def test_the_site_folder_is_static(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "explorer.js", "explorer.css", "data/meta.js"} <= names
    code = (site / "explorer.js").read_text(encoding="utf-8")
    assert "fetch(" not in code and "XMLHttpRequest" not in code and "innerHTML" not in code
