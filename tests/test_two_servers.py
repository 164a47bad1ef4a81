"""Two app servers on one PostgreSQL database, one of them killed mid-burst (issue 20, point 3).

Two ``streamlit run`` processes share one schema: a drill's facilitator console (and its big screen) on server A,
its seats on server B, speaking Streamlit's own websocket protocol (``tests.stclient.Tab`` through
``benchmarks.bench_room``'s ``Load``). The seats submit a 报告情况 every second or two; in the middle of that burst B
is killed with SIGKILL (the moment a seat's report has left it), stays down a moment and is started again on the
same port, and the seats reconnect with their cookie as the browser's page does. What a user of the room relies on
afterwards:

- every decision a seat was shown as 已受理 is in the store exactly once, in the order that seat sent it; one in
  flight when B died (sent, never answered) may be stored or not, but never twice;
- every stored decision reached the console's decision log on A by the console's own redraw (no click of the
  facilitator's brought it), those entered on B after its restart too;
- the console on A went on working while B was dead: it kept redrawing and its +5 分钟 moved the clock.

The servers stand for two machines behind a sticky proxy (README 多台服务器); the store is the only thing they share.
Skipped, with the reason, where no PostgreSQL can be had (the ``pg_server`` fixture).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, event

from benchmarks.bench_room import Load, Room, build, match, watch_console
from simulator.store import DrillStore
from tests import pg
from tests.stclient import Tab
from tests.test_browser import Server
from ui.i18n import STRINGS

SEATS = 4
EVERY = 1.5  # seconds between two reports of a seat: a burst
KILL_AFTER = 4.0  # seconds into the load; B dies the moment the next report has left its seat
DOWN = 3.5  # seconds B stays dead before its restart: longer than the console's redraw (3 s), so one falls in it
RECONNECT = 60.0  # seconds at most, once B is back, for every seat to reconnect and be answered again
CLOCK = STRINGS["clock"]["zh"]  # the console's 推演时间 metric


class Watched(Load):
    """bench_room's load with a quiet console: it only redraws by its own timer (so what it shows after a seat's
    decision came by that redraw, not by a click), and the test clicks its +5 分钟 once, while B is dead. Notes
    each moment the console drew and each clock value it showed. ``kill_now``: B's SIGKILL, sent the moment a
    seat's submit has left it, so one report is always in flight when B dies."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.console_tab: Tab | None = None
        self.console_drawn: list[float] = []
        self.clock_shown: dict[str, float] = {}  # 推演时间 value → when the console first showed it
        self.kill_now: Callable[[], None] | None = None  # called once, right after a seat's next submit is sent

    async def open_tab(self, base, page, token, watch=None):
        tab = await super().open_tab(base, page, token, watch)
        if page == "seat":
            sent_by = tab.click

            async def click(key: str) -> float:
                sent = await sent_by(key)
                kill, self.kill_now = self.kill_now, None
                if kill is not None:  # at once, before the loop reads anything: B cannot have answered it
                    kill()
                return sent

            tab.click = click
        return tab

    async def console(self, room: Room, start: asyncio.Event) -> None:
        def seen(tab, path, element, now):
            self.console_drawn.append(now)
            if element.WhichOneof("type") == "metric" and element.metric.label == CLOCK:
                self.clock_shown.setdefault(element.metric.body, now)
            log(tab, path, element, now)

        log = watch_console(room)
        self.console_tab = await self.open_tab(self.servers[0], "console", room.facilitator, seen)
        await start.wait()
        while time.monotonic() < self.stop_at:
            await asyncio.sleep(0.1)


