// The article page: a claim in the list lights up its sentence and trigger in
// the text, and the other way round.
const claims = [...document.querySelectorAll(".claim[data-claim]")];

function activate(id, on) {
  document.querySelectorAll(`[data-claims~="${CSS.escape(id)}"]`).forEach((seg) => seg.classList.toggle("active", on));
  claims.forEach((item) => item.classList.toggle("active", on && item.dataset.claim === id));
}

let pinned = null;
function pin(id) {
  if (pinned) activate(pinned, false);
  pinned = id;
  if (id) activate(id, true);
}

for (const item of claims) {
  const id = item.dataset.claim;
  item.addEventListener("mouseenter", () => activate(id, true));
  item.addEventListener("mouseleave", () => activate(id, id === pinned));
  item.querySelector("a.claim-link")?.addEventListener("click", () => pin(id));
}

document.querySelectorAll("#text [data-claims]").forEach((seg) => {
  seg.addEventListener("mouseenter", () => seg.dataset.claims.split(" ").filter(Boolean).forEach((id) => activate(id, true)));
  seg.addEventListener("mouseleave", () => seg.dataset.claims.split(" ").filter(Boolean).forEach((id) => activate(id, id === pinned)));
});

const target = decodeURIComponent(window.location.hash.replace(/^#ev-/, ""));
if (target && window.location.hash.startsWith("#ev-")) pin(target);
window.addEventListener("hashchange", () => {
  if (window.location.hash.startsWith("#ev-")) pin(decodeURIComponent(window.location.hash.slice(4)));
});
