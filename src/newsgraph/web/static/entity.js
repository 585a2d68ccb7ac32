// The entity page: neighbourhood graph (cytoscape), relationship timeline
// with a chosen partner (Chart.js), and that pair's claims.
import { amountText, badge, documentUrl, el, entityUrl, getJSON, query, sentenceWithTrigger } from "./common.js";

const head = document.getElementById("entity");
const entityId = head.dataset.entity;
const partnerBox = document.getElementById("partner");
const periodBox = document.getElementById("period");
const COLOURS = { cooperation: "#2e7d32", conflict: "#c62828", neutral: "#78909c" };
const PAGE = 50;

// ---- neighbourhood graph -------------------------------------------------

async function drawGraph() {
  const container = document.getElementById("graph");
  let data;
  try {
    data = await getJSON(`/api/entities/${encodeURIComponent(entityId)}/graph?limit=30`);
  } catch (error) {
    container.replaceChildren(el("p", { class: "notice" }, `The graph cannot be loaded: ${error.message}`));
    return;
  }
  if (!data.edges.length) {
    container.replaceChildren(el("p", { class: "meta" }, "No edges yet."));
    return;
  }
  const elements = [
    ...data.nodes.map((n) => ({
      data: { id: n.id, label: n.name, type: n.type || "", centre: n.centre ? 1 : 0, weight: n.weight },
    })),
    ...data.edges.map((e) => ({
      data: {
        id: e.id,
        source: e.subject,
        target: e.object,
        label: e.relation,
        klass: e.class,
        modality: e.modality,
        stories: e.n_stories,
        relation: e.relation,
        subjectName: e.subject_name,
        objectName: e.object_name,
      },
    })),
  ];
  let cytoscape;
  try {
    ({ default: cytoscape } = await import("/vendor/cytoscape.mjs"));
  } catch {
    container.replaceChildren(el("p", { class: "notice" }, "The graph library is not installed."));
    return;
  }
  const cy = cytoscape({
    container,
    elements,
    minZoom: 0.3,
    maxZoom: 3,
    layout: {
      name: "concentric",
      concentric: (node) => (node.data("centre") ? 100 : node.data("weight")),
      levelWidth: () => 4,
      minNodeSpacing: 30,
      animate: false,
    },
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "background-color": "#5c6bc0",
          width: "mapData(weight, 0, 20, 14, 34)",
          height: "mapData(weight, 0, 20, 14, 34)",
          color: "#263238",
          "text-outline-color": "#fff",
          "text-outline-width": 2,
        },
      },
      { selector: 'node[type = "PER"]', style: { "background-color": "#8d6e63" } },
      { selector: 'node[type = "PRODUCT"]', style: { "background-color": "#26a69a", shape: "round-rectangle" } },
      { selector: 'node[type = "GPE"], node[type = "LOC"]', style: { "background-color": "#9e9d24" } },
      { selector: "node[centre = 1]", style: { width: 44, height: 44, "background-color": "#283593", "font-weight": "bold" } },
      {
        selector: "edge",
        style: {
          width: "mapData(stories, 1, 12, 1.5, 7)",
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          label: "data(label)",
          "font-size": 8,
          color: "#455a64",
          "text-rotation": "autorotate",
          "text-outline-color": "#fff",
          "text-outline-width": 2,
          opacity: 0.85,
        },
      },
      ...Object.entries(COLOURS).map(([klass, colour]) => ({
        selector: `edge[klass = "${klass}"]`,
        style: { "line-color": colour, "target-arrow-color": colour },
      })),
      { selector: 'edge[modality = "speculative"]', style: { "line-style": "dashed" } },
      { selector: 'edge[modality = "negated"]', style: { "line-style": "dotted", opacity: 0.5 } },
      { selector: "edge:selected", style: { width: 8, opacity: 1, "z-index": 10 } },
    ],
  });
  cy.on("tap", "edge", (event) => showEvidence(event.target.data()));
  cy.on("tap", "node", (event) => {
    if (!event.target.data("centre")) window.location.assign(entityUrl(event.target.id()));
  });
  window.newsgraphGraph = cy; // for the browser tests and the console
  container.dataset.ready = "true";
}

// ---- evidence of one edge ------------------------------------------------

function claimItem(claim) {
  return el(
    "li",
    { class: "claim", "data-claim": claim.id },
    el("div", { class: "claim-line" },
      el("span", { class: "date" }, claim.date || "undated"), " ",
      badge(claim.modality), " ",
      claim.amount ? el("span", { class: "amount" }, amountText(claim.amount)) : null),
    sentenceWithTrigger(claim.evidence),
    el("div", { class: "meta" },
      el("a", { href: documentUrl(claim.document_id, claim.id) }, claim.title || claim.document_name),
      claim.lang ? ` · ${claim.lang}` : ""),
  );
}

