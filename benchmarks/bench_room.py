"""Drill day at scale: N rooms × (a console, a big screen and S seats) on running ``streamlit run`` servers.

Every tab is a real Streamlit session over its websocket (``tests.stclient.Tab``: the browser's own protocol, its
cookie, its fragment timers), so the server does for each what it does for a browser. Each room is a drill of its
own; its seats refresh as the page does (every 5 s) and each submits a 报告情况 every ``--every`` seconds (the first
ones spread over that interval); the console runs the clock (+5 分钟 every ``--clock-every`` seconds) and redraws its
live part every second; the big screen every 4 s. Measured, per decision:

- submit → acknowledgement: from the seat's 提交 until the seat shows 「决策已受理」;
- submit → console: until the console's decision log has that seat's k-th row;
- submit → big screen: until the big screen lists that seat's message in transit (a message delivered before the
  big screen's next redraw is never listed there: counted apart, not as lost);

then p50/p95/p99, errors (a page's 系统出错, a dropped connection, a submit without answer), the server's CPU (share
of one core) and memory per session, and what the store holds: every acknowledged decision must be there, in the
order its seat sent it. Baseline in the same run: the same number of sessions on a bare Streamlit page (a fragment
refreshing every 5 s, a text box and a button whose answer is 「决策已受理」), served with the same settings.

Run: ``python -m benchmarks.bench_room`` (10 rooms × 15 seats, 60 s of load, about 3 minutes with the baseline);
``--rooms 12 --seats 15 --seconds 90``; ``--db-url postgresql+psycopg://…`` for PostgreSQL; ``--servers 2`` splits
each room: its console and big screen on the first server, its seats on the second; ``--kill-after 20`` kills one
server (SIGKILL) that many seconds into the load and starts it again, and its tabs reconnect as browsers do.
Everything runs on 127.0.0.1, bounded: at most ``MAX_TABS`` tabs, every wait has a timeout, the load stops after
``--seconds`` and every server started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from tqdm import tqdm

from benchmarks.synthetic import scenario_yaml
from simulator.formats import load_scenario
from simulator.store import DrillStore
from simulator.store import scenarios as snapshots
from simulator.store.sessions import Sessions
from simulator.vocabulary import when
from tests.accounts import make_account
from tests.stclient import Tab, TabClosed, table
from tests.test_browser import Server

ROOT = Path(__file__).resolve().parent.parent
MAX_TABS = 400
PASSCODE = "bench-pass-2026"
ACCEPTED = "决策已受理"
#: the column of the console's decision log naming who entered a decision, and of the big screen's messages
ENTERED_BY, FROM_TO, SENT_AT = "录入", "发送 → 接收", "发出时间"
BARE_PAGE = '''"""A bare page with the seat's shape: a fragment redrawn every 5 s, a text box and a button."""
import time

import streamlit as st


@st.fragment(run_every=5)
def feed():
    st.metric("时刻", time.strftime("%H:%M:%S"))


feed()
st.text_area("报告内容", key="f_report_office_text")
if st.button("提交", key="submit_decision"):
    st.session_state["said"] = st.session_state["f_report_office_text"]
    st.rerun()
if "said" in st.session_state:
    st.success("决策已受理：报告情况")
