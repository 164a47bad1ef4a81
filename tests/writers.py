"""Writers of one drill, for the concurrency tests and ``benchmarks/bench_store.py``: seats submitting decisions
and a facilitator moving the clock, as threads or as processes (a module of its own so that a spawned or
forkserver child imports only this, the store and the plan format).

Every function catches nothing: an exception a writer meets is what the tests count as refused.
"""

from __future__ import annotations

import importlib.util

from simulator.formats import plan as p
from simulator.store import DrillStore

if importlib.util.find_spec("psycopg") is not None:  # imported once in a forkserver, not in each child
    import psycopg  # noqa: F401
    import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

#: the seats that write, in turn: writer ``i`` is seat ``SEATS[i % len(SEATS)]``
SEATS = ("fire", "police", "health", "street", "ema", "ecology", "duty_office", "publicity")


def decision(dept: str, writer: int, n: int) -> p.RequestInfo:
    """The ``n``-th decision of a writer: its topic names the writer and the number, so a lost one is found."""
    return p.RequestInfo(action="request_info", at=0, by=dept, to="enterprise", topic=topic(writer, n))


def topic(writer: int, n: int) -> str:
    return f"w{writer}-{n}"


def _store(where: str | DrillStore) -> DrillStore:
    """A process's own store from a URL, or the store threads share (as the app's sessions share one)."""
    return where if isinstance(where, DrillStore) else DrillStore(where)


def write(url: str | DrillStore, drill_id: int, writer: int, count: int, start=None, ack=None) -> int:
    """Append ``count`` decisions as writer ``writer`` (waiting on ``start``, a barrier, if given); after each commit
    the writer's number and the decision's index go to ``ack`` (a pipe end) if given: acknowledged means stored."""
    db = _store(url)
    dept = SEATS[writer % len(SEATS)]
    if start is not None:
        start.wait()
    for n in range(count):
        db.append_decision(drill_id, decision(dept, writer, n), role=dept)
        if ack is not None:
            ack.send((writer, n))
    if db is not url:
        db.engine.dispose()
    return count


def move_clock(url: str | DrillStore, drill_id: int, moves: int, start=None) -> float:
    """The facilitator: the clock forward one minute at a time, ``moves`` times, while the seats write."""
    db = _store(url)
    if start is not None:
        start.wait()
    for minute in range(1, moves + 1):
        db.set_clock(drill_id, minute)
    if db is not url:
        db.engine.dispose()
    return float(moves)


def process_main(kind: str, url: str, drill_id: int, writer: int, count: int, start=None, ack=None) -> None:
    """A child process's entry: exits non-zero (the traceback on stderr) if the writer met an exception."""
    if kind == "clock":
        move_clock(url, drill_id, count, start)
    else:
        write(url, drill_id, writer, count, start, ack)
