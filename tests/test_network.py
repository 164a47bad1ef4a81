"""The coordination network (engine/network.py): messages travel over channels, late or lost; a command post
changes the topology; routes are worked out once per scenario."""

from __future__ import annotations

import gc

from simulator import EventLog, load_scenario, run_plan
from simulator.engine.network import _TOPOLOGIES, topology
from simulator.formats import plan as p
from tests.conftest import SCENARIOS
from tests.plans import notify, order, with_decisions


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
    plan = with_decisions(reference_plan, notify(10, "street"))
    for seed in range(3):
        direct = run_plan(hazchem, plan, seed).log
        detour = run_plan(cut, plan, seed).log
        assert _delivery_time(detour, "street") > _delivery_time(direct, "street")
        sent = next(e for e in detour if e.kind == "message_sent" and e["to"] == "street")
        assert sent["path"] == ["duty_office", "ema", "street"]


def test_a_changed_copy_of_a_scenario_routes_over_its_own_channels(hazchem, reference_plan):
    plan = with_decisions(reference_plan, notify(10, "street"))
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
    assert key not in _TOPOLOGIES._values


def test_an_unreliable_channel_loses_messages_that_are_resent_then_given_up(hazchem, reference_plan):
    raw = hazchem.model_dump(by_alias=True)
    for ch in raw["channels"]:
        if "street" in (ch["from"], ch["to"]):
            ch["reliability"] = 0.0
    dead = type(hazchem).model_validate(raw)
    log = run_plan(dead, with_decisions(reference_plan, notify(3, "street")), seed=1).log
    lost = [e for e in log if e.kind == "message_lost"]
    assert len(lost) == dead.network.max_attempts
    undelivered = log.of("message_undelivered")
    assert len(undelivered) == 1 and undelivered[0]["to"] == "street"
    assert not any(e.kind == "department_notified" and e["dept"] == "street" for e in log)


def test_a_command_post_speeds_up_orders(hazchem, reference_plan):
    cp = p.EstablishCommandPost(action="establish_command_post", at=1, by="duty_office")
    base = [notify(1, "ema", "fire", "police", "health", "street", "ecology")]
    later = [order(40 + i, "traffic_control", "police") for i in range(5)]
    slower, faster = [], []
    for seed in range(5):
        for plan, out in (
            (with_decisions(reference_plan, *base, *later), slower),
            (with_decisions(reference_plan, *base, cp, *later), faster),
        ):
            log = run_plan(hazchem, plan, seed).log
            out.extend(e.t - e["sent_t"] for e in log if e.kind == "message_delivered" and e["msg_kind"] == "order")
    assert sum(faster) / len(faster) < sum(slower) / len(slower)
