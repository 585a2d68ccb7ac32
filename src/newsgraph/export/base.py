"""What every export shares: outputs that appear whole or not at all, and streamed reads.

A writer never writes ``out`` itself. It writes into a temporary file or folder
next to ``out`` (same folder, so the final rename is atomic) and that replaces
``out`` only when everything is written; on any error the temporary output is
removed and ``out`` is left as it was.

    >>> with atomic_file("graph.ttl") as tmp:
    ...     tmp.write_text("...")
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from newsgraph.errors import OutputNotWritable
from newsgraph.store.rows import iso

#: Rows fetched at a time from a streamed query.
CHUNK = 2000


def target(out: str | os.PathLike[str]) -> Path:
    """The absolute path of ``out``, checked to be creatable: its folder exists and is writable.

    Raises:
        OutputNotWritable: the folder is missing, is not a folder, or is not writable.
    """
    path = Path(os.fspath(out)).expanduser().absolute()
    if not path.name:
        raise OutputNotWritable(str(path), "give a file or folder name, not a root")
    parent = path.parent
    if not parent.exists():
        raise OutputNotWritable(str(path), f"the folder {parent} does not exist")
    if not parent.is_dir():
        raise OutputNotWritable(str(path), f"{parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputNotWritable(str(path), f"the folder {parent} is not writable")
    return path


@contextmanager
def atomic_file(out: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``out`` that replaces ``out`` when the block succeeds.

    The temporary file is created empty (so an unwritable folder fails at once);
    the block may write it or overwrite it by name.

    Raises:
        OutputNotWritable: ``out`` cannot be written (missing or read-only folder,
            ``out`` is a folder, disk full, …); nothing is left behind.

    >>> with atomic_file("claims.jsonl") as tmp:
    ...     tmp.write_text('{"id": "a"}\\n', encoding="utf-8")
    """
    path = target(out)
    if path.is_dir():
        raise OutputNotWritable(str(path), "it is a folder; give a file name")
    tmp = _sibling(path, "part")
    try:
        tmp.touch(exist_ok=False)
    except OSError as e:
        raise OutputNotWritable(str(path), _reason(e)) from e
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as e:
        raise OutputNotWritable(str(path), _reason(e)) from e
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_dir(out: str | os.PathLike[str], *, names: Collection[str]) -> Iterator[Path]:
    """A temporary folder next to ``out`` that replaces the folder ``out`` when the block succeeds.

    An existing ``out`` is replaced only if it holds nothing but files named in
    ``names`` (a previous export of the same format): a folder with other files
    is never deleted.

    Raises:
        OutputNotWritable: ``out`` cannot be written, is a file, or is a folder
            holding other files; nothing is left behind.

    >>> with atomic_dir("graph-csv", names={"a.csv"}) as tmp:
    ...     (tmp / "a.csv").write_text("id\\n")
    """
    path = target(out)
    _check_replaceable(path, names)
    tmp = _sibling(path, "part")
    try:
        tmp.mkdir()
    except OSError as e:
        raise OutputNotWritable(str(path), _reason(e)) from e
    try:
        yield tmp
        _check_replaceable(path, names)
        _swap(tmp, path)
    except OSError as e:
        raise OutputNotWritable(str(path), _reason(e)) from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, path: Path) -> None:
    """Put the folder ``new`` in the place of ``path``, keeping ``path`` if that fails."""
    if not path.exists():
        os.rename(new, path)
        return
    old = _sibling(path, "old")
    os.rename(path, old)
    try:
        os.rename(new, path)
    except OSError:
        os.rename(old, path)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(path: Path, names: Collection[str]) -> None:
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputNotWritable(str(path), "it is a file; give a folder name")
    others = sorted(p.name for p in path.iterdir() if p.name not in names)
    if others:
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        raise OutputNotWritable(
            str(path),
            f"the folder exists and holds files this export does not write ({shown}); "
            "give a new folder",
        )


def _sibling(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.{kind}")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def stream(
    con: Any, sql: str, params: Any = None, *, size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql``, fetched ``size`` at a time on a cursor of their own.

    The cursor is separate from ``con``, so other queries may run on ``con``
    while the rows are read.

    >>> for row in stream(store.con, "SELECT id FROM entities ORDER BY id"):
    ...     print(row[0])
    """
    cursor = con.cursor()
    try:
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield from chunk
    finally:
        cursor.close()


def document_pages(con: Any, columns: str, *, page: int) -> Iterator[list[tuple[Any, ...]]]:
    """The documents, ``page`` at a time in id order, as rows of ``columns`` (``id`` first).

    Keyset paging: each page is one query after the last id of the one before,
    so no cursor stays open and memory grows with ``page``, not with the store.
    The rows of a page span the id range ``page[0][0]`` to ``page[-1][0]``.

    >>> for docs in document_pages(store.con, "id, title", page=500):
    ...     print(len(docs))
    """
    sql = (
        f"SELECT {columns} FROM documents WHERE $after IS NULL OR id > $after "
        "ORDER BY id LIMIT $page"
    )
    after: str | None = None
    while True:
        docs = con.execute(sql, {"after": after, "page": page}).fetchall()
        if docs:
            yield docs
        if len(docs) < page:
            return
        after = docs[-1][0]


__all__ = ["CHUNK", "atomic_dir", "atomic_file", "document_pages", "iso", "stream", "target"]
