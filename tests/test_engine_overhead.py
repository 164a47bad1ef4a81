"""The engine's coordination overhead (issue 20; the figures are ``python -m benchmarks.bench_engine``'s, not
asserted here): the outcomes the faster paths must keep.

Advancing the clock leaves nothing behind at the minute it stopped at (SimPy's ``run(until=...)`` rescheduled its
stop event, one empty event per decision), and a plan's ``known`` figures, now read from where the previous report
left the log, are still the toll at the report's minute. What is worked out once per decision object (its detail
for the log, its measure's parameters checked) holds for that object and scenario only. A finished drill, log and
all, is freed as soon as it is dropped.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from simulator import load_plan, load_scenario, run_plan
from simulator.engine.drill import Drill
from simulator.engine.state import toll_at
from simulator.formats.plan import Plan
from tests.conftest import FIXTURES, SCENARIOS
from tests.plans import notify, order


def test_advancing_the_clock_leaves_nothing_due_at_the_minute_it_stopped_at(hazchem, reference_plan):
    drill = Drill(hazchem, seed=0)
    for decision in reference_plan.timed()[:8]:
        drill.advance(decision.at)
        assert drill.env.peek() > drill.now  # everything due at this minute has happened, and nothing else is left
        drill.submit(decision)
        drill.advance(decision.at)  # what the decision set going at this minute (its messages) happens now
        assert drill.env.peek() > drill.now


@pytest.mark.parametrize("name", ["highrise_fire", "hazchem_leak"])
def test_a_plans_known_figures_are_the_toll_at_each_reports_minute(name):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    plan = load_plan(SCENARIOS / f"{name}.reference.yaml")
    known = [d for d in plan.timed() if d.action == "report_up" and "known" in d.figures().values()]
    assert len(known) >= 2  # read once from the start of the log, then on from where the first report left it
    log = run_plan(scenario, plan, seed=3).log
    reports = [e for e in log if e.kind == "decision_accepted" and e["action"] == "report_up"]
    checked = 0
    for report, decision in zip(reports, [d for d in plan.timed() if d.action == "report_up"], strict=True):
        truth = toll_at(log.events[: report.id - 1], report.t)[0]  # what the log held when the report was made
        for figure, said in decision.figures().items():
            if said == "known":
                assert report["detail"][figure] == truth[figure]
                checked += 1
    assert checked >= 4


def test_a_decisions_detail_is_worked_out_once_and_a_changed_copy_has_its_own(reference_plan):
    report = next(d for d in reference_plan.decisions if d.action == "report_up" and "known" in d.figures().values())
    assert report.detail() is report.detail()
    stated = report.as_known({"dead": 2, "injured": 5})  # what a drill logs: a copy with the figures filled in
    assert (stated.detail()["dead"], report.detail()["dead"]) == (2, "known")
    assert report.model_copy(update={"at": report.at + 1}).detail() == report.detail()  # ``at`` is not in it


def test_an_orders_parameters_are_checked_against_each_scenario_it_is_ordered_in():
    text = (FIXTURES / "flood_min.yaml").read_text(encoding="utf-8")
    plan = Plan(decisions=[notify(1, "water"), order(2, "deploy_pumps", "water", site="s_underpas", units=2)])
    reasons = [
        [
            e["reason"]
            for e in run_plan(load_scenario(FIXTURES / "flood_min.yaml"), plan, seed).log.of("decision_rejected")
        ]
        for seed in (0, 1)
    ]
    assert reasons[0] == reasons[1] and "s_underpas" in reasons[0][0]  # refused alike in every drill
    renamed = load_scenario("flood_min.yaml", text.replace("s_underpass", "s_underpas").encode())
    assert not run_plan(renamed, plan, seed=0).log.of("decision_rejected")  # the same order, where the place exists


def test_a_finished_drill_and_its_log_go_when_the_drill_is_dropped(hazchem, reference_plan):
    gc.disable()  # freed by reference counting, not left to the garbage collector's passes
    try:
        drill = run_plan(hazchem, reference_plan, seed=0)
        log = weakref.ref(drill.log)
        assert drill.submit(reference_plan.timed()[-1]).kind == "decision_accepted"  # a review after the end
        del drill
        assert log() is None
    finally:
        gc.enable()
