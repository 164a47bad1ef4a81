"""Many writers of one drill at once, on SQLite and on PostgreSQL: submissions, refused, lost, out of clock order,
and wall time, for threads (one store shared, as the app's sessions share it) and for processes (spawned, each its
own store, as several app servers on one database), with a bare-insert baseline (the same writers inserting rows
into a table with no lock and no read first).

Run: ``python -m benchmarks.bench_store [--writers 20] [--each 5] [--moves 10]``. PostgreSQL is
``DRILL_TEST_PG_URL`` if set, else a throwaway cluster started for the run (``tests/pg.py``); without either it is
left out, with the reason. Nothing passes or fails: the figures go in the report of issue 19.

refused: a submission that raised (the seat would have seen an error); lost: one acknowledged (returned) but not in
the store; out of order: a decision stored after another but timed before it (a clock move between them was
stored ahead of it).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert

from simulator.formats import plan as p
from simulator.store import DrillStore

PASSCODE = "bench-42"


def _submit(db: DrillStore, drill_id: int, writer: int, each: int) -> tuple[list[str], int]:
    """One seat: ``each`` submissions; (the topics acknowledged, how many were refused)."""
    acked, refused = [], 0
    for n in range(each):
        decision = p.RequestInfo(action="request_info", at=0, by="fire", to="enterprise", topic=f"w{writer}-{n}")
        try:
            db.append_decision(drill_id, decision, role="fire")
            acked.append(decision.topic)
        except Exception:
            refused += 1
    return acked, refused


def _clock(db: DrillStore, drill_id: int, moves: int) -> int:
    refused = 0
    for minute in range(1, moves + 1):
        try:
            db.set_clock(drill_id, minute)
        except Exception:
            refused += 1
    return refused


def _child(url: str, drill_id: int, writer: int, each: int, moves: int, start, out) -> None:
    """A spawned writer process (writer -1 moves the clock); sends (acked topics, refused) back."""
    db = DrillStore(url)
    start.wait()
    if writer < 0:
        out.put(([], _clock(db, drill_id, moves)))
    else:
        out.put(_submit(db, drill_id, writer, each))
    db.engine.dispose()


def _bare_child(url: str, writer: int, each: int, start, out) -> None:
    engine = create_engine(url)
    table = _bare_table()
    start.wait()
    for n in range(each):
        with engine.begin() as conn:
            conn.execute(insert(table).values(payload=f"w{writer}-{n}"))
    out.put(each)
    engine.dispose()


def _bare_table() -> Table:
    return Table("bench_bare", MetaData(), Column("id", Integer, primary_key=True), Column("payload", Text))


def _outcome(db: DrillStore, drill_id: int, acked: list[str], refused: int, seconds: float, n: int) -> dict:
    record = db.load(drill_id)
    stored = [d.topic for d in record.decisions]
    ats = [d.at for d in record.decisions]
    return {
        "submissions": n,
        "refused": refused,
        "lost": len(set(acked) - set(stored)),
        "out_of_order": sum(1 for a, b in itertools.pairwise(ats) if b < a),
        "seconds": seconds,
    }


def _burst(threads: list[threading.Thread], start: threading.Barrier) -> float:
    """Start the threads, release them together at ``start`` (this thread is its last party) and time them to the
    end: the burst alone, not the threads' start-up."""
    for t in threads:
        t.start()
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def run_threads(url: str, writers: int, each: int, moves: int) -> dict:
    db = DrillStore(url)
    drill_id = db.create("hazchem_leak", "1", 1, "bench", PASSCODE).id
    start = threading.Barrier(writers + 2)
    results: list[tuple[list[str], int]] = []
    clock_refused = [0]

    def seat(w: int) -> None:
        start.wait()
        results.append(_submit(db, drill_id, w, each))

    def clock() -> None:
        start.wait()
        clock_refused[0] = _clock(db, drill_id, moves)

    threads = [threading.Thread(target=seat, args=(w,)) for w in range(writers)]
    seconds = _burst([*threads, threading.Thread(target=clock)], start)
    acked = [topic for got, _ in results for topic in got]
    refused = sum(r for _, r in results) + clock_refused[0]
    outcome = _outcome(db, drill_id, acked, refused, seconds, writers * each)
    db.engine.dispose()
    return outcome


