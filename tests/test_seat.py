"""What a seat may see (engine/seat.py): only what reached its department, with the orders' full content."""

from __future__ import annotations

import json

from simulator import Drill, load_plan, load_scenario, run_plan
from simulator.engine.seat import decision_rows, seat_view
from simulator.formats import plan as p
from tests.conftest import SCENARIOS


def _words(view) -> str:
    """Everything the seat page could put on screen, as one text."""
    return json.dumps(view.model_dump(exclude={"items": {"__all__": {"key"}}}), ensure_ascii=False)


def test_a_department_never_sees_an_inject_released_to_another(hazchem, reference_plan):
    plan = reference_plan.model_copy(
        update={
            "decisions": [
                *reference_plan.decisions,
                p.ControlMessage(
                    action="message", at=30, by="control", to=["fire"], title="补充情况", text="储罐区有第二处渗漏点"
                ),
            ]
        }
    )
    drill = run_plan(hazchem, plan, seed=3)
    released = drill.log.of("inject_released")
    for dept in (d.id for d in hazchem.departments):
        view = seat_view(hazchem, drill.log, dept, drill.end)
        seen = {i.title for i in view.items if i.kind in ("inject", "control")}
        assert seen == {e["title"] for e in released if e["to"] == dept}
        others = {e["text"] for e in released if e["to"] != dept} - {e["text"] for e in released if e["to"] == dept}
        assert not any(text in _words(view) for text in others)
    assert "储罐区有第二处渗漏点" in _words(seat_view(hazchem, drill.log, "fire", 31))
    assert "储罐区有第二处渗漏点" not in _words(seat_view(hazchem, drill.log, "street", drill.end))


def test_a_seat_sees_no_future_inject_no_hazard_figure_and_no_answer_key(hazchem, reference_plan):
    drill = run_plan(hazchem, reference_plan, seed=3)
    words = _words(seat_view(hazchem, drill.log, "duty_office", 20))
    assert "气象信息" in words and "群众反映刺激性气味" not in words  # T+15 has come, T+25 not yet
    assert "exposed" not in words and "wind" not in words
    key = hazchem.answer_key
    assert key.event_type not in words or key.event_type in "".join(i.text for i in hazchem.injects)


def test_at_t45_the_street_seat_has_the_notice_and_its_evacuation_order_in_full(hazchem, reference_plan):
    decisions = [
        d.model_copy(update={"due": 60.0}) if d.action == "order" and d.measure == "evacuate" else d
        for d in reference_plan.decisions
    ]
    drill = run_plan(hazchem, reference_plan.model_copy(update={"decisions": decisions}), seed=3)
    view = seat_view(hazchem, drill.log, "street", 45)
    assert view.dept_name == "临港街道办事处" and view.when == "T+45（08:55）"
    notice = next(i for i in view.items if i.kind == "notice")
    assert notice.source == "区政府总值班室"
    assert notice.text == "华宇化工液氯储罐泄漏，请立即按预案赶赴现场"
    order = next(i for i in view.items if i.kind == "order")
    assert (order.measure, order.settings, order.owner) == ("疏散转移群众", "疏散半径1500米", "赵红")
    assert order.due == "T+60（09:10）" and order.source == "区政府总值班室"
    task = next(t for t in view.tasks if t.measure == "疏散转移群众")
    assert (task.status_label, task.owner, task.due, task.overdue) == ("已完成", "赵红", "T+60（09:10）", False)
    later = [i for i in view.items if i.t > 45]
    assert not later  # the adjustment to 2000 m (T+57) has not reached it yet
    english = seat_view(hazchem, drill.log, "street", 45, lang="en")
    order = next(i for i in english.items if i.kind == "order")
    assert (order.kind_label, order.settings, order.due) == ("order", "evacuation radius 1500 m", "T+60 (09:10)")
    assert english.tasks[0].status_label == "finished" and english.when == "T+45 (08:55)"


def test_a_message_lost_on_the_way_appears_only_once_resent_and_delivered():
    scenario = load_scenario(SCENARIOS / "gas_explosion.yaml")
    drill = run_plan(scenario, load_plan(SCENARIOS / "gas_explosion.reference.yaml"), seed=3)
    lost = next(e for e in drill.log.of("message_lost") if e["msg_kind"] == "order" and e["to"] == "fire")
    delivered = next(e for e in drill.log.of("message_delivered") if e["msg"] == lost["msg"])
    task = next(e for e in drill.log.of("task_ordered") if e["msg"] == lost["msg"])
    assert lost.t < delivered.t - 0.5
    before = seat_view(scenario, drill.log, "fire", delivered.t - 0.5)
    after = seat_view(scenario, drill.log, "fire", delivered.t)
    assert f"e{delivered.id}" not in [i.key for i in before.items]
    assert f"e{task.id}" not in [t.key for t in before.tasks]
    item = next(i for i in after.items if i.key == f"e{delivered.id}")
    assert item.kind == "order" and task["name"] in item.title and item.when.startswith(f"T+{int(delivered.t)}（")
    assert f"e{task.id}" in [t.key for t in after.tasks]


def test_a_seat_sees_its_own_decisions_with_the_reason_in_chinese(hazchem):
    drill = Drill(hazchem, seed=1)
    drill.advance(5)
    drill.submit(p.ReportOffice(action="report_office", at=5, by="fire", text="已出动3车15人，预计8分钟到场"))
    drill.submit(p.Order(action="order", at=5, by="fire", measure="evacuate", department="street"))
    drill.submit(p.Notify(action="notify", at=5, by="duty_office", to=["ema"]))
    view = seat_view(hazchem, drill.log, "fire", 5)
    assert [(d.action_label, d.accepted) for d in view.decisions] == [("报告情况", True), ("下达处置措施", False)]
    assert view.decisions[1].reason and not any(c.isascii() and c.isalpha() for c in view.decisions[1].reason)
    everyone = decision_rows(hazchem, drill.log)
    assert [d.by for d in everyone] == ["区消防救援支队", "区消防救援支队", "区政府总值班室"]
    drill.advance(30)
    office = seat_view(hazchem, drill.log, "duty_office", 30)
    report = next(i for i in office.items if i.kind == "office_report")
    assert (report.source, report.text, report.kind_label) == (
        "区消防救援支队",
        "已出动3车15人，预计8分钟到场",
        "情况报告",
    )
