/* The explorer's views, drawn from the data files beside this script (data/<key>.js), which
   call KCE.put when a <script> element loads them: no fetch, so the site works from file://.
   Every text from the data goes in through text nodes, never as markup. */
"use strict";
(function () {
  const KCE = (window.KCE = { cache: new Map(), waiting: new Map(), status: {} });

  KCE.put = function (key, data) {
    KCE.cache.set(key, data);
    const waiting = KCE.waiting.get(key);
    if (waiting) {
      KCE.waiting.delete(key);
      waiting.resolve(data);
    }
  };

  /* FNV-1a of the id modulo buckets, as build_dataset/explorer/pages.py computes it. */
  KCE.bucket = function (id, buckets) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(id)) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
    return hash % buckets;
  };

  function load(key) {
    if (KCE.cache.has(key)) return Promise.resolve(KCE.cache.get(key));
    if (KCE.waiting.has(key)) return KCE.waiting.get(key).promise;
    const entry = {};
    entry.promise = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    KCE.waiting.set(key, entry);
    const script = document.createElement("script");
    const file = "data/" + key.split("/").map(encodeURIComponent).join("/") + ".js";
    script.src = file;
    script.onerror = () => {
      KCE.waiting.delete(key);
      entry.reject(new Error("the data file " + file + " is missing"));
    };
    script.onload = () => {
      script.remove();
      if (KCE.waiting.has(key)) {
        KCE.waiting.delete(key);
        entry.reject(new Error("the data file " + file + " holds no data for " + key));
      }
    };
    document.head.appendChild(script);
    return entry.promise;
  }

  /* An article's file names each claimant and place once and leaves the spans' words to the
     clean text (compact_claims in pages.py): its claims made whole again, once. */
  function inflate(article) {
    if (article.inflated) return article;
    const words = (span) => {
      if (span && span.text === undefined) span.text = article.text.slice(span.start, span.end);
    };
    for (const claim of article.claims) {
      claim.article_id = article.id;
      claim.claimant = article.actors[claim.claimant];
      [claim.span, claim.claimant_span, claim.cue].forEach(words);
      for (const item of [...claim.quantities, ...claim.dates, ...claim.places]) words(item.span);
      for (const mention of claim.places) mention.place = article.places[mention.place];
    }
    article.inflated = true;
    return article;
  }

  const loadArticle = (id) => load("article/" + id).then(inflate);

  /* el("a", {href: "#x", class: "c"}, "text", child): an element; strings become text. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const words = (label) => String(label).replaceAll("_", " ");
  const num = (value) =>
    value === null || value === undefined ? null : Number(value).toLocaleString("en");
  const claimLink = (id, text) => el("a", { href: "#claim/" + id }, text || id);
  const articleOf = (claimId) => claimId.replace(/-c[0-9]+$/, "");

  function dateText(date) {
    if (!date) return "no date";
    return date.value + " (precision: " + date.precision + ")";
  }

  function definitions(rows) {
    return el(
      "dl",
      { class: "fields" },
      rows
        .filter((row) => row)
        .map(([term, ...value]) => [el("dt", {}, term), el("dd", {}, ...value)]),
    );
  }

  function pager(label, page, pages, href) {
    if (pages <= 1) return null;
    const links = [];
    if (page > 0) links.push(el("a", { href: href(page - 1), rel: "prev" }, "← previous"));
    links.push(el("span", {}, "page " + (page + 1) + " of " + pages));
    if (page < pages - 1) links.push(el("a", { href: href(page + 1), rel: "next" }, "next →"));
    return el("nav", { class: "pager", "aria-label": label }, links);
  }

  /* ---- routing: every view has a fragment; #claim/<id> is stable across releases ---- */

  function parseHash() {
    const raw = decodeURIComponent(location.hash.replace(/^#/, ""));
    const [path, query] = raw.split("?");
    const parts = path.split("/").filter((p) => p);
    return { view: parts[0] || "articles", args: parts.slice(1), query: new URLSearchParams(query || "") };
  }

  const main = () => document.getElementById("main");
  let generation = 0;
  let current = null;

  function show(title, ...content) {
    const heading = el("h2", { tabindex: "-1", id: "view-title" }, title);
    main().replaceChildren(heading, ...content.flat(Infinity).filter((c) => c !== null && c !== undefined));
    document.title = title + " · " + KCE.meta.title;
    return heading;
  }

  function failed(error) {
    main().replaceChildren(
      el("h2", { tabindex: "-1", id: "view-title" }, "Not found"),
      el("p", { role: "alert" }, error.message),
      el("p", {}, el("a", { href: "#articles" }, "Back to the articles")),
    );
  }

  async function route() {
    const mine = ++generation;
    const { view, args, query } = parseHash();
    KCE.status = { view: view, hash: location.hash, ready: false };
    const previous = current;
    current = { view: view, args: args };
    for (const link of document.querySelectorAll("nav.views a")) {
      const active = link.dataset.views.split(" ").includes(view);
      if (active) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    try {
      const keepFocus = await draw(view, args, query, previous, mine);
      if (mine !== generation) return;
      if (!keepFocus) {
        const title = document.getElementById("view-title");
        if (title && previous) title.focus();
      }
      KCE.status.ready = true;
      main().dataset.ready = view;
    } catch (error) {
      if (mine === generation) failed(error);
    }
  }

  async function draw(view, args, query, previous, mine) {
    const page = Math.max(0, parseInt(args[0] || "0", 10) || 0);
    if (view === "articles") return drawArticles(page);
    if (view === "article") return drawArticle(args[0], null, query, previous);
    if (view === "claim") return drawArticle(articleOf(args[0] || ""), args[0], query, previous);
    if (view === "events") return drawEvents(page);
    if (view === "event") return drawEvent(args[0]);
    if (view === "figures") return drawFigures(page);
    if (view === "figure") return drawFigure(args[0]);
    if (view === "pairs") return drawPairs(page);
    if (view === "find") return drawFind(query, mine);
    throw new Error("There is no view #" + view + " in this explorer.");
  }

  /* ---- articles ---- */

  async function drawArticles(page) {
    const meta = KCE.meta;
    const articles = await load("articles/" + page);
    const rows = articles.map((a) =>
      el(
        "tr",
        {},
        el("td", {}, el("a", { href: "#article/" + a.id }, a.title || a.id)),
        el("td", {}, a.outlet || "not named"),
        el("td", {}, a.published || "unknown"),
        el("td", { class: "number" }, a.claims.length),
        el("td", {}, a.truncated ? "truncated" : "complete"),
      ),
    );
    show(
      "Articles",
      el(
        "p",
        {},
        num(meta.counts.articles) + " articles, " + num(meta.counts.claims) + " claims, " +
          num(meta.counts.events) + " events. Open an article to see its claims in the text.",
      ),
      el(
        "table",
        {},
        el("caption", { class: "visually-hidden" }, "Articles of this release"),
        el(
          "thead",
          {},
          el("tr", {}, ["Title", "Outlet", "Published", "Claims", "Text"].map((h) => el("th", { scope: "col" }, h))),
        ),
        el("tbody", {}, rows),
      ),
      pager("Article pages", page, meta.pages.articles, (p) => "#articles/" + p),
    );
  }

  const PALETTE = 12;

  function colourKeys(article, by) {
    const keys = new Map();
    for (const claim of article.claims) {
      const key = by === "type" ? claim.claim_type : claim.claimant.id;
      if (!keys.has(key)) {
        const label = by === "type" ? words(claim.claim_type) : claim.claimant.name;
        const colour = by === "type" ? KCE.meta.claim_types.indexOf(key) : keys.size;
        /* past the palette, colours come again, striped */
        const name = (colour % PALETTE) + (colour >= PALETTE ? " pattern" : "");
        keys.set(key, { label: label, colour: name, count: 0 });
      }
      keys.get(key).count += 1;
    }
    return keys;
  }

  /* The clean text cut at every claim's start and end and at the removed chrome: each piece
     a text node, or a link to the innermost claim that covers it. */
  function articleText(article, keys, by, showRemoved) {
    const text = article.text;
    const cuts = new Set([0, text.length]);
    for (const c of article.claims) {
      cuts.add(c.span.start);
      cuts.add(c.span.end);
    }
    const removedAt = new Map();
    if (showRemoved) {
      for (const r of article.removed) {
        cuts.add(r.at);
        if (!removedAt.has(r.at)) removedAt.set(r.at, []);
        removedAt.get(r.at).push(r);
      }
    }
    const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
    const body = el("div", { class: "text", id: "article-text" });
    const seen = new Set();
    for (let i = 0; i < points.length; i++) {
      const at = points[i];
      for (const r of removedAt.get(at) || []) body.append(removedNode(r));
      if (i === points.length - 1) break;
      const end = points[i + 1];
      const covering = article.claims.filter((c) => c.span.start <= at && c.span.end >= end);
      const piece = text.slice(at, end);
      if (!covering.length) {
        body.append(piece);
        continue;
      }
      covering.sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start) || (a.id < b.id ? -1 : 1));
      const claim = covering[0];
      body.append(claimNode(claim, keys, by, piece, at, end, !seen.has(claim.id), covering.length > 1));
      seen.add(claim.id);
      /* a claim on the very words of another, or only on words nested claims take, gets a
         marker where it ends, so that it too can be clicked and reached by Tab */
      for (const hidden of covering.slice(1)) {
        if (hidden.span.end === end && !seen.has(hidden.id)) {
          body.append(claimNode(hidden, keys, by, "", hidden.span.start, hidden.span.end, true, true, true));
          seen.add(hidden.id);
        }
      }
    }
    if (article.truncated) {
      body.append(
        el(
          "span",
          { class: "cut-end", role: "note" },
          "The source text ends here: the article is truncated (paywall or subscription notice).",
        ),
      );
    }
    return body;
  }

  function claimNode(claim, keys, by, piece, from, to, first, nested, marker) {
    const key = keys.get(by === "type" ? claim.claim_type : claim.claimant.id);
    const label = claim.claimant.name + " · " + words(claim.claim_type);
    return el(
      "a",
      {
        href: "#claim/" + claim.id,
        class: "claim c" + key.colour + (nested ? " nested" : "") + (marker ? " marker" : ""),
        "data-claim": claim.id,
        "data-from": from,
        "data-to": to,
        tabindex: first ? null : "-1",
        title: label,
        "aria-label": marker ? "Claim " + claim.id + " on these words: " + label : null,
      },
      piece,
    );
  }

  function removedNode(removed) {
    const label = removed.truncates
      ? "Truncation point: " + words(removed.kind) + " notice removed"
      : "Removed " + words(removed.kind);
    return el(
      "span",
      { class: "removed" + (removed.truncates ? " truncation" : ""), role: "note", "data-rule": removed.rule },
      el("span", { class: "removed-label" }, label + " (rule " + removed.rule + "): "),
      removed.text,
    );
  }

  async function drawArticle(id, claimId, query, previous) {
    const by = query.get("by") === "type" ? "type" : "claimant";
    const showRemoved = query.get("removed") !== "hide";
    const article = await loadArticle(id).catch(() => {
      throw new Error("There is no article " + id + " in release " + KCE.meta.version + ".");
    });
    const claim = claimId ? article.claims.find((c) => c.id === claimId) : null;
    if (claimId && !claim) {
      throw new Error("There is no claim " + claimId + " in release " + KCE.meta.version + ".");
    }
    const same = document.getElementById("article-text");
    if (same && same.dataset.article === id && same.dataset.by === by &&
        same.dataset.removed === String(showRemoved) && previous) {
      select(article, claim, query);
      return true;
    }
    const keys = colourKeys(article, by);
    const suffix = (over) => {
      const q = new URLSearchParams(query);
      for (const [k, v] of Object.entries(over)) {
        if (v === null) q.delete(k);
        else q.set(k, v);
      }
      const s = q.toString();
      return s ? "?" + s : "";
    };
    const here = claimId ? "#claim/" + claimId : "#article/" + id;
    const published = article.publication_date || {};
    const controls = el(
      "div",
      { class: "controls" },
      el(
        "fieldset",
        {},
        el("legend", {}, "Colour claims by"),
        ["claimant", "type"].map((option) =>
          el(
            "label",
            {},
            el("input", {
              type: "radio",
              name: "colour-by",
              value: option,
              checked: by === option,
              onchange: () => (location.hash = here + suffix({ by: option === "type" ? "type" : null })),
            }),
            option === "type" ? " claim type" : " claimant",
          ),
        ),
      ),
      el(
        "label",
        {},
        el("input", {
          type: "checkbox",
          id: "show-removed",
          checked: showRemoved,
          onchange: (e) => (location.hash = here + suffix({ removed: e.target.checked ? null : "hide" })),
        }),
        " Show removed site chrome and the truncation point in place",
      ),
    );
    const legend = el(
      "ul",
      { class: "legend", "aria-label": "Colours" },
      [...keys.values()].map((k) =>
        el("li", {}, el("span", { class: "swatch c" + k.colour, "aria-hidden": "true" }), k.label + " (" + k.count + ")"),
      ),
    );
    const text = articleText(article, keys, by, showRemoved);
    text.dataset.article = id;
    text.dataset.by = by;
    text.dataset.removed = String(showRemoved);
    show(
      article.title || article.id,
      el(
        "p",
        { class: "byline" },
        [
          article.outlet || "Outlet not named",
          published.date ? "published " + dateText(published.date) + ", " + published.derivation : "publication date unknown",
          article.claims.length + " claims",
          article.truncated ? "truncated" : null,
          "id " + article.id,
        ]
          .filter((x) => x)
          .join(" · "),
      ),
      el("p", {}, el("a", { href: "#articles/" + article.page }, "← all articles"), " · ",
        el("a", { href: "#find?article=" + encodeURIComponent(article.id) }, "find among this article's claims")),
      controls,
      legend,
      el(
        "div",
        { class: "reader" },
        el("section", { "aria-label": "Article text" }, text),
        el("aside", { id: "details", "aria-label": "Claim details" }),
      ),
    );
    select(article, claim, query);
    return Boolean(claim);
  }

  function select(article, claim, query) {
    for (const node of document.querySelectorAll("#article-text a[aria-current]")) {
      node.removeAttribute("aria-current");
    }
    const panel = document.getElementById("details");
    if (!claim) {
      panel.replaceChildren(
        el("h3", { id: "details-title", tabindex: "-1" }, "Claim details"),
        el("p", {}, "Select a highlighted claim (click it, or Tab to it and press Enter) to see who claims what."),
      );
      return;
    }
    const marks = document.querySelectorAll('#article-text a[data-claim="' + claim.id + '"]');
    for (const node of document.querySelectorAll("#article-text a.claim")) {
      const inside = Number(node.dataset.from) >= claim.span.start && Number(node.dataset.to) <= claim.span.end;
      node.classList.toggle("selected", inside);
    }
    for (const node of marks) node.setAttribute("aria-current", "true");
    panel.replaceChildren(...claimDetails(article, claim));
    if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
    document.getElementById("details-title").focus({ preventScroll: true });
    document.title = claim.id + " · " + KCE.meta.title;
  }

  function span(value) {
    return value ? el("q", {}, value.text) : "none";
  }

  function quantityText(q) {
    const stated = q.value === null ? "" : " " + num(q.value);
    return words(q.qualifier) + stated + " " + q.unit + " (low " + (q.low === null ? "none" : num(q.low)) +
      ", high " + (q.high === null ? "none" : num(q.high)) + ") · " + words(q.measure) + (q.counted ? ": " + q.counted : "");
  }

  function claimDetails(article, claim) {
    const who = claim.claimant;
    const list = (items, render) =>
      items.length ? el("ul", {}, items.map((item) => el("li", {}, render(item)))) : "none";
    return [
      el("h3", { id: "details-title", tabindex: "-1" }, "Claim ", el("span", { class: "claim-id" }, claim.id)),
      el("blockquote", { class: "quote" }, claim.span.text),
      definitions([
        ["Claimant", who.name, " (", words(who.type), who.country_code ? ", " + who.country_code : "", ")",
          el("br"), el("a", { href: "#find?actor=" + encodeURIComponent(who.id) }, "all claims of " + who.name)],
        ["Named as", span(claim.claimant_span)],
        ["Cue", span(claim.cue)],
        ["Quote type", words(claim.quote_type)],
        ["Claim type", words(claim.claim_type)],
        ["Dates", list(claim.dates, (d) => [el("q", {}, d.span.text), " → " + d.value + " (" + d.precision + ", " + words(d.anchor) + ")"])],
        ["Figures", list(claim.quantities, (q) => [el("q", {}, q.span.text), " → " + quantityText(q)])],
        ["Places", list(claim.places, (p) => [el("q", {}, p.span.text), " → " + p.place.name +
          (p.place.geonames_id ? " (GeoNames " + p.place.geonames_id + ")" : " (no GeoNames id)")])],
        ["Overlapping", list(overlapping(article, claim), (o) => [claimLink(o.id), " " + o.claimant.name + " · " + words(o.claim_type)])],
        ["Relations", list(claim.relations, (r) => relationItem(r, "→"))],
        ["Related from", list(claim.incoming, (r) => relationItem(r, "←"))],
        ["Events", list(claim.event_ids, (e) => [
          el("a", { href: "#event/" + e }, e),
          article.events[e] ? " " + article.events[e].description : "",
        ])],
        claim.note ? ["Note", claim.note] : null,
      ]),
      el("p", {}, el("a", { href: "#claim/" + claim.id, class: "permalink" }, "Link to this claim"), " · ",
        el("a", { href: "#", onclick: (e) => { e.preventDefault(); backToClaim(claim.id); } }, "back to the claim in the text")),
    ];
  }

  function overlapping(article, claim) {
    return article.claims.filter((o) => o.id !== claim.id && o.span.start < claim.span.end && o.span.end > claim.span.start);
  }

  function backToClaim(id) {
    const mark = document.querySelector('#article-text a[data-claim="' + id + '"]:not([tabindex="-1"])');
    if (mark) mark.focus();
  }

  function relationItem(relation, arrow) {
    const target = el("span", { class: "target" });
    summaryOf(relation.claim_id).then((s) => target.append(" " + s.claimant + ": ", el("q", {}, snippet(s.text))));
    return [
      el("span", { class: "relation-type" }, words(relation.type)), " " + arrow + " ",
      claimLink(relation.claim_id), target,
      relation.note ? el("div", { class: "note" }, relation.note) : null,
    ];
  }

  const snippet = (text) => (text.length > 140 ? text.slice(0, 139) + "…" : text);

  async function summaryOf(claimId) {
    try {
      const article = await loadArticle(articleOf(claimId));
      const c = article.claims.find((x) => x.id === claimId);
      return c ? { claimant: c.claimant.name, text: c.span.text } : { claimant: "?", text: "not in this release" };
    } catch (error) {
      return { claimant: "?", text: "not in this release" };
    }
  }

  /* ---- events ---- */

  function precisionBadge(date) {
    if (!date) return el("span", { class: "badge" }, "undated");
    return el("span", { class: "badge" }, "precision: " + date.precision);
  }

  async function drawEvents(page) {
    const meta = KCE.meta;
    const data = await load("events/t" + page);
    const items = data.events.map((e) => {
      const articles = new Set(e.mentions.map((m) => m.article_id));
      return el(
        "li",
        { class: "event" },
        el("div", { class: "when" }, el("time", {}, e.date ? e.date.value : "no date"), " ", precisionBadge(e.date)),
        el(
          "div",
          { class: "what" },
          el("a", { href: "#event/" + e.id }, e.description),
          el("div", { class: "meta" }, [
            words(e.type) + " (" + words(e.category) + ")",
            e.place ? e.place.name : "no place",
            e.mentions.length + " mention(s) in " + articles.size + " article(s)",
            e.figures.length ? e.figures.length + " figure(s)" : null,
          ].filter((x) => x).join(" · ")),
        ),
      );
    });
    show(
      "Events",
      el("p", {}, num(meta.counts.events) + " events, by date; a date's precision says whether the texts give the day, the month or only the year."),
      el("ol", { class: "timeline" }, items),
      pager("Event pages", page, meta.pages.events, (p) => "#events/" + p),
    );
  }

  async function findEvent(id) {
    const buckets = KCE.meta.pages.event_buckets;
    const where = await load("events/i" + KCE.bucket(id, buckets));
    if (!(id in where)) throw new Error("There is no event " + id + " in release " + KCE.meta.version + ".");
    const page = await load("events/t" + where[id]);
    return { event: page.events.find((e) => e.id === id), titles: page.titles, page: where[id] };
  }

  function bound(value, side) {
    return value === null || value === undefined ? "no " + side + " bound" : num(value);
  }

  async function drawEvent(id) {
    const { event, titles, page } = await findEvent(id);
    const byArticle = new Map();
    for (const m of event.mentions) {
      if (!byArticle.has(m.article_id)) byArticle.set(m.article_id, []);
      byArticle.get(m.article_id).push(m);
    }
    const place = event.place;
    show(
      event.description,
      el("p", {}, el("a", { href: "#events/" + page }, "← all events"), " · event ", el("code", {}, event.id)),
      definitions([
        ["Date", event.date ? event.date.value : "no text says", " ", precisionBadge(event.date)],
        ["Type", words(event.type) + " (" + words(event.category) + ")"],
        ["Place", place ? place.name + (place.geonames_id ? " (GeoNames " + place.geonames_id + ")" : " (no GeoNames id)") +
          (place.country_code ? ", " + place.country_code : "") : "no text says"],
        ["Actors", event.actors.length ? el("ul", {}, event.actors.map((a) =>
          el("li", {}, el("span", { class: "role" }, words(a.role)), ": " + a.actor.name + " (" + words(a.actor.type) + ")"))) : "none"],
        ["Figures", event.figures.length ? el("ul", {}, event.figures.map((f) =>
          el("li", {}, words(f.measure) + ", " + f.scope + ": best " + num(f.best) + ", low " + bound(f.low, "lower") +
            ", high " + bound(f.high, "upper") + " ", el("a", { href: "#figure/" + event.id }, "the claims behind it")))) : "none"],
        ["Claims", event.claims.length ? el("ul", { class: "inline" }, event.claims.map((c) => el("li", {}, claimLink(c)))) : "none"],
        event.note ? ["Note", event.note] : null,
      ]),
      el("h3", {}, "Mentions in " + byArticle.size + " article(s)"),
      el("ul", { class: "mentions" }, [...byArticle.entries()].map(([articleId, mentions]) =>
        el("li", { "data-article": articleId },
          el("a", { href: "#article/" + articleId }, titles[articleId] || articleId),
          el("ul", {}, mentions.map((m) => el("li", {}, el("q", { class: "mention" }, m.span.text),
            " (characters " + m.span.start + "–" + m.span.end + ")")))))),
    );
  }

  /* ---- disagreements ---- */

  function disagreementTabs(active) {
    return el("nav", { class: "tabs", "aria-label": "Disagreements" },
      el("a", { href: "#figures", "aria-current": active === "figures" ? "page" : null }, "Event figures (" + KCE.meta.counts.figures + ")"),
      el("a", { href: "#pairs", "aria-current": active === "pairs" ? "page" : null }, "Relation pairs (" + KCE.meta.counts.pairs + ")"));
  }

  const RULE =
    "Rule (ANNOTATION_GUIDELINES.md §6, schema/event.py): only the current claims count, those no listed " +
    "claim supersedes. low is the lowest lower bound they state (a low, or an exact number), none if one " +
    "states none; high is the highest upper bound they state (a high, or an exact number), none if one states " +
    "none, so \u201cat least 32\u201d is no high; best is the lowest count every current claim allows when they can " +
    "all hold, else the lowest number any of them states.";

  function claimCard(c, extra) {
    if (c.missing) return el("article", { class: "card" }, el("p", {}, "Claim " + c.id + " is not in this release."));
    return el(
      "article",
      { class: "card", "data-claim": c.id },
      el("h4", {}, c.claimant),
      extra || null,
      el("blockquote", {}, c.text),
      el("p", { class: "source" },
        words(c.quote_type) + " " + words(c.claim_type) + " claim · " + (c.outlet || "outlet not named") +
          ", published " + (c.published || "on an unknown date") +
          (c.dates.length ? " · dates said: " + c.dates.join(", ") : "") + " · ",
        el("a", { href: "#article/" + c.article_id }, c.title || c.article_id), " · ",
        claimLink(c.id, "claim " + c.id)),
    );
  }

  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  function figureBlock(item) {
    const f = item.figure;
    const current = f.claims.filter((c) => !c.superseded_by.length);
    const superseded = f.claims.filter((c) => c.superseded_by.length);
    const rule = f.rule;
    let check;
    if (rule.error) check = "The rule cannot be applied to these claims: " + rule.error + ".";
    else if (rule.best === f.best && rule.low === f.low && rule.high === f.high)
      check = "The release's values are the ones the rule gives.";
    else
      check = "By the rule as it stands the figure would be best " + num(rule.best) + ", low " + bound(rule.low, "lower") +
        ", high " + bound(rule.high, "upper") + ": this release's values follow the rule of its time.";
    return el(
      "section",
      { class: "figure", id: "figure-" + item.event.id + "-" + item.number, "data-event": item.event.id, "data-measure": f.measure },
      el("h3", {}, capital(words(f.measure)) + ": " + f.scope),
      el("p", {}, "Event: ", el("a", { href: "#event/" + item.event.id }, item.event.description),
        item.event.date ? " · " + dateText(item.event.date) : ""),
      el("div", { class: "figure-head" },
        el("table", { class: "values" },
          el("caption", { class: "visually-hidden" }, "Figure values"),
          el("thead", {}, el("tr", {}, ["best", "low", "high"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, el("tr", {},
            el("td", { "data-value": "best" }, num(f.best)),
            el("td", { "data-value": "low" }, bound(f.low, "lower")),
            el("td", { "data-value": "high" }, bound(f.high, "upper"))))),
        el("div", { class: "rule" },
          el("p", {}, "Current claims: " + (current.map((c) => c.id).join(", ") || "none") + "." +
            (superseded.length ? " Superseded, so no longer bounding it: " +
              superseded.map((c) => c.id + " (by " + c.superseded_by.join(", ") + ")").join(", ") + "." : "") + " " + check),
          el("p", {}, RULE))),
      el("div", { class: "side-by-side" }, f.claims.map((c) => claimCard(c, quantityBlock(c)))),
    );
  }

  function quantityBlock(c) {
    const q = c.quantity;
    if (!q) return el("p", { class: "quantity" }, "No quantity of this measure.");
    return el(
      "dl",
      { class: "quantity fields" + (c.superseded_by.length ? " superseded" : "") },
      [
        ["Said", el("q", {}, q.words)],
        ["Qualifier", words(q.qualifier)],
        ["Bounds", "lower " + bound(c.lower_bound, "lower").replace("no lower bound", "none") +
          ", upper " + bound(c.upper_bound, "upper").replace("no upper bound", "none")],
        ["Status", c.superseded_by.length ? "superseded by " + c.superseded_by.join(", ") : "current"],
      ].map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
    );
  }

  async function drawFigures(page) {
    const items = await load("figures/" + page);
    show(
      "Disagreements",
      disagreementTabs("figures"),
      el("p", {}, "Each event figure with the claims it derives from, side by side."),
      items.length ? items.map(figureBlock) : el("p", {}, "This release has no event figures."),
      pager("Figure pages", page, KCE.meta.pages.figures, (p) => "#figures/" + p),
    );
  }

  async function drawFigure(eventId) {
    const { event } = await findEvent(eventId);
    if (event.figures_page === null || event.figures_page === undefined) {
      throw new Error("Event " + eventId + " has no figures.");
    }
    const items = (await load("figures/" + event.figures_page)).filter((i) => i.event.id === eventId);
    show("Disagreements", disagreementTabs("figures"), items.map(figureBlock));
  }

  const PAIR_WORDS = {
    contradicts: "contradicts: both cannot be true of the same thing at the same time",
    opposes: "opposes: opposing positions, demands or evaluations on the same matter",
    different_scope: "different scope: counts or covers something else",
    supersedes: "supersedes: the first, later report replaces the second",
  };

  async function drawPairs(page) {
    const items = await load("pairs/" + page);
    show(
      "Disagreements",
      disagreementTabs("pairs"),
      el("p", {}, "Every " + KCE.meta.pair_types.map(words).join(", ") + " relation, as a pair of claims."),
      items.map((p) =>
        el("section", { class: "pair", "data-type": p.type },
          el("h3", {}, PAIR_WORDS[p.type] || words(p.type)),
          el("div", { class: "side-by-side two" }, claimCard(p.a), claimCard(p.b)),
          p.notes.map((n) => el("p", { class: "note" }, "Note on " + n.by + ": " + n.note)))),
      pager("Pair pages", page, KCE.meta.pages.pairs, (p) => "#pairs/" + p),
    );
  }

  /* ---- find ---- */

  const RESULTS_PER_PAGE = 50;

  async function drawFind(query, mine) {
    const meta = KCE.meta;
    const actor = query.get("actor") || "";
    const type = query.get("type") || "";
    const relation = query.get("relation") || "";
    const article = (query.get("article") || "").trim();
    const page = Math.max(0, parseInt(query.get("page") || "0", 10) || 0);
    const select = (name, label, options, value) =>
      el("label", {}, label, el("select", { name: name }, el("option", { value: "" }, "any"),
        options.map(([v, text]) => el("option", { value: v, selected: v === value }, text))));
    const form = el(
      "form",
      { class: "find", role: "search", onsubmit: (e) => {
        e.preventDefault();
        const q = new URLSearchParams();
        for (const [k, v] of new FormData(e.target)) if (String(v).trim()) q.set(k, String(v).trim());
        location.hash = "#find" + (q.toString() ? "?" + q : "");
      } },
      select("actor", "Claimant ", meta.actors.map((a) => [a[0], a[1] + " (" + a[3] + ")"]), actor),
      select("type", "Claim type ", meta.claim_types.map((t) => [t, words(t)]), type),
      select("relation", "Relation ", meta.relation_types.map((t) => [t, words(t)]), relation),
      el("label", {}, "Article ", el("input", { name: "article", type: "search", value: article, placeholder: "id or title words" })),
      el("button", { type: "submit" }, "Find"),
    );
    const status = el("p", { role: "status", id: "find-status" }, "Searching…");
    const results = el("ol", { class: "results", start: page * RESULTS_PER_PAGE + 1 });
    const nav = el("div");
    show("Find claims", form, status, results, nav);
    const actorIndex = actor ? meta.actors.findIndex((a) => a[0] === actor) : -1;
    const typeIndex = type ? meta.claim_types.indexOf(type) : -1;
    const relationBit = relation ? 1 << meta.relation_types.indexOf(relation) : 0;
    if ((actor && actorIndex < 0) || (type && typeIndex < 0) || (relation && !relationBit)) {
      status.textContent = "No claim matches: this release has no such claimant, claim type or relation.";
      return;
    }
    const needle = article.toLowerCase();
    const want = (page + 1) * RESULTS_PER_PAGE;
    const found = [];
    let shown = false;
    const started = performance.now();
    KCE.status.find = { first: null, all: null, matches: 0 };
    const showPage = () => {
      shown = true;
      results.replaceChildren(...found.slice(page * RESULTS_PER_PAGE, want).map(resultRow));
      KCE.status.find.first = performance.now() - started;
      main().dataset.results = "shown";
    };
    /* an article id (the schema's pattern) names the one page to read: its file says which */
    let scanned = [...Array(meta.pages.articles).keys()];
    if (/^[0-9]{3}_[0-9a-f]{16}$/.test(needle)) {
      scanned = await loadArticle(needle).then((a) => [a.page], () => []);
    }
    for (const [searched, p] of scanned.entries()) {
      const articles = await load("articles/" + p);
      if (mine !== generation) return;
      for (const a of articles) {
        if (needle && a.id.toLowerCase() !== needle && !(a.title || "").toLowerCase().includes(needle)) continue;
        for (const c of a.claims) {
          if (actorIndex >= 0 && c[1] !== actorIndex) continue;
          if (typeIndex >= 0 && c[2] !== typeIndex) continue;
          if (relationBit && !(c[3] & relationBit)) continue;
          found.push([a, c]);
        }
      }
      if (!shown && found.length >= want) showPage();
      status.textContent = num(found.length) + " claims match so far (" + (searched + 1) + " of " + scanned.length + " article pages searched)…";
    }
    if (!shown) showPage();
    KCE.status.find.all = performance.now() - started;
    KCE.status.find.matches = found.length;
    status.textContent = num(found.length) + " claim(s) match." + (found.length ? " Showing " +
      (Math.min(found.length, page * RESULTS_PER_PAGE) + (found.length > page * RESULTS_PER_PAGE ? 1 : 0)) + "–" +
      Math.min(found.length, want) + "." : "");
    const pages = Math.ceil(found.length / RESULTS_PER_PAGE);
    nav.replaceChildren(pager("Result pages", page, pages, (p) => {
      const q = new URLSearchParams(query);
      q.set("page", p);
      return "#find?" + q;
    }) || "");
    main().dataset.results = "complete";
  }

  function resultRow([article, c]) {
    const meta = KCE.meta;
    const id = article.id + "-" + c[0];
    const relations = meta.relation_types.filter((_, i) => c[3] & (1 << i)).map(words);
    const quote = el("q", { class: "snippet" });
    summaryOf(id).then((s) => quote.append(snippet(s.text)));
    return el(
      "li",
      { "data-claim": id },
      claimLink(id),
      " · " + meta.actors[c[1]][1] + " · " + words(meta.claim_types[c[2]]) +
        (relations.length ? " · " + relations.join(", ") : "") + " · ",
      el("span", { class: "source" }, article.title || article.id),
      el("br"),
      quote,
    );
  }

  /* ---- start ---- */

  function skipToMain(event) {
    event.preventDefault();
    const target = document.getElementById("article-text") ? document.querySelector("#article-text a") : null;
    (target || document.getElementById("view-title") || main()).focus();
  }

  load("meta")
    .then((meta) => {
      KCE.meta = meta;
      KCE.meta.title = document.body.dataset.title;
      document.getElementById("skip").addEventListener("click", skipToMain);
      window.addEventListener("hashchange", route);
      return route();
    })
    .catch((error) => failed(error));
})();
