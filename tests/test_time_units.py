"""Issue 16, finding 10: time as slow-onset incidents need it — days as a unit, drills longer than a week, decisions
at the drill's last minute taken (live and replayed alike), and an answer in the inject's own minute not called
foreseen."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from simulator import Drill, load_plan, load_scenario, run_plan
from simulator.engine import replay
from simulator.formats import plan as p
from simulator.formats.durations import format_minutes, parse_minutes
from simulator.formats.msel.cells import cell_minutes, zh_minutes
from simulator.scoring import score_drill
from simulator.vocabulary import clock_text, span

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@cache
def hazchem():
    return load_scenario(SCENARIOS / "hazchem_leak.yaml")


@cache
def reference():
    return load_plan(SCENARIOS / "hazchem_leak.reference.yaml")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("7d", 7 * 1440), ("2d4h", 2 * 1440 + 240), ("2d4h30m", 3150), ("2天", 2880), ("2天4小时", 3120), ("1日", 1440)],
)
def test_days_are_a_unit(text, minutes):
    assert parse_minutes(text) == minutes


def test_a_drill_may_last_longer_than_a_week_and_exports_in_days(tmp_path):
    """A rainstorm warned of days ahead: a scenario of 10 days and a decision on day 9 load; times write back in
    days and read back the same (plan export, Excel MSEL)."""
    text = (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8").replace("duration: 3h", "duration: 10d")
    assert "duration: 10d" in text
    long = load_scenario("long.yaml", text.encode("utf-8"))
    assert long.duration == 10 * 1440
    day9 = b"decisions:\n  - {at: 8d4h, by: duty_office, action: assess, event_type: x, level: III}\n"
    plan = load_plan("p.yaml", day9)
    assert plan.decisions[0].at == 8 * 1440 + 240
    assert plan.to_yaml_data()["decisions"][0]["at"] == "8d4h"
    assert format_minutes(3000) == "2d2h" and parse_minutes(format_minutes(3000)) == 3000
    assert cell_minutes(zh_minutes(3000)) == 3000 and zh_minutes(3000) == "2天2小时"
    with pytest.raises(ValueError):
        parse_minutes("31d")  # a month and more is a typo


def test_long_spans_read_in_days_and_short_ones_as_before():
    assert span(3000) == "2天2小时"
    assert span(45) == "45分钟" and span(1439) == "1439分钟"
    assert clock_text("08:00", 2 * 1440) == "第3日08:00"


def _last_minute_report(sc) -> p.ReportUp:
    return p.ReportUp(action="report_up", at=sc.duration, by="duty_office", mode="written", text="终报")


def test_a_decision_at_the_last_minute_is_taken_and_replays_the_same():
    sc = hazchem()
    kept = [d for d in reference().decisions if d.action != "close"]  # a closed response takes no report
    plan = reference().model_copy(update={"decisions": [*kept, _last_minute_report(sc)]})
    scripted = run_plan(sc, plan, 3)
    last = scripted.result(len(plan.decisions))
    assert last.kind == "decision_accepted" and last.t == sc.duration
    assert scripted.finished and scripted.log.of("drill_ended")[0].id > last.id
    # live: the facilitator runs the clock to the end, a seat reports in that minute, then 结束推演
    live = Drill(sc, 3)
    for decision in plan.timed():
        live.advance(decision.at)
        live.submit(decision)
    live.advance(sc.duration)
    assert not live.finished
    live.finish()
    assert live.log.to_jsonl() == scripted.log.to_jsonl()
    rebuilt = replay(sc, 3, plan.timed(), sc.duration, finished=True)
    assert rebuilt.log.to_jsonl() == scripted.log.to_jsonl()


def test_after_the_end_only_a_review_is_taken():
    sc = hazchem()
    drill = Drill(sc, 0)
    drill.finish()
    late = drill.submit(_last_minute_report(sc))
    review = drill.submit(
        p.Review(action="review", at=sc.duration, by="duty_office", sections={"存在问题": "通知偏晚。"})
    )
    assert late.kind == "decision_rejected" and "推演已结束" in late["reason"]
    assert review.kind == "decision_accepted"
    beyond = _last_minute_report(sc).model_copy(update={"at": sc.duration + 1})
    ran = run_plan(sc, reference().model_copy(update={"decisions": [*reference().decisions, beyond]}), 0)
    assert ran.result(len(reference().decisions) + 1).kind == "decision_rejected"


def test_the_store_refuses_a_decision_after_the_end_so_a_rebuild_agrees(tmp_path):
    """A drill ended by 结束推演 stores no more decisions but a review: else every rebuild would take at the last
    minute what the room had been told was refused."""
    from simulator.store import DrillStore

    sc = hazchem()
    db = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    record = db.create(sc.id, sc.version, 0, "一组", "passcode-123")
    db.set_clock(record.id, sc.duration)
    db.finish(record.id, None, sc.duration)
    assert db.append_decision(record.id, _last_minute_report(sc)) is None
    review = p.Review(action="review", at=0, by="duty_office", sections={"存在问题": "通知偏晚。"})
    assert db.append_decision(record.id, review) is not None
    assert [d.action for d in db.load(record.id).decisions] == ["review"]


def _inject_answer(at: float) -> list[str]:
    """The evidence of the answer to i03 (2 people collapse, T+8) when medical treatment is ordered at ``at``."""
    sc = hazchem()
    decisions = [d for d in reference().decisions if getattr(d, "measure", None) != "medical_treatment"]
    medical = p.Order(action="order", at=at, by="duty_office", measure="medical_treatment", department="health")
    plan = reference().model_copy(update={"decisions": [*decisions, medical]})
    score = score_drill(sc, run_plan(sc, plan, 0).log)
    item = next(i for kw in score["keywords"].values() for i in kw["indicators"] if i["id"] == "inject_responses")
    return [e["text"] for e in item["evidence"] if e["facts"]["kind"] == "inject_answered" and "伤员救治" in e["text"]]


def test_an_answer_in_the_injects_own_minute_is_not_foreseen():
    same_minute = _inject_answer(8)  # i03 is released at T+8, before the decisions of that minute
    assert same_minute and all("预判" not in t and "注入后立即响应" in t for t in same_minute)
    before = _inject_answer(7)
    assert before and "注入前已在实施，预判到位" in before[0]
