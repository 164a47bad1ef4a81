"""Issue 16, findings 11 and 12: conflicts that aren't, and a reference run that exposed no one.

- Two commanders of different departments (双指挥长, e.g. 应急局 and 公安) are a sound arrangement, not a conflict;
  re-appointing within one department still is.
- An order (or appointment) that reached a department is not an earlier *notice*: the office's notice after it is
  no "duplicate notice"; the order still counts as the department having been notified.
- When the reference plan exposed no one, the evidence says so in words and the team is judged on its own figure,
  never "暴露为参考方案的1144309.70倍".
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from simulator import EventLog, load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.scoring import score_drill

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@cache
def hazchem():
    return load_scenario(SCENARIOS / "hazchem_leak.yaml")


@cache
def reference():
    return load_plan(SCENARIOS / "hazchem_leak.reference.yaml")


@cache
def reference_log(seed: int = 0) -> EventLog:
    return run_plan(hazchem(), reference(), seed).log


def _indicator(score: dict, ident: str) -> dict:
    return next(i for kw in score["keywords"].values() for i in kw["indicators"] if i["id"] == ident)


def _variant(*extra, drop=lambda d: False) -> dict:
    decisions = [d for d in reference().decisions if not drop(d)] + list(extra)
    log = run_plan(hazchem(), reference().model_copy(update={"decisions": decisions}), 0).log
    return score_drill(hazchem(), log, reference=reference_log())


def _kinds(item: dict) -> list[str]:
    return [e["facts"]["kind"] for e in item["evidence"]]


def _appoint(at: float, person: str, dept: str) -> p.AppointCommander:
    return p.AppointCommander(action="appoint_commander", at=at, by="duty_office", person=person, department=dept)


def test_joint_commanders_of_two_departments_are_no_conflict():
    item = _indicator(_variant(_appoint(6, "李强", "police")), "no_conflicts")  # beside 王立军 of 应急局
    assert item["points"] == item["max"]
    assert "joint_command" in _kinds(item) and "conflict" not in _kinds(item)
    assert any("双指挥长" in e["text"] for e in item["evidence"])


def test_a_second_commander_of_the_same_department_or_a_third_one_still_is():
    same = _indicator(_variant(_appoint(20, "张建国", "ema")), "no_conflicts")
    assert same["points"] < same["max"] and "conflict" in _kinds(same)
    third = _indicator(_variant(_appoint(6, "李强", "police"), _appoint(7, "陈刚", "fire")), "no_conflicts")
    assert third["points"] < third["max"] and "conflict" in _kinds(third)


def test_a_notice_after_an_order_is_not_a_duplicate_notice():
    """The 119 call alerted the fire brigade (i02); the office ordered the water curtain at T+10 without a notice
    first, then sent its formal notice at T+20: no duplicate notice. The fire brigade counts as notified by the
    order that reached it (the notice indicator does not miss it)."""

    def no_fire_in_first_notice(d):
        return d.action == "notify" and "fire" in d.to

    first = next(d for d in reference().decisions if no_fire_in_first_notice(d))
    without_fire = first.model_copy(update={"to": [x for x in first.to if x != "fire"]})
    later = p.Notify(action="notify", at=20, by="duty_office", to=["fire"])
    score = _variant(without_fire, later, drop=no_fire_in_first_notice)
    item = _indicator(score, "no_conflicts")
    assert not any("重复通知" in e["text"] for e in item["evidence"]), item["evidence"]
    assert item["points"] == item["max"]
    notified = _indicator(score, "notify_time")["evidence"]
    assert any("区消防救援支队收到任务指令" in e["text"] for e in notified)  # the order is its notice


def _with_exposure(log: EventLog, exposure: float) -> EventLog:
    """The same log with its final outcome's exposure set (as if no one, or few, had been exposed)."""
    events = []
    for e in log:
        if e.kind == "drill_ended":
            outcome = {**e["outcome"], "exposed_person_minutes": exposure}
            e = replace(e, data={**e.data, "outcome": outcome})
        events.append(e)
    return EventLog(events)


def _outcome(team_exposure: float | None, ref_exposure: float) -> dict:
    team = reference_log() if team_exposure is None else _with_exposure(reference_log(), team_exposure)
    score = score_drill(hazchem(), team, reference=_with_exposure(reference_log(), ref_exposure))
    return _indicator(score, "outcome")


def test_a_reference_that_exposed_no_one_reads_in_words_and_judges_the_figure():
    heavy = _outcome(1_144_309.7, 0.0)
    texts = " ".join([heavy["finding"], *(e["text"] for e in heavy["evidence"])])
    assert "参考方案无人员暴露" in texts and "1,144,310人·分钟" in texts
    assert not re.search(r"\d+\.\d{2}倍", texts) and "1144309" not in texts
    light = _outcome(150.0, 0.0)  # a few people briefly: within the allowance, as an evaluator would see it
    none = _outcome(0.0, 0.0)
    assert none["points"] >= light["points"] > heavy["points"]
    assert "本方案亦无人员暴露" in " ".join(e["text"] for e in none["evidence"])


def test_ratios_read_with_one_decimal():
    item = _outcome(30_000.0, 20_000.0)
    assert "为参考的1.5倍" in " ".join(e["text"] for e in item["evidence"]) and "1.5倍" in item["finding"]
