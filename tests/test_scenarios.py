"""The scenario library as a whole: every bundled scenario is well formed, its expert plan scores well and its
counter-example badly under several seeds, and the answer key's level fits what the counter-example lets happen."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from simulator import run_plan
from simulator.library import SCENARIO_DIR, cached_plan, catalog
from simulator.scoring import score_drill

SEEDS = range(5)
REFERENCE_MIN = 85.0
POOR_MAX = 60.0

#: casualties that fit each response level, as (dead, injured) bands — the common reading of the national
#: grading of 突发事件 and 生产安全事故: Ⅳ一般 <3 dead and <10 injured, Ⅲ较大 3–9 dead or 10–49 injured, …
LEVEL_BANDS = {4: ((0, 2), (0, 9)), 3: ((3, 9), (10, 49)), 2: ((10, 29), (50, 99)), 1: ((30, 10**9), (100, 10**9))}


def _bundled():
    """The scenarios shipped in ``scenarios/`` (not a user's own library, which need not have plans)."""
    entries, errors = catalog()
    home = SCENARIO_DIR.resolve()
    entries = [e for e in entries if e.path.resolve().parent == home]
    errors = [e for e in errors if any(Path(p.file).resolve().parent == home for p in e.problems)]
    return entries, errors


ENTRIES, ERRORS = _bundled()
IDS = [e.id for e in ENTRIES]


def _entry(scenario_id: str):
    return next(e for e in ENTRIES if e.id == scenario_id)


@cache
def _runs(scenario_id: str, seed: int):
    """The reference and the poor plan under one seed, each scored against the reference run."""
    entry = _entry(scenario_id)
    ref = run_plan(entry.scenario, cached_plan(entry.plans["reference"]), seed)
    poor = run_plan(entry.scenario, cached_plan(entry.plans["poor"]), seed)
    return (
        (ref, score_drill(entry.scenario, ref.log, reference=ref.log)),
        (poor, score_drill(entry.scenario, poor.log, reference=ref.log)),
    )


def test_the_library_loads_without_errors():
    assert not ERRORS, [e.problems for e in ERRORS]
    assert {"hazchem_leak", "gas_explosion", "urban_flood", "highrise_fire", "crowd_crush"} <= set(IDS)


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_scenario_has_a_reference_and_a_poor_plan(scenario_id):
    assert {"reference", "poor"} <= set(_entry(scenario_id).plans)


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_scenario_is_a_full_district_drill(scenario_id):
    s = _entry(scenario_id).scenario
    kinds = {d.id: d.kind for d in s.departments}
    names = {d.id: d.name for d in s.departments}
    assert len(s.departments) >= 10
    assert kinds.get("duty_office") == "coordinator" and names["duty_office"] == "区政府总值班室"
    assert kinds.get("city_duty") == "higher_level" and names["city_duty"] == "市政府总值班室"
    assert len(s.injects) >= 12
    assert any(i.unless or i.only_if for i in s.injects), "some injects should be conditional"
    assert any(i.after for i in s.injects), "one inject should follow another"
    assert s.facts, "departments should hold facts to ask for"
    key = s.answer_key
    assert key.measures and key.working_groups and key.inject_responses and key.commander_department
    assert set(key.required_departments) <= set(kinds)


@pytest.mark.parametrize("scenario_id", IDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_plan_scores_well_and_the_poor_plan_badly(scenario_id, seed):
    (ref, ref_score), (_, poor_score) = _runs(scenario_id, seed)
    assert ref_score["total"] >= REFERENCE_MIN, _summary(ref_score)
    assert poor_score["total"] < POOR_MAX, _summary(poor_score)
    assert not ref.log.of("decision_rejected"), "the expert plan should never be rejected"
    # the expert plan's review is grounded and complete: 提升 is earned, not given
    assert ref_score["keywords"]["提升"]["score"] >= 90, _summary(ref_score)


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_poor_plan_costs_lives_the_reference_plan_saves(scenario_id):
    ref_harm = poor_harm = 0
    ref_exposure = poor_exposure = 0.0
    for seed in SEEDS:
        (ref, _), (poor, _) = _runs(scenario_id, seed)
        r, p = ref.outcome(), poor.outcome()
        ref_harm += r.injured + 5 * r.dead
        poor_harm += p.injured + 5 * p.dead
        ref_exposure += r.exposed_person_minutes
        poor_exposure += p.exposed_person_minutes
    assert poor_harm > 2 * ref_harm
    assert poor_exposure > 2 * ref_exposure


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_answer_key_level_fits_what_the_poor_plan_lets_happen(scenario_id):
    """The level a team should judge at the start is the one the event reaches if it is handled badly."""
    level = _entry(scenario_id).scenario.answer_key.level
    outcomes = [_runs(scenario_id, seed)[1][0].outcome() for seed in SEEDS]
    dead = sum(o.dead for o in outcomes) / len(outcomes)
    injured = sum(o.injured for o in outcomes) / len(outcomes)
    (dead_lo, dead_hi), (inj_lo, inj_hi) = LEVEL_BANDS[level]
    fits = dead_lo <= dead <= dead_hi or (inj_lo <= injured <= inj_hi and dead <= dead_hi)
    assert fits, f"level {level}: poor plan gives on average {injured:.1f} injured, {dead:.1f} dead"


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_bundled_run_is_reproducible(scenario_id):
    entry = _entry(scenario_id)
    plan = cached_plan(entry.plans["poor"])
    first = run_plan(entry.scenario, plan, 3).log
    second = run_plan(entry.scenario, plan, 3).log
    assert [e.to_json() for e in first] == [e.to_json() for e in second]


def _summary(score) -> str:
    parts = [f"total {score['total']}"]
    for name, kw in score["keywords"].items():
        lost = [f"{i['name']} {i['points']}/{i['max']}" for i in kw["indicators"] if i["points"] < i["max"]]
        parts.append(f"{name} {kw['score']}: {'; '.join(lost)}")
    return " | ".join(parts)
