"""The facilitator's console, driven with AppTest: a full drill, the live decision log, exercise control of the MSEL
(release, hold, skip, an ad-hoc message), the seat roster and take-over, the end with its confirmation and undo, the
forms that start blank, and a sign-in found again after a reload."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator.store import DrillStore
from simulator.store.sessions import Sessions
from tests.accounts import make_account, signed_in
from tests.conftest import ROOT
from tests.test_app import PASSCODE, TIMEOUT, _decide, _pick, app, db, facilitator  # noqa: F401  (fixtures)


@pytest.fixture
def console(facilitator) -> tuple[AppTest, int]:  # noqa: F811
    """A facilitator on the console of a new hazchem drill (test_app's facilitator, on this page)."""
    facilitator.switch_page("views/console.py").run()
    assert not facilitator.exception, facilitator.exception
    return facilitator, facilitator.session_state["drill_id"]


#: a column that names each of the console's tables
TABLES = {"msel": "接收单位", "decision_log": "决策单位", "roster": "参演人员", "board": "接到通知"}


def _table(at: AppTest, name: str):
    return next(d.value for d in at.dataframe if TABLES[name] in d.value.columns)


def _feed(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_a_full_scripted_drill_from_the_console(app, db):  # noqa: F811
    signed_in(app, db)  # only a signed-in facilitator creates a drill
    app.switch_page("views/console.py").run()
    _pick(app, "new_scenario", "hazchem_leak", run=False)
    app.text_input(key="new_passcode").input(PASSCODE)
    app.text_input(key="new_passcode_again").input(PASSCODE)
    app.text_input[0].input("第一组")
    app.button(key="FormSubmitter:start-开始推演").click().run()  # the form sends every field with the click
    assert not app.exception
    assert app.metric[0].value == "T+0（08:10）"

    _decide(app, "assess", type="危险化学品泄漏", level=3)
    assert "决策已受理" in app.success[0].value
    _decide(app, "notify", to=["ema", "fire", "police", "health", "ecology", "street", "publicity"])
    _decide(app, "order", measure="evacuate", dept="street", owner="赵红", radius_m=1500.0)
    assert "决策已受理" in app.success[0].value
    _decide(app, "order", measure="medical_treatment", dept="health")
    _decide(app, "notify", to=[])  # an empty notice is a form error, shown, not a crash
    assert any("通知部门：请至少选择一项" in e.value for e in app.error)  # the field by its label, in Chinese

    app.button(key="plus5").click().run()
    assert app.metric[0].value == "T+5（08:15）"
    _decide(app, "report_up", mode="phone")
    app.button(key="next_inject").click().run()
    assert app.metric[0].value == "T+8（08:18）"
    assert any("现场2人晕倒" in i.value for i in app.info)

    app.button(key="end_drill").click().run()
    app.button(key="end_confirm").click().run()
    assert not app.exception
    assert "推演已结束" in app.success[0].value

    [record] = db.history()
    assert record.finished and record.team == "第一组" and record.score is not None
    stored = db.load(record.id)
    assert len(stored.decisions) == 5  # the empty notice never reached the drill
    assert [d.at for d in stored.decisions] == [0, 0, 0, 0, 5]

    app.switch_page("views/evaluation.py").run()
    assert not app.exception
    assert app.metric[0].label == "总分"
    assert app.metric[0].value == f"{record.score['total']:.1f}"

    app.switch_page("views/report.py").run()
    assert not app.exception
    assert any(b.label.endswith(".docx") for b in app.get("download_button"))


def _status(at: AppTest, title: str) -> str:
    msel = _table(at, "msel")
    return msel.loc[msel["标题"] == title, "状态"].item()


def test_exercise_control_releases_holds_and_skips_injects_and_sends_messages_as_logged_decisions(console, db):  # noqa: F811
    at, drill_id = console
    # release now: 现场2人晕倒 (due at T+8) reaches the duty office at T+0, in the feed and in the MSEL timeline
    at.selectbox(key="inject_pick").set_value("i03").run()
    at.button(key="release_inject").click().run()
    assert "已执行：立即注入" in at.success[0].value
    assert any("现场2人晕倒" in text for text in _feed(at))
    assert _status(at, "现场2人晕倒") == "已注入 T+0（08:10）"
    assert "i03" not in at.selectbox(key="inject_pick").options  # a released inject can no longer be steered
    # hold 气象信息 (T+15), skip 群众反映刺激性气味 (T+25); the clock then runs past both and neither arrives
    at.selectbox(key="inject_pick").set_value("i04").run()
    at.button(key="hold_inject").click().run()
    at.selectbox(key="inject_pick").set_value("i05").run()
    at.button(key="skip_inject").click().run()
    at.number_input(key="advance_target").set_value(28).run()
    at.button(key="advance_go").click().run()
    assert at.metric[0].value == "T+28（08:38）"
    assert _status(at, "气象信息") == "已暂缓" and _status(at, "群众反映刺激性气味") == "已取消"
    assert not any("气象信息" in text or "刺激性气味" in text for text in _feed(at))
    at.selectbox(key="inject_pick").set_value("i04").run()
    at.button(key="release_inject").click().run()  # the held one, released when the facilitator chooses
    assert _status(at, "气象信息") == "已注入 T+28（08:38）"
    # an ad-hoc message to two seats: one feed entry per seat, and the form starts blank again
    at.multiselect(key="message_to").set_value(["fire", "street"])
    at.text_input(key="message_title").input("导调提示")
    at.text_area(key="message_text").input("请各单位注意现场风向变化。")
    at.button(key="FormSubmitter:control_message-发送").click().run()
    assert not at.exception
    assert "已执行：发送导调消息" in at.success[0].value
    assert sum("导调提示" in text for text in _feed(at)) == 2
    assert at.multiselect(key="message_to").value == [] and at.text_input(key="message_title").value == ""
    stored = db.load(drill_id)
    assert [(d.action, d.by, d.at) for d in stored.decisions] == [
        ("release_inject", "control", 0),
        ("hold_inject", "control", 0),
        ("skip_inject", "control", 0),
        ("release_inject", "control", 28),
        ("message", "control", 28),
    ]
    log = _table(at, "decision_log")
    assert list(log["决策单位"]) == ["导调组"] * 5 and set(log["结果"]) == {"已受理"}
    assert list(log["决策"])[-3:] == ["取消注入：群众反映刺激性气味", "暂缓注入：气象信息", "立即注入：现场2人晕倒"]
    assert not any("inject" in str(v) for v in log.to_numpy().ravel())  # names, never ids


def test_a_control_action_the_engine_refuses_is_shown_with_its_reason_in_chinese(console):
    at, _ = console
    at.selectbox(key="inject_pick").set_value("i04").run()
    at.button(key="hold_inject").click().run()
    at.selectbox(key="inject_pick").set_value("i04").run()
    at.button(key="hold_inject").click().run()
    assert at.error[0].value == "未执行：“气象信息”已暂缓"
    assert _table(at, "decision_log")["结果"].iloc[0] == "被拒：“气象信息”已暂缓"


def test_a_form_starts_blank_after_its_decision_is_taken_so_no_person_in_charge_is_carried_over(console):
    at, _ = console
    _decide(at, "notify", to=["street", "health"])
    _decide(at, "order", measure="evacuate", dept="street", owner="赵红", radius_m=1500.0)
    assert "决策已受理" in at.success[0].value
    owner = next(w for w in at.text_input if w.key == "f_order_owner")
    assert owner.value == ""  # the next order names its own 责任人
    assert at.selectbox(key="f_order_by").value == "duty_office"  # who decides stays chosen


def test_ending_the_drill_asks_first_and_can_be_undone_where_the_clock_stood(console, db):  # noqa: F811
    at, drill_id = console
    at.button(key="plus5").click().run()
    at.button(key="end_drill").click().run()
    assert "确认结束推演" in at.warning[0].value and not db.load(drill_id).finished  # one click ends nothing
    at.button(key="end_cancel").click().run()
    assert not at.warning and not db.load(drill_id).finished
    at.button(key="end_drill").click().run()
    at.button(key="end_confirm").click().run()
    assert "推演已结束" in at.success[0].value and db.load(drill_id).finished
    at.button(key="undo_end").click().run()
    assert "已撤销结束，推演继续。" in [s.value for s in at.success]
    record = db.load(drill_id)
    assert not record.finished and record.clock == 5 and record.score is None
    assert at.metric[0].value == "T+5（08:15）" and at.button(key="plus5")


def test_the_undo_is_gone_once_its_time_has_passed(console, db):  # noqa: F811
    at, drill_id = console
    db.finish(drill_id, None, 180.0, now=0.0)  # ended long ago
    at.run()
    assert "推演已结束" in at.success[0].value
    assert not [b for b in at.button if b.key == "undo_end"]


def _join(db: DrillStore, code: str, dept: str, person: str) -> AppTest:  # noqa: F811
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/console.py").run()
    at.text_input(key="join_code").input(code).run()
    at.selectbox(key="join_dept").set_value(dept).run()
    at.text_input(key="join_person").input(person).run()
    at.button(key="join_button").click().run()
    return at


def test_the_roster_lists_who_holds_each_seat_and_a_take_over_is_asked_logged_and_told(console, db):  # noqa: F811
    at, drill_id = console
    code = db.load(drill_id).code
    first = _join(db, code, "fire", "张三")
    assert first.session_state["role"] == "trainee"
    at.run()
    roster = _table(at, "roster")
    assert list(zip(roster["席位"], roster["参演人员"], roster["最近在线"], strict=True)) == [
        ("区消防救援支队", "张三", "在线")
    ]

    second = _join(db, code, "fire", "李四")
    assert "该席位已由另一浏览器使用，是否接管？" in second.warning[0].value and "张三" in second.warning[0].value
    assert "role" not in second.session_state  # not joined until the trainee says so
    second.button(key="take_over").click().run()
    assert second.session_state["role"] == "trainee"

    first.switch_page("views/seat.py").run()  # the old browser's next refresh
    assert "本席位已由另一浏览器接管" in first.warning[0].value
    assert "role" not in first.session_state

    at.run()
    assert list(_table(at, "roster")["参演人员"]) == ["李四"]
    assert any("李四 接管 区消防救援支队" in c.value for c in at.caption)


def test_seat_decisions_appear_in_the_console_log_with_who_when_and_the_outcome_in_chinese(console, db):  # noqa: F811
    at, drill_id = console
    code = db.load(drill_id).code
    seat = _join(db, code, "duty_office", "王五")
    seat.switch_page("views/seat.py").run()
    _decide(seat, "notify", to=["fire"])
    _decide(seat, "order", measure="evacuate", dept="street", radius_m=1500.0)  # street was never notified
    at.run()
    log = _table(at, "decision_log")
    assert list(log["录入"]) == ["区政府总值班室席位"] * 2
    assert list(log["时间"]) == ["T+0（08:10）"] * 2
    assert list(log["决策"]) == ["下达处置措施", "通知部门"]
    assert log["结果"].iloc[1] == "已受理"
    assert log["结果"].iloc[0].startswith("被拒：") and "(" not in log["结果"].iloc[0]  # the Chinese reason only


def test_the_big_screen_grade_is_off_until_the_facilitator_turns_it_on(console, db):  # noqa: F811
    at, drill_id = console
    assert db.get_flag(drill_id, "big_screen_grade", False) is False
    assert at.toggle(key="grade_on_screen").value is False
    assert not [m for m in at.metric if m.label == "总分"]  # the console's own live score is asked for, too
    at.toggle(key="grade_on_screen").set_value(True).run()
    assert db.get_flag(drill_id, "big_screen_grade") is True
    at.toggle(key="show_live_score").set_value(True).run()
    assert [m for m in at.metric if m.label == "总分"]


@pytest.mark.parametrize("who", ["facilitator", "trainee"])
def test_a_reload_finds_the_sign_in_again_from_the_browsers_token(db, monkeypatch, who):  # noqa: F811
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    sessions = Sessions(db)
    dept = "fire" if who == "trainee" else None
    account = make_account(db).id if who == "facilitator" else None  # a facilitator is an account's sign-in
    token = sessions.start(record.id, who, dept, "张三", account_id=account)
    monkeypatch.setattr("ui.common.browser_token", lambda: token)  # the cookie a reloaded page sends
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert (at.session_state["role"], at.session_state["drill_id"], at.session_state["dept"]) == (who, record.id, dept)
    if who == "trainee":
        assert at.title[0].value == "参演席位"  # lands on the seat, not on the library
    else:
        at.switch_page("views/console.py").run()
        assert at.metric[1].value == record.code
    assert token not in repr([e.proto for e in at.main])  # never on the page
    at.button(key="sign_out").click().run()
    assert "role" not in at.session_state
    assert sessions.resume(token) is None or sessions.resume(token).ended == "signed_out"
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fresh.run()
    assert "role" not in fresh.session_state and fresh.title[0].value == "场景库"  # a revoked token opens nothing


def test_the_big_screens_join_link_opens_the_join_tab_with_the_code_filled_in(db):  # noqa: F811
    record = db.create("hazchem_leak", "1", 3, "扫码组", "room-2026")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["code"] = record.code.lower()
    at.switch_page("views/console.py").run()
    assert not at.exception, at.exception
    assert at.tabs[0].label == "参演人员：加入推演"
    assert at.text_input(key="join_code").value == record.code
