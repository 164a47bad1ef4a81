"""What one refresh costs the server: a seat's feed (every 5 s), the console's live part (every 3 s) and the big
screen (every 4 s), each a ``@st.fragment(run_every=…)`` rerun, on a drill of the bundled hazchem_leak with 60
decisions and its clock at T+90.

Run: ``python -m benchmarks.bench_refresh`` (about half a minute; ``--profile seat|console|bigscreen`` prints the
cProfile of 100 refreshes of one view instead). Each refresh is a real fragment rerun in AppTest (the fragment alone,
as a browser's auto-rerun asks for it, not the whole page), timed from the request to the parsed result; the
statements are every SQL statement the refresh sent (a SQLAlchemy ``before_cursor_execute`` listener, so a
``BEGIN`` counts). Sessions are signed in as a browser is (a sign-in token in the store), so the sign-in check is
paid as it is in the room. Baselines in the same run: a one-line page's rerun and a one-line fragment's rerun.

Three figures per view: a refresh when nothing changed (most refreshes: a room's 17 sessions refresh every 3–5 s
and the clock moves every few minutes), the first refresh after a change (the clock moved by a minute: this
session rebuilds the drill), and the room's case — after one change, each of the 17 sessions of one room refreshes
once (15 seats, the console, the big screen), how long all of them take together and how many times the drill was
rebuilt (``replay`` calls).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.logger import set_log_level
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test
from streamlit.testing.v1 import local_script_runner as runner

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "hazchem_leak"
DECISIONS = 60
CLOCK = 90.0
SEATS = 15
REPEATS = 30  # timed refreshes per figure
ROOM_ROUNDS = 5  # changes the whole room refreshes after (the median is reported)
PROFILED = 100
TIMEOUT = 120
BARE_PAGE = "import streamlit as st\n\nst.write('hello')\n"
BARE_FRAGMENT = """import streamlit as st


@st.fragment(run_every=5)
def part():
    st.write('hello')


part()
"""
#: the seats' own reports, 报告情况 to the duty office, between the duty office's decisions
REPORTERS = ("fire", "police", "health", "ecology", "street", "ema", "enterprise")


class Statements:
    """Counts every SQL statement any engine sends (the app's store is made inside the app)."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._one)

    def _one(self, *_args) -> None:
        self.count += 1


class Replays:
    """Counts ``replay`` calls made by the pages (the drill rebuilt from its decisions), wherever they import it."""

    def __init__(self) -> None:
        import simulator.engine as engine_package
        import simulator.engine.drill as drill_module

        self.count = 0
        original = drill_module.replay

        @functools.wraps(original)
        def counted(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)

        for module in (drill_module, engine_package):
            module.replay = counted
        for name in ("ui.common", "ui.decide", "simulator.store.rebuilt"):
            module = __import__("sys").modules.get(name)
            if module is not None and getattr(module, "replay", None) is original:
                module.replay = counted


def _decisions(scenario, plan) -> list:
    """The reference plan's decisions up to T+90, then the seats' reports between them up to 60 in all."""
    from simulator.formats.plan import ReportOffice

    kept = [d for d in plan.timed() if d.at <= CLOCK]
    n, minute = 0, 2.0
    while len(kept) < DECISIONS:
        dept = REPORTERS[n % len(REPORTERS)]
        text = f"第{n + 1}次报告：现场情况稳定，力量已到位"
        kept.append(ReportOffice(action="report_office", at=minute, by=dept, text=text))
        n, minute = n + 1, min(CLOCK, minute + 1.5)
    return sorted(kept, key=lambda d: d.at)


def setup_room(url: str):
    """A fresh store with the facilitator's account: the store, the account and the store's sign-ins."""
    from simulator.store import DrillStore
    from simulator.store.accounts import Accounts
    from simulator.store.sessions import Sessions

    store = DrillStore(url)
    account = Accounts(store).add("导调员甲", "测试区应急管理局", "facilitator", "drill-room-2026")
    return store, account, Sessions(store)


def new_drill(store, account):
    """A drill under way: 60 decisions stored as a room enters them (each at its minute), the clock at T+90."""
    from simulator import library

    entry = library.find(SCENARIO)
    record = store.create(
        SCENARIO, entry.scenario.version, 1, "一组", "room-2026", account.org_id, scenario=entry.scenario
    )
    plan = library.cached_plan(entry.plans["reference"])
    for decision in _decisions(entry.scenario, plan):
        store.set_clock(record.id, decision.at)
        role = "facilitator" if decision.by == "duty_office" else decision.by
        store.append_decision(record.id, decision, role=role)
    store.set_clock(record.id, CLOCK)
    return record


def session(sessions, record, account, view: str, dept: str = "fire") -> AppTest:
    """An AppTest session of ``view`` signed in as a browser is (its token in the store), after its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if view == "seat":
        token = sessions.start(record.id, "trainee", dept, f"{dept}席位")
        state = {"drill_id": record.id, "role": "trainee", "dept": dept, "token": token}
    else:
        token = sessions.start(None, "facilitator", account_id=account.id)
        sessions.set_drill(token, record.id)
        state = {"account_id": account.id, "drill_id": record.id, "role": "facilitator", "token": token}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if view != "seat":
        at.switch_page(f"views/{view}.py").run()
    if at.exception:
        raise RuntimeError(f"{view}: {at.exception[0].message}")
    return at


@contextlib.contextmanager
def fragment_rerun(fragment_id: str):
    """AppTest's next run is the auto-rerun of one fragment (what a ``run_every`` fragment's browser asks for)."""
    original = runner.RerunData
    runner.RerunData = functools.partial(original, fragment_id_queue=[fragment_id], is_auto_rerun=True)
    try:
        yield
    finally:
        runner.RerunData = original


def the_fragment(at: AppTest) -> str:
    """The id of the page's one self-refreshing fragment."""
    ids = list(at._fragment_storage._fragments)
    if len(ids) != 1:
        raise RuntimeError(f"expected one fragment on the page, found {len(ids)}")
    return ids[0]


