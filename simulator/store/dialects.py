"""What differs between SQLite and PostgreSQL for the drill store: how one drill's writes are serialised, and
which database errors are a collision worth trying again rather than a fault.

SQLite has one writer at a time: every write transaction begins ``BEGIN IMMEDIATE`` (``drills._sqlite_begin``),
so a read-then-write (the clock, then the next seq) cannot interleave. PostgreSQL runs READ COMMITTED with many
writers at once: there a write that reads first takes the drill's row with ``SELECT … FOR UPDATE``
(:func:`lock_drill`), so the writers of one drill queue on that row while other drills go on untouched. Each
statement after the lock sees what the previous holder committed, so ``max(seq) + 1`` and the clock are current.

What the lock cannot rule out (a new drill's random code chosen twice at once, two first writes of the same flag,
a deadlock the server broke, SQLite's busy file past its timeout) is a transient collision: :func:`retrying`
runs the whole transaction again, a bounded number of times with a jittered back-off, so the caller sees a
result and never an ``IntegrityError``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import BigInteger, Engine, Integer, String, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from simulator.store.tables import Base, DrillRow

T = TypeVar("T")

#: how many times one transaction is tried before its error reaches the caller
ATTEMPTS = 12
#: the first back-off in seconds; it doubles each time (with jitter), capped at ``MAX_PAUSE``
FIRST_PAUSE, MAX_PAUSE = 0.005, 0.5
#: PostgreSQL's SQLSTATEs that mean "collided with another writer, try again": serialization failure, deadlock
#: detected, lock not available, unique violation (a key computed from a read another writer also made)
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "23505"})
#: SQLite's words for a busy or locked file (the busy timeout ran out)
TRANSIENT_SQLITE = ("database is locked", "database is busy", "database table is locked")


def lock_drill(s: Session, drill_id: int) -> DrillRow | None:
    """The drill's row, locked for this transaction: ``FOR UPDATE`` on PostgreSQL (other writers of the same drill
    wait until this one commits); on SQLite the transaction already holds the file's write lock and SQLAlchemy
    leaves the clause out. Always read from the database, never from the session's identity map."""
    return s.get(DrillRow, drill_id, with_for_update=True, populate_existing=True)


def transient(exc: BaseException) -> bool:
    """Whether a database error is a collision with another writer (try again), not a fault (report it)."""
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated:
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None:
        return state in TRANSIENT_SQLSTATES
    text = str(orig).lower()
    return any(words in text for words in TRANSIENT_SQLITE)


def retrying(work: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``work()`` (one whole transaction: it must begin and commit its own session), tried again after a transient
    collision; the last error is raised if every attempt collides, or at once if it is not transient."""
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as exc:
            if attempt == attempts - 1 or not transient(exc):
                raise
            time.sleep(random.uniform(0, min(MAX_PAUSE, FIRST_PAUSE * 2**attempt)))
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """One process at a time creates or upgrades the tables. Several app servers started together on an empty
    PostgreSQL database each find no table and each issue ``CREATE TABLE``: one of them fails (a unique violation in
    PostgreSQL's catalogue) and its first page shows an error. A session advisory lock, keyed on the schema, makes
    the second wait and then find the tables made. SQLite needs none: its DDL takes the file's write lock."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = text("SELECT hashtext('drill store schema ' || current_schema())::bigint")
    with engine.connect() as conn:
        held = conn.scalar(key)
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": held})
        conn.commit()  # the lock is the session's: no transaction left open while the tables are made
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": held})


def upgrade_columns(engine: Engine) -> None:
    """Widen, never narrow, the columns of a PostgreSQL database made by an earlier version (a 32-bit seed, a
    32-character scenario version) to the widths of ``tables`` now: ``create_all`` adds missing tables but never
    alters a column. SQLite keeps any length and 64-bit integers in any column, so it needs nothing."""
    if engine.dialect.name != "postgresql":
        return
    found = inspect(engine)
    changes = []
    for table in Base.metadata.sorted_tables:
        if not found.has_table(table.name):
            continue
        stored = {c["name"]: c["type"] for c in found.get_columns(table.name)}
        for column in table.columns:
            have, want = stored.get(column.name), column.type
            if have is None:
                continue
            wider = _wider(have, want)
            if wider is not None:
                changes.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column.name}" TYPE {wider}')
    if changes:
        with engine.begin() as conn:
            for statement in changes:
                conn.execute(text(statement))


def _wider(have: object, want: object) -> str | None:
    """The type to widen a stored column to, or None when it is already as wide (TEXT has no length: left alone)."""
    if isinstance(want, BigInteger) and isinstance(have, Integer) and not isinstance(have, BigInteger):
        return "BIGINT"
    if isinstance(want, String) and isinstance(have, String) and have.length and want.length:
        return f"VARCHAR({want.length})" if have.length < want.length else None
    return None