'''


@dataclass
class Submit:
    """One decision a seat sent: when, and when each screen showed it."""

    room: int
    dept: str
    name: str
    k: int  # the seat's k-th decision
    text: str
    sent: float
    acked: float | None = None
    console: float | None = None
    screen: float | None = None


@dataclass
class Room:
    index: int
    drill_id: int
    facilitator: str  # the console's sign-in token (its cookie)
    seats: dict[str, tuple[str, str]]  # dept → (its name, its seat's token)
    #: the first moment each screen showed the n-th row of a seat: (name, n) → time
    console_seen: dict[tuple[str, int], float] = field(default_factory=dict)
    screen_seen: dict[tuple[str, str, int], float] = field(default_factory=dict)  # (name, sent at, n) → time


def build(db_url: str, rooms: int, seats: int, workdir: Path) -> list[Room]:
    """The rooms' drills, each on a scenario of ``seats`` units and the duty office, and every tab's sign-in."""
    path = workdir / "room.yaml"
    path.write_text(scenario_yaml(seed=1, departments=seats * 6 // 5 + 4), encoding="utf-8")
    scenario = load_scenario(path)
    store = DrillStore(db_url)
    account = make_account(store, "facilitator")
    sessions = Sessions(store)
    # a seat a unit, the coordinators (who decide everything, from the console's form) left to the console
    units = [d for d in scenario.departments if d.kind not in ("coordinator", "higher_level")][:seats]
    built = []
    for index in range(rooms):
        record = store.create(
            scenario.id, scenario.version, index + 1, f"第{index + 1}组", PASSCODE, account.org_id, scenario=scenario
        )
        token = sessions.start(record.id, "facilitator", account_id=account.id)
        seat_tokens = {d.id: (d.name, sessions.start(record.id, "trainee", d.id, f"学员{n + 1}")) for n, d in
                       enumerate(units)}  # fmt: skip
        built.append(Room(index, record.id, token, seat_tokens))
    return built


def watch_acks(acks: list[float]):
    """A seat's 「决策已受理」, each time it is drawn (the run after the one that stored the decision draws it)."""

    def seen(tab, path, element, now):
        if element.WhichOneof("type") == "alert" and element.alert.body.startswith(ACCEPTED):
            acks.append(now)

    return seen


def watch_rows(column: str, key_of, first_seen: dict) -> Callable:
    """A page's table having ``column``: the first moment it listed the n-th row of each key (``key_of(row)``), as
    ``first_seen[(*key, n)]``."""

    def seen(tab, path, element, now):
        rows = table(element)
        if rows is None or column not in rows.column_names:
            return
        for key, n in Counter(key_of(row) for row in rows.to_pylist()).items():
            for k in range(1, n + 1):
                first_seen.setdefault((*key, k), now)

    return seen


def watch_console(room: Room) -> Callable:
    """The console's decision log: each seat's rows, by the seat's name (「区消防救援支队席位」)."""
    return watch_rows(ENTERED_BY, lambda row: (row[ENTERED_BY].removesuffix("席位"),), room.console_seen)


def watch_screen(room: Room) -> Callable:
    """The big screen's messages in transit: each sender's rows sent at each moment."""
    return watch_rows(FROM_TO, lambda row: (row[FROM_TO].split(" → ")[0], row[SENT_AT]), room.screen_seen)


class Load:
    """Every room's tabs and what they did. ``servers[0]`` carries the consoles and big screens, ``servers[-1]`` the
    seats (one server: the same). ``bare``: every tab on the bare page, the seats submitting as in a room."""

    def __init__(self, servers: list[str], rooms: list[Room], *, every: float, clock_every: float, seconds: float,
                 bare: bool = False):  # fmt: skip
        self.servers, self.rooms, self.bare = servers, rooms, bare
        self.every, self.clock_every, self.seconds = every, clock_every, seconds
        self.submits: list[Submit] = []
        self.errors: Counter[str] = Counter()
        self.tabs: list[Tab] = []
        self.rng = random.Random(2026)  # the seats' timing: the same run, the same moments
        self.stop_at = float("inf")
        self.opened = self.total = 0
        self.began = 0.0

    def page(self, name: str) -> str:
        return "" if self.bare else name

    async def open_tab(self, base: str, page: str, token: str, watch=None) -> Tab:
        if len(self.tabs) >= MAX_TABS:
            raise RuntimeError(f"more than {MAX_TABS} tabs")
        tab = Tab(base, self.page(page), {"drill_session": token}, watch)
        await tab.open()
        self.tabs.append(tab)
        self.opened += 1
        return tab

    async def reopen(self, tab: Tab) -> Tab:
        """A tab whose server went away reconnects, as Streamlit's page does: a new session with the same cookie
        (the sign-in), so the same seat or console."""
        self.errors["reconnected after the server went away"] += 1
        await tab.close()
        while time.monotonic() < self.stop_at:
            fresh = Tab(tab.base, tab.page, tab.cookies, tab.watch)
            try:
                await fresh.open(timeout=20)
            except (OSError, TabClosed, TimeoutError):
                await fresh.close()
                await asyncio.sleep(1)
                continue
            self.tabs.append(fresh)
            return fresh
        raise TabClosed("the load ended before the server came back")

    async def idle(self, tab: Tab, seconds: float) -> bool:
        """Wait ``seconds`` as a person does between two actions; True at once if the tab's server went away
        meanwhile (the page notices a closed connection at once and reconnects)."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            if tab.closed:
                return True
            await asyncio.sleep(min(0.25, max(0.0, until - time.monotonic())))
        return tab.closed

    async def seat(self, room: Room, dept: str, name: str, token: str, start: asyncio.Event) -> None:
        acks: list[float] = []
        tab = await self.open_tab(self.servers[-1], "seat", token, watch_acks(acks))
        await start.wait()
        pause = self.rng.uniform(0, self.every)  # the seats' first reports spread over the interval
        k = 0
        while time.monotonic() < self.stop_at:
            if await self.idle(tab, pause):
                tab = await self.reopen(tab)
                continue
            if time.monotonic() >= self.stop_at:
                break
            begun = time.monotonic()
            try:
                await tab.settled(30)
                k += 1
                text = f"第{k}次报告：{name}力量已出动（第{room.index + 1}组）"
                tab.fill("f_report_office_text", text)
                submit = Submit(room.index, dept, name, k, text, await tab.click("submit_decision"))
                self.submits.append(submit)
                submit.acked = await self.acknowledged(tab, acks, submit.sent)
            except (TabClosed, KeyError):
                tab, pause = await self.reopen(tab), 0.0
                continue
            pause = max(0.0, self.every * self.rng.uniform(0.8, 1.2) - (time.monotonic() - begun))

    async def acknowledged(self, tab: Tab, acks: list[float], sent: float, timeout: float = 30) -> float | None:
        """When the seat first showed 「决策已受理」 after ``sent``; None (an error) if not within ``timeout``."""
        while time.monotonic() < sent + timeout:
            later = [t for t in acks if t >= sent]
            if later:
                return later[0]
            if tab.closed:
                raise TabClosed("the server went away before the answer")
            await asyncio.sleep(0.02)
        self.errors["no 决策已受理 within 30 s of a submit"] += 1
        return None

    async def console(self, room: Room, start: asyncio.Event) -> None:
        tab = await self.open_tab(self.servers[0], "console", room.facilitator, watch_console(room))
        await start.wait()
        while time.monotonic() < self.stop_at:
            if await self.idle(tab, self.clock_every):
                tab = await self.reopen(tab)
                continue
            if self.bare:
                continue
            try:
                await tab.settled(30)
                await tab.click("plus5")
            except (TabClosed, KeyError):
                tab = await self.reopen(tab)

    async def screen(self, room: Room, start: asyncio.Event) -> None:
        tab = await self.open_tab(self.servers[0], "bigscreen", room.facilitator, watch_screen(room))
        await start.wait()
        while time.monotonic() < self.stop_at:
            if await self.idle(tab, self.seconds):
                tab = await self.reopen(tab)

    async def run(self, progress, kill=None) -> None:
        """Open every tab (eight at a time, as a room fills), run the load for ``seconds``, let the screens redraw
        once more, close everything. ``kill``: (seconds into the load, a coroutine function) to call then."""
        start = asyncio.Event()
        opening = asyncio.Semaphore(8)
        jobs = []
        for room in self.rooms:
            jobs.append(self.console(room, start))
            jobs.append(self.screen(room, start))
            jobs.extend(self.seat(room, d, name, token, start) for d, (name, token) in room.seats.items())

        async def gated(job):
            async with opening:
                opened = self.opened
                task = asyncio.create_task(job)
                while self.opened == opened and not task.done():
                    await asyncio.sleep(0.02)
            return await task

        tasks = [asyncio.create_task(gated(job)) for job in jobs]
        self.total = len(tasks)
        while self.opened < len(tasks):
            progress(f"opening sessions {self.opened}/{len(tasks)}")
            broken = next((t for t in tasks if t.done() and t.exception()), None)
            if broken is not None:
                raise broken.exception()
            await asyncio.sleep(0.5)
        self.began = time.monotonic()
        self.stop_at = self.began + self.seconds
        start.set()
        killed = kill is None
        while time.monotonic() < self.stop_at:
            if not killed and time.monotonic() - self.began >= kill[0]:
                killed = True
                await kill[1]()
            acked = sum(1 for s in self.submits if s.acked)
            left = self.stop_at - time.monotonic()
            progress(f"load: {left:3.0f} s left, {len(self.submits)} submitted, {acked} acknowledged")
            await asyncio.sleep(1)
        progress("the screens' last redraws")
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.sleep(6)  # the consoles' (1 s) and big screens' (4 s) last redraws
        for tab in self.tabs:
            self.errors["系统出错 or an exception on a page"] += len(tab.errors)
            await tab.close()


def match(load: Load, db_url: str) -> dict[str, int]:
    """What the store holds against what was acknowledged, and when the console and the big screen first showed each
    decision. Lost: acknowledged but not stored (or stored for another seat); twice: one decision stored more than
    once; out of order: a seat whose decisions are stored in another order than it sent them. A decision sent but
    never acknowledged (its server died first) may or may not be stored: neither is an error."""
    store = DrillStore(db_url)
    found = Counter()
    by_room = defaultdict(list)
    for submit in load.submits:
        by_room[submit.room].append(submit)
    for room in load.rooms:
        record = store.load(room.drill_id)
        scenario = snapshots.entry_of(store, record).scenario
        rank: dict[str, tuple[str, int, str, int]] = {}  # text → (seat, its n-th on the console, sent at, n-th then)
        seat_count, moment_count = Counter(), Counter()
        for role, decision in zip(record.roles, record.decisions, strict=True):
            if decision.action != "report_office":
                continue
            moment = when(scenario.start_clock, decision.at, "zh")
            seat_count[role] += 1
            moment_count[role, moment] += 1
            found["twice"] += decision.text in rank
            rank[decision.text] = (role, seat_count[role], moment, moment_count[role, moment])
        sent_order: dict[str, list[int]] = defaultdict(list)
        for submit in sorted(by_room[room.index], key=lambda s: s.k):
            held = rank.get(submit.text)
            if held is None or held[0] != submit.dept:
                found["lost"] += submit.acked is not None
                continue
            _, nth, moment, nth_then = held
            sent_order[submit.dept].append(nth)
            submit.console = room.console_seen.get((submit.name, nth))
            submit.screen = room.screen_seen.get((submit.name, moment, nth_then))
            found["unseen_console"] += submit.console is None
            found["unseen_screen"] += submit.screen is None
        found["out_of_order"] += sum(order != sorted(order) for order in sent_order.values())
        found["stored"] += len(rank)
    return found


@dataclass
class Figures:
    """One load's results: latencies in seconds, CPU in cores, memory in MB."""

    sessions: int
    submits: int
    acked: list[float]
    console: list[float]
    screen: list[float]
    errors: Counter
    found: Counter
    cpu: float | None
    mb_per_session: float | None
    driver_cpu: float | None = None  # the load driver's own CPU: near 1 core, its latencies include its queue


async def warm_up(bases: list[str], room: Room, bare: bool) -> None:
    """One tab of each page opened and closed on each server first: the app's modules are imported by the first
    run, which is not what a session costs."""
    _, token = next(iter(room.seats.values()))
    for base in bases:
        for page, cookie in (("console", room.facilitator), ("bigscreen", room.facilitator), ("seat", token)):
            tab = Tab(base, "" if bare else page, {"drill_session": cookie})
            await tab.open()
            await tab.close()


def serve(db_url: str, script: Path, workdir: Path, name: str) -> Server:
    server = Server(db_url, script, log=workdir / f"{name}.log")
    server.start()
    return server


def measure(servers: list[Server], rooms: list[Room], db_url: str, args, bare: bool = False) -> Figures:
    """Run one load on ``servers`` and gather its figures (CPU and memory only when no server was killed)."""
    processes = [psutil.Process(server.proc.pid) for server in servers]
    asyncio.run(warm_up([s.url for s in servers], rooms[0], bare))
    before_mb = sum(p.memory_info().rss for p in processes) / 2**20
    load = Load([s.url for s in servers], rooms, every=args.every, clock_every=args.clock_every, seconds=args.seconds,
                bare=bare)  # fmt: skip
    marks: dict[str, float] = {}

    driver = psutil.Process()  # this process: its tabs parse what 170 pages are sent, on the other core

    def cpu_seconds() -> float:
        return sum(sum(p.cpu_times()[:2]) for p in processes)

    label = "bare page" if bare else "drill room"
    bars: dict[str, tqdm] = {}

    def progress(_text: str) -> None:
        """Two progress bars: the sessions opening, then the seconds of load (with what was submitted)."""
        if load.began and "begin" not in marks:
            rss = sum(p.memory_info().rss for p in processes)
            marks.update(begin=time.monotonic(), cpu=cpu_seconds(), mb=rss, driver=sum(driver.cpu_times()[:2]))
        if load.began and time.monotonic() >= load.stop_at and "end" not in marks and kill is None:  # killed: gone
            marks.update(end=time.monotonic(), cpu_end=cpu_seconds(), driver_end=sum(driver.cpu_times()[:2]))
        stage = "load" if load.began else "open"
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            total, unit = (round(load.seconds), "s") if load.began else (load.total, "session")
            bars[stage] = tqdm(total=total, desc=f"{label}: {stage}", unit=unit, file=sys.stderr, leave=False)
        bar = bars[stage]
        bar.n = min(bar.total, round(time.monotonic() - load.began) if load.began else load.opened)
        if load.began:
            bar.set_postfix(submitted=len(load.submits), acknowledged=sum(1 for s in load.submits if s.acked))
        bar.refresh()

    kill = None
    if args.kill_after is not None and not bare:
        victim = servers[-1]

        async def kill_and_restart() -> None:
            port = int(victim.url.rsplit(":", 1)[1])
            victim.kill()
            await asyncio.sleep(1)
            await asyncio.to_thread(victim.start, port)

        kill = (args.kill_after, kill_and_restart)
    asyncio.run(load.run(progress, kill))
    for bar in bars.values():
        bar.close()
    killed = kill is not None
    cpu = mb = driver_cpu = None
    if not killed and "end" in marks:
        cpu = (marks["cpu_end"] - marks["cpu"]) / (marks["end"] - marks["begin"])
        driver_cpu = (marks["driver_end"] - marks["driver"]) / (marks["end"] - marks["begin"])
        mb = (marks["mb"] / 2**20 - before_mb) / load.opened
    found = Counter() if bare else match(load, db_url)
    return Figures(
        sessions=load.opened,
        submits=len(load.submits),
        acked=[s.acked - s.sent for s in load.submits if s.acked is not None],
        console=[s.console - s.sent for s in load.submits if s.console is not None],
        screen=[s.screen - s.sent for s in load.submits if s.screen is not None],
        errors=load.errors,
        found=found,
        cpu=cpu,
        mb_per_session=mb,
        driver_cpu=driver_cpu,
    )


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"{'—':>8} {'—':>8} {'—':>8} {len(values):>6}"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"{statistics.median(values):7.2f}s {q[94]:7.2f}s {q[98]:7.2f}s {len(values):>6}"


def report(room: Figures, bare: Figures | None, args) -> bool:
    """Print the figures; True when the target is met (p95 submit → console < 2 s, nothing lost, no error)."""
    print(f"\ndrill room load: {args.rooms} rooms × (console + big screen + {args.seats} seats) = {room.sessions} "
          f"sessions on {args.servers} server(s), {args.seconds:.0f} s, a 报告情况 every {args.every:.0f} s a seat, "
          f"+5 分钟 every {args.clock_every:.0f} s")  # fmt: skip
    print(f"{'':34}{'p50':>8} {'p95':>8} {'p99':>8} {'n':>6}")
    print(f"{'seat submit → 决策已受理':30}{percentiles(room.acked)}")
    print(f"{'seat submit → console log':31}{percentiles(room.console)}")
    print(f"{'seat submit → big screen':31}{percentiles(room.screen)}")
    if bare is not None:
        print(f"{'bare page: submit → 决策已受理':29}{percentiles(bare.acked)}   (baseline, same sessions)")
    if room.cpu is not None:
        line = f"server CPU {room.cpu:.2f} cores ({room.cpu / room.sessions * 100:.2f} % of a core per session), "
        line += f"memory {room.mb_per_session:.2f} MB per session"
        if bare is not None and bare.cpu is not None:
            line += f"; bare page: {bare.cpu:.2f} cores, {bare.mb_per_session:.2f} MB per session"
        print(line)
        print(f"the load driver (this process) used {room.driver_cpu:.2f} cores of the machine's {os.cpu_count()}")
    found = room.found
    acked = len(room.acked)
    print(
        f"submitted {room.submits}, acknowledged {acked}, stored {found['stored']}; lost {found['lost']}, "
        f"stored twice {found['twice']}, seats out of order {found['out_of_order']}; of those stored, not seen on "
        f"the console {found['unseen_console']}, delivered before the big screen redrew {found['unseen_screen']}"
    )

    errors = {k: v for k, v in room.errors.items() if v}
    print("errors: " + (", ".join(f"{k}: {v}" for k, v in errors.items()) if errors else "none"))
    p95 = statistics.quantiles(room.console, n=100, method="inclusive")[94] if len(room.console) > 1 else float("inf")
    serious = sum(v for k, v in errors.items() if not k.startswith("reconnected"))
    met = p95 < 2.0 and not (found["lost"] or found["twice"] or found["out_of_order"] or serious)
    print(f"target (issue 20): p95 submit → console < 2 s, 0 lost, in order: {'met' if met else 'NOT MET'}")
    return met


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_room", description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--seats", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs once every tab is open")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between two decisions of one seat")
    parser.add_argument("--clock-every", type=float, default=20.0, help="seconds between two +5 分钟 of a console")
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--db-url", default=None, help="a SQLAlchemy URL (default: a SQLite file in a temp dir)")
    parser.add_argument("--kill-after", type=float, default=None, help="SIGKILL the seats' server after N s")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare page's run")
    parser.add_argument("--up-to", type=int, default=None, help="then 2 rooms more each run, up to this many, "
                        "until the target is missed: the largest load one server carries")  # fmt: skip
    args = parser.parse_args(argv)
    if max(args.rooms, args.up_to or 0) * (args.seats + 2) > MAX_TABS:
        parser.error(f"at most {MAX_TABS} sessions")
    return args


def run(args: argparse.Namespace, baseline: bool = True) -> tuple[Figures, Figures | None]:
    """One load of the drill room on fresh servers and a fresh store, then (``baseline``) the bare page's."""
    with tempfile.TemporaryDirectory(prefix="bench_room_") as tmp:
        workdir = Path(tmp)
        db_url = args.db_url or f"sqlite:///{workdir / 'drills.db'}"
        rooms = build(db_url, args.rooms, args.seats, workdir)
        servers = [serve(db_url, ROOT / "app.py", workdir, f"app{n}") for n in range(args.servers)]
        try:
            room = measure(servers, rooms, db_url, args)
        finally:
            for server in servers:
                server.stop()
        bare = None
        if baseline:
            page = workdir / "bare.py"
            page.write_text(BARE_PAGE, encoding="utf-8")
            (workdir / ".streamlit").mkdir()
            (workdir / ".streamlit" / "config.toml").write_bytes((ROOT / ".streamlit" / "config.toml").read_bytes())
            servers = [serve(db_url, page, workdir, f"bare{n}") for n in range(args.servers)]
            try:
                bare = measure(servers, rooms, db_url, args, bare=True)
            finally:
                for server in servers:
                    server.stop()
        first_error(workdir)
    return room, bare


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    room, bare = run(args, baseline=not args.no_baseline)
    met = report(room, bare, args)
    if args.up_to is None:
        return 0 if met else 1
    carried = args.rooms if met else None
    while met and args.rooms + 2 <= args.up_to:
        args.rooms += 2
        room, _ = run(args, baseline=False)
        met = report(room, None, args)
        carried = args.rooms if met else carried
    said = f"{carried} rooms × {args.seats} seats" if carried else f"less than {args.rooms} rooms"
    print(f"\nthe largest load this server carried within the target: {said}")
    return 0 if carried else 1


def summary() -> dict[str, float]:
    """``python -m benchmarks room``: the default load with its baseline, as figures for the summary table."""
    args = arguments([])
    room, bare = run(args)
    report(room, bare, args)
    q = lambda values: statistics.quantiles(values, n=100, method="inclusive")  # noqa: E731
    return {
        "rooms": args.rooms,
        "seats": args.seats,
        "sessions": room.sessions,
        "ack_p95": q(room.acked)[94],
        "console_p95": q(room.console)[94],
        "screen_p95": q(room.screen)[94],
        "bare_ack_p95": q(bare.acked)[94],
        "lost": room.found["lost"] + room.found["twice"] + room.found["out_of_order"],
        "cpu": room.cpu or 0.0,
        "bare_cpu": bare.cpu or 0.0,
    }


def first_error(workdir: Path) -> None:
    """The first traceback the servers logged (the page showed only 系统出错 and an id), so a failed run says why."""
    for log in sorted(workdir.glob("*.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        start = next((n for n, line in enumerate(lines) if line.startswith("Traceback")), None)
        if start is not None:
            shown = lines[max(0, start - 2) : start + 40]
            print(f"\nfirst traceback in {log.name}:", *shown, sep="\n", file=sys.stderr)
            return


if __name__ == "__main__":
    sys.exit(main())
