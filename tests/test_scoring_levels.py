"""Issue 16, finding 3: the response level judged at its time (``set_level`` apart from ``assess``).

A downgrade after control, an escalation after the escalating inject: justified changes cost nothing. A level too
low costs more than one too high (就高不就低). A response never formally started costs. Runs at seed 3 without a
reference run (the outcome indicator is then left out, which the comparisons here do not need).
"""

from __future__ import annotations

import pytest

from simulator import load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.scoring import score_drill
from tests.conftest import SCENARIOS

SEED = 3


@pytest.fixture(scope="module")
def hazchem():
    return load_scenario(SCENARIOS / "hazchem_leak.yaml")


@pytest.fixture(scope="module")
def reference():
    return load_plan(SCENARIOS / "hazchem_leak.reference.yaml")


def scored(scenario, plan):
    drill = run_plan(scenario, plan, SEED)
    return drill, score_drill(scenario, drill.log)


def indicator(score, ident):
    return next(i for kw in score["keywords"].values() for i in kw["indicators"] if i["id"] == ident)


def kinds(item):
    return [e["facts"]["kind"] for e in item["evidence"]]


def with_extra(plan, *decisions):
    return plan.model_copy(update={"decisions": [*plan.decisions, *decisions]})


def without(plan, action):
    return plan.model_copy(update={"decisions": [d for d in plan.decisions if d.action != action]})


def with_key(scenario, **changes):
    """The scenario with its answer key changed (validated as a file's would be)."""
    key = type(scenario.answer_key).model_validate({**scenario.answer_key.model_dump(), **changes})
    return scenario.model_copy(update={"answer_key": key})


def assess(at, level, event_type="危险化学品泄漏"):
    return p.Assess(action="assess", at=at, by="duty_office", event_type=event_type, level=level)


def set_level(at, level=None, change=None):
    return p.SetLevel(action="set_level", at=at, by="duty_office", level=level, change=change)


def test_a_downgrade_after_control_costs_nothing(hazchem, reference):
    """Finding 3: lowering the level once the hazard is under control is right, not an error to be averaged."""
    drill, base = scored(hazchem, reference)
    contained = drill.log.of("hazard_contained")[0].t
    later = contained + 10
    _, downgraded = scored(hazchem, with_extra(reference, assess(later, 4)))
    assert indicator(downgraded, "level")["points"] == indicator(base, "level")["points"]
    assert "level_wrong" not in kinds(indicator(downgraded, "level"))


def test_a_formal_downgrade_after_control_is_cited_as_justified(hazchem, reference):
    plan = without(reference, "set_level")
    plan = with_extra(plan, set_level(3, 3), set_level(110, 4, "lower"))
    drill, score = scored(hazchem, plan)
    item = indicator(score, "level")
    assert item["points"] == item["max"]
    lowered = next(e for e in drill.log.of("response_level_set") if e["change"] == "lower")
    cited = next(e for e in item["evidence"] if e["event_id"] == lowered.id)
    assert cited["facts"]["kind"] == "level_set_right" and not cited["against"]
    assert "险情已得到控制" in cited["text"]


def test_a_level_too_low_costs_more_than_a_level_too_high(hazchem, reference):
    """就高不就低: one level too low (Ⅳ for a Ⅲ incident) is worse than one level too high (Ⅱ)."""

    def judged(level):
        plan = reference.model_copy(
            update={
                "decisions": [
                    d.model_copy(update={"level": level}) if d.action in ("assess", "set_level") else d
                    for d in reference.decisions
                ]
            }
        )
        return indicator(scored(hazchem, plan)[1], "level")

    low, high = judged(4), judged(2)
    assert 0 < low["points"] < high["points"] < high["max"]
    assert "level_too_low" in kinds(low) and "level_too_high" in kinds(high)


def test_a_response_never_started_costs(hazchem, reference):
    _, started = scored(hazchem, reference)
    _, assessed_only = scored(hazchem, without(reference, "set_level"))
    item = indicator(assessed_only, "level")
    assert item["points"] < indicator(started, "level")["points"] == indicator(started, "level")["max"]
    assert "response_not_started" in kinds(item)


def test_an_escalation_is_judged_from_its_inject_on(hazchem, reference):
    """The answer key may escalate: from the inject's release a Ⅱ级 response is warranted; raising then is right,
    staying at Ⅲ级 is faulted on that inject."""
    inject = hazchem.injects[4].id
    escalating = with_key(hazchem, levels=[{"inject": inject, "level": 2}])
    assert escalating.reference_problems() == []
    drill, stayed = scored(escalating, reference)
    released = next(e for e in drill.log.of("inject_released") if e.get("inject") == inject)
    item = indicator(stayed, "level")
    assert item["points"] < item["max"]
    fault = next(e for e in item["evidence"] if e["facts"]["kind"] == "level_not_raised")
    assert fault["event_id"] == released.id and fault["facts"]["expected"] == 2

    _, raised = scored(escalating, with_extra(reference, set_level(released.t + 2, 2, "提升")))
    assert indicator(raised, "level")["points"] == indicator(raised, "level")["max"]
    # raising before the escalation was warranted is a level too high at its time (a lesser fault)
    _, early = scored(escalating, with_extra(reference, set_level(released.t - 5, 2)))
    assert indicator(stayed, "level")["points"] < indicator(early, "level")["points"] < item["max"]


