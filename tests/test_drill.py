"""The drill (engine/drill.py): a pure function of (scenario, seed, decisions); decisions checked against the
state; measures that change the outcome."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Drill, load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.formats.plan import Plan
from simulator.vocabulary import reason_text
from tests.conftest import FIXTURES, SCENARIOS
from tests.plans import notify, order, with_decisions

LATIN = re.compile(r"[A-Za-z]")


def test_same_inputs_give_a_byte_identical_log(hazchem, reference_plan):
    first = run_plan(hazchem, reference_plan, seed=11).log.to_jsonl()
    second = run_plan(hazchem, reference_plan, seed=11).log.to_jsonl()
    assert first == second
    assert run_plan(hazchem, reference_plan, seed=12).log.to_jsonl() != first


def test_running_a_drill_does_not_change_the_scenario(hazchem, reference_plan):
    before = hazchem.model_dump_json()
    run_plan(hazchem, reference_plan, seed=3)
    assert hazchem.model_dump_json() == before


def control_decisions() -> list:
    """导调组 steering the hazchem MSEL, a seat reporting to the office and orders with deadlines (shared with
    test_narrator): hold 现场2人晕倒 (T+8) and release it late, release 气象信息 (T+15) early, skip 群众反映刺激性气味,
    send an ad-hoc message to two seats, and a few refused control decisions."""
    ctl = {"by": "control"}
    return [
        p.HoldInject(action="hold_inject", at=2, inject="i03", **ctl),
        p.ReleaseInject(action="release_inject", at=3, inject="i04", **ctl),
        p.ControlMessage(action="message", at=5, to=["fire", "street"], title="补充情况", text="储罐区东侧风大", **ctl),
        p.ReportOffice(action="report_office", at=6, by="fire", text="已出动3车15人，预计8分钟到场"),
        p.SkipInject(action="skip_inject", at=9, inject="i05", **ctl),
        p.Notify(action="notify", at=10, by="duty_office", to=["street"], text="组织疏散", due=40),
        p.Order(
            action="order",
            at=11,
            by="duty_office",
            measure="evacuate",
            department="street",
            params={"radius_m": 1500},
            owner="赵红",
            text="立即组织下风向群众疏散",
            due=60,
        ),
        p.ReleaseInject(action="release_inject", at=12, inject="i03", **ctl),
        p.ReleaseInject(action="release_inject", at=13, inject="i03", **ctl),  # already released
        p.ReleaseInject(action="release_inject", at=13, inject="i05", **ctl),  # skipped
        p.HoldInject(action="hold_inject", at=13, inject="i99", **ctl),  # unknown
        p.ReleaseInject(action="release_inject", at=13, inject="i06", by="duty_office"),  # not by control
        p.Notify(action="notify", at=13, by="control", to=["police"]),  # control takes no response decisions
        p.Order(action="order", at=14, by="duty_office", measure="water_curtain", department="fire", due=10),
    ]


def _live(scenario, decisions, seed: int):
    """A live drill: the facilitator clicks "+7 min" a few times and the decisions come in at their minutes."""
    live = Drill(scenario, seed=seed)
    for decision in sorted(decisions, key=lambda d: d.at):
        while live.now + 7 < decision.at:
            live.advance(live.now + 7)
        live.advance(decision.at)
        live.submit(decision)
    live.advance(live.now + 13)
    live.finish()
    return live


def test_a_live_drill_exported_as_a_plan_replays_byte_for_byte(hazchem, reference_plan):
    for decisions in (reference_plan.timed(), reference_plan.timed() + control_decisions()):
        live = _live(hazchem, decisions, seed=5)
        exported = Plan.model_validate(live.as_plan().to_yaml_data())  # through the file format and back
        replayed = run_plan(hazchem, exported, seed=5)
        assert replayed.log.to_jsonl() == live.log.to_jsonl()
    assert live.log.of("control_accepted") and live.log.of("office_report_received")


def test_exercise_control_steers_the_msel_and_its_refusals_say_why(hazchem, reference_plan):
    drill = run_plan(hazchem, with_decisions(reference_plan, *control_decisions()), seed=2)
    released = {e["inject"]: e for e in drill.log.of("inject_released") if e["inject"]}
    assert released["i03"].t == 12 and released["i03"]["decision"]  # held at T+8, released by 导调组 at T+12
    assert released["i04"].t == 3  # released early, and not again at T+15
    assert sum(e["inject"] == "i04" for e in drill.log.of("inject_released")) == 1
    assert "i05" not in released
    skipped = next(e for e in drill.log.of("inject_skipped") if e["inject"] == "i05")
    assert skipped["reason"].startswith("导调组取消") and skipped.t == 9
    adhoc = [e for e in drill.log.of("inject_released") if e["inject"] is None]
    assert [(e["to"], e["source"], e["text"]) for e in adhoc] == [
        ("fire", "导调组", "储罐区东侧风大"),
        ("street", "导调组", "储罐区东侧风大"),
    ]
    refused = [reason_text(e["reason"]) for e in drill.log.of("control_rejected")]
    assert len(refused) == 5
    assert "已经注入" in refused[0] and "已被导调组取消" in refused[1]
    assert "i99" in refused[2] and "只有导调组" in refused[3] and "导调组不参与处置" in refused[4]
    assert not any(LATIN.search(r.replace("i99", "").replace("T+", "")) for r in refused)
    # 导调组 is never scored: its decisions are not the trainees' (no decision_* event by control)
    assert all(e["by"] != "control" for e in drill.log.of("decision_accepted", "decision_rejected"))
    assert drill.outcome().decisions_rejected == len(drill.log.of("decision_rejected"))
    late = [reason_text(e["reason"]) for e in drill.log.of("decision_rejected") if e.t == 14]
    assert late == ["完成时限应晚于当前时间"]
    order = next(e for e in drill.log.of("task_ordered") if e["decision"] and e.t == 11)
    assert order["due"] == 60


def test_a_held_inject_waits_and_the_next_inject_button_skips_what_control_steered(hazchem):
    drill = Drill(hazchem, seed=1)
    drill.advance(1)
    assert drill.next_inject_at() == 2
    drill.submit(p.HoldInject(action="hold_inject", at=1, by="control", inject="i02"))
    drill.submit(p.SkipInject(action="skip_inject", at=1, by="control", inject="i03"))
    assert drill.next_inject_at() == 15
    drill.advance(20)
    assert {e["inject"] for e in drill.log.of("inject_released")} == {"i01", "i04"}
    drill.submit(p.HoldInject(action="hold_inject", at=20, by="control", inject="i02"))  # held already
    assert "已暂缓" in drill.log.of("control_rejected")[-1]["reason"]
    drill.submit(p.ReleaseInject(action="release_inject", at=20, by="control", inject="i02"))
    assert drill.log.of("inject_released")[-1]["inject"] == "i02"
    assert drill.departments["fire"].notified  # its effect (alert the fire brigade) comes with it


def test_a_conditional_inject_released_by_control_ignores_its_condition(hazchem, reference_plan):
    drill = run_plan(hazchem, reference_plan, seed=1)
    assert "i07" not in {e["inject"] for e in drill.log.of("inject_released")}  # evacuation kept it back
    plan = with_decisions(
        reference_plan,
        *reference_plan.decisions,
        p.ReleaseInject(action="release_inject", at=50, by="control", inject="i07"),
    )
    steered = run_plan(hazchem, plan, seed=1)
    released = next(e for e in steered.log.of("inject_released") if e["inject"] == "i07")
    assert released.t == 50 and steered.log.of("casualties")  # with its effect: six more casualties


def test_a_seat_reports_to_the_office_over_the_network(hazchem):
    drill = Drill(hazchem, seed=4)
    drill.advance(3)
    drill.submit(p.ReportOffice(action="report_office", at=3, by="street", text="已组织东湾村群众撤离"))
    drill.submit(p.ReportOffice(action="report_office", at=3, by="street", text="x", to="fire"))  # not the office
    drill.submit(p.ReportOffice(action="report_office", at=3, by="duty_office", text="x"))  # to itself
    drill.advance(30)
    received = drill.log.of("office_report_received")
    assert [(e["from"], e["to"], e["text"]) for e in received] == [("street", "duty_office", "已组织东湾村群众撤离")]
    sent = next(e for e in drill.log.of("message_sent") if e["msg"] == received[0]["msg"])
    assert sent["msg_kind"] == "office_report" and received[0].t > sent.t  # it travelled
    reasons = [reason_text(e["reason"]) for e in drill.log.of("decision_rejected")]
    assert "不是值班室" in reasons[0] and "不能向本部门报告" in reasons[1]


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


def test_a_scenario_cannot_name_a_department_control(hazchem):
    departments = [*hazchem.departments[:-1], hazchem.departments[-1].model_copy(update={"id": "control"})]
    problems = hazchem.model_copy(update={"departments": departments}).reference_problems()
    assert (
        ("departments", len(departments) - 1, "id"),
        "'control' 是导调组的保留 id (reserved for control)",
    ) in problems
