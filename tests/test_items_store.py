"""整改 items in the store: a team's drill opens items, its next drill checks them (fixed, with evidence), once per
drill however often it is ended, and they survive a server kill; a workbook comes back in, a bad one is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator import FileFormatError
from simulator.experiment import single_run
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.loop import items_workbook
from simulator.store import DrillStore
from simulator.store.items import (
    close_drill,
    import_workbook,
    items_before,
    save_items,
    team_items,
    teams,
    undo_drill,
)

SEED = 1
TEAM = "一组"
DAY1, DAY2 = dt.date(2026, 11, 1), dt.date(2026, 11, 8)


@pytest.fixture
def url(store_url) -> str:
    """An empty store's URL, on SQLite and on PostgreSQL (``store_url`` in conftest)."""
    return store_url


def _end(db: DrillStore, hazchem, plan, reference_plan, team: str = TEAM, today: dt.date = DAY1):
    """A stored drill of the team run with ``plan`` and ended as the console ends it (the loop, then finish)."""
    record = db.create("hazchem_leak", "1", SEED, team, "ab12cd")
    found = single_run(hazchem, plan, SEED, reference=reference_plan, items=items_before(db, record.id))
    result = close_drill(db, record.id, found, today=today)
    db.finish(record.id, found.score, hazchem.duration)
    return record, found, result


def test_the_next_drill_verifies_the_items_fixed_and_they_survive_a_server_kill(
    url, hazchem, poor_plan, reference_plan
):
    db = DrillStore(url)
    first, _, opened = _end(db, hazchem, poor_plan, reference_plan)
    assert opened.opened and all(i.status == "待整改" and i.drill_id == first.id for i in opened.opened)
    assert items_before(db, first.id) == []  # the team's first drill: nothing to check

    second, _, result = _end(db, hazchem, reference_plan, reference_plan, today=DAY2)
    assert [i.id for i in items_before(db, second.id)] == [i.id for i in opened.opened]  # what its 提升 scored
    assert {c.verdict for _, c in result.checked} == {"fixed"}

    restarted = DrillStore(url)  # the server killed and started again: the items are in the file
    stored = {i.id: i for i in team_items(restarted, TEAM)}
    for item in opened.opened:
        again = stored[item.id]
        assert again.status == "已整改待检验"
        [check] = again.checks
        assert check.drill_id == second.id and check.at == DAY2.isoformat() and check.evidence
    assert teams(restarted) == [TEAM]


def test_ending_a_drill_again_after_undo_checks_and_opens_once(url, hazchem, poor_plan, reference_plan):
    db = DrillStore(url)
    _end(db, hazchem, poor_plan, reference_plan)
    second = db.create("hazchem_leak", "1", SEED, TEAM, "ab12cd")
    found = single_run(hazchem, poor_plan, SEED, reference=reference_plan, items=items_before(db, second.id))
    for _ in range(2):  # 结束推演 twice (a second click, or a crash before the drill was marked finished)
        close_drill(db, second.id, found, today=DAY2)
    once = team_items(db, TEAM)
    assert len({i.id for i in once}) == len(once)
    earlier = [i for i in once if i.drill_id != second.id]
    assert all(len(i.checks) == 1 and i.status == "复发" for i in earlier)  # the poor plan again: they recur
    assert earlier == once  # listed once: the same problems again are those items, not new ones

    undo_drill(db, second.id)  # 撤销结束推演: the items as they stood before the drill, its own gone
    assert all(i.drill_id != second.id and not i.checks and i.status == "待整改" for i in team_items(db, TEAM))
    close_drill(db, second.id, found, today=DAY2)
    assert team_items(db, TEAM) == once


def test_a_drill_without_a_team_opens_no_items(url, hazchem, poor_plan, reference_plan):
    db = DrillStore(url)
    _, _, result = _end(db, hazchem, poor_plan, reference_plan, team="")
    assert result.opened == [] and team_items(db) == []


def test_the_workbook_comes_back_in_and_a_bad_one_stores_nothing(url, hazchem, poor_plan, reference_plan, tmp_path):
    db = DrillStore(url)
    _end(db, hazchem, poor_plan, reference_plan)
    items = team_items(db, TEAM)
    edited = [items[0].model_copy(update={"status": "整改中", "owner": "区应急管理局", "notes": "已培训值班人员"})]
    save_items(db, edited)
    data = items_workbook(team_items(db, TEAM))

    other = DrillStore(f"sqlite:///{tmp_path / 'other.db'}")  # another office's server reads the workbook back
    assert import_workbook(other, data, "台账.xlsx") and team_items(other, TEAM) == team_items(db, TEAM)

    with pytest.raises(FileFormatError) as too_big:
        import_workbook(other, b"x" * (MAX_FILE_BYTES + 1), "大.xlsx")
    assert "上限" in str(too_big.value)
    with pytest.raises(FileFormatError):
        import_workbook(other, b"not a workbook", "坏.xlsx")
    with pytest.raises(PermissionError):
        save_items(db, edited, role="trainee")
    assert team_items(other, TEAM) == team_items(db, TEAM)
