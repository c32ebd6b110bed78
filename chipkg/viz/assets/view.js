// chipkg view: draws the embedded graph with vis-network, adds a legend,
// search by name, and a details panel. All data text goes in via textContent.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("chipkg-data").textContent);
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const container = document.getElementById("graph");
  const details = document.getElementById("details");
  const status = document.getElementById("search-status");

  const options = {
    layout: { randomSeed: 7, improvedLayout: data.nodes.length <= 150 },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, springLength: 110, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 500, fit: true },
    },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      navigationButtons: true,
      keyboard: { enabled: true, bindToWindow: false },
      dragNodes: true,
      dragView: true,
      zoomView: true,
    },
    nodes: { font: { size: 14, face: "system-ui, DejaVu Sans, sans-serif" } },
    edges: { arrowStrikethrough: false, selectionWidth: 2, hoverWidth: 1 },
  };
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  const view = {
    data: data,
    nodes: nodes,
    edges: edges,
    network: network,
    ready: false,
    search: search,
    showNode: showNode,
    showEdge: showEdge,
  };
  window.chipkgView = view;

  function markReady() {
    if (view.ready) return;
    network.setOptions({ physics: false });
    network.fit();
    view.ready = true;
    document.body.dataset.ready = "true";
  }
  network.once("stabilizationIterationsDone", markReady);
  if (data.nodes.length < 2) markReady();

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function rank(item, query) {
    const names = [item.chipkg.name].concat(item.chipkg.aliases || []).map(fold);
    if (names.indexOf(query) >= 0) return 0;
    if (names.some((n) => n.startsWith(query))) return 1;
    if (names.some((n) => n.indexOf(query) >= 0)) return 2;
    if (fold(item.id).indexOf(query) >= 0) return 3;
    return 9;
  }

  // Find the best match for a name or alias, select it and centre on it.
  function search(text) {
    const query = fold(text);
    let best = null;
    let bestRank = 9;
    if (query) {
      nodes.forEach((item) => {
        const r = rank(item, query);
        if (r < bestRank || (r === bestRank && best && item.label.length < best.label.length)) {
          best = item;
          bestRank = r;
        }
      });
    }
    status.classList.toggle("miss", !best);
    if (!best) {
      status.textContent = query ? "No match for \u201c" + text + "\u201d" : "";
      network.unselectAll();
      return null;
    }
    status.textContent = "Found: " + best.chipkg.name + " (" + best.chipkg.label + ")";
    network.selectNodes([best.id]);
    network.focus(best.id, { scale: 1.3, animation: false });
    showNode(best.id);
    return best.id;
  }

  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search(document.getElementById("search").value);
  });

  const datalist = document.getElementById("names");
  data.nodes
    .map((n) => n.chipkg.name)
    .sort()
    .forEach((name) => datalist.appendChild(el("option", null)).setAttribute("value", name));

  function clearDetails() {
    while (details.children.length > 1) details.removeChild(details.lastChild);
  }

  function addRows(dl, rows) {
    rows.forEach(([key, value]) => {
      if (value === null || value === undefined || value === "") return;
      dl.appendChild(el("dt", key));
      dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
    });
  }

  function showNode(id) {
    const item = nodes.get(id);
    if (!item) return;
    const rec = item.chipkg;
    clearDetails();
    details.appendChild(el("h3", rec.name));
    const dl = details.appendChild(el("dl"));
    addRows(dl, [["label", rec.label], ["id", id], ["note", rec.note], ["aliases", rec.aliases]]);
    addRows(dl, Object.keys(rec.properties).sort().map((k) => [k, rec.properties[k]]));
    const links = network.getConnectedEdges(id).length;
    details.appendChild(el("p", links + " link" + (links === 1 ? "" : "s") + " on this view", "hint"));
  }

  function showEdge(id) {
    const item = edges.get(id);
    if (!item) return;
    const rec = item.chipkg;
    clearDetails();
    details.appendChild(el("h3", rec.source.name + " \u2192 " + rec.target.name));
    const dl = details.appendChild(el("dl"));
    const valid = rec.valid_from || rec.valid_to ? (rec.valid_from || "\u2026") + " to " + (rec.valid_to || "\u2026") : "";
    addRows(dl, [
      ["type", rec.type],
      ["modality", rec.modality],
      ["confidence", rec.confidence.toFixed(2)],
      ["valid", valid],
      ["derived", rec.derived ? "yes" : ""],
    ]);
    addRows(dl, Object.keys(rec.properties).sort().map((k) => [k, rec.properties[k]]));
    rec.cuts.forEach((cut) => {
      details.appendChild(el("p", "Cut by " + cut.name + " (" + cut.regulation + "): " + cut.reason, "cut"));
    });
    details.appendChild(el("h2", "Sources"));
    const list = details.appendChild(el("ul"));
    rec.sources.forEach((source) => {
      const li = list.appendChild(el("li"));
      if (source.url && /^https?:\/\//.test(source.url)) {
        const a = li.appendChild(el("a", source.name));
        a.href = source.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      } else {
        li.textContent = source.name;
      }
    });
    rec.quotes.forEach((q) => {
      const bq = details.appendChild(el("blockquote", "\u201c" + q.quote + "\u201d"));
      bq.appendChild(el("div", "\u2014 " + q.source, "hint"));
    });
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  function legendRow(parent, swatch, text, count) {
    const row = parent.appendChild(el("div", null, "legend-row"));
    row.appendChild(swatch);
    row.appendChild(el("span", text));
    if (count !== undefined) row.appendChild(el("span", count, "count"));
    return row;
  }

  function line(colour, dashes, opacity) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "10");
    const path = svg.appendChild(document.createElementNS(ns, "line"));
    [["x1", 1], ["y1", 5], ["x2", 27], ["y2", 5], ["stroke", colour], ["stroke-width", 3]].forEach(
      ([k, v]) => path.setAttribute(k, v)
    );
    if (dashes) path.setAttribute("stroke-dasharray", dashes.join(" "));
    if (opacity) path.setAttribute("stroke-opacity", opacity);
    return svg;
  }

  function buildLegend() {
    const legend = document.getElementById("legend");
    const byLabel = {};
    data.nodes.forEach((n) => (byLabel[n.chipkg.label] = (byLabel[n.chipkg.label] || 0) + 1));
    const byType = {};
    data.edges.forEach((e) => (byType[e.chipkg.type] = (byType[e.chipkg.type] || 0) + 1));
    data.legend.labels.forEach((entry) => {
      const swatch = el("span", null, "swatch " + entry.shape);
      swatch.style.background = entry.colour;
      legendRow(legend, swatch, entry.name, byLabel[entry.name]).dataset.label = entry.name;
    });
    data.legend.types.forEach((entry) => {
      legendRow(legend, line(entry.colour), entry.name, byType[entry.name]).dataset.type = entry.name;
    });
    const cuts = data.edges.filter((e) => e.chipkg.cuts.length).length;
    legendRow(legend, line(data.legend.cut.colour, data.legend.cut.dashes), "cut by a regulation", cuts)
      .dataset.type = "cut";
    legendRow(legend, line("#57606a", null, 0.45), "rumored, speculative or negated");
  }

  document.getElementById("subtitle").textContent = data.subtitle;
  buildLegend();
})();
