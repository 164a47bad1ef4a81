"""The console's decision form offers 启动/调整/终止应急响应 and 发布建议 in Chinese and the drill takes them (issue 16,
findings 3 and 4, the UI part)."""

from __future__ import annotations

from simulator.engine import replay
from simulator.engine.seat import decision_rows
from tests.test_forms import BUNDLED, _console, _submit, db  # noqa: F401 (db is a fixture)


def test_the_console_starts_a_response_and_gives_advice(db):  # noqa: F811
    entry = BUNDLED["gas"]
    at = _console(db, entry)
    at.selectbox(key="action").set_value("set_level").run()
    assert at.selectbox(key="action").format_func("set_level") == "启动/调整/终止应急响应"
    at.selectbox(key="f_set_level_level").set_value(3).run()
    _submit(at)
    at.selectbox(key="action").set_value("advise").run()
    at.selectbox(key="f_advise_kind").set_value("may_return").run()
    assert any("险情得到控制之后" in c.value for c in at.caption)
    at.text_area(key="f_advise_text").input("疏散群众可返回").run()
    _submit(at)
    record = db.load(at.session_state["drill_id"])
    drill = replay(entry.scenario, record.seed, record.decisions, record.clock)
    rows = [(r.action_label, r.accepted) for r in decision_rows(entry.scenario, drill.log)]
    assert ("启动Ⅲ级应急响应", True) in rows and ("发布“群众可返回”", True) in rows, rows
