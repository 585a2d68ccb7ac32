// Helpers shared by the pages. Every piece of text from the store or the
// user goes into the page through text nodes (never innerHTML), so names and
// article text are shown, not run.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "href" && !/^(\/|#)/.test(String(value))) continue; // same-site links only
    node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export async function getJSON(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = (body && body.detail) || `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  return search.toString();
}

export const entityUrl = (id) => `/entity/${encodeURIComponent(id)}`;
export const documentUrl = (id, claim) =>
  `/document/${encodeURIComponent(id)}${claim ? `#ev-${encodeURIComponent(claim)}` : ""}`;

const SCALES = [
  [1e12, "tn"],
  [1e9, "bn"],
  [1e6, "m"],
  [1e3, "k"],
];

export function amountText(amount) {
  if (!amount || typeof amount.value !== "number") return "";
  let text = amount.value.toLocaleString("en");
  for (const [size, unit] of SCALES) {
    if (Math.abs(amount.value) >= size) {
      text = `${Number((amount.value / size).toFixed(2))}${unit}`;
      break;
    }
  }
  const bound = amount.bound ? `${amount.bound} ` : "";
  return `${bound}${text} ${amount.currency || ""}`.trim();
}

export function badge(modality) {
  return el("span", { class: `badge ${modality}` }, modality);
}

// The evidence sentence with its trigger in a <mark>; offsets are the document's.
export function sentenceWithTrigger(evidence) {
  const text = evidence.sentence;
  const start = evidence.trigger.start - evidence.start;
  const end = evidence.trigger.end - evidence.start;
  if (start < 0 || end > text.length || start >= end) return el("q", {}, text);
  return el(
    "q",
    {},
    text.slice(0, start),
    el("mark", { class: "trigger" }, text.slice(start, end)),
    text.slice(end),
  );
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
