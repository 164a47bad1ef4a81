"""Two offices on one server may both call a team 一队: each sees, checks and is compared with its own team only
(the 整改台账, the next drill's checks and 提升's previous score), never with the other office's."""

from __future__ import annotations

import datetime as dt

from simulator.experiment import single_run
from simulator.store import DrillStore
from simulator.store.items import close_drill, items_before, team_items, teams

TEAM = "一队"


def _end(db: DrillStore, hazchem, plan, reference_plan, org_id: int, today: dt.date):
    record = db.create("hazchem_leak", "1", 1, TEAM, "ab12cd", org_id=org_id)
    found = single_run(hazchem, plan, 1, reference=reference_plan, items=items_before(db, record.id))
    close_drill(db, record.id, found, today=today)
    db.finish(record.id, found.score, hazchem.duration)
    return record


def test_a_team_name_is_an_office_s_own(tmp_path, hazchem, poor_plan, reference_plan):
    db = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    a, b = 1, 2  # two organisations' ids
    first = _end(db, hazchem, poor_plan, reference_plan, a, dt.date(2026, 11, 1))
    opened = team_items(db, TEAM, org_id=a)
    assert opened and teams(db, a) == [TEAM]

    other = db.create("hazchem_leak", "1", 1, TEAM, "ab12cd", org_id=b)  # office B's 一队, its first drill
    assert items_before(db, other.id) == []  # office A's open items are not B's to fix
    assert db.previous_score(other.id) is None  # nor is A's score B's previous one
    assert team_items(db, TEAM, org_id=b) == [] and teams(db, b) == [TEAM]

    second = _end(db, hazchem, reference_plan, reference_plan, a, dt.date(2026, 11, 8))
    assert [i.id for i in items_before(db, second.id)] == [i.id for i in opened]
    assert db.previous_score(second.id) == db.load_row(first.id).score


def test_a_password_reset_ends_the_account_s_other_sign_ins(tmp_path):
    """A reset after a leaked password must shut out whoever signed in with it; the account changing its own
    password stays signed in in the browser it changed it from."""
    from simulator.store.accounts import Accounts
    from simulator.store.sessions import Sessions

    db = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    accounts, sessions = Accounts(db), Sessions(db)
    account = accounts.add("导调员甲", "测试区应急管理局", "facilitator", "drill-room-2026")
    mine, leaked = (sessions.start(None, "facilitator", account_id=account.id) for _ in range(2))
    accounts.set_password(account.id, "another-pass-2026", keep=mine)
    assert sessions.resume(mine).ended is None
    assert sessions.resume(leaked).ended is not None
