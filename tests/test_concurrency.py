"""Many writers of one drill at once, on SQLite and on PostgreSQL (issue 19, finding 3): twenty seats submitting
while the facilitator moves the clock, as threads (the app's sessions share one store) and as processes (several
app servers on one database), and a writer killed with SIGKILL mid-burst. Nothing is refused, nothing lost, the seqs
run 1..n without a gap, no decision is timed before a clock move stored ahead of it, and the drill replays."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types

from sqlalchemy import select

from simulator.engine import replay
from simulator.store import DrillStore
from simulator.store.tables import DecisionRow
from tests.writers import move_clock, process_main, topic, write

WRITERS, EACH, MOVES = 20, 5, 10
PASSCODE = "room-42"


def _forkserver(monkeypatch):
    """Processes as separate as spawned ones (no inherited connection or lock), but each child forks from a server
    that has imported the store once: twenty children cost one import, not twenty.

    A child runs the parent's ``__main__`` again before its target; after an AppTest test that is the app itself
    (Streamlit leaves app.py as ``__main__``), so the children get a bare ``__main__`` instead."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.writers"])
    return ctx


def _stored_in_order(db: DrillStore, drill_id: int, hazchem) -> list[str]:
    """The drill's topics in seq order, after checking what must hold of any drill however it was written."""
    with db.engine.connect() as conn:
        seqs = list(conn.scalars(select(DecisionRow.seq).where(DecisionRow.drill_id == drill_id)))
    assert sorted(seqs) == list(range(1, len(seqs) + 1))  # no gap, none twice
    record = db.load(drill_id)
    ats = [d.at for d in record.decisions]
    assert ats == sorted(ats)  # seq order is clock order: none timed before a move stored ahead of it
    topics = [d.topic for d in record.decisions]
    assert len(set(topics)) == len(topics)
    live = replay(hazchem, record.seed, record.decisions, record.clock).log.to_jsonl()
    exported = record.as_plan()
    again = DrillStore("sqlite://").import_plan(
        type(exported).model_validate_json(exported.model_dump_json()), "1", PASSCODE
    )
    assert replay(hazchem, again.seed, again.decisions, again.clock).log.to_jsonl() == live  # the file replays alike
    return topics


def _each_writer_in_its_order(topics: list[str], writers: int) -> None:
    for w in range(writers):
        mine = [t for t in topics if t.startswith(f"w{w}-")]
        assert mine == [topic(w, n) for n in range(len(mine))]


def test_twenty_threads_and_a_clock_lose_nothing_and_keep_clock_order(store_url, hazchem):
    db = DrillStore(store_url)
    drill_id = db.create("hazchem_leak", "1", 1, "一组", PASSCODE).id
    start = threading.Barrier(WRITERS + 1)
    refused: list[BaseException] = []

    def run(work, *args) -> None:
        try:
            work(*args)
        except Exception as exc:  # counted: no exception may reach a seat
            refused.append(exc)

    threads = [threading.Thread(target=run, args=(write, db, drill_id, w, EACH, start)) for w in range(WRITERS)]
    threads.append(threading.Thread(target=run, args=(move_clock, db, drill_id, MOVES, start)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused == []
    topics = _stored_in_order(db, drill_id, hazchem)
    assert sorted(topics) == sorted(topic(w, n) for w in range(WRITERS) for n in range(EACH))  # none lost
    _each_writer_in_its_order(topics, WRITERS)
    assert db.load_row(drill_id).clock == MOVES


def test_twenty_processes_and_a_clock_lose_nothing_and_keep_clock_order(store_url, hazchem, monkeypatch):
    db = DrillStore(store_url)
    drill_id = db.create("hazchem_leak", "1", 1, "一组", PASSCODE).id
    ctx = _forkserver(monkeypatch)
    start = ctx.Barrier(WRITERS + 1)
    procs = [
        ctx.Process(target=process_main, args=("write", store_url, drill_id, w, EACH, start)) for w in range(WRITERS)
    ]
    procs.append(ctx.Process(target=process_main, args=("clock", store_url, drill_id, 0, MOVES, start)))
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=180)
    assert [proc.exitcode for proc in procs] == [0] * len(procs)  # 0 refused: a writer's exception exits 1
    topics = _stored_in_order(db, drill_id, hazchem)
    assert sorted(topics) == sorted(topic(w, n) for w in range(WRITERS) for n in range(EACH))
    _each_writer_in_its_order(topics, WRITERS)


def test_a_writer_killed_mid_burst_loses_no_acknowledged_decision_and_the_drill_replays(
    store_url, hazchem, monkeypatch
):
    db = DrillStore(store_url)
    drill_id = db.create("hazchem_leak", "1", 1, "一组", PASSCODE).id
    ctx = _forkserver(monkeypatch)
    victim, others, each = 0, 4, 10
    pipes, procs = [], []
    for w in range(others + 1):
        got, send = ctx.Pipe(duplex=False)
        count = 100_000 if w == victim else each
        procs.append(ctx.Process(target=process_main, args=("write", store_url, drill_id, w, count, None, send)))
        procs[-1].start()
        send.close()
        pipes.append(got)
    clock = threading.Thread(target=move_clock, args=(db, drill_id, MOVES))
    clock.start()

    acked = {w: [] for w in range(others + 1)}
    deadline = time.monotonic() + 120
    while len(acked[victim]) < 15 and time.monotonic() < deadline:
        if pipes[victim].poll(1):
            try:
                acked[victim].append(pipes[victim].recv()[1])
            except EOFError:  # the victim stopped by itself: it met an error (its traceback is on stderr)
                break
    os.kill(procs[victim].pid, signal.SIGKILL)  # no cleanup, no rollback by the client
    for w, proc in enumerate(procs):
        proc.join(timeout=180)
        while True:  # what was acknowledged before the end, buffered in the pipe
            try:
                acked[w].append(pipes[w].recv()[1])
            except EOFError:
                break
    clock.join()
    assert procs[victim].exitcode == -signal.SIGKILL
    assert [proc.exitcode for proc in procs[1:]] == [0] * others
    assert len(acked[victim]) >= 15

    topics = _stored_in_order(db, drill_id, hazchem)
    _each_writer_in_its_order(topics, others + 1)
    stored_by_victim = [t for t in topics if t.startswith(f"w{victim}-")]
    assert len(stored_by_victim) >= len(acked[victim])  # every acknowledged one, in order (at most one more)
    assert len(stored_by_victim) <= len(acked[victim]) + 1
    for w in range(1, others + 1):
        assert [t for t in topics if t.startswith(f"w{w}-")] == [topic(w, n) for n in range(each)]


def test_two_browsers_taking_one_seat_at_once_one_gets_it_the_other_is_told(store_url):
    from simulator.store.sessions import SeatHeld, Sessions

    db = DrillStore(store_url)
    drill_id = db.create("hazchem_leak", "1", 1, "一组", PASSCODE).id
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def browser(n: int) -> None:
        sessions = Sessions(db)
        start.wait()
        try:
            sessions.start(drill_id, "trainee", "fire", f"学员{n}", now=1000.0)
            outcomes.append("seated")
        except SeatHeld:
            outcomes.append("told")

    threads = [threading.Thread(target=browser, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["seated"] + ["told"] * 5
