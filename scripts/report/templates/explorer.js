// explorer.html: topics re-ranked by relevance λ and FREX, theme curves, the documents behind a period.
// Plain JavaScript, no library; every string comes from the embedded data (D.t), in the report's language.
(function () {
  "use strict";
  const errors = window.explorerErrors; // filled from the page's first script on

  const D = JSON.parse(document.getElementById("explorer-data").textContent);
  const T = D.t;
  const PAGE = 10; // documents drawn at a time
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const state = { theme: 0, period: -1, filters: D.facets.map(() => ""), shown: PAGE };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  }
  function pct(value) {
    if (value === null || value === undefined) return "—";
    const text = (100 * value).toFixed(1) + " %";
    return D.lang === "es" ? text.replace(".", ",") : text;
  }
  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }
  function svgNode(tag, attributes, parent) {
    const element = document.createElementNS(SVG, tag);
    for (const name in attributes) element.setAttribute(name, attributes[name]);
    if (parent) parent.appendChild(element);
    return element;
  }
  function option(select, value, text) {
    const element = node("option", "", text);
    element.value = value;
    select.appendChild(element);
  }

  // ---- Topics: relevance = λ log p(w|k) + (1 - λ) log(p(w|k) / p(w)); FREX as stored ---------
  function ranked(topic, lambda) {
    return topic.terms
      .map((term) => ({ label: term[0], p: term[1], score: lambda * Math.log(term[1]) + (1 - lambda) * Math.log(term[1] / term[2]) }))
      .sort((a, b) => b.score - a.score || b.p - a.p)
      .slice(0, D.nTerms);
  }
  function drawTerms(list, terms, valueOf, maxValue) {
    list.textContent = "";
    for (const term of terms) {
      const item = node("li");
      const bar = node("span", "bar");
      bar.style.width = Math.max(2, (100 * valueOf(term)) / maxValue) + "%";
      item.appendChild(bar);
      item.appendChild(node("span", "term", term.label));
      item.appendChild(node("span", "value", pct(term.p)));
      item.title = T.probability + ": " + pct(term.p);
      list.appendChild(item);
    }
  }
  function renderTopic() {
    const topic = D.topics[Number($("topic").value)];
    const lambda = Number($("lambda").value);
    $("lambda-value").textContent = lambda.toFixed(2);
    if (!topic) return;
    const maxP = Math.max(...topic.terms.map((term) => term[1]));
    drawTerms($("relevance-terms"), ranked(topic, lambda), (term) => term.p, maxP);
    const frex = topic.terms
      .map((term) => ({ label: term[0], p: term[1], frex: term[3] }))
      .sort((a, b) => b.frex - a.frex || b.p - a.p)
      .slice(0, D.nTerms);
    drawTerms($("frex-terms"), frex, (term) => term.frex, 1);
  }

  // ---- Themes: the curve (SVG), its peak and change points ------------------------------------
  function theme() {
    return D.themes[state.theme];
  }
  function drawCurve() {
    const th = theme();
    const box = $("curve");
    box.textContent = "";
    if (!th) return;
    const width = 960, height = 300, left = 56, right = 40, top = 24, bottom = 44;
    const n = th.periods.length;
    const highest = Math.max(1e-9, ...th.periods.map((p) => (p.high === null ? p.value : p.high)));
    const raw = highest / 4, magnitude = Math.pow(10, Math.floor(Math.log10(raw))), ratio = raw / magnitude;
    const tick = (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 2.5 ? 2.5 : ratio <= 5 ? 5 : 10) * magnitude;
    const ticks = Math.ceil(highest / tick);
    const yMax = ticks * tick;
    const x = (i) => (n === 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (n - 1));
    const y = (v) => top + (height - top - bottom) * (1 - v / yMax);
    const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": th.label });
    for (let k = 0; k <= ticks; k++) {
      const v = tick * k;
      svgNode("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "axis", opacity: k ? 0.25 : 1 }, svg);
      svgNode("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = pct(v);
    }
    const step = Math.max(1, Math.ceil(n / 10));
    th.periods.forEach((p, i) => {
      if (i % step === 0) svgNode("text", { x: x(i), y: height - bottom + 18, "text-anchor": "middle" }, svg).textContent = p.label;
    });
    for (const change of th.changes) {
      const x0 = x(change.lo) - 4, x1 = x(change.hi) + 4;
      svgNode("rect", { x: x0, y: top, width: x1 - x0, height: height - top - bottom, class: "change-range" }, svg);
    }
    const band = th.periods.map((p, i) => `${x(i)},${y(p.high === null ? p.value : p.high)}`)
      .concat(th.periods.map((p, i) => `${x(i)},${y(p.low === null ? p.value : p.low)}`).reverse());
    svgNode("polygon", { points: band.join(" "), class: "band" }, svg);
    svgNode("polyline", { points: th.periods.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "line" }, svg);
    th.changes.forEach((change, c) => {
      svgNode("line", { x1: x(change.i), x2: x(change.i), y1: top, y2: height - bottom, class: "change-line" }, svg);
      const handle = svgNode("path", { d: `M${x(change.i)} ${top - 10} l7 7 l-7 7 l-7 -7 z`, class: "change-point", tabindex: 0, "data-change": c }, svg);
      svgNode("title", {}, handle).textContent = T.change_point + " · " + th.periods[change.i].label + ": " +
        fill(T.change_text, { before: pct(change.before), after: pct(change.after), confidence: pct(change.confidence) });
      handle.addEventListener("click", () => showPeriod(change.i));
    });
    const peak = th.periods[th.peak];
    const marker = svgNode("path", { d: `M${x(th.peak)} ${y(peak.value) - 18} l7 10 l-14 0 z`, class: "peak", tabindex: 0 }, svg);
    svgNode("title", {}, marker).textContent = T.peak + " · " + peak.label + ": " + pct(peak.value);
    marker.addEventListener("click", () => showPeriod(th.peak));
    th.periods.forEach((p, i) => {
      const circle = svgNode("circle", { cx: x(i), cy: y(p.value), r: 5.5, class: "period" + (p.lowN ? " low-n" : ""), tabindex: 0, "data-index": i }, svg);
      svgNode("title", {}, circle).textContent = `${p.label}: ${pct(p.value)} (${T.interval} ${pct(p.low)} – ${pct(p.high)}; ${fill(T.n_docs, { n: p.n })})`;
      circle.addEventListener("click", () => showPeriod(i));
      circle.addEventListener("keydown", (event) => { if (event.key === "Enter") showPeriod(i); });
    });
    {% if monitor %}
    drawFrozen(svg, th, x, y, top, height, bottom);
    {% endif %}
    box.appendChild(svg);
  }
  function renderTheme() {
    state.theme = Number($("theme").value);
    state.period = -1;
    const th = theme();
    const info = $("theme-info");
    info.textContent = th ? T.seed_words + ": " + th.seeds + (th.reliable ? "" : " · " + T.unreliable) : "";
    const periods = $("period");
    periods.textContent = "";
    option(periods, "-1", T.choose_period);
    if (th) th.periods.forEach((p, i) => option(periods, String(i), `${p.label} (${pct(p.value)})`));
    const changes = $("change-list");
    changes.textContent = "";
    if (th) {
      const list = node("ul");
      for (const change of th.changes) {
        const item = node("li");
        const link = node("a", "change-link", T.change_point + " · " + th.periods[change.i].label);
        link.href = "#";
        link.addEventListener("click", (event) => { event.preventDefault(); showPeriod(change.i); });
        item.appendChild(link);
        item.appendChild(document.createTextNode(": " + fill(T.change_text, { before: pct(change.before), after: pct(change.after), confidence: pct(change.confidence) })));
        list.appendChild(item);
      }
      if (!th.changes.length) list.appendChild(node("li", "muted", T.no_change_points));
      changes.appendChild(list);
    }
    drawCurve();
    renderDocuments();
  }
  function showPeriod(index) {
    state.period = index;
    state.shown = PAGE;
    $("period").value = String(index);
    for (const circle of document.querySelectorAll("#curve .period")) {
      circle.classList.toggle("selected", Number(circle.getAttribute("data-index")) === index);
    }
    renderDocuments();
  }

  // ---- Documents of one period: filtered by the facets, drawn PAGE at a time ---------------
  function periodDocuments() {
    const th = theme();
    if (!th || state.period < 0) return [];
    return th.docs.filter((doc) => doc[0] === state.period && state.filters.every((value, f) => !value || doc[5][f] === value));
  }
  function passage(text, marks) {
    const paragraph = node("p", "passage");
    let at = 0;
    for (const [start, end] of marks) {
      paragraph.appendChild(document.createTextNode(text.slice(at, start)));
      paragraph.appendChild(node("mark", "", text.slice(start, end)));
      at = end;
    }
    paragraph.appendChild(document.createTextNode(text.slice(at)));
    return paragraph;
  }
  function renderDocuments() {
    const box = $("documents");
    box.textContent = "";
    const th = theme();
    const title = $("documents-title");
    if (!th || state.period < 0) {
      title.textContent = T.documents;
      $("documents-count").textContent = fill(T.kept_note, { n: D.docsPerPeriod, min: pct(D.minShare) });
      return;
    }
    title.textContent = fill(T.documents_of, { period: th.periods[state.period].label, theme: th.label });
    const docs = periodDocuments();
    $("documents-count").textContent = fill(T.shown, { shown: Math.min(state.shown, docs.length), total: docs.length }) +
      " · " + fill(T.kept_note, { n: D.docsPerPeriod, min: pct(D.minShare) });
    if (!docs.length) box.appendChild(node("p", "muted", T.no_documents));
    for (const doc of docs.slice(0, state.shown)) {
      const article = node("article", "doc");
      article.appendChild(node("h4", "", doc[4] || T.untitled));
      const meta = [doc[3], ...doc[5].filter((value) => value), T.share + " " + pct(doc[2])];
      article.appendChild(node("div", "meta", meta.join(" · ")));
      article.appendChild(passage(doc[6], doc[7]));
      box.appendChild(article);
    }
    if (docs.length > state.shown) {
      const more = node("button", "more", fill(T.more, { n: Math.min(PAGE, docs.length - state.shown) }));
      more.addEventListener("click", () => { state.shown += PAGE; renderDocuments(); });
      box.appendChild(more);
    }
  }
  function buildFilters() {
    const box = $("filters");
    D.facets.forEach((facet, f) => {
      const counts = new Map();
      for (const th of D.themes) for (const doc of th.docs) if (doc[5][f]) counts.set(doc[5][f], (counts.get(doc[5][f]) || 0) + 1);
      if (!counts.size) return;
      const label = node("label", "", (facet === "source" ? T.source : facet) + " ");
      const select = node("select", "facet");
      select.setAttribute("data-facet", f);
      option(select, "", T.all);
      [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).forEach(([value]) => option(select, value, value));
      select.addEventListener("change", () => { state.filters[f] = select.value; state.shown = PAGE; renderDocuments(); });
      label.appendChild(select);
      box.appendChild(label);
    });
  }

  {% if monitor %}
{% include "explorer_monitor.js" %}
  {% endif %}
  // ---- Start ----------------------------------------------------------------------------------
  D.topics.forEach((topic, i) => option($("topic"), String(i), `${T.topic} ${topic.id}: ${topic.label} (${pct(topic.share)})`));
  D.themes.forEach((th, i) => option($("theme"), String(i), th.label));
  $("topic").addEventListener("change", renderTopic);
  $("lambda").addEventListener("input", renderTopic);
  $("theme").addEventListener("change", renderTheme);
  $("period").addEventListener("change", () => showPeriod(Number($("period").value)));
  buildFilters();
  renderTopic();
  renderTheme();
  {% if effects %}
{% include "explorer_effects.js" %}
  {% endif %}
  const readyMs = performance.now();

  // ---- #selftest: click through the page and write what it saw (read by the Chromium test) --
  function click(element) {
    element.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }
  function termOrder() {
    return [...document.querySelectorAll("#relevance-terms .term")].map((term) => term.textContent);
  }
  function selfTest() {
    const result = { readyMs: readyMs, topics: D.topics.length, themes: D.themes.length };
    try {
      const slider = $("lambda");
      for (let i = 0; i < D.topics.length && !(result.lambda && result.lambda.changed); i++) {
        $("topic").value = String(i);
        $("topic").dispatchEvent(new Event("change"));
        slider.value = "1";
        slider.dispatchEvent(new Event("input"));
        const atOne = termOrder();
        slider.value = "0";
        slider.dispatchEvent(new Event("input"));
        const atZero = termOrder();
        result.lambda = { topic: i, atOne: atOne.slice(0, 10), atZero: atZero.slice(0, 10), changed: atOne.join("|") !== atZero.join("|") };
      }
      const busiest = D.themes.map((th, i) => [th.docs.length, i]).sort((a, b) => b[0] - a[0])[0];
      if (busiest) {
        $("theme").value = String(busiest[1]);
        $("theme").dispatchEvent(new Event("change"));
        const counts = new Map();
        for (const doc of theme().docs) counts.set(doc[0], (counts.get(doc[0]) || 0) + 1);
        const period = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
        click(document.querySelector(`#curve .period[data-index="${period}"]`));
        result.period = {
          theme: theme().name, label: theme().periods[period].label,
          documents: document.querySelectorAll("#documents article.doc").length,
          marks: document.querySelectorAll("#documents mark").length,
          selected: document.querySelectorAll("#curve .period.selected").length,
          heading: $("documents-title").textContent,
        };
        click(document.querySelector("#curve .peak"));
        result.peak = { label: theme().periods[theme().peak].label, documents: document.querySelectorAll("#documents article.doc").length };
        const facet = document.querySelector("#filters select.facet");
        if (facet && facet.options.length > 1) {
          click(document.querySelector(`#curve .period[data-index="${period}"]`));
          const f = Number(facet.getAttribute("data-facet"));
          const first = periodDocuments().find((doc) => doc[5][f]);
          facet.value = first ? first[5][f] : facet.options[1].value;
          facet.dispatchEvent(new Event("change"));
          const metas = [...document.querySelectorAll("#documents article.doc .meta")].map((meta) => meta.textContent);
          result.filter = { value: facet.value, documents: metas.length, allMatch: metas.every((meta) => meta.includes(facet.value)) };
          facet.value = "";
          facet.dispatchEvent(new Event("change"));
        }
      }
      const withChange = D.themes.findIndex((th) => th.changes.length);
      if (withChange >= 0) {
        $("theme").value = String(withChange);
        $("theme").dispatchEvent(new Event("change"));
        click(document.querySelector("#curve .change-point"));
        result.changePoint = { theme: theme().name, label: theme().periods[theme().changes[0].i].label,
                               documents: document.querySelectorAll("#documents article.doc").length };
      }
      {% if effects %}
      selfTestEffects(result);
      {% endif %}
      {% if monitor %}
      selfTestMonitor(result);
      {% endif %}
    } catch (error) {
      errors.push("self-test: " + error.message);
    }
    result.errors = errors;
    const out = node("pre", "", JSON.stringify(result));
    out.id = "selftest";
    document.body.appendChild(out);
  }
  if (location.hash === "#selftest") window.addEventListener("load", () => setTimeout(selfTest, 0));
})();
