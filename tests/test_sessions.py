"""The store's side of the room: facilitator switches on a drill, sessions that survive a reload, one browser a seat."""

from __future__ import annotations

import pytest

from simulator.store import DrillStore


@pytest.fixture
def db(tmp_path) -> DrillStore:
    return DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")


@pytest.fixture
def drill_id(db) -> int:
    return db.create("hazchem_leak", "1", 3, "", "secret1").id


def test_a_flag_set_by_the_facilitator_is_read_back_by_every_store_on_the_file(db, drill_id, tmp_path):
    assert db.get_flag(drill_id, "big_screen_grade", False) is False  # hidden until turned on
    db.set_flag(drill_id, "big_screen_grade", True)
    other = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")  # another server process on the same database
    assert other.get_flag(drill_id, "big_screen_grade", False) is True
    db.set_flag(drill_id, "big_screen_grade", False)
    assert other.get_flag(drill_id, "big_screen_grade") is False
    assert db.load(drill_id).decisions == []  # a room setting is not a decision: replay does not see it