def refresh(at: AppTest, statements: Statements) -> tuple[float, int]:
    """One refresh: seconds and statements."""
    with fragment_rerun(the_fragment(at)):
        before = statements.count
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return elapsed, statements.count - before


def bare(statements: Statements) -> tuple[float, float]:
    """Median seconds of a one-line page's rerun and of a one-line fragment's rerun."""
    folder = Path(tempfile.mkdtemp())
    (folder / "page.py").write_text(BARE_PAGE, encoding="utf-8")
    (folder / "fragment.py").write_text(BARE_FRAGMENT, encoding="utf-8")
    page = AppTest.from_file(str(folder / "page.py"))
    page.run()
    page_times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        page.run()
        page_times.append(time.perf_counter() - start)
    part = AppTest.from_file(str(folder / "fragment.py"))
    part.run()
    part_times = [refresh(part, statements)[0] for _ in range(REPEATS)]
    return statistics.median(page_times), statistics.median(part_times)


def measure(view: str, room, statements: Statements, replays: Replays) -> dict[str, float]:
    store, account, sessions = room
    record = new_drill(store, account)
    at = session(sessions, record, account, view)
    refresh(at, statements)  # warm
    same = [refresh(at, statements) for _ in range(REPEATS)]
    changed, rebuilt = [], 0
    clock = store.load_row(record.id).clock
    for _ in range(REPEATS):
        clock += 1
        store.set_clock(record.id, clock)
        before = replays.count
        changed.append(refresh(at, statements))
        rebuilt += replays.count - before
    return {
        "same_ms": statistics.median(t for t, _ in same) * 1000,
        "same_sql": statistics.median(n for _, n in same),
        "changed_ms": statistics.median(t for t, _ in changed) * 1000,
        "changed_sql": statistics.median(n for _, n in changed),
        "changed_replays": rebuilt / REPEATS,
    }


def whole_room(room, statements: Statements, replays: Replays) -> dict[str, float]:
    """After one change (the clock +1 minute), each session of a room refreshes once: every seat the scenario
    has (12 of hazchem_leak's departments; the 13th is the city above), the console and the big screen."""
    from simulator import library

    store, account, sessions = room
    record = new_drill(store, account)
    seats = [d.id for d in library.find(SCENARIO).scenario.departments if d.kind != "higher_level"]
    people = [session(sessions, record, account, "seat", dept) for dept in seats]
    people += [session(sessions, record, account, "console"), session(sessions, record, account, "bigscreen")]
    for at in people:
        refresh(at, statements)
    rounds = []
    for _ in range(ROOM_ROUNDS):
        store.set_clock(record.id, store.load_row(record.id).clock + 1)
        before_sql, before_replays = statements.count, replays.count
        start = time.perf_counter()
        for at in people:
            refresh(at, statements)
        rounds.append((time.perf_counter() - start, statements.count - before_sql, replays.count - before_replays))
    total = statistics.median(r[0] for r in rounds)
    return {
        "sessions": len(people),
        "total_ms": total * 1000,
        "sql": statistics.median(r[1] for r in rounds),
        "replays": statistics.median(r[2] for r in rounds),
    }


