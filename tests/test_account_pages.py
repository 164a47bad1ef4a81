"""Accounts in the app, driven with AppTest (issue 19, findings 1, 2 and 5): a trainee who signs out cannot make
themselves a facilitator, another organisation's drills are neither listed nor written to, the console's passcode
check backs off, and the first run creates the first organiser with the token from the server's log."""

from __future__ import annotations

import contextlib
import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.accounts import PASSWORD, make_account
from tests.conftest import ROOT
from tests.test_app import PASSCODE, TIMEOUT, _chinese_outside, _pick, _shown, app, db  # noqa: F401  (fixtures)


def _account(store, **names):
    """An account of the test organisation (None on c482d9d, which had none: the attacks need none there)."""
    try:
        return make_account(store, **names)
    except ImportError:
        return None


def _sign_in(at: AppTest, store, **names) -> None:
    account = _account(store, **names)
    if account is not None:
        at.session_state["account_id"] = account.id


def _join(at: AppTest, code: str, dept: str = "duty_office") -> None:
    at.switch_page("views/console.py").run()
    at.text_input(key="join_code").input(code).run()
    at.selectbox(key="join_dept").set_value(dept).run()
    at.button(key="join_button").click().run()


def _create_if_offered(at: AppTest) -> bool:
    """The attack of findings 1 and 2: create a drill on the console's door (a 6-character passcode will do)."""
    if not any(w.key == "new_passcode" for w in at.text_input):
        return False
    _pick(at, "new_scenario", "hazchem_leak", run=False)
    at.text_input(key="new_passcode").input("123456")
    at.text_input(key="new_passcode_again").input("123456")
    at.button(key="FormSubmitter:start-开始推演").click().run()
    return True


def test_finding_1_a_trainee_who_signs_out_cannot_make_themselves_a_facilitator(app, db):  # noqa: F811
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    _join(app, record.code)
    assert app.session_state["role"] == "trainee"
    app.sidebar.button(key="sign_out").click().run()
    app.switch_page("views/console.py").run()
    assert [t.label for t in app.tabs] == ["参演人员：加入推演"]  # join, and the way to sign in: no drill creation
    assert any("登录" in i.value for i in app.info)
    _create_if_offered(app)  # as the attacker did on c482d9d
    assert not app.exception
    assert not [e for e in app.expander if e.label == "答案要点"]  # the console's answer key
    for page in ("views/replay.py", "views/report.py", "views/bigscreen.py"):  # reference plans, drills: not reached
        with pytest.raises(ValueError):
            app.switch_page(page)
    app.switch_page("views/scenarios.py").run()
    _pick(app, "scenario_pick", "hazchem_leak")
    assert not any("情景注入时间线" in m.value for m in app.markdown)  # the MSEL


def test_finding_2_another_organisations_drills_are_neither_listed_nor_reviewed(app, db):  # noqa: F811
    theirs = _account(db, name="甲区导调员", org="甲区应急管理局")
    record = db.create("hazchem_leak", "1", 1, "甲区一组", PASSCODE, **({"org_id": theirs.org_id} if theirs else {}))
    db.finish(record.id, None, 240)
    _sign_in(app, db, name="乙区导调员", org="乙区应急管理局")  # an account of another organisation
    app.switch_page("views/console.py").run()
    _create_if_offered(app)  # a drill of its own, as the attacker did on c482d9d
    app.switch_page("views/report.py").run()
    app.radio(key="report_source").set_value("store").run()
    assert not app.exception
    listed = [b for b in app.selectbox if b.key == "report_record"]
    options = listed[0].options if listed else []
    assert not [o for o in options if record.code in o]  # 已保存的推演: its own organisation's only
    if listed and any(record.code in o for o in options):  # what the attacker did next on c482d9d
        listed[0].set_value(next(r for r in db.history() if r.id == record.id)).run()
        app.text_area(key="review_存在问题").input("他人写入").run()
        app.button(key="FormSubmitter:review_form-保存复盘").click().run()
    assert db.load(record.id).decisions == []  # nothing written into the other organisation's drill


