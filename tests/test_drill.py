"""The drill (engine/drill.py): a pure function of (scenario, seed, decisions); decisions checked against the
state; measures that change the outcome."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Drill, load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.formats.plan import Plan
from tests.conftest import FIXTURES, SCENARIOS
from tests.plans import notify, order, with_decisions


def test_same_inputs_give_a_byte_identical_log(hazchem, reference_plan):
    first = run_plan(hazchem, reference_plan, seed=11).log.to_jsonl()
    second = run_plan(hazchem, reference_plan, seed=11).log.to_jsonl()
    assert first == second
    assert run_plan(hazchem, reference_plan, seed=12).log.to_jsonl() != first


def test_running_a_drill_does_not_change_the_scenario(hazchem, reference_plan):
    before = hazchem.model_dump_json()
    run_plan(hazchem, reference_plan, seed=3)
    assert hazchem.model_dump_json() == before


def test_a_live_drill_exported_as_a_plan_replays_byte_for_byte(hazchem, reference_plan):
    live = Drill(hazchem, seed=5)
    for decision in reference_plan.timed():
        while live.now + 7 < decision.at:  # the facilitator clicks "+7 min" a few times
            live.advance(live.now + 7)
        live.advance(decision.at)
        live.submit(decision)
    live.advance(live.now + 13)
    live.finish()
    replayed = run_plan(hazchem, live.as_plan(), seed=5)
    assert replayed.log.to_jsonl() == live.log.to_jsonl()


def test_an_earlier_evacuation_means_fewer_exposed_person_minutes(hazchem, reference_plan):
    base = [notify(2, "street", "police")]
    for seed in range(3):
        early = run_plan(
            hazchem, with_decisions(reference_plan, *base, order(5, "evacuate", "street", radius_m=1500)), seed
        )
        late = run_plan(
            hazchem, with_decisions(reference_plan, *base, order(45, "evacuate", "street", radius_m=1500)), seed
        )
        never = run_plan(hazchem, with_decisions(reference_plan, *base), seed)
        assert early.outcome().exposed_person_minutes < late.outcome().exposed_person_minutes
        assert late.outcome().exposed_person_minutes < never.outcome().exposed_person_minutes


def test_stopping_the_leak_contains_the_hazard(hazchem, reference_plan):
    plan = with_decisions(reference_plan, notify(1, "fire"), order(2, "stop_leak", "fire"))
    stopped = run_plan(hazchem, plan, seed=4).outcome()
    leaking = run_plan(hazchem, with_decisions(reference_plan, notify(1, "fire")), seed=4).outcome()
    assert stopped.contained_at is not None
    assert leaking.contained_at is None or leaking.contained_at > stopped.contained_at


def test_an_adjustment_replaces_the_setting_it_adjusts():
    crowd = load_scenario(SCENARIOS / "crowd_crush.yaml")
    plan = load_plan(SCENARIOS / "crowd_crush.reference.yaml")
    relax = next(d for d in plan.decisions if d.action == "adjust" and d.params == {"share": 0.3})
    kept = with_decisions(plan, *[d for d in plan.decisions if d is not relax])  # the inflow stays limited to 70 %

    def persons_late(log):
        return [e["figures"]["persons"] for e in log.of("hazard_sample") if e.t >= 150]

    for seed in range(3):
        relaxed, limited = persons_late(run_plan(crowd, plan, seed).log), persons_late(run_plan(crowd, kept, seed).log)
        assert all(r > k for r, k in zip(relaxed, limited, strict=True))  # 逐步放宽限流 lets people back in


def test_rejected_decisions_carry_reasons_and_change_nothing(hazchem, reference_plan):
    plan = with_decisions(
        reference_plan,
        order(1, "evacuate", "street", radius_m=1000),  # street never notified
        notify(2, "nobody"),  # unknown department
        notify(3, "street", "police"),
        order(4, "evacuate", "street", radius_m=-5),  # bad parameter
        order(5, "launch_rockets", "street"),  # unknown measure
        order(6, "stop_leak", "street"),  # wrong department for the measure
        p.Adjust(action="adjust", at=7, by="duty_office", measure="water_curtain", reason="x"),  # never ordered
        p.ReportUp(action="report_up", at=8, by="duty_office", mode="phone", to="street"),  # not a higher level
        p.Close(action="close", at=9, by="duty_office"),
        order(10, "evacuate", "street", radius_m=1000),  # after close
    )
    log = run_plan(hazchem, plan, seed=0).log
    rejected = log.of("decision_rejected")
    reasons = [e["reason"] for e in rejected]
    assert len(rejected) == 8
    assert "尚未接到通知" in reasons[0]
    assert "nobody" in reasons[1]
    assert "radius_m" in reasons[2]
    assert "launch_rockets" in reasons[3]
    assert "应由" in reasons[4]
    assert "尚未下达" in reasons[5]
    assert "不是上级机关" in reasons[6]
    assert "已结束" in reasons[7]
    assert not log.of("task_ordered")


def test_conditional_injects_follow_what_the_trainees_did(hazchem, reference_plan, poor_plan):
    good = run_plan(hazchem, reference_plan, seed=1).log
    poor = run_plan(hazchem, poor_plan, seed=1).log

    def released(log):
        return {e["inject"] for e in log.of("inject_released")}

    assert "i07" not in released(good) and "i07" in released(poor)  # escalation only without evacuation
    assert "i06" not in released(good) and "i06" in released(poor)  # the city calls when nobody reported
    assert "i14" in released(good)  # released 30 minutes after i09


def test_the_flood_model_rises_and_pumps_and_closures_help():
    scenario = load_scenario(FIXTURES / "flood_min.yaml")
    nothing = run_plan(scenario, Plan(), seed=0).outcome()
    plan = Plan(
        decisions=[
            notify(1, "water", "police", "metro"),
            order(3, "close_underpass", "police"),
            order(3, "stop_trains", "metro"),
            order(3, "deploy_pumps", "water", site="s_underpass", units=4),
        ]
    )
    acted = run_plan(scenario, plan, seed=0).outcome()
    assert nothing.exposed_person_minutes > 0
    assert acted.exposed_person_minutes < nothing.exposed_person_minutes


decision_strategy = st.one_of(
    st.builds(
        lambda at, to: notify(at, *to),
        st.floats(0, 200),
        st.lists(
            st.sampled_from(["ema", "fire", "police", "street", "health", "ghost", "city_duty"]),
            min_size=1,
            max_size=4,
        ),
    ),
    st.builds(
        lambda at, m, d, r: order(at, m, d, radius_m=r),
        st.floats(0, 200),
        st.sampled_from(["evacuate", "stop_leak", "water_curtain", "shelter_in_place", "nope"]),
        st.sampled_from(["street", "fire", "police", "publicity", "ghost"]),
        st.floats(-10, 20000),
    ),
    st.builds(
        lambda at, m, r: p.Adjust(
            action="adjust", at=at, by="duty_office", measure=m, params={"radius_m": r}, reason="风向变化"
        ),
        st.floats(0, 200),
        st.sampled_from(["evacuate", "water_curtain"]),
        st.floats(1, 5000),
    ),
    st.builds(
        lambda at: p.EstablishCommandPost(action="establish_command_post", at=at, by="duty_office"),
        st.floats(0, 200),
    ),
    st.builds(
        lambda at, mode: p.ReportUp(action="report_up", at=at, by="duty_office", mode=mode),
        st.floats(0, 200),
        st.sampled_from(["phone", "written"]),
    ),
    st.builds(
        lambda at, by: p.Close(action="close", at=at, by=by),
        st.floats(0, 200),
        st.sampled_from(["duty_office", "ghost"]),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decisions=st.lists(decision_strategy, max_size=25), seed=st.integers(0, 2**32))
def test_random_plans_never_crash_the_engine(hazchem, decisions, seed):
    drill = run_plan(hazchem, Plan(decisions=decisions), seed)
    assert drill.log.of("drill_ended")
    handled = len(drill.log.of("decision_accepted")) + len(drill.log.of("decision_rejected"))
    assert handled == len(decisions)


def test_a_measure_naming_a_place_the_scenario_lacks_is_rejected():
    scenario = load_scenario(FIXTURES / "flood_min.yaml")
    plan = Plan(
        decisions=[
            notify(1, "water"),
            order(2, "deploy_pumps", "water", site="s_underpas", units=2),
        ]
    )
    [rejected] = run_plan(scenario, plan, seed=0).log.of("decision_rejected")
    assert "s_underpas" in rejected["reason"] and "解放路下穿隧道" in rejected["reason"]
