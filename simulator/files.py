"""Every file the simulator writes goes through here: atomically, so a reader (or a crash) never meets half a file.

A file is written to a temporary file beside its target (same folder, so the same file system), flushed to disk,
and renamed over the target with ``os.replace``, which is atomic on POSIX and Windows. A process killed mid-write
(SIGKILL, a full disk, a closed laptop) therefore leaves either the previous file whole or the new one whole, and at
worst a stray ``.<name>.*.tmp`` beside it, never a truncated report, log or score. The temporary name is unique per
write (``tempfile.mkstemp``), so two threads of the app writing the same file do not clobber each other's halves.

``write_bytes`` and ``write_text`` cover whole contents in memory; ``atomic_path`` lends a temporary path to a
library that insists on writing a path itself (pandas' ``to_parquet``); ``copy_file`` copies through the same
route. ``tests/test_atomic.py`` kills a writer mid-write and greps ``simulator/`` and ``views/`` for writes that
bypass this module.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on a normal exit it replaces ``path`` (flushed to disk
    first), on an exception it is removed and ``path`` is left as it was. Creates the folder."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as written:  # flush to disk: a power cut after the rename keeps the new bytes
            os.fsync(written.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then ``os.replace``), creating its folder;
    return the path. A reader never sees half a file, and a failed write leaves the previous file whole."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
    return target


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """``write_bytes`` for text (UTF-8 unless told otherwise)."""
    return write_bytes(path, text.encode(encoding))


def copy_file(source: str | Path, target: str | Path) -> Path:
    """Copy ``source`` to ``target`` atomically (the whole file is read first: the files copied are small)."""
    return write_bytes(target, Path(source).read_bytes())


__all__ = ["atomic_path", "copy_file", "write_bytes", "write_text"]
