// The search box of every page: autocomplete over names, aliases and the
// forms seen in articles, from GET /api/entities.
import { debounce, el, entityUrl, getJSON, query } from "./common.js";

const form = document.querySelector("[data-search]");
const box = document.getElementById("search-box");
const list = document.getElementById("search-hits");
let hits = [];
let active = -1;
let asked = "";

function show(items) {
  hits = items;
  active = -1;
  list.replaceChildren(
    ...items.map((hit, i) => {
      const alias =
        hit.matched && hit.matched !== hit.name.toLowerCase() ? el("span", { class: "matched" }, `“${hit.matched}”`) : null;
      const item = el(
        "li",
        { role: "option", id: `hit-${i}`, "data-id": hit.id },
        el("span", { class: "name" }, hit.name),
        el("span", { class: "type" }, hit.type),
        alias,
        el("span", { class: "meta" }, `${hit.n_claims} claims`),
      );
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        window.location.assign(entityUrl(hit.id));
      });
      return item;
    }),
  );
  list.hidden = items.length === 0;
}

function highlight(index) {
  active = index;
  [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
  box.setAttribute("aria-activedescendant", index >= 0 ? `hit-${index}` : "");
}

const lookUp = debounce(async () => {
  const q = box.value.trim();
  if (!q) return show([]);
  asked = q;
  try {
    const found = await getJSON(`/api/entities?${query({ q, limit: 8 })}`);
    if (asked === q) show(found);
  } catch {
    show([]);
  }
}, 120);

if (form && box && list) {
  box.addEventListener("input", lookUp);
  box.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits.length) {
      event.preventDefault();
      highlight((active + 1) % hits.length);
    } else if (event.key === "ArrowUp" && hits.length) {
      event.preventDefault();
      highlight((active - 1 + hits.length) % hits.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(entityUrl(hits[active].id));
    } else if (event.key === "Escape") {
      show([]);
    }
  });
  box.addEventListener("blur", () => setTimeout(() => (list.hidden = true), 150));
  box.addEventListener("focus", () => (list.hidden = hits.length === 0));
}
