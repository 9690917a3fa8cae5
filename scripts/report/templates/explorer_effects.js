  // ---- Effects (only when effects are configured): per effect and theme, a forest plot of the
  // terms (estimate and interval, percentage points) and the report's sentence for each term ----
  function points(value) {
    const text = value.toFixed(1).replace("-", "\u2212");
    return D.lang === "es" ? text.replace(".", ",") : text;
  }
  function effectEntry() {
    return D.effects[Number($("effect").value)];
  }
  function renderEffectThemes() {
    const entry = effectEntry();
    const select = $("effect-theme");
    const previous = select.value;
    select.textContent = "";
    entry.themes.forEach((th, i) => option(select, String(i), th.label));
    if (previous !== "" && Number(previous) < entry.themes.length) select.value = previous;
    renderEffect();
  }
  function drawForest(terms) {
    const width = 960, left = 250, right = 30, top = 30, rowHeight = 30;
    const height = top + rowHeight * terms.length + 12;
    let low = Math.min(0, ...terms.map((term) => term[2])), high = Math.max(0, ...terms.map((term) => term[3]));
    const pad = (high - low) * 0.06 || 1;
    low -= pad;
    high += pad;
    const x = (v) => left + ((width - left - right) * (v - low)) / (high - low);
    const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": T.effects });
    const raw = (high - low) / 6, magnitude = Math.pow(10, Math.floor(Math.log10(raw))), ratio = raw / magnitude;
    const tick = (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10) * magnitude;
    for (let v = Math.ceil(low / tick) * tick; v <= high; v += tick) {
      svgNode("line", { x1: x(v), x2: x(v), y1: top - 6, y2: height - 8, class: "grid" }, svg);
      svgNode("text", { x: x(v), y: top - 12, "text-anchor": "middle" }, svg).textContent = points(Math.abs(v) < tick / 1e6 ? 0 : v);
    }
    svgNode("line", { x1: x(0), x2: x(0), y1: top - 6, y2: height - 8, class: "zero" }, svg);
    terms.forEach((term, i) => {
      const yRow = top + rowHeight * i + rowHeight / 2;
      svgNode("text", { x: left - 10, y: yRow + 4, "text-anchor": "end", class: "effect-term" }, svg).textContent = term[0];
      svgNode("line", { x1: x(term[2]), x2: x(term[3]), y1: yRow, y2: yRow, class: "whisker" }, svg);
      const mark = svgNode("circle", { cx: x(term[1]), cy: yRow, r: 5.5, class: "estimate" + (term[6] ? "" : " includes-zero") }, svg);
      svgNode("title", {}, mark).textContent = `${term[0]}: ${term[4]} ${T.points} (${term[5]})`;
    });
    return svg;
  }
  function renderEffect() {
    const entry = effectEntry();
    const th = entry.themes[Number($("effect-theme").value)];
    $("effect-info").textContent = `${entry.formula} · ${T.reference}: ${entry.reference || T.no_reference}`;
    const box = $("forest");
    const table = $("effect-table");
    box.textContent = "";
    table.textContent = "";
    if (!th || !th.terms.length) {
      box.appendChild(node("p", "muted", T.no_terms));
      return;
    }
    box.appendChild(drawForest(th.terms));
    const head = node("tr");
    const level = pct(entry.level).replace(/[,.]0 %$/, " %");
    for (const text of [T.term, T.estimate, fill(T.ci, { level: level }), T.n_term, T.sentence]) head.appendChild(node("th", "", text));
    table.appendChild(head);
    for (const term of th.terms) {
      const row = node("tr", term[6] ? "" : "includes-zero");
      row.appendChild(node("td", "term", term[0]));
      row.appendChild(node("td", "num", term[4]));
      row.appendChild(node("td", "num", term[5]));
      row.appendChild(node("td", "num", String(term[7])));
      row.appendChild(node("td", "", term[6] || T.includes_zero));
      table.appendChild(row);
    }
  }
  D.effects.forEach((entry, i) => option($("effect"), String(i), entry.name));
  $("effect").addEventListener("change", renderEffectThemes);
  $("effect-theme").addEventListener("change", renderEffect);
  renderEffectThemes();
  function selfTestEffects(result) {
    result.effects = [];
    D.effects.forEach((entry, e) => {
      $("effect").value = String(e);
      $("effect").dispatchEvent(new Event("change"));
      entry.themes.forEach((th, i) => {
        $("effect-theme").value = String(i);
        $("effect-theme").dispatchEvent(new Event("change"));
        const rows = [...document.querySelectorAll("#effect-table tr")].slice(1)
          .map((row) => [...row.children].map((cell) => cell.textContent));
        result.effects.push({ effect: entry.name, theme: th.name, info: $("effect-info").textContent, rows: rows,
                              marks: document.querySelectorAll("#forest circle.estimate").length,
                              hollow: document.querySelectorAll("#forest circle.includes-zero").length });
      });
    });
  }

