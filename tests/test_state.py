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


def test_the_inject_board_shows_what_control_did_to_each_inject(hazchem, reference_plan):
    from simulator.engine.state import inject_board
    from tests.test_drill import control_decisions

    log = run_plan(hazchem, reference_plan.model_copy(update={"decisions": control_decisions()}), seed=2).log

    def board(t):
        return {s.inject: (s.status, s.by_control) for s in inject_board(hazchem, log, t)}

    assert board(2)["i03"] == ("held", True) and board(2)["i04"] == ("pending", False)
    at10 = board(10)
    assert at10["i03"] == ("held", True)  # its minute (T+8) passed while held
    assert at10["i04"] == ("released", True) and at10["i05"] == ("cancelled", True)
    assert at10["i02"] == ("released", False) and at10["i10"] == ("pending", False)
    assert board(12)["i03"] == ("released", True)
    assert list(board(0)) == [i.id for i in hazchem.injects]  # MSEL order, control messages not listed
    assert board(hazchem.duration)["i13"][0] == "skipped"  # the leak was never stopped: its condition failed
    task = next(row for row in state_at(log, 20).tasks.values() if row["name"] == "疏散转移群众")
    assert task["due"] == 60
