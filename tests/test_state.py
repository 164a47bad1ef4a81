"""The world rebuilt from the log (engine/state.py)."""

from __future__ import annotations

from simulator import Drill, run_plan, state_at
from simulator.engine import outcome_of


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


def test_the_outcome_read_off_the_log_is_the_engines_own(hazchem, poor_plan):
    finished = run_plan(hazchem, poor_plan, 3)
    assert outcome_of(finished.log) == finished.outcome()
    assert outcome_of(finished.log).dead > 0
    running = Drill(hazchem, 3)
    for decision in poor_plan.timed():
        running.advance(decision.at)
        running.submit(decision)
    running.advance(150)  # not ended: the figures so far, folded from the log
    so_far = outcome_of(running.log)
    assert so_far.dead == running.outcome().dead and so_far.injured == running.outcome().injured
    assert so_far.contained_at is None and finished.outcome().contained_at > 150
