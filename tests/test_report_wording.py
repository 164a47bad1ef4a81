"""The 调研报告 says what the drill shows: a major problem the review left out is an omission (not a contradiction of
the record), and a drill whose T+0 is not the first report (a warning, an ignition) says what its clock counts from."""

from __future__ import annotations

from simulator import load_plan, load_scenario, run_plan
from simulator.experiment import evaluate
from simulator.formats import plan as p
from simulator.report import build_report_of, render_markdown
from tests.conftest import SCENARIOS
from tests.test_scoring_review import SELF_SERVING

SEED = 3


def _report(scenario, plan) -> str:
    drill = run_plan(scenario, plan, SEED)
    reference = load_plan(SCENARIOS / f"{scenario.id}.reference.yaml")
    return render_markdown(build_report_of(evaluate(scenario, drill, SEED, reference=reference)))


def test_a_review_that_leaves_out_major_problems_is_said_to_leave_them_out():
    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    poor = load_plan(SCENARIOS / "urban_flood.poor.yaml")
    review = p.Review(action="review", at=170, by="duty_office", sections=dict(SELF_SERVING))
    text = _report(scenario, poor.model_copy(update={"decisions": [*poor.decisions, review]}))
    check = next(line for line in text.splitlines() if "参演单位自查认为" in line)
    assert "自查未提及" in check and "主要问题" in check
    assert "与推演记录不符" not in check  # everything the review names is in the record


def test_a_drill_timed_from_a_warning_says_so():
    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    key = scenario.answer_key.model_copy(update={"clock_from": scenario.injects[0].id})
    timed = scenario.model_copy(update={"answer_key": key})
    text = _report(timed, load_plan(SCENARIOS / "urban_flood.reference.yaml"))
    assert f"响应用时自“{scenario.injects[0].title}”起算" in text and "接报时刻" not in text