def test_two_servers_one_database_lose_nothing_when_the_seats_server_is_killed(pg_server, tmp_path):
    schema, url = pg.fresh_schema(pg_server)
    a, b = Server(url, log=tmp_path / "a.log"), Server(url, log=tmp_path / "b.log")
    try:
        (room,) = build(url, 1, SEATS, tmp_path)
        with ThreadPoolExecutor(2) as pool:  # both servers start at once
            list(pool.map(Server.start, (a, b)))
        load = Watched([a.url, b.url], [room], every=EVERY, clock_every=0, seconds=KILL_AFTER + 1)
        moments: dict[str, float] = {}

        def answered_since(moment: float) -> set[str]:
            return {s.dept for s in load.submits if s.acked is not None and s.sent > moment}

        async def kill_and_restart() -> None:
            load.stop_at = float("inf")  # the load lasts until B is back, however long it takes to start

            def kill() -> None:
                moments["killed"] = time.monotonic()
                b.kill()

            load.kill_now = kill  # with a report in flight: sent, not yet answered
            for _ in range(3000):
                if "killed" in moments:
                    break
                await asyncio.sleep(0.01)
            assert "killed" in moments, "no seat submitted anything for 30 s"
            await asyncio.sleep(DOWN)
            console = load.console_tab
            await console.settled(30)
            moments["clicked"] = await console.click("plus5")  # the facilitator runs the clock meanwhile
            await console.settled(30)
            await asyncio.to_thread(b.start, int(b.url.rsplit(":", 1)[1]))  # the same port, as behind a proxy
            moments["back"] = back = time.monotonic()
            while time.monotonic() < back + RECONNECT and answered_since(back) != set(room.seats):
                await asyncio.sleep(0.1)
            load.stop_at = time.monotonic() + EVERY  # and one more report a seat, on B's warm process

        asyncio.run(load.run(lambda text: None, (KILL_AFTER, kill_and_restart)))
        found = match(load, url)
        record = DrillStore(url).load(room.drill_id)
    finally:
        a.stop()
        b.stop()
        pg.drop_schema(pg_server, schema)

    killed, back = moments["killed"], moments["back"]
    acked = [s for s in load.submits if s.acked is not None]
    # the kill fell in the burst: every seat had been answered before it, every seat reconnected and was answered again
    assert {s.dept for s in acked if s.sent < killed} == set(room.seats), "the kill fell before the burst"
    assert load.errors["reconnected after the server went away"] >= SEATS
    assert answered_since(back) == set(room.seats), "a seat never came back after the restart"
    shown = [f"{tab.page}: {error}" for tab in load.tabs for error in tab.errors]
    assert not shown, f"pages showed errors (the tracebacks are in {tmp_path}/a.log and b.log): {shown}"
    assert not load.errors["no 决策已受理 within 30 s of a submit"]

    # the store: what was acknowledged, exactly once and in its seat's order; nothing stored that nobody sent
    stored = Counter(d.text for d in record.decisions if d.action == "report_office")
    twice = {text: n for text, n in stored.items() if n > 1}
    assert not twice, f"stored more than once: {twice}"
    assert set(stored) <= {s.text for s in load.submits}
    assert found["lost"] == 0, f"acknowledged but not stored: {[s.text for s in acked if s.text not in stored]}"
    assert found["out_of_order"] == 0, "a seat's decisions are stored in another order than it sent them"
    in_flight = [s for s in load.submits if s.acked is None]  # sent as B died: stored or not, never twice (above)
    assert in_flight, "B was to die with a report in flight"
    assert len(acked) + sum(s.text in stored for s in in_flight) == sum(stored.values())

    # the console on A lists every stored decision, those entered on B after its restart too
    unseen = [s.text for s in load.submits if s.text in stored and s.console is None]
    assert not unseen, f"stored but never on the console: {unseen}"
    assert any(s.sent > back for s in acked)

    # the console on A kept working while B was dead: one session throughout, redrawn by itself, its clock run
    assert sum(tab.page == "console" for tab in load.tabs) == 1, "the console lost its session"
    assert any(killed < t < moments["clicked"] for t in load.console_drawn), "the console stopped redrawing"
    assert any(moments["clicked"] < t < back for t in load.clock_shown.values()), "+5 分钟 did nothing"


def test_servers_started_together_on_an_empty_database_both_set_it_up(pg_server, hazchem):
    """Two servers' first pages at the same moment on an empty PostgreSQL database: each store finds no table and
    makes them. Both stores are held at their first ``CREATE TABLE`` until the other reaches its own (or 2 s went by:
    it is waiting its turn), so the race happens every time; without a lock one of them failed with a unique
    violation in PostgreSQL's catalogue, and its page showed 系统出错."""
    schema, url = pg.fresh_schema(pg_server)
    both, mine = threading.Barrier(2, timeout=2), threading.local()

    def meet(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("CREATE TABLE") and not getattr(mine, "met", False):
            mine.met = True
            with contextlib.suppress(threading.BrokenBarrierError):
                both.wait()

    event.listen(Engine, "before_cursor_execute", meet)
    try:
        with ThreadPoolExecutor(2) as pool:
            stores = list(pool.map(lambda _: DrillStore(url), range(2)))
    finally:
        event.remove(Engine, "before_cursor_execute", meet)
    try:  # and they work on one database: a drill made through one is opened through the other
        made = stores[0].create(hazchem.id, hazchem.version, 1, "第1组", "drill-2026", scenario=hazchem)
        assert stores[1].by_code(made.code).id == made.id
    finally:
        pg.drop_schema(pg_server, schema)
