"""The drill engine: determinism, live drills, the network, measures, and rejected decisions."""

from __future__ import annotations

import gc
import math
import pickle
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from simulator import Drill, EventLog, load_plan, load_scenario, run_plan, state_at
from simulator.engine.network import _TOPOLOGIES, topology
from simulator.engine.streams import Streams
from simulator.formats import plan as p
from simulator.formats.distributions import Distribution
from simulator.formats.plan import Plan
from tests.conftest import FIXTURES, SCENARIOS


def _with(plan: Plan, *decisions) -> Plan:
    return plan.model_copy(update={"decisions": list(decisions)})


def _notify(at, *to):
    return p.Notify(action="notify", at=at, by="duty_office", to=list(to))


def _order(at, measure, dept, **params):
    return p.Order(action="order", at=at, by="duty_office", measure=measure, department=dept, params=params)


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


def test_every_event_has_a_unique_id_time_and_known_kind(hazchem, reference_plan, tmp_path):
    log = run_plan(hazchem, reference_plan, seed=2).log
    assert [e.id for e in log] == list(range(1, len(log) + 1))
    assert all(a.t <= b.t for a, b in zip(log, list(log)[1:], strict=False))
    log.write(tmp_path / "events.jsonl")
    again = EventLog.read(tmp_path / "events.jsonl")
    assert again.to_jsonl() == log.to_jsonl()


def test_an_earlier_evacuation_means_fewer_exposed_person_minutes(hazchem, reference_plan):
    base = [_notify(2, "street", "police")]
    for seed in range(3):
        early = run_plan(hazchem, _with(reference_plan, *base, _order(5, "evacuate", "street", radius_m=1500)), seed)
        late = run_plan(hazchem, _with(reference_plan, *base, _order(45, "evacuate", "street", radius_m=1500)), seed)
        never = run_plan(hazchem, _with(reference_plan, *base), seed)
        assert early.outcome().exposed_person_minutes < late.outcome().exposed_person_minutes
        assert late.outcome().exposed_person_minutes < never.outcome().exposed_person_minutes


def test_stopping_the_leak_contains_the_hazard(hazchem, reference_plan):
    plan = _with(reference_plan, _notify(1, "fire"), _order(2, "stop_leak", "fire"))
    stopped = run_plan(hazchem, plan, seed=4).outcome()
    leaking = run_plan(hazchem, _with(reference_plan, _notify(1, "fire")), seed=4).outcome()
    assert stopped.contained_at is not None
    assert leaking.contained_at is None or leaking.contained_at > stopped.contained_at


def _delivery_time(log: EventLog, to: str) -> float:
    return next(e.t for e in log if e.kind == "department_notified" and e["dept"] == to)


def test_a_cut_channel_delays_the_notice(hazchem, reference_plan):
    raw = hazchem.model_dump(by_alias=True)
    raw["injects"].append(
        {
            "id": "cut",
            "at": 0,
            "to": "duty_office",
            "title": "断线",
            "text": "街道电话中断",
            "effects": [{"cut_channel": "c_duty_street"}],
        }
    )
    cut = type(hazchem).model_validate(raw)
    plan = _with(reference_plan, _notify(10, "street"))
    for seed in range(3):
        direct = run_plan(hazchem, plan, seed).log
        detour = run_plan(cut, plan, seed).log
        assert _delivery_time(detour, "street") > _delivery_time(direct, "street")
        sent = next(e for e in detour if e.kind == "message_sent" and e["to"] == "street")
        assert sent["path"] == ["duty_office", "ema", "street"]


def test_a_changed_copy_of_a_scenario_routes_over_its_own_channels(hazchem, reference_plan):
    plan = _with(reference_plan, _notify(10, "street"))
    run_plan(hazchem, plan, seed=0)  # the original's routes are worked out and kept
    without = hazchem.model_copy(update={"channels": [c for c in hazchem.channels if c.id != "c_duty_street"]})
    sent = next(e for e in run_plan(without, plan, seed=0).log if e.kind == "message_sent" and e["to"] == "street")
    assert sent["path"] == ["duty_office", "ema", "street"]


def test_a_dropped_scenario_does_not_keep_its_routes():
    scenario = load_scenario(SCENARIOS / "hazchem_leak.yaml")
    key = id(scenario)
    assert topology(scenario) is topology(scenario)  # worked out once while the scenario lives
    del scenario
    gc.collect()
    assert key not in _TOPOLOGIES


def test_a_stream_is_a_function_of_seed_stream_and_entity():
    def draws(seed, stream, index):
        rng = Streams(seed).get(stream, index)
        return [rng.random() for _ in range(5)]

    assert draws(3, "travel", 2) == draws(3, "travel", 2)
    others = [draws(4, "travel", 2), draws(3, "mobilise", 2), draws(3, "travel", 1)]
    assert all(other != draws(3, "travel", 2) for other in others)
    halfway = Streams(3).get("travel", 2)
    first = [halfway.random() for _ in range(2)]
    resumed = pickle.loads(pickle.dumps(halfway))  # a stream carried to another process goes on where it was
    assert first + [resumed.random() for _ in range(3)] == draws(3, "travel", 2)


@pytest.mark.parametrize(
    ("raw", "mean"),
    [
        ({"dist": "uniform", "low": 2, "high": 6}, 4.0),
        ({"dist": "triangular", "low": 5, "mode": 8, "high": 15}, 28 / 3),
        ({"dist": "lognormal", "mean": 10, "sd": 4}, 10.0),
        ({"dist": "exponential", "mean": 6}, 6.0),
    ],
)
def test_durations_drawn_from_a_stream_have_the_mean_the_scenario_wrote(raw, mean):
    dist = TypeAdapter(Distribution).validate_python(raw)
    rng = Streams(1).get("task", 0)
    draws = [dist.sample(rng) for _ in range(20_000)]
    assert statistics.fmean(draws) == pytest.approx(mean, rel=0.03)
    assert min(draws) >= raw.get("low", 0) and max(draws) <= raw.get("high", math.inf)