def profile(view: str, room) -> None:
    """cProfile of the script thread (where the page runs) over ``PROFILED`` refreshes, a change every tenth."""
    store, account, sessions = room
    record = new_drill(store, account)
    statements = Statements()
    at = session(sessions, record, account, view)
    refresh(at, statements)
    profiler = cProfile.Profile()
    original = runner.LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()

    runner.LocalScriptRunner._run_script_thread = profiled
    before = statements.count
    try:
        for n in range(PROFILED):
            if n % 10 == 0:  # a change every tenth refresh, as in a room where the clock moves now and then
                store.set_clock(record.id, store.load_row(record.id).clock + 1)
            refresh(at, statements)
    finally:
        runner.LocalScriptRunner._run_script_thread = original
    print(f"{view}: {PROFILED} refreshes, {statements.count - before} statements, a change every tenth")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


def serve_compiled_pages() -> None:
    """AppTest makes a new script cache for every run, so it compiles the page again each time (5 ms of a seat's
    refresh); a server keeps one for its lifetime. Here too: one for the whole benchmark."""
    cache = ScriptCache()
    app_test.ScriptCache = runner.ScriptCache = lambda: cache


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_refresh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=("seat", "console", "bigscreen"), help="cProfile of 100 refreshes")
    args = parser.parse_args(argv)
    serve_compiled_pages()
    set_log_level("error")  # the pages' own warnings (AppTest's missing browser) are not what is measured
    url = f"sqlite:///{tempfile.mkdtemp()}/refresh.db"
    os.environ["DRILL_DB_URL"] = url
    room = setup_room(url)
    if args.profile:
        profile(args.profile, room)
        return {}
    statements, replays = Statements(), Replays()
    page, part = bare(statements)
    rows = {view: measure(view, room, statements, replays) for view in ("seat", "console", "bigscreen")}
    whole = whole_room(room, statements, replays)
    print(
        f"one refresh on the server (AppTest fragment rerun; {SCENARIO}, {DECISIONS} decisions, clock T+{CLOCK:.0f};"
        f" median of {REPEATS}):"
    )
    print(f"  {'':34}{'nothing changed':>22}{'after a change (clock +1)':>34}")
    print(f"  {'':34}{'ms':>10}{'statements':>12}{'ms':>10}{'statements':>12}{'replays':>12}")
    print(f"  {'baseline: a one-line page rerun':34}{page * 1000:10.1f}")
    print(f"  {'baseline: a one-line fragment rerun':34}{part * 1000:10.1f}")
    names = {
        "seat": "seat feed (every 5 s)",
        "console": "console live part (every 3 s)",
        "bigscreen": "big screen (every 4 s)",
    }
    for view, row in rows.items():
        print(
            f"  {names[view]:34}{row['same_ms']:10.1f}{row['same_sql']:12.0f}{row['changed_ms']:10.1f}"
            f"{row['changed_sql']:12.0f}{row['changed_replays']:12.1f}"
        )
    print(
        f"a room after one change, each of its {whole['sessions']:.0f} sessions refreshing once:"
        f" {whole['total_ms']:.0f} ms"
        f" in all ({whole['total_ms'] / whole['sessions']:.1f} ms a session), {whole['sql']:.0f} statements,"
        f" {whole['replays']:.0f} replays"
    )
    per_room = SEATS / 5 * rows["seat"]["same_ms"] + rows["console"]["same_ms"] / 3 + rows["bigscreen"]["same_ms"] / 4
    print(
        f"ten rooms' steady refreshes ({SEATS} seats / 5 s, console / 3 s, big screen / 4 s, nothing changing):"
        f" {10 * per_room:.0f} ms of server time a second (one process holds 1000)"
    )
    return {"bare_page_ms": page * 1000, **{f"{v}_{k}": x for v, row in rows.items() for k, x in row.items()}}


if __name__ == "__main__":
    main()
