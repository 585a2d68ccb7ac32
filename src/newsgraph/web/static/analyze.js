// "Analyse a text": POST /api/analyze, then the text with its mentions and
// triggers marked, the claims and the entities; nothing is stored.
import { amountText, badge, el, getJSON, sentenceWithTrigger } from "./common.js";

const form = document.getElementById("analyze-form");
const textBox = document.getElementById("analyze-text");
const status = document.getElementById("analyze-status");
const button = document.getElementById("analyze-run");

// Cut the text at every mention and trigger boundary (as the article page does on the server).
function marked(text, doc) {
  const spans = [];
  for (const entity of doc.entities) {
    for (const m of entity.mentions) spans.push({ start: m.start, end: m.end, kind: "ent", entity });
  }
  doc.claims.forEach((claim, i) => {
    const t = claim.evidence.trigger;
    spans.push({ start: t.start, end: t.end, kind: "trigger", claim: i });
  });
  const cuts = new Set([0, text.length]);
  for (const s of spans) if (s.start < s.end && s.end <= text.length) cuts.add(s.start).add(s.end);
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const piece = text.slice(start, end);
    const ent = spans.find((s) => s.kind === "ent" && s.start <= start && end <= s.end);
    const trig = spans.find((s) => s.kind === "trigger" && s.start <= start && end <= s.end);
    if (!ent && !trig) {
      out.push(piece);
      continue;
    }
    const classes = ["seg", ent ? `ent ${ent.entity.type}` : "", trig ? "trigger" : ""].join(" ").trim();
    out.push(el("span", { class: classes, title: ent ? `${ent.entity.name} (${ent.entity.type})` : null }, piece));
  }
  return out;
}

function render(text, doc) {
  const names = Object.fromEntries(doc.entities.map((e) => [e.id, e.name]));
  document.getElementById("analyze-output").replaceChildren(...marked(text, doc));
  document.getElementById("analyze-claims-count").textContent = `(${doc.claims.length})`;
  document.getElementById("analyze-claims").replaceChildren(
    ...doc.claims.map((c) =>
      el("li", { class: "claim" },
        el("div", { class: "claim-line" },
          el("span", { class: "who" }, names[c.subject] || c.subject), " ",
          el("span", { class: "rel" }, c.relation), " ",
          el("span", { class: "who" }, names[c.object] || c.object), " ",
          badge(c.modality), " ",
          c.amount ? el("span", { class: "amount" }, amountText(c.amount)) : null,
          c.date ? el("span", { class: "meta" }, ` ${c.date}`) : null),
        sentenceWithTrigger(c.evidence)),
    ),
  );
  if (!doc.claims.length) document.getElementById("analyze-claims").append(el("li", { class: "meta" }, "No claim found."));
  document.getElementById("analyze-entities").replaceChildren(
    ...doc.entities.map((e) =>
      el("li", {}, el("span", { class: `ent ${e.type}` }, e.name), " ",
        el("span", { class: "meta" }, `${e.type} · ${e.mentions.length}×${e.qid ? ` · ${e.qid}` : ""}`)),
    ),
  );
  document.getElementById("analyze-json").textContent = JSON.stringify(doc, null, 2);
  document.getElementById("analyze-result").hidden = false;
  for (const w of doc.warnings || []) status.append(el("span", { class: "notice" }, ` ${w}`));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = textBox.value;
  const body = { text };
  const lang = document.getElementById("analyze-lang").value;
  const published = document.getElementById("analyze-date").value;
  if (lang) body.lang = lang;
  if (published) body.published = published;
  button.disabled = true;
  status.textContent = "Analysing…";
  try {
    const doc = await getJSON("/api/analyze", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    status.textContent = `${doc.lang}: ${doc.entities.length} entities, ${doc.claims.length} claims.`;
    render(text, doc);
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  } finally {
    button.disabled = false;
  }
});
