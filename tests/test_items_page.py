"""The 整改台账 page, driven with AppTest: 结束推演 turns the drill's problems into the team's items (and 撤销 takes
them back), the facilitator edits one (a bad entry is refused and nothing changes), reads each check with its
evidence, and the team's trend on 评估 counts the items; a trainee never sees the page nor an item."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from simulator.experiment import single_run
from simulator.store.accounts import Accounts
from simulator.store.items import close_drill, items_before, team_items
from tests.accounts import signed_in
from tests.conftest import ROOT
from tests.test_app import (  # noqa: F401  (fixtures)
    CJK,
    PASSCODE,
    TIMEOUT,
    _chinese_outside,
    _library_words,
    _sent_to_browser,
    _shown,
    app,
    db,
    facilitator,
)

TEAM = "一组"


def _items(store) -> list:
    """The team's items in the organisation of the test (the first made: the facilitator's, or Test district; none
    when the test made no account)."""
    return team_items(store, TEAM, org_id=min((a.org_id for a in Accounts(store).list()), default=None))


def _field(at: AppTest, kind: str, name: str, item_id: str):
    """The edit form's ``name`` field of an item (its key also carries the stored item's digest)."""
    return next(w for w in at.get(kind) if str(w.key).startswith(f"item_{name}_{item_id}_"))


def _save(at: AppTest, item_id: str) -> None:
    next(b for b in at.button if str(b.key).startswith(f"FormSubmitter:item_form_{item_id}_")).click().run()


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def test_ending_a_drill_opens_items_and_undoing_the_end_takes_them_back(facilitator, db):  # noqa: F811
    at = facilitator
    drill_id = at.session_state["drill_id"]
    at.switch_page("views/console.py").run()
    at.button(key="end_drill").click().run()
    at.button(key="end_confirm").click().run()
    assert not at.exception, at.exception
    opened = _items(db)
    assert opened and {i.drill_id for i in opened} == {drill_id}  # a drill with no decision has problems
    at.button(key="undo_end").click().run()
    assert _items(db) == []
    at.button(key="end_drill").click().run()
    at.button(key="end_confirm").click().run()
    assert _items(db) == opened  # ended again: the same items, once

    at.switch_page("views/items.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "整改台账"
    table = at.dataframe[0].value
    assert list(table["编号"]) == [i.id for i in opened] and set(table["整改状态"]) == {"待整改"}


@pytest.fixture
def ledger(db, hazchem, poor_plan, reference_plan) -> AppTest:  # noqa: F811
    """The facilitator on 整改台账 after two drills of 一组: the poor plan, then the reference plan (items fixed)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    account = signed_in(at, db, name="Facilitator A", org="Test district")  # data: English for the English test
    for plan, day in ((poor_plan, dt.date(2026, 11, 1)), (reference_plan, dt.date(2026, 11, 8))):
        record = db.create("hazchem_leak", "1", 1, TEAM, PASSCODE, org_id=account.org_id)
        found = single_run(hazchem, plan, 1, reference=reference_plan, items=items_before(db, record.id))
        close_drill(db, record.id, found, today=day)
        db.finish(record.id, found.score, hazchem.duration)
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.run()
    at.switch_page("views/items.py").run()
    assert not at.exception, at.exception
    return at


def test_the_facilitator_edits_an_item_and_a_bad_entry_changes_nothing(ledger, db):  # noqa: F811
    at = ledger
    [todo] = [i for i in _items(db) if i.status == "待整改"]  # the second drill's own problem
    fixed = next(i for i in _items(db) if i.status == "已整改待检验")

    at.selectbox(key="items_pick").set_value(todo.id).run()
    _field(at, "selectbox", "status", todo.id).set_value("已销号")
    _save(at, todo.id)
    assert "不能销号" in _errors(at)  # no drill verified it fixed yet
    _field(at, "text_input", "owner", todo.id).input("")
    _save(at, todo.id)
    assert "责任单位：不能为空" in _errors(at)
    assert next(i for i in _items(db) if i.id == todo.id) == todo  # nothing stored

    _field(at, "selectbox", "status", todo.id).set_value("整改中")
    _field(at, "text_input", "owner", todo.id).input("区应急管理局")
    _field(at, "text_area", "notes", todo.id).input("已组织专题培训")
    _save(at, todo.id)
    assert not at.error and not at.exception
    saved = next(i for i in _items(db) if i.id == todo.id)
    assert (saved.status, saved.owner, saved.notes) == ("整改中", "区应急管理局", "已组织专题培训")

    at.selectbox(key="items_pick").set_value(fixed.id).run()  # verified fixed by the second drill: 销号
    _field(at, "selectbox", "status", fixed.id).set_value("已销号")
    _save(at, fixed.id)
    assert not at.error
    assert next(i for i in _items(db) if i.id == fixed.id).status == "已销号"
    assert fixed.id not in list(at.dataframe[0].value["编号"])  # 已销号 is filtered out by default


def test_each_check_shows_its_evidence_and_the_trend_counts_the_items(ledger, db):  # noqa: F811
    at = ledger
    fixed = [i for i in _items(db) if i.status == "已整改待检验"]
    shown = "\n".join(m.value for m in at.markdown)
    for item in fixed:
        assert any(item.id in e.label for e in at.expander)
        assert all(ev["text"] in shown for ev in item.checks[-1].evidence)
    assert "已整改" in shown

    at.switch_page("views/evaluation.py").run()
    at.radio(key="evaluation_source").set_value("current").run()
    assert not at.exception, at.exception
    charts = {c.proto.spec for c in at.get("plotly_chart")}
    assert any("复发" in spec and "新增" in spec for spec in charts)


def test_the_ledger_in_english_shows_no_chinese_but_the_items_own_words(ledger, db):  # noqa: F811
    at = ledger
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Corrective actions"
    own = {w for i in _items(db) for w in CJK.findall(i.model_dump_json())}
    assert _chinese_outside(_shown(at), [*_library_words(), *own]) == []


def test_a_trainee_never_sees_the_items(db, hazchem, poor_plan, reference_plan):  # noqa: F811
    record = db.create("hazchem_leak", "1", 1, TEAM, PASSCODE)
    found = single_run(hazchem, poor_plan, 1, reference=reference_plan)
    close_drill(db, record.id, found, today=dt.date(2026, 11, 1))
    problems = [i.problem for i in _items(db)]
    assert problems
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": record.id, "role": "trainee", "dept": "duty_office"}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page("views/items.py")
    sent = _sent_to_browser(at)
    assert "整改台账" not in sent and not any(p in sent for p in problems)
