"""Issue 16, finding 4: wrong advice is visible. A stand-down, an all-clear or "people may return" while the
hazard is not under control, and ending the response before control, are 精准 faults, and the harm that follows
is laid at their door in the evidence. Runs at seed 3 without a reference run.
"""

from __future__ import annotations

import pytest

from simulator import load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.scoring import score_drill
from tests.conftest import SCENARIOS

SEED = 3


def bundled(name, kind):
    return load_scenario(SCENARIOS / f"{name}.yaml"), load_plan(SCENARIOS / f"{name}.{kind}.yaml")


def scored(scenario, plan):
    drill = run_plan(scenario, plan, SEED)
    return drill, score_drill(scenario, drill.log)


def stand_down(score):
    return next(i for i in score["keywords"]["精准"]["indicators"] if i["id"] == "stand_down")


def advise(at, kind, by="gas_company", text=""):
    return p.Advise(action="advise", at=at, by=by, kind=kind, to="public", text=text)


def with_extra(plan, *decisions):
    return plan.model_copy(update={"decisions": [*plan.decisions, *decisions]})


def test_a_utility_crews_all_clear_before_the_explosion_costs_and_carries_the_harm():
    """The real case: the gas company tells people the danger is over minutes before the hazard kills."""
    scenario, poor = bundled("gas_explosion", "poor")
    _, before = scored(scenario, poor)
    drill, after = scored(scenario, with_extra(poor, advise(50, "危险已排除", text="经检测燃气泄漏已处置，危险已排除")))
    assert after["total"] < before["total"]
    assert after["keywords"]["精准"]["score"] < before["keywords"]["精准"]["score"]
    item = stand_down(after)
    advice = drill.log.of("advice_given")[0]
    fault = next(e for e in item["evidence"] if e["event_id"] == advice.id)
    assert fault["against"] and fault["facts"]["kind"] == "stand_down_premature"
    assert fault["facts"]["advice"] == "all_clear" and fault["facts"]["depts"] == ["gas_company"]
    deaths = [e for e in drill.log.of("casualties") if e.t > advice.t and e["dead"]]
    assert deaths, "the scenario kills after the advice (the case under test)"
    harm = [e for e in item["evidence"] if e["facts"]["kind"] == "harm_after_stand_down"]
    assert {e["event_id"] for e in harm} >= {d.id for d in deaths}
    assert all(e["against"] and e["facts"]["decision"] == advice["decision"] for e in harm)
    assert any("死亡" in e["text"] for e in harm)


def test_ending_the_response_before_control_is_a_fault():
    """The poor hazchem plan closes at T+120 while the leak is controlled only later: closing after control
    instead scores higher, and the early close is cited with the harm after it."""
    scenario, poor = bundled("hazchem_leak", "poor")
    drill, early = scored(scenario, poor)
    contained = drill.log.of("hazard_contained")[0].t
    closed = drill.log.of("response_closed")[0]
    assert closed.t < contained
    later = poor.model_copy(
        update={
            "decisions": [
                d.model_copy(update={"at": contained + 3}) if d.action == "close" else d for d in poor.decisions
            ]
        }
    )
    _, on_time = scored(scenario, later)
    assert early["total"] < on_time["total"]
    item = stand_down(early)
    fault = next(e for e in item["evidence"] if e["event_id"] == closed.id)
    assert fault["against"] and fault["facts"]["kind"] == "closed_premature"
    assert stand_down(on_time)["points"] == stand_down(on_time)["max"]


@pytest.mark.parametrize("name", ["gas_explosion", "hazchem_leak"])
def test_a_drill_closed_after_control_without_premature_advice_scores_full(name):
    scenario, reference = bundled(name, "reference")
    _, score = scored(scenario, reference)
    item = stand_down(score)
    assert item["points"] == item["max"] and not any(e["against"] for e in item["evidence"])


def test_return_advice_after_control_is_not_faulted_but_before_it_is():
    scenario, reference = bundled("gas_explosion", "reference")
    drill, score = scored(scenario, reference)  # the bundled plan: 群众可返回 at T+140, after control
    timely = [e for e in stand_down(score)["evidence"] if e["facts"]["kind"] == "stand_down_timely"]
    assert [e["event_id"] for e in timely] == [drill.log.of("advice_given")[0].id]
    contained = drill.log.of("hazard_contained")[0].t
    _, early = scored(scenario, with_extra(reference, advise(contained - 10, "群众可返回")))
    assert stand_down(early)["points"] < stand_down(score)["points"]
    # plain advice (建议) is no stand-down, whenever given
    _, advice = scored(scenario, with_extra(reference, advise(contained - 10, "建议", by="ema", text="关闭门窗")))
    assert stand_down(advice)["points"] == stand_down(advice)["max"]


def test_people_told_they_may_return_go_back_in():
    """An advice has its effect in the world: 群众可返回 to the public ends the evacuation's protection, so a
    premature one brings people back into the plume (more exposure and injured), and the log says what it lifted."""
    scenario, reference = bundled("hazchem_leak", "reference")
    kept = run_plan(scenario, reference, SEED)
    back = run_plan(scenario, with_extra(reference, advise(30, "群众可返回", by="street")), SEED)
    assert back.log.of("advice_given")[0]["lifted"] == ["evacuate"]
    assert back.outcome().exposed_person_minutes > kept.outcome().exposed_person_minutes
    assert back.outcome().injured > kept.outcome().injured
    # advice to the departments moves nobody
    told = run_plan(
        scenario,
        with_extra(reference, advise(30, "解除警戒", by="street").model_copy(update={"to": "departments"})),
        SEED,
    )
    assert told.outcome().exposed_person_minutes == kept.outcome().exposed_person_minutes