async function showEvidence(edge) {
  const panel = document.getElementById("evidence");
  const list = document.getElementById("evidence-list");
  panel.hidden = false;
  document.getElementById("evidence-title").textContent =
    `— ${edge.subjectName} ${edge.relation} ${edge.objectName}`;
  list.replaceChildren(el("li", { class: "meta" }, "Loading…"));
  try {
    const page = await getJSON(
      `/api/claims?${query({ a: edge.source, b: edge.target, relation: edge.relation, limit: PAGE })}`,
    );
    const own = page.claims.filter((c) => c.subject === edge.source && c.object === edge.target
      || c.subject === edge.target && c.object === edge.source);
    list.replaceChildren(...own.map(claimItem));
    if (page.total > page.claims.length) {
      list.append(el("li", { class: "meta" }, `${page.total - page.claims.length} more in the claims table below.`));
    }
  } catch (error) {
    list.replaceChildren(el("li", { class: "notice" }, error.message));
  }
  const partner = edge.source === entityId ? edge.target : edge.source;
  if ([...partnerBox.options].some((o) => o.value === partner) && partnerBox.value !== partner) {
    partnerBox.value = partner;
    loadPartner();
  }
  panel.scrollIntoView({ block: "nearest" });
}

// ---- timeline and claims with the chosen partner ---------------------------

let chart = null;
let offset = 0;

async function drawTimeline(partner) {
  const summary = document.getElementById("timeline-summary");
  const canvas = document.getElementById("timeline");
  let data;
  try {
    data = await getJSON(`/api/timeline?${query({ a: entityId, b: partner, by: periodBox.value })}`);
  } catch (error) {
    summary.textContent = error.message;
    return;
  }
  const overall = data.overall || {};
  const health = typeof overall.health === "number" ? overall.health.toFixed(2) : "n/a";
  summary.textContent =
    `${overall.n_claims || 0} story claims, ${overall.first_date || "?"} – ${overall.last_date || "?"}; ` +
    `overall health ${health} (−1 conflict … +1 cooperation).`;
  const periods = data.periods || [];
  const labels = periods.map((p) => p.period);
  const counts = (klass) => periods.map((p) => p.counts[klass]);
  if (chart) chart.destroy();
  if (!window.Chart) {
    summary.append(" The chart library is not installed.");
    return;
  }
  chart = new window.Chart(canvas, {
    data: {
      labels,
      datasets: [
        { type: "line", label: "health", data: periods.map((p) => p.health), yAxisID: "health",
          borderColor: "#283593", backgroundColor: "#283593", spanGaps: true, tension: 0.2 },
        { type: "bar", label: "cooperation", data: counts("cooperation"), backgroundColor: COLOURS.cooperation, stack: "n" },
        { type: "bar", label: "conflict", data: counts("conflict"), backgroundColor: COLOURS.conflict, stack: "n" },
        { type: "bar", label: "neutral", data: counts("neutral"), backgroundColor: COLOURS.neutral, stack: "n" },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        y: { stacked: true, title: { display: true, text: "story claims" }, beginAtZero: true },
        health: { position: "right", min: -1, max: 1, title: { display: true, text: "health" },
          grid: { drawOnChartArea: false } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            afterBody: (items) => {
              const period = periods[items[0].dataIndex];
              return (period.events || []).map((e) => `${e.subject_name} ${e.relation} ${e.object_name} (${e.modality})`);
            },
          },
        },
      },
    },
  });
  canvas.dataset.ready = "true";
}

async function loadClaims(partner, more = false) {
  const body = document.querySelector("#claims tbody");
  const button = document.getElementById("more-claims");
  const count = document.getElementById("claims-count");
  if (!more) {
    offset = 0;
    body.replaceChildren();
  }
  let page;
  try {
    page = await getJSON(`/api/claims?${query({ a: entityId, b: partner, limit: PAGE, offset })}`);
  } catch (error) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 5 }, error.message)));
    return;
  }
  for (const c of page.claims) {
    body.append(
      el("tr", { class: c.class, "data-claim": c.id },
        el("td", {}, c.date || ""),
        el("td", {},
          el("a", { href: entityUrl(c.subject) }, c.subject_name), " ",
          el("span", { class: `rel ${c.class}` }, c.relation), " ",
          el("a", { href: entityUrl(c.object) }, c.object_name)),
        el("td", {}, badge(c.modality)),
        el("td", { class: "num" }, amountText(c.amount)),
        el("td", {}, sentenceWithTrigger(c.evidence), " ",
          el("a", { href: documentUrl(c.document_id, c.id), class: "source" }, c.title || c.document_name))),
    );
  }
  offset += page.claims.length;
  count.textContent = `${offset} of ${page.total}`;
  button.hidden = offset >= page.total;
}

function loadPartner() {
  const partner = partnerBox.value;
  if (!partner) return;
  drawTimeline(partner);
  loadClaims(partner);
}

partnerBox.addEventListener("change", loadPartner);
periodBox.addEventListener("change", () => partnerBox.value && drawTimeline(partnerBox.value));
document.getElementById("more-claims").addEventListener("click", () => loadClaims(partnerBox.value, true));

drawGraph();
loadPartner();
