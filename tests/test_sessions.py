"""The store's side of the room: facilitator switches on a drill, sessions that survive a reload, one browser a seat."""

from __future__ import annotations

import hashlib

import pytest

from simulator.store import DrillStore
from simulator.store.drills import UNDO_SECONDS
from simulator.store.sessions import SEAT_IDLE_SECONDS, SESSION_SECONDS, SeatHeld, Sessions


@pytest.fixture
def db(store_url) -> DrillStore:
    """An empty store, on SQLite and on PostgreSQL (``store_url`` in conftest)."""
    return DrillStore(store_url)


@pytest.fixture
def drill_id(db) -> int:
    return db.create("hazchem_leak", "1", 3, "", "secret1").id


def test_a_flag_set_by_the_facilitator_is_read_back_by_every_store_on_the_file(db, drill_id, store_url):
    assert db.get_flag(drill_id, "big_screen_grade", False) is False  # hidden until turned on
    db.set_flag(drill_id, "big_screen_grade", True)
    other = DrillStore(store_url)  # another server process on the same database
    assert other.get_flag(drill_id, "big_screen_grade", False) is True
    db.set_flag(drill_id, "big_screen_grade", False)
    assert other.get_flag(drill_id, "big_screen_grade") is False
    assert db.load(drill_id).decisions == []  # a room setting is not a decision: replay does not see it


def test_a_session_token_is_kept_only_as_its_sha256_and_resumes_the_role_drill_and_seat(
    db, drill_id, tmp_path, store_url
):
    sessions = Sessions(db)
    token = sessions.start(drill_id, "trainee", "fire", "张三", now=1000.0)
    with db.engine.connect() as raw:
        stored = [tuple(row) for row in raw.exec_driver_sql("SELECT token_hash FROM sessions")]
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(),)]
    if db.engine.dialect.name == "sqlite":
        assert token not in (tmp_path / "drills.db").read_bytes().decode("latin-1")
    info = Sessions(DrillStore(store_url)).resume(token, now=1060.0)  # after a restart
    assert (info.drill_id, info.role, info.dept, info.person, info.ended) == (drill_id, "trainee", "fire", "张三", None)
    assert sessions.resume(token + "x", now=1060.0) is None
    assert sessions.resume("", now=1060.0) is None


def test_a_session_expires_after_a_drill_day_and_signing_out_revokes_it(db, drill_id):
    sessions = Sessions(db)
    token = sessions.start(drill_id, "facilitator", now=0.0)
    assert sessions.resume(token, now=SESSION_SECONDS - 1) is not None
    assert sessions.resume(token, now=SESSION_SECONDS + 1) is None
    other = sessions.start(drill_id, "facilitator", now=0.0)
    sessions.end(other, now=10.0)
    assert sessions.resume(other, now=11.0) is None  # a copied cookie opens nothing after 退出


def test_a_second_browser_on_a_seat_must_take_it_over_and_the_take_over_is_logged(db, drill_id):
    sessions = Sessions(db)
    first = sessions.start(drill_id, "trainee", "fire", "张三", now=0.0)
    with pytest.raises(SeatHeld) as held:
        sessions.start(drill_id, "trainee", "fire", "李四", now=30.0)
    assert held.value.holder.person == "张三"
    sessions.start(drill_id, "trainee", "ems", "王五", now=31.0)  # another seat is free
    second = sessions.start(drill_id, "trainee", "fire", "李四", take_over=True, now=40.0)
    assert sessions.resume(first, now=45.0).ended == "taken_over"  # the old browser learns it lost the seat
    assert sessions.resume(second, now=45.0).ended is None
    assert [(r.dept, r.person) for r in sessions.roster(drill_id, now=50.0)] == [("ems", "王五"), ("fire", "李四")]
    assert [(e.dept, e.kind, e.person) for e in sessions.seat_events(drill_id)] == [
        ("fire", "joined", "张三"),
        ("ems", "joined", "王五"),
        ("fire", "taken_over", "李四"),
    ]
    sessions.end(second, now=60.0)
    assert [r.dept for r in sessions.roster(drill_id, now=61.0)] == ["ems"]
    assert sessions.seat_events(drill_id)[-1].kind == "left"
    sessions.start(drill_id, "trainee", "fire", "赵六", now=70.0)  # a freed seat needs no take-over


def test_a_seat_left_open_in_a_closed_tab_is_taken_over_without_asking_but_logged(db, drill_id):
    sessions = Sessions(db)
    sessions.start(drill_id, "trainee", "fire", "张三", now=0.0)
    sessions.start(drill_id, "trainee", "fire", "李四", now=SEAT_IDLE_SECONDS + 1)
    assert [e.kind for e in sessions.seat_events(drill_id)] == ["joined", "taken_over"]


def test_the_end_of_a_drill_can_be_undone_for_a_short_while_and_the_drill_runs_on_where_it_was(db, drill_id):
    db.set_clock(drill_id, 45)
    db.finish(drill_id, {"total": 50.0}, end=240.0, now=1000.0)
    assert db.load(drill_id).finished and db.load(drill_id).clock == 240.0
    assert db.undo_left(drill_id, now=1010.0) == UNDO_SECONDS - 10
    assert db.reopen(drill_id, now=1010.0)
    record = db.load(drill_id)
    assert (record.finished, record.clock, record.score) == (False, 45.0, None)
    db.finish(drill_id, {"total": 50.0}, end=240.0, now=2000.0)
    assert not db.reopen(drill_id, now=2000.0 + UNDO_SECONDS + 1)  # too late: the end stands
    assert db.load(drill_id).finished
