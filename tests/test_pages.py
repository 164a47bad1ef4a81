"""The trainee seat, replay, the scenario library and authoring, driven with AppTest as the room uses them: a seat
reads its orders whole and reports to the office, replay plays and pauses, the library names resources in words,
and a working group left incomplete is refused, not dropped."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator import library
from simulator.vocabulary import RESOURCES, resource_text
from tests.accounts import sign_in_here
from tests.conftest import ROOT
from tests.test_app import PASSCODE, _shown, db  # noqa: F401  (db: the fixture)
from ui.charts import short_name

TIMEOUT = 90  # seconds per script run: pages rebuild drills and draw charts


def _session(role: str, lang: str = "zh", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["role"] = role
    at.session_state["lang"] = lang
    if role == "facilitator":
        sign_in_here(at, name="Facilitator A", org="Test district")  # names are data, English for English tests
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _cells(at: AppTest) -> list[str]:
    """Every column name and cell of every table on the page, as text."""
    out: list[str] = []
    for table in at.dataframe:
        frame = table.value
        out += [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return out


# -- 场景库 -------------------------------------------------------------------------------------------------------
def test_resources_are_named_in_words_and_unknown_ones_as_written():
    assert resource_text({"crews": 2, "vehicles": 3}) == "班组×2、车辆×3"
    assert resource_text({"crews": 2, "drones": 1}, "en") == "crews×2, drones×1"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_library_shows_no_raw_resource_ids(db, lang):  # noqa: F811
    at = _session("facilitator", lang)
    at.switch_page("views/scenarios.py").run()
    keys = {k for e in library.catalog()[0] for d in e.scenario.departments for k in d.resources}
    assert keys  # the bundled scenarios count crews, vehicles, beds
    for index in range(len(library.catalog()[0])):
        at.selectbox(key="scenario_pick").select_index(index).run()
        assert not at.exception, at.exception
        cells = _cells(at)
        if lang == "zh":
            raw = re.compile(rf"\b(?:{'|'.join(keys)})×")
            assert not [c for c in cells if raw.search(c)], index
        assert any(f"{RESOURCES['crews'](lang)}×" in s for s in cells)


# -- 回放 -------------------------------------------------------------------------------------------------------
def test_replay_plays_and_pauses_without_an_error(db):  # noqa: F811
    at = _session("facilitator")
    at.switch_page("views/replay.py").run()
    at.radio(key="replay_source").set_value("plan").run()
    assert not at.exception, at.exception
    play = at.button(key="replay_play")
    assert play.label == "播放" and play.proto.icon == ":material/play_arrow:"  # no emoji that draws as a box
    at.slider(key="replay_t").set_value(30.0).run()
    play.click().run()  # the page's run takes the first frame at once: T+30 → T+35
    assert not at.exception, at.exception
    assert at.slider(key="replay_t").value == 35.0
    assert at.button(key="replay_play").label == "暂停"
    at.slider(key="replay_t").set_value(60.0).run()  # scrubbing while it plays
    assert not at.exception, at.exception
    at.button(key="replay_play").click().run()
    assert not at.exception, at.exception
    assert at.button(key="replay_play").label == "播放"
    assert at.slider(key="replay_t").value == 60.0  # paused where it was


def test_the_gantt_chart_reads_in_drill_minutes_with_named_bars(db):  # noqa: F811
    at = _session("facilitator")
    at.switch_page("views/replay.py").run()
    at.radio(key="replay_source").set_value("plan").run()
    at.slider(key="replay_t").set_value(120.0).run()
    [spec] = [s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart")) if s["layout"].get("barmode")]
    ticks = spec["layout"]["xaxis"]["ticktext"]
    assert ticks and all(re.fullmatch(r"T\+\d+<br>\d\d:\d\d", tick) for tick in ticks), ticks
    assert "2000" not in json.dumps(spec)  # no calendar date anywhere
    rows = {row for trace in spec["data"] for row in trace["y"]}
    short = {short_name(d.name) for e in library.catalog()[0] for d in e.scenario.departments}
    assert rows and all(row.split(" · ")[1] in short for row in rows), rows  # each bar: the task and its department


# -- the decision forms ---------------------------------------------------------------------------------------
def _console(db, **state) -> AppTest:  # noqa: F811
    """A facilitator at the console of a new hazchem drill (every department notified at T+0)."""
    from simulator.formats import plan as p

    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    everyone = [d.id for d in library.find("hazchem_leak").scenario.departments]
    db.append_decision(record.id, p.Notify(action="notify", at=0, by="duty_office", to=everyone))
    at = _session("facilitator", drill_id=record.id, **state)
    at.switch_page("views/console.py").run()
    assert not at.exception, at.exception
    return at, record


def _submit(at: AppTest) -> str:
    at.button(key="submit_decision").click().run()
    assert not at.exception, at.exception
    return "\n".join(m.value for m in (*at.success, *at.error))


def test_an_incomplete_working_group_is_refused_not_dropped(db):  # noqa: F811
    at, record = _console(db)
    at.selectbox(key="action").set_value("establish_command_post").run()
    editor = "f_establish_command_post_groups"
    at.session_state[editor] = {
        "edited_rows": {"0": {"name": "疏散安置组", "lead": "临港街道办事处", "owner": "王海"}},
        "added_rows": [{"name": "医疗救治组", "owner": "李青"}],  # 牵头部门 left empty
        "deleted_rows": [],
    }
    result = _submit(at)
    assert "第2行未填写完整" in result and "牵头部门" in result, result
    assert "决策已受理" not in result
    assert len(db.load(record.id).decisions) == 1  # nothing stored
    at.session_state[editor] = {
        "edited_rows": {"0": {"name": "疏散安置组", "lead": "临港街道办事处", "owner": "王海"}},
        "added_rows": [{"name": "医疗救治组", "lead": "区卫健委（120急救中心）", "owner": "李青"}],
        "deleted_rows": [],
    }
    result = _submit(at)
    assert "决策已受理" in result, result
    [_, post] = db.load(record.id).decisions
    assert [(g.name, g.lead) for g in post.groups] == [("疏散安置组", "street"), ("医疗救治组", "health")]


def test_an_order_carries_its_deadline_and_instruction_and_the_form_starts_blank_after(db):  # noqa: F811
    at, record = _console(db)
    at.selectbox(key="action").set_value("notify").run()
    assert at.multiselect(key="f_notify_to").placeholder == "请选择"  # not Streamlit's "Choose options"
    at.selectbox(key="action").set_value("order").run()
    at.selectbox(key="f_order_measure").set_value("evacuate").run()
    at.selectbox(key="f_order_dept").set_value("street").run()
    at.text_input(key="f_order_owner").input("王海").run()
    at.text_area(key="f_order_text").input("立即组织下风向群众撤离").run()
    at.number_input(key="f_order_due").set_value(30).run()
    assert any("须在T+30（08:40）前完成" in c.value for c in at.caption), [c.value for c in at.caption]
    assert "决策已受理" in _submit(at)
    order = db.load(record.id).decisions[-1]
    assert (order.due, order.owner, order.text) == (30, "王海", "立即组织下风向群众撤离")
    assert at.text_input(key="f_order_owner").value == "" and at.number_input(key="f_order_due").value == 0


# -- 参演席位 -------------------------------------------------------------------------------------------------------
def _seat(db, dept: str, clock: float, lang: str = "zh", due: float | None = None):  # noqa: F811
    """A trainee at the seat of ``dept`` in a hazchem drill that followed the reference plan to ``clock`` (its
    evacuation order given a deadline of ``due``)."""
    from simulator import load_plan
    from tests.conftest import SCENARIOS

    plan = load_plan(SCENARIOS / "hazchem_leak.reference.yaml")
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    for decision in [d for d in plan.decisions if d.at <= clock]:
        if decision.action == "order" and decision.measure == "evacuate" and due is not None:
            decision = decision.model_copy(update={"due": due})
        db.set_clock(record.id, decision.at)
        db.append_decision(record.id, decision)
    db.set_clock(record.id, clock)
    return _session("trainee", lang, drill_id=record.id, dept=dept), record


def test_at_t45_the_street_seat_reads_the_notice_and_its_order_in_full(db):  # noqa: F811
    at, _ = _seat(db, "street", 45, due=60)
    assert at.title[0].value == "参演席位"
    assert at.metric[0].value == "T+45（08:55）"
    shown = "\n".join(m.value for m in (*at.info, *at.success, *at.warning, *at.markdown))
    assert "华宇化工液氯储罐泄漏，请立即按预案赶赴现场" in shown  # the notice's text
    assert "来自区政府总值班室" in shown
    assert "疏散半径1500米" in shown  # the measure's settings in words
    assert "责任人：赵红" in shown and "完成时限：T+60（09:10）" in shown
    [tasks] = [t.value for t in at.dataframe]
    assert list(tasks["任务"]) == ["疏散转移群众"] and list(tasks["状态"]) == ["执行中"]
    assert list(tasks["完成时限"]) == ["T+60（09:10）"]
    assert at.selectbox(key="action").value == "report_office"  # a seat's first decision: report to the office


def test_a_seat_reports_to_the_office_and_the_office_reads_it(db):  # noqa: F811
    at, record = _seat(db, "street", 45)
    at.text_area(key="f_report_office_text").input("已疏散约300人，尚有2栋楼正在排查。").run()
    assert "决策已受理" in _submit(at)
    assert db.load(record.id).decisions[-1].action == "report_office"
    assert any("报告情况" in c.value for c in at.caption)  # the seat's own decisions list it
    assert at.text_area(key="f_report_office_text").value == ""  # the form starts blank again
    db.set_clock(record.id, 75)
    office = _session("trainee", drill_id=record.id, dept="duty_office")
    shown = "\n".join(m.value for m in (*office.info, *office.success, *office.warning))
    assert "已疏散约300人，尚有2栋楼正在排查。" in shown and "来自临港街道办事处" in shown


# -- 场景编写 -------------------------------------------------------------------------------------------------------
def test_authoring_reports_every_problem_at_once_takes_chinese_durations_and_shows_no_server_paths(
    tmp_path,
    monkeypatch,
    db,  # noqa: F811
):
    from views.authoring import PASTED

    folder = tmp_path / "my_scenarios"
    monkeypatch.setenv("DRILL_SCENARIO_DIR", str(folder))
    text = (ROOT / "scenarios" / "hazchem_leak.yaml").read_text(encoding="utf-8")
    at = _session("facilitator")
    at.switch_page("views/authoring.py").run()
    at.radio(key="author_source").set_value("paste").run()
    broken = text.replace("    at: 8m\n", "    at: 八分钟\n", 1).replace("to: street,", "to: nobody,", 1)
    at.text_area(key="author_text").input(broken).run()
    [listing] = [c.value for c in at.code]
    assert f"{PASTED}:" in listing and "injects[2].at" in listing and "未知的部门 'nobody'" in listing  # one round
    fixed = text.replace("    at: 8m\n", "    at: 8分钟\n", 1).replace("id: hazchem_leak", "id: my_leak", 1)
    at.text_area(key="author_text").input(fixed).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "通过检查" in at.success[0].value  # 8分钟 is a duration
    at.text_input(key="author_save_id").input("my_leak").run()
    at.button(key="FormSubmitter:author_save_form-保存到场景库").click().run()
    shown = "\n".join(_shown(at) + _cells(at))
    assert (folder / "my_leak.yaml").exists()
    assert "已保存到场景库：my_leak.yaml" in [m.value for m in at.success]
    assert str(folder) not in shown and str(tmp_path) not in shown  # file names only, never the server's folders
