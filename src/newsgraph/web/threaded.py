"""Serve an app from a thread of this process, e.g. in a notebook, a test or a benchmark.

>>> from newsgraph.web import create_app
>>> from newsgraph.web.threaded import ThreadedServer
>>> with ThreadedServer(create_app("demo.duckdb")) as server:
...     print(server.url)            # http://127.0.0.1:<a free port>
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class ThreadedServer:
    """uvicorn serving ``app`` on a free loopback port (or ``port``) in a daemon thread."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        if port == 0:
            with socket.socket() as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        self.port = port
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(app, host=host, port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="newsgraph-web", daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the server did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


__all__ = ["ThreadedServer"]
