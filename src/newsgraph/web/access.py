"""Shared access to the store for the web app's threads.

Requests read through their own cursor of one read-only connection (DuckDB
connections are not shared across threads; cursors are). An upload, allowed
only with ``--allow-ingest``, must close that connection first — DuckDB lets a
file be open read-only or for writing, not both — so reads and writes take a
readers-writer lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsgraph.errors import StoreMissing
from newsgraph.store.db import Store


class StoreAccess:
    """The store file of a running server: cursors to read, a lock to write."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            if not create:
                raise StoreMissing(self.path)
            Store.open(self.path).close()  # an empty store, ready for uploads
        self._store: Store | None = Store.open(self.path, read_only=True)
        self._readers = 0
        self._cond = threading.Condition()
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A cursor for one request's reads."""
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            if self._store is None:  # closed by a server shutdown; a new lifespan reads again
                self._store = Store.open(self.path, read_only=True)
            self._readers += 1
            store = self._store
        try:
            cursor = store.con.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[str]:
        """Exclusive use of the store file (its path), with the read connection closed."""
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
            if self._store is not None:
                self._store.close()
                self._store = None
        try:
            yield self.path
        finally:
            with self._cond:
                self._store = Store.open(self.path, read_only=True)
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            if self._store is not None:
                self._store.close()
                self._store = None


__all__ = ["StoreAccess"]
