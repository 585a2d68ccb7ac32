"""Fixtures of the web tests: apps over test stores, a live server, a browser.

The browser is Debian's Chromium driven by python playwright (never
``playwright install``: nothing is downloaded). Without /usr/bin/chromium the
browser tests are skipped on a developer's machine and fail in CI (CI=true),
where ``.ci/run`` installs it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.web.threaded import ThreadedServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

#: Payloads that run script if any text reaches the page unescaped; each sets
#: ``window.__xss`` (checked by the tests) and would also open a dialog.
XSS = {
    "script": "<script>window.__xss = 'script'; alert(1)</script>",
    "img": "<img src=x onerror=\"window.__xss = 'img'; alert(2)\">",
    "svg": "<svg onload=\"window.__xss='svg'\"></svg>",
    "attr": '" onmouseover="window.__xss=\'attr\'" x="',
    "js_url": "javascript:window.__xss='url'",
}


def _article_with_payloads() -> str:
    # Claims in plain sentences (extraction must still find them), payloads between.
    return (
        "Nokia sued Ericsson on Monday over patents.\n\n"
        f"{XSS['script']}\n\n{XSS['img']}\n\n"
        f"Ericsson called the suit baseless {XSS['svg']}.\n\n"
        f"Microsoft invested $2bn in Nokia last year. {XSS['attr']} {XSS['js_url']}\n"
    )


@pytest.fixture(scope="session")
def xss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding an article full of script payloads, and an entity (Nokia)
    named after one: names come from articles, so they are attacker-controlled too."""
    from newsgraph.ingest.run import ingest
    from newsgraph.store import Store

    folder = tmp_path_factory.mktemp("xss")
    record = {
        "id": "payloads",
        "title": f"Payload {XSS['script']} title",
        "published": "2024-05-06",
        "lang": "en",
        "url": XSS["js_url"],
        "text": _article_with_payloads(),
    }
    (folder / "payloads.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "xss.duckdb"
    summary = ingest([str(folder / "payloads.jsonl")], db=str(db), processes=1)
    assert summary.analysed == 1
    with Store.open(db) as store:
        store.con.execute(
            "UPDATE entities SET name = ? || name, aliases = list_append(aliases, ?) "
            "WHERE name = 'Nokia'",
            [XSS["img"], XSS["svg"]],
        )
        store.con.execute("CHECKPOINT")
    return db


def _serve(db: Path, **options: Any) -> Iterator[ThreadedServer]:
    from newsgraph.web import create_app

    app = create_app(db, **options)
    with ThreadedServer(app) as server:
        yield server
    app.state.access.close()


@pytest.fixture(scope="session")
def demo_server(demo_db: Path) -> Iterator[ThreadedServer]:
    yield from _serve(demo_db)


@pytest.fixture(scope="session")
def xss_server(xss_db: Path) -> Iterator[ThreadedServer]:
    yield from _serve(xss_db)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class PageWatch:
    """A browser page that records console errors, page errors and dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser: Any) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = PageWatch(context.new_page())
    yield watched
    context.close()