def test_an_adjustment_replaces_the_setting_it_adjusts():
    crowd = load_scenario(SCENARIOS / "crowd_crush.yaml")
    plan = load_plan(SCENARIOS / "crowd_crush.reference.yaml")
    relax = next(d for d in plan.decisions if d.action == "adjust" and d.params == {"share": 0.3})
    kept = _with(plan, *[d for d in plan.decisions if d is not relax])  # the inflow stays limited to 70 %

    def persons_late(log):
        return [e["figures"]["persons"] for e in log.of("hazard_sample") if e.t >= 150]

    for seed in range(3):
        relaxed, limited = persons_late(run_plan(crowd, plan, seed).log), persons_late(run_plan(crowd, kept, seed).log)
        assert all(r > k for r, k in zip(relaxed, limited, strict=True))  # 逐步放宽限流 lets people back in


def test_an_unreliable_channel_loses_messages_that_are_resent_then_given_up(hazchem, reference_plan):
    raw = hazchem.model_dump(by_alias=True)
    for ch in raw["channels"]:
        if "street" in (ch["from"], ch["to"]):
            ch["reliability"] = 0.0
    dead = type(hazchem).model_validate(raw)
    log = run_plan(dead, _with(reference_plan, _notify(3, "street")), seed=1).log
    lost = [e for e in log if e.kind == "message_lost"]
    assert len(lost) == dead.network.max_attempts
    undelivered = log.of("message_undelivered")
    assert len(undelivered) == 1 and undelivered[0]["to"] == "street"
    assert not any(e.kind == "department_notified" and e["dept"] == "street" for e in log)


def test_a_command_post_speeds_up_orders(hazchem, reference_plan):
    cp = p.EstablishCommandPost(action="establish_command_post", at=1, by="duty_office")
    base = [_notify(1, "ema", "fire", "police", "health", "street", "ecology")]
    later = [_order(40 + i, "traffic_control", "police") for i in range(5)]
    slower, faster = [], []
    for seed in range(5):
        for plan, out in (
            (_with(reference_plan, *base, *later), slower),
            (_with(reference_plan, *base, cp, *later), faster),
        ):
            log = run_plan(hazchem, plan, seed).log
            out.extend(e.t - e["sent_t"] for e in log if e.kind == "message_delivered" and e["msg_kind"] == "order")
    assert sum(faster) / len(faster) < sum(slower) / len(slower)


def test_rejected_decisions_carry_reasons_and_change_nothing(hazchem, reference_plan):
    plan = _with(
        reference_plan,
        _order(1, "evacuate", "street", radius_m=1000),  # street never notified
        _notify(2, "nobody"),  # unknown department
        _notify(3, "street", "police"),
        _order(4, "evacuate", "street", radius_m=-5),  # bad parameter
        _order(5, "launch_rockets", "street"),  # unknown measure
        _order(6, "stop_leak", "street"),  # wrong department for the measure
        p.Adjust(action="adjust", at=7, by="duty_office", measure="water_curtain", reason="x"),  # never ordered
        p.ReportUp(action="report_up", at=8, by="duty_office", mode="phone", to="street"),  # not a higher level
        p.Close(action="close", at=9, by="duty_office"),
        _order(10, "evacuate", "street", radius_m=1000),  # after close
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


def test_state_at_rebuilds_the_world_from_the_log(hazchem, reference_plan):
    log = run_plan(hazchem, reference_plan, seed=1).log
    start = state_at(log, 0)
    assert start.assessment is None and not start.tasks
    early = state_at(log, 9)
    assert early.assessment is not None and early.assessment["level"] == 3
    assert early.departments["police"].status in {"notified", "mobilised"}
    first_order = next(e for e in log.of("message_sent") if e["msg_kind"] == "order")
    assert first_order["msg"] in state_at(log, first_order.t).in_flight  # an order on its way shows as such
    end = state_at(log, hazchem.duration)
    assert end.closed and end.contained_at is not None
    assert all(task["status"] == "finished" for task in end.tasks.values())
    assert end.injured == log.of("drill_ended")[0]["outcome"]["injured"]


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
            _notify(1, "water", "police", "metro"),
            _order(3, "close_underpass", "police"),
            _order(3, "stop_trains", "metro"),
            _order(3, "deploy_pumps", "water", site="s_underpass", units=4),
        ]
    )
    acted = run_plan(scenario, plan, seed=0).outcome()
    assert nothing.exposed_person_minutes > 0
    assert acted.exposed_person_minutes < nothing.exposed_person_minutes


decision_strategy = st.one_of(
    st.builds(
        lambda at, to: _notify(at, *to),
        st.floats(0, 200),
        st.lists(
            st.sampled_from(["ema", "fire", "police", "street", "health", "ghost", "city_duty"]),
            min_size=1,
            max_size=4,
        ),
    ),
    st.builds(
        lambda at, m, d, r: _order(at, m, d, radius_m=r),
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
            _notify(1, "water"),
            _order(2, "deploy_pumps", "water", site="s_underpas", units=2),
        ]
    )
    [rejected] = run_plan(scenario, plan, seed=0).log.of("decision_rejected")
    assert "s_underpas" in rejected["reason"] and "解放路下穿隧道" in rejected["reason"]