def test_finding_5_the_consoles_passcode_check_backs_off(app, db, monkeypatch):  # noqa: F811
    """A guess every five seconds for a minute on the resume form: a handful checked, the rest told how long to wait —
    and while it waits, even the right passcode is refused."""
    now = [1_000_000.0]
    with contextlib.suppress(ImportError):  # c482d9d had no throttle: nothing to set
        monkeypatch.setattr("simulator.store.throttle._now", lambda: now[0])
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    _sign_in(app, db)  # its organisation's account (the first organisation adopts the drill)
    app.switch_page("views/console.py").run()
    answers = []
    for guess in range(12):
        now[0] += 5
        app.text_input(key="resume_code").input(record.code)
        app.text_input(key="resume_passcode").input(PASSCODE if guess == 11 else f"{guess:06d}")
        app.button(key="FormSubmitter:resume-打开").click().run()
        answers.append(app.error[0].value if app.error else "opened")
    checked = [a for a in answers if a == "推演码或口令不正确。"]
    assert len(checked) <= 8, answers  # 11 wrong guesses in a minute: at most 8 checked
    assert re.fullmatch(r"尝试次数过多，请于\d+秒后再试。", answers[-1]), answers[-1]  # the right one, refused
    assert app.session_state.get("drill_id") is None


def test_the_first_run_takes_the_logged_token_and_the_organiser_adds_an_evaluator(app, db, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING, logger="simulator.store.accounts")
    app.switch_page("views/accounts.py").run()
    assert app.subheader[0].value == "首次设置"  # no account yet: the setup form, not the sign-in
    records = caplog.get_records("setup") + caplog.records  # logged by the first page anyone opened (the fixture's)
    [logged] = [r.getMessage() for r in records if "首次设置口令" in r.getMessage()]
    token = re.search(r"首次设置口令（一次性）：(\S+)", logged).group(1)
    for key, value in {"setup_org": "临港区应急管理局", "setup_name": "张三", "setup_password": PASSWORD}.items():
        app.text_input(key=key).input(value)
    app.text_input(key="setup_password_again").input(PASSWORD)
    app.text_input(key="setup_token").input("not-the-token")
    app.button(key="FormSubmitter:setup-创建组织者账户并登录").click().run()
    assert app.error[0].value == "首次设置口令不正确，或已有账户。" and "account_id" not in app.session_state
    app.text_input(key="setup_token").input(token)
    app.button(key="FormSubmitter:setup-创建组织者账户并登录").click().run()
    assert not app.exception
    assert any(c.value == "当前账户：张三（组织者）" for c in app.sidebar.caption)
    app.text_input(key="add_name").input("李评估")
    app.selectbox(key="add_role").set_value("evaluator")
    app.text_input(key="add_password").input(PASSWORD)
    app.text_input(key="add_password_again").input(PASSWORD)
    app.button(key="FormSubmitter:account_add-添加").click().run()
    assert "已添加账户“李评估”。" in [s.value for s in app.success]
    table = app.dataframe[0].value
    assert sorted(zip(table["账户名"], table["角色"], strict=True)) == [("张三", "组织者"), ("李评估", "评估员")]

    evaluator = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    evaluator.run()
    evaluator.switch_page("views/accounts.py").run()
    evaluator.text_input(key="sign_in_name").input("李评估")
    evaluator.text_input(key="sign_in_password").input(PASSWORD)
    evaluator.button(key="FormSubmitter:sign_in-登录").click().run()
    assert evaluator.session_state["account_id"]
    evaluator.switch_page("views/report.py").run()  # reads reports and writes reviews
    assert not evaluator.exception
    with pytest.raises(ValueError):
        evaluator.switch_page("views/console.py")  # never runs the clock


def test_the_accounts_page_in_english_shows_no_chinese_but_the_names_typed(app, db):  # noqa: F811
    app.session_state["lang"] = "en"
    app.switch_page("views/accounts.py").run()  # the setup form
    assert _chinese_outside(_shown(app), []) == []
    admin = make_account(db, "admin", name="Admin A", org="Test district")
    app.session_state["account_id"] = admin.id
    app.run()  # signed in: rights, own password, the organisation's accounts
    assert not app.exception
    assert _chinese_outside(_shown(app), []) == []
