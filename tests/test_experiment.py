"""One experiment (simulator/experiment.py): the team's drill and the reference under the same seed, scored."""

from __future__ import annotations

from simulator import Drill
from simulator.experiment import evaluate, single_run


def test_a_poor_plan_scores_lower_and_loses_more_lives_than_the_reference_under_the_same_luck(
    hazchem, poor_plan, reference_plan
):
    poor = single_run(hazchem, poor_plan, 3, reference=reference_plan)
    good = single_run(hazchem, reference_plan, 3, reference=reference_plan)
    assert poor.score["total"] < 60 <= 90 <= good.score["total"]
    assert poor.outcome["dead"] > poor.reference_outcome["dead"]
    assert poor.reference_outcome == good.outcome  # the same seed: the reference run is the same run
    assert poor.reference_score["total"] == good.score["total"]


def test_a_live_drill_is_scored_as_its_exported_plan(hazchem, poor_plan, reference_plan):
    live = Drill(hazchem, 5)
    for decision in poor_plan.timed():
        live.advance(decision.at)
        live.submit(decision)
    live.finish()
    reference = single_run(hazchem, reference_plan, 5).drill
    assert (
        evaluate(hazchem, live, 5, reference=reference).score
        == single_run(hazchem, live.as_plan(), 5, reference=reference_plan).score
    )


def test_without_a_reference_the_outcome_comparison_is_left_out(hazchem, poor_plan):
    result = single_run(hazchem, poor_plan, 3)
    assert result.reference is None and result.reference_score is None
    outcome = next(i for i in result.score["keywords"]["精准"]["indicators"] if i["id"] == "outcome")
    assert outcome["skipped"]
