"""The pages in a real browser (Debian's headless Chromium through playwright).

What an analyst does — search, open an entity, read its graph, click an edge,
read the evidence, open the article, paste a text — and what an attacker
tries: script in article text, titles and entity names. The run also takes the
screenshots of docs/screenshots/ that the README links to.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from tests.web.conftest import SCREENSHOTS, XSS, PageWatch

from newsgraph.web.threaded import ThreadedServer

pytestmark = pytest.mark.slow

TIMEOUT = 20_000  # ms; the first page of a session also starts Chromium's renderer


def shot(page: PageWatch, name: str) -> None:
    """Save the page as docs/screenshots/NAME.png, unless it looks as it did.

    Headless Chromium's antialiasing varies by a few pixels between runs; the
    file is kept when under 0.1% of its pixels changed, so a test run leaves the
    docs alone unless the page really changed.
    """
    from io import BytesIO

    from PIL import Image, ImageChops

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    png = page.page.screenshot(full_page=False)
    if target.exists():
        old, new = Image.open(target).convert("RGB"), Image.open(BytesIO(png)).convert("RGB")
        if old.size == new.size:
            changed = ImageChops.difference(old, new).convert("L").point(lambda v: v > 0)
            if changed.histogram()[1] <= 0.001 * old.size[0] * old.size[1]:
                return
    target.write_bytes(png)


def wait_ready(page: PageWatch, selector: str) -> None:
    page.page.wait_for_selector(f"{selector}[data-ready='true']", state="attached", timeout=TIMEOUT)


def click_edge(page: PageWatch, relation: str, partner: str) -> dict[str, Any]:
    """Click, with the mouse, the middle of the edge of ``relation`` to ``partner``."""
    target = page.page.evaluate(
        """([relation, partner]) => {
            const cy = window.newsgraphGraph;
            const on = (e) => [e.source(), e.target()].some((n) => n.data("label") === partner);
            const edge = cy.edges().filter((e) => e.data("relation") === relation && on(e))[0];
            if (!edge) return null;
            const box = cy.container().getBoundingClientRect();
            const p = edge.renderedMidpoint();
            return {x: box.left + p.x, y: box.top + p.y, data: edge.data()};
        }""",
        [relation, partner],
    )
    assert target is not None, f"no {relation} edge with {partner} in the graph"
    page.page.mouse.click(target["x"], target["y"])
    return target["data"]  # type: ignore[no-any-return]


def test_search_entity_graph_edge_evidence(page: PageWatch, demo_server: ThreadedServer) -> None:
    p = page.page
    p.goto(demo_server.url + "/")
    p.fill("#search-box", "géant de red")  # an epithet, not the name
    p.wait_for_selector("#search-hits li", timeout=TIMEOUT)
    first = p.locator("#search-hits li").first
    assert "Microsoft" in first.inner_text()
    shot(page, "search")
    first.dispatch_event("mousedown")
    p.wait_for_url("**/entity/**", timeout=TIMEOUT)
    assert p.locator("h1").inner_text().startswith("Microsoft")

    wait_ready(page, "#graph")
    nodes = p.evaluate("window.newsgraphGraph.nodes().length")
    edges = p.evaluate("window.newsgraphGraph.edges().map((e) => e.data('klass'))")
    assert nodes > 3 and {"cooperation", "conflict"} <= set(edges)

    clicked = click_edge(page, "INVESTS_IN", "OpenAI")
    selected = p.evaluate("window.newsgraphGraph.edges(':selected').map((e) => e.data())")
    assert selected, "the click selected no edge"
    evidence = p.locator("#evidence")
    evidence.wait_for(state="visible", timeout=TIMEOUT)
    p.wait_for_selector("#evidence-list li.claim", timeout=TIMEOUT)
    title = p.locator("#evidence-title").inner_text()
    assert selected[0]["relation"] in title
    items = p.locator("#evidence-list li.claim")
    assert items.count() >= 1
    assert items.first.locator("mark.trigger").count() == 1  # the trigger is marked
    assert clicked["relation"] == "INVESTS_IN"

    # The timeline and claims of the partner of the clicked edge.
    wait_ready(page, "#timeline")
    assert p.locator("#partner").input_value() == "Q21708200"  # OpenAI
    p.wait_for_selector("#claims tbody tr", timeout=TIMEOUT)
    assert p.locator("#claims tbody tr").count() >= 10
    assert p.locator("#claims .badge").count() >= 10
    shot(page, "entity")
    p.evaluate("document.getElementById('partner').closest('section').scrollIntoView()")
    shot(page, "timeline")
    assert page.errors == []

    # Evidence links to its sentence in the article.
    link = items.first.locator("a").first
    link.click()
    p.wait_for_url("**/document/**", timeout=TIMEOUT)
    p.wait_for_selector("#text .sent.active", timeout=TIMEOUT)
    assert p.locator(".claim.active").count() == 1
    assert page.errors == []


def test_article_page_links_claims_to_sentences(
    page: PageWatch, demo_server: ThreadedServer
) -> None:
    p = page.page
    p.goto(demo_server.url + "/")
    p.locator(".docs a").first.click()
    p.wait_for_selector("#text", timeout=TIMEOUT)
    assert p.locator("#text a.ent").count() > 3  # mentions link to their entities
    assert p.locator("#text .trigger").count() >= 1
    claim = p.locator(".claim").first
    claim.hover()
    assert p.locator("#text .sent.active").count() >= 1
    shot(page, "document")  # before the link scrolls the page: the same picture every run
    claim.locator("a.claim-link").click()
    assert "#ev-" in p.url
    entity = p.locator("#text a.ent").first
    name = entity.get_attribute("title") or ""
    entity.click()
    p.wait_for_url("**/entity/**", timeout=TIMEOUT)
    assert p.locator("h1").inner_text().split()[0] in name
    assert page.errors == []


ARTICLE = (
    "Nvidia puts $5bn into Intel\n\n"
    "Nvidia said on Thursday it will invest $5 billion in Intel and that the two "
    "companies will develop data-centre chips together. Intel shares jumped."
)


def test_paste_and_analyse(page: PageWatch, demo_server: ThreadedServer) -> None:
    p = page.page
    p.goto(demo_server.url + "/analyze")
    p.fill("#analyze-text", ARTICLE)
    p.select_option("#analyze-lang", "en")
    p.click("#analyze-run")
    p.wait_for_selector("#analyze-claims li.claim", timeout=60_000)
    claims = p.locator("#analyze-claims").inner_text()
    assert "INVESTS_IN" in claims and "Nvidia" in claims and "Intel" in claims
    assert "5bn USD" in claims
    assert p.locator("#analyze-output .ent").count() >= 3
    assert p.locator("#analyze-output .trigger").count() >= 1
    assert '"relation": "INVESTS_IN"' in p.locator("#analyze-json").text_content()
    shot(page, "analyze")
    # A bad input gets a message, not a broken page.
    p.fill("#analyze-text", "   ")
    p.click("#analyze-run")
    expect(p.locator("#analyze-status")).to_contain_text("empty", timeout=TIMEOUT)
    assert page.errors == [] or all("422" in e for e in page.errors)


def assert_nothing_ran(page: PageWatch) -> None:
    assert page.page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []


def test_payloads_in_articles_and_names_do_not_run(
    page: PageWatch, xss_server: ThreadedServer
) -> None:
    p = page.page
    base = xss_server.url
    hits = p.request.get(base + "/api/entities?q=nokia").json()
    assert hits and "<img" in hits[0]["name"]  # the name really holds the payload
    nokia = hits[0]["id"]
    docs = p.request.get(base + "/api/claims?a=" + nokia + "&b=Ericsson").json()["claims"]
    assert docs
    for path in ("/", "/search?q=nok", f"/entity/{nokia}", f"/document/{docs[0]['document_id']}"):
        p.goto(base + path)
        p.wait_for_load_state("networkidle")
        assert_nothing_ran(page)
    # The payloads are shown as text, not parsed into elements.
    text = p.locator("#text")
    assert "<script>" in text.inner_text() and "onerror=" in text.inner_text()
    assert p.locator("#text script, #text img, #text svg").count() == 0
    assert p.locator("a[href^='javascript:']").count() == 0

    # The entity page draws the payload name in the graph, the evidence and the table.
    p.goto(base + f"/entity/{nokia}")
    wait_ready(page, "#graph")
    p.wait_for_selector("#claims tbody tr", timeout=TIMEOUT)
    click_edge(page, "SUES", "Ericsson")
    p.wait_for_selector("#evidence-list li.claim", timeout=TIMEOUT)
    p.hover("#claims tbody tr")
    assert_nothing_ran(page)
    assert p.locator("main img, main svg, main script").count() == 0

    # Autocomplete lists the payload name as text.
    p.fill("#search-box", "nokia")
    p.wait_for_selector("#search-hits li", timeout=TIMEOUT)
    assert "<img" in p.locator("#search-hits").inner_text()
    assert p.locator("#search-hits img").count() == 0
    assert_nothing_ran(page)

    # A pasted text full of payloads is analysed and shown as text.
    p.goto(base + "/analyze")
    p.fill("#analyze-text", " ".join(XSS.values()) + " Nokia sued Ericsson.")
    p.select_option("#analyze-lang", "en")
    p.click("#analyze-run")
    p.wait_for_selector("#analyze-result:not([hidden])", timeout=60_000)
    assert "<script>" in p.locator("#analyze-output").inner_text()
    output = p.locator("#analyze-output")
    assert output.locator("script").count() + output.locator("img, svg").count() == 0
    assert_nothing_ran(page)


def test_api_docs_render_under_the_csp(page: PageWatch, demo_server: ThreadedServer) -> None:
    p = page.page
    p.goto(demo_server.url + "/api/docs")
    p.wait_for_selector(".opblock", timeout=TIMEOUT)
    assert p.locator(".opblock").count() >= 10
    assert "/api/timeline" in p.locator("#swagger-ui").inner_text()
    shot(page, "api")
    assert page.errors == []


def test_unknown_entity_page_says_so(page: PageWatch, demo_server: ThreadedServer) -> None:
    p = page.page
    response = p.goto(demo_server.url + "/entity/Microsfot")
    assert response is not None and response.status == 404
    assert "did you mean" in p.locator("main").inner_text()
