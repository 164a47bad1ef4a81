"""A room's refreshes (issue 20): every session of a drill shares one rebuild of each state of it, and no session
is ever shown a drill older than the store's — the clock moved, a decision added, the drill ended or reopened."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from simulator.engine import replay
from simulator.formats.plan import ReportOffice
from simulator.store import DrillStore
from simulator.store.sessions import Sessions
from tests.conftest import ROOT
from tests.test_app import TIMEOUT, db, facilitator  # noqa: F401  (fixtures)


def _seat(db: DrillStore, drill_id: int, dept: str) -> AppTest:  # noqa: F811
    """A trainee's browser on the seat of ``dept``, signed in as a browser is (its token in the store)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    token = Sessions(db).start(drill_id, "trainee", dept, f"{dept}席位")
    for key, value in {"drill_id": drill_id, "role": "trainee", "dept": dept, "token": token}.items():
        at.session_state[key] = value
    at.run()  # a trainee's only page is the seat
    assert not at.exception, at.exception
    return at


def _clock(at: AppTest) -> str:
    return at.metric[0].value


def _over(at: AppTest) -> bool:
    return any("推演已结束" in s.value for s in at.success)


def test_what_one_browser_changes_is_on_every_other_browsers_next_refresh(facilitator, db):  # noqa: F811
    console = facilitator
    console.switch_page("views/console.py").run()
    drill_id = console.session_state["drill_id"]
    seat = _seat(db, drill_id, "fire")
    assert _clock(seat) == "T+0（08:10）" and not _over(seat)

    console.button(key="plus5").click().run()  # the clock moves
    seat.run()
    assert _clock(seat) == "T+5（08:15）"

    seat.text_area(key="f_report_office_text").input("第一批消防力量已到达现场").run()  # a decision is added
    seat.button(key="submit_decision").click().run()
    assert not seat.exception, seat.exception
    console.run()
    log = next(d.value for d in console.dataframe if "决策单位" in d.value.columns)
    assert list(log["决策"]) == ["报告情况"] and list(log["录入"]) == ["区消防救援支队席位"]

    console.button(key="end_drill").click().run()  # the drill ends (the console ends a drill of its own)
    console.button(key="end_confirm").click().run()
    seat.run()
    assert _over(seat) and _clock(seat) == "T+180（11:10）"

    console.button(key="undo_end").click().run()  # and is reopened where it stood: the state before the end again
    seat.run()
    assert not _over(seat) and _clock(seat) == "T+5（08:15）"
    assert seat.button(key="submit_decision")  # the seat may decide again


@pytest.fixture
def replays(monkeypatch) -> list[int]:
    """Every rebuild of a drill from its decisions that a page asks for (``replay``, where the pages call it)."""
    calls: list[int] = []
    from simulator.engine import replay as original

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    for name in ("ui.common", "simulator.store.rebuilt"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module this version does not have
            continue
        if getattr(module, "replay", None) is original:
            monkeypatch.setattr(module, "replay", counted)
    return calls


def test_a_rooms_sessions_rebuild_the_drill_once_per_change_not_once_each(facilitator, db, replays):  # noqa: F811
    console = facilitator
    console.switch_page("views/console.py").run()
    drill_id = console.session_state["drill_id"]
    screen = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key in ("account_id", "drill_id", "role"):
        screen.session_state[key] = console.session_state[key]
    screen.switch_page("views/bigscreen.py").run()
    room = [console, screen, _seat(db, drill_id, "fire"), _seat(db, drill_id, "police")]
    assert not screen.exception, screen.exception

    for change in ("clock", "decision"):
        if change == "clock":
            db.set_clock(drill_id, 10)
        else:
            report = ReportOffice(action="report_office", at=10, by="police", text="交通管制已实施")
            db.append_decision(drill_id, report, role="police")
        replays.clear()
        for browser in room:
            browser.run()
            assert not browser.exception, browser.exception
        assert len(replays) == 1, change  # the first to see the change rebuilds it; the others share it
    assert [_clock(b) for b in room[2:]] == ["T+10（08:20）"] * 2


def test_a_refresh_that_finds_nothing_new_costs_one_statement_and_no_rebuild(store_url, hazchem):
    from simulator.store.pulse import pulse  # the drill's state in one statement (new in issue 20)
    from simulator.store.rebuilt import RebuiltDrills

    store = DrillStore(store_url)
    record = store.create("hazchem_leak", "1", 1, "一组", "room-2026")
    token = Sessions(store).start(record.id, "trainee", "fire", "张三")
    drills = RebuiltDrills(store)
    first = drills.get(pulse(store, record.id, token))
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    found = pulse(store, record.id, token)
    assert drills.get(found) is first and drills.replays == 1
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")  # not even a BEGIN
    assert found.sign_in.lost(now=found.sign_in.last_seen) is None
    store.append_decision(record.id, ReportOffice(action="report_office", at=0, by="fire", text="已出动"), role="fire")
    changed = drills.get(pulse(store, record.id, token))
    assert changed is not first and len(changed.record.decisions) == 1 and drills.replays == 2
    store.set_clock(record.id, 3)
    store.append_decision(record.id, ReportOffice(action="report_office", at=3, by="fire", text="已到场"), role="fire")
    latest = drills.get(pulse(store, record.id, token))  # only the decision added since is read
    whole = store.load(record.id)
    assert (latest.record.decisions, latest.record.roles, latest.record.clock) == (whole.decisions, whole.roles, 3)
    assert latest.drill.log.to_jsonl() == replay(hazchem, 1, whole.decisions, 3).log.to_jsonl()
    store.engine.dispose()


def test_sessions_meeting_a_change_at_once_wait_for_one_rebuild(tmp_path):
    """A server runs its sessions in threads: those that meet the same change together share one rebuild."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from simulator.store.pulse import pulse
    from simulator.store.rebuilt import RebuiltDrills

    store = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    record = store.create("hazchem_leak", "1", 1, "一组", "room-2026")
    store.set_clock(record.id, 30)
    drills, start = RebuiltDrills(store), Barrier(8)

    def refresh(_) -> object:
        start.wait()
        return drills.get(pulse(store, record.id))

    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(refresh, range(8)))
    assert drills.replays == 1 and all(s is seen[0] for s in seen) and seen[0].drill.now == 30