def run_processes(url: str, writers: int, each: int, moves: int) -> dict:
    db = DrillStore(url)
    drill_id = db.create("hazchem_leak", "1", 1, "bench", PASSCODE).id
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(writers + 2), ctx.Queue()
    procs = [ctx.Process(target=_child, args=(url, drill_id, w, each, moves, start, out)) for w in range(-1, writers)]
    for proc in procs:
        proc.start()
    start.wait()  # every child has imported the store and opened its database: the burst alone is timed
    began = time.perf_counter()
    results = [out.get(timeout=600) for _ in procs]
    seconds = time.perf_counter() - began
    for proc in procs:
        proc.join()
    crashed = sum(1 for proc in procs if proc.exitcode != 0)
    acked = [topic for got, _ in results for topic in got]
    refused = sum(r for _, r in results) + crashed
    outcome = _outcome(db, drill_id, acked, refused, seconds, writers * each)
    db.engine.dispose()
    return outcome


def bare_baseline(url: str, writers: int, each: int, processes: bool) -> float:
    """Seconds for the same writers to insert the same number of rows, one transaction each, with no lock."""
    engine = create_engine(url)
    _bare_table().metadata.create_all(engine)
    if processes:
        ctx = multiprocessing.get_context("spawn")
        start, out = ctx.Barrier(writers + 1), ctx.Queue()
        procs = [ctx.Process(target=_bare_child, args=(url, w, each, start, out)) for w in range(writers)]
        for proc in procs:
            proc.start()
        start.wait()
        began = time.perf_counter()
        for _ in procs:
            out.get(timeout=600)
        seconds = time.perf_counter() - began
        for proc in procs:
            proc.join()
    else:
        table, start = _bare_table(), threading.Barrier(writers + 1)

        def one(w: int) -> None:
            start.wait()
            for n in range(each):
                with engine.begin() as conn:
                    conn.execute(insert(table).values(payload=f"w{w}-{n}"))

        seconds = _burst([threading.Thread(target=one, args=(w,)) for w in range(writers)], start)
    engine.dispose()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--each", type=int, default=5)
    parser.add_argument("--moves", type=int, default=10)
    args = parser.parse_args(argv)

    from tests import pg

    work = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    pg_dir, pg_url, why = None, os.environ.get(pg.ENV), ""
    if not pg_url:
        pg_dir = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        pg_url, why = pg.start(pg_dir)
    try:
        targets = [("SQLite", lambda tag: f"sqlite:///{work / tag}.db")]
        if pg_url:
            targets.append(("PostgreSQL", lambda tag: pg.fresh_schema(pg_url)[1]))
        else:
            print(f"PostgreSQL left out: {why}")
        print(
            f"{args.writers} writers × {args.each} decisions, the clock moved {args.moves} times meanwhile; "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        head = f"{'database':<11} {'writers':<9} {'submissions':>11} {'refused':>8} {'lost':>5} {'out of order':>12}"
        print(f"{head} {'wall s':>7} {'bare-insert s':>13}")
        for name, url_for in targets:
            for mode, run in (("threads", run_threads), ("processes", run_processes)):
                outcome = run(url_for(f"{mode}"), args.writers, args.each, args.moves)
                bare = bare_baseline(url_for(f"{mode}-bare"), args.writers, args.each, mode == "processes")
                print(
                    f"{name:<11} {mode:<9} {outcome['submissions']:>11} {outcome['refused']:>8} "
                    f"{outcome['lost']:>5} {outcome['out_of_order']:>12} {outcome['seconds']:>7.2f} {bare:>13.2f}"
                )
    finally:
        if pg_dir is not None:
            pg.stop(pg_dir)
            shutil.rmtree(pg_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
