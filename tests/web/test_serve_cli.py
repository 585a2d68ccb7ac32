"""``newsgraph serve`` as a user runs it: a real process, a real port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsgraph.cli import main
from newsgraph.cli_serve import _loopback
from newsgraph.errors import EXIT_BAD_INPUT, EXIT_USAGE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_missing_store_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--db", str(tmp_path / "none.duckdb")])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "E021" in err and "Traceback" not in err
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_a_bad_port_is_a_usage_error(port: str, mini_store_path: Path) -> None:
    assert main(["serve", "--db", str(mini_store_path), "--port", port]) == EXIT_USAGE


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.10", False), ("example.test", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert _loopback(host) is loopback


@pytest.mark.slow
def test_serve_answers_on_loopback_and_stops_on_sigint(mini_store_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgraph", "serve", "--db", str(mini_store_path),
         "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(url + "/api/stats", timeout=2).json()
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.communicate()[1]) from None
                time.sleep(0.2)
        assert stats["read_only"] is True and stats["counts"]["documents"] == 10
        page = httpx.get(url + "/", timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        refused = httpx.post(url + "/api/documents", json={"text": "Apple sues Samsung."})
        assert refused.status_code == 403 and refused.json()["code"] == "E025"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out and "read-only" in out
    assert "Traceback" not in err


def test_warm_up_analyses_each_language_under_the_analysis_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsgraph.pipeline
    from newsgraph.web import api

    seen: list[tuple[str, bool]] = []

    def fake(text: str, *, lang: str) -> None:
        seen.append((lang, api._ANALYSIS.locked()))

    monkeypatch.setattr(newsgraph.pipeline, "analyze", fake)
    api.warm_up()
    assert seen == [("en", True), ("fr", True), ("es", True)]
    assert not api._ANALYSIS.locked()