def test_an_escalation_key_names_a_known_inject(hazchem):
    broken = with_key(hazchem, levels=[{"inject": "i99", "level": 2}])
    assert any(loc[:2] == ("answer_key", "levels") for loc, _ in broken.reference_problems())


def test_level_decisions_that_cannot_apply_are_rejected(hazchem, reference):
    plan = reference.model_copy(
        update={
            "decisions": [
                set_level(1, change="终止"),  # nothing to end
                set_level(2, 3),
                set_level(3, 3),  # the level in force already
                set_level(4, 2, "lower"),  # Ⅱ级 from Ⅲ级 is a raise
            ]
        }
    )
    drill = run_plan(hazchem, plan, SEED)
    rejected = drill.log.of("decision_rejected")
    assert [e.t for e in rejected] == [1.0, 3.0, 4.0]
    assert all(e["action"] == "set_level" for e in rejected)
    assert [e["change"] for e in drill.log.of("response_level_set")] == ["start"]


def test_ending_the_response_by_set_level_closes_it(hazchem, reference):
    plan = without(reference, "close")
    plan = with_extra(plan, set_level(150, change="end"))
    drill = run_plan(hazchem, plan, SEED)
    ended = [e for e in drill.log.of("response_level_set") if e["change"] == "end"]
    closed = drill.log.of("response_closed")
    assert len(ended) == 1 and len(closed) == 1 and ended[0]["level"] == 4 and closed[0].t == 150


def test_the_level_in_force_is_part_of_the_world_at_a_minute(hazchem, reference):
    from simulator import state_at

    drill = run_plan(hazchem, reference, SEED)  # 启动Ⅲ级 at T+3, 降至Ⅳ级 at T+120, closed at T+150
    assert [state_at(drill.log, t).response_level for t in (2, 3, 119, 120, 150)] == [None, 3, 3, 4, None]


def test_a_report_is_judged_against_the_level_warranted_when_it_was_made(hazchem, reference):
    """After the escalating inject a report giving Ⅱ级 is right and one giving Ⅲ级 is faulted; before it, the
    reverse (the report's level reads the same answer key as the level indicator)."""
    inject = hazchem.injects[4].id
    escalating = with_key(hazchem, levels=[{"inject": inject, "level": 2}])
    released = next(
        e for e in run_plan(escalating, reference, SEED).log.of("inject_released") if e.get("inject") == inject
    )

    def report(level):
        return p.ReportUp(action="report_up", at=released.t + 1, by="duty_office", mode="phone", level=level)

    def faults(score):
        return [e for e in indicator(score, "report_up")["evidence"] if e["facts"]["kind"] == "report_level_wrong"]

    _, right = scored(escalating, with_extra(reference, report(2)))
    _, stale = scored(escalating, with_extra(reference, report(3)))
    assert not [e for e in faults(right) if e["facts"]["actual"] == 2]  # Ⅱ级 once the escalation came: right
    assert len(faults(stale)) == len(faults(right)) + 1
    added = [e for e in faults(stale) if e not in faults(right)]
    assert added[0]["t"] > released.t and (added[0]["facts"]["expected"], added[0]["facts"]["actual"]) == (2, 3)


def test_an_escalation_followed_hours_late_is_faulted_for_the_delay(hazchem, reference):
    """Raising the level at last is not the same as raising it in time (郑州“7·20”: Ⅰ级 hours after the warnings):
    a raise within 30 minutes is full, one 40 minutes after costs part of it, never raising costs it all."""
    inject = hazchem.injects[4].id
    escalating = with_key(hazchem, levels=[{"inject": inject, "level": 2}])
    released = next(
        e for e in run_plan(escalating, reference, SEED).log.of("inject_released") if e.get("inject") == inject
    )
    points = {}
    for delay in (10, 40, None):  # the leak is under control at T+71, 46 minutes after the escalation
        plan = reference if delay is None else with_extra(reference, set_level(released.t + delay, 2, "提升"))
        _, score = scored(escalating, plan)
        points[delay] = indicator(score, "level")
    assert points[None]["points"] < points[40]["points"] < points[10]["points"]
    late = next(e for e in points[40]["evidence"] if e["facts"]["kind"] == "level_raised_late")
    assert late["facts"]["minutes_late"] == 10 and "40分钟才将应急响应提升至Ⅱ级" in late["text"]
    assert "level_raised_late" not in kinds(points[10])
