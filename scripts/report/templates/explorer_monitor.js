  // ---- Monitor (only when monitor.path is set): the new periods, inferred with the frozen model,
  // sit in a hatched span after the fit's last period, joined by a dashed line, hollow circles ----
  function drawFrozen(svg, th, x, y, top, height, bottom) {
    const first = th.periods.findIndex((p) => p.frozen);
    if (first < 0) return;
    const last = th.periods.length - 1;
    const start = first > 0 ? (x(first - 1) + x(first)) / 2 : x(first) - 12;
    const span = svgNode("rect", { x: start, y: top, width: x(last) + 12 - start, height: height - top - bottom, class: "frozen-span" });
    svg.insertBefore(span, svg.querySelector(".band"));
    svgNode("text", { x: x(last) + 12, y: top - 8, "text-anchor": "end", class: "frozen-label" }, svg).textContent = T.frozen;
    const line = svg.querySelector(".line");
    line.setAttribute("points", th.periods.slice(0, first).map((p, i) => `${x(i)},${y(p.value)}`).join(" "));
    const from = Math.max(0, first - 1);
    const dashed = svgNode("polyline", { points: th.periods.slice(from).map((p, j) => `${x(from + j)},${y(p.value)}`).join(" "), class: "line frozen-line" });
    svg.insertBefore(dashed, svg.querySelector("circle.period"));
    for (const circle of svg.querySelectorAll("circle.period")) {
      if (Number(circle.getAttribute("data-index")) >= first) {
        circle.classList.add("frozen");
        circle.firstChild.textContent += " · " + T.frozen;
      }
    }
  }
  function selfTestMonitor(result) {
    $("theme").value = "0";
    $("theme").dispatchEvent(new Event("change"));
    result.monitor = {
      frozenPeriods: theme().periods.filter((p) => p.frozen).map((p) => p.label),
      frozenCircles: document.querySelectorAll("#curve circle.period.frozen").length,
      dashed: document.querySelectorAll("#curve .frozen-line").length,
      signals: [...document.querySelectorAll("#monitor-signals tbody tr")].map((row) => [...row.children].map((cell) => cell.textContent)),
      rising: document.querySelectorAll("#monitor-rising tbody tr").length,
    };
  }

