"""A PostgreSQL server for the store's tests: ``DRILL_TEST_PG_URL`` if set (``.ci/run`` starts one and exports it),
else a throwaway cluster started here in a temporary directory from Debian's ``postgresql`` binaries, on a Unix
socket only, stopped when the test session ends. Each test gets a schema of its own in it (:func:`fresh_schema`),
so tests never see each other's drills and no database is created per test.

Run as a script (``python -m tests.pg start DIR``) it starts a cluster in DIR and prints the URL, for ``.ci/run``
and for ``benchmarks/bench_store.py``; ``python -m tests.pg stop DIR`` stops it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

ENV = "DRILL_TEST_PG_URL"


def _bindir() -> Path | None:
    """Where initdb and pg_ctl are: the newest /usr/lib/postgresql/<n>/bin (Debian), else pg_ctl on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's ``postgres`` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def start(directory: Path) -> tuple[str | None, str]:
    """Start a cluster in ``directory``: (its SQLAlchemy URL, "") or (None, why it could not)."""
    bindir = _bindir()
    if bindir is None or not (bindir / "initdb").exists():
        return None, "no PostgreSQL server binaries (Debian's postgresql package is not installed)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return None, "running as root without runuser to start PostgreSQL as another user"
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", _free_port()
    steps = [
        [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"],
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(directory / "log"),
            "-w",
            "-o",
            f"-k {directory} -p {port} -c listen_addresses='' -c max_connections=200 -c fsync=off",
            "start",
        ],
    ]
    for step in steps:
        done = subprocess.run(_as_server_user(step), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            return None, f"{Path(step[0]).name} failed: {(done.stderr or done.stdout).strip()[-300:]}"
    return f"postgresql+psycopg://postgres@/postgres?host={quote(str(directory))}&port={port}", ""


def stop(directory: Path) -> None:
    bindir = _bindir()
    if bindir is not None and (directory / "data").exists():
        command = [str(bindir / "pg_ctl"), "-D", str(directory / "data"), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(command), capture_output=True, timeout=60)


def fresh_schema(url: str) -> tuple[str, str]:
    """A new empty schema in the database at ``url``: (its name, a URL whose connections use only it)."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    finally:
        engine.dispose()
    joiner = "&" if "?" in url else "?"
    return name, f"{url}{joiner}options={quote(f'-csearch_path={name}')}"


def drop_schema(url: str, name: str) -> None:
    """Drop a test's schema (best effort: the database is throwaway, a straggler connection must not fail a test)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET lock_timeout = '200ms'"))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    except Exception:  # a leftover schema in a throwaway database is harmless
        pass
    finally:
        engine.dispose()


if __name__ == "__main__":
    verb, where = sys.argv[1], Path(sys.argv[2])
    if verb == "start":
        url, why = start(where)
        if url is None:
            print(why, file=sys.stderr)
            sys.exit(1)
        print(url)
    else:
        stop(where)
