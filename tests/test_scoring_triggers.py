"""Issue 16, findings 1, 2 and 6: speed judged against triggers and the scenario's tempo, warnings that oblige
measures scored by their lateness from the warning, and 先期处置 before the command post not faulted."""

from __future__ import annotations

import pytest
import yaml

from simulator import load_plan, load_scenario
from simulator.engine.drill import run_plan
from simulator.errors import FileFormatError
from simulator.formats import plan as p
from simulator.formats.msel import dump_xlsx, load_xlsx
from simulator.formats.msel.files import scenario_to_yaml
from simulator.formats.plan import Plan
from simulator.formats.scenario import Scenario
from simulator.report import scores as report_scores
from simulator.report.context import Context as ReportContext
from simulator.report.problems import WRITERS, Writer, gather
from simulator.report.rectification import MEASURES
from simulator.scoring import score_drill
from tests.conftest import FIXTURES, SCENARIOS
from tests.plans import notify, order

WARNINGS = ["暴雨蓝色预警", "暴雨黄色预警", "暴雨橙色预警", "暴雨红色预警", "暴雨红色预警（持续）"]


def _base() -> dict:
    """flood_min, made a slow-onset storm: five warnings an hour apart over five hours."""
    raw = yaml.safe_load((FIXTURES / "flood_min.yaml").read_text(encoding="utf-8"))
    raw["duration"] = "5h"
    raw["measures"].append(
        {
            "id": "suspend_activities",
            "name": "停课停工停业停运",
            "departments": ["police"],
            "duration": 10,
            "on_scene": False,
        }
    )
    raw["injects"] = [
        {"id": f"w{k + 1}", "at": f"{60 * k}m", "to": "duty_office", "title": title, "text": f"气象台发布{title}。"}
        for k, title in enumerate(WARNINGS)
    ]
    return raw


def _scenario(**key) -> Scenario:
    raw = _base()
    raw["answer_key"].update(key)
    scenario = Scenario.model_validate(raw)
    assert scenario.reference_problems() == []
    return scenario


def _plan(*decisions) -> Plan:
    return Plan(scenario="flood_min", name="测试", decisions=list(decisions))


def _assess(at):
    return p.Assess(action="assess", at=at, by="duty_office", event_type="城市内涝", level=4)


def _cp(at):
    return p.EstablishCommandPost(action="establish_command_post", at=at, by="duty_office")


def _score(scenario, plan, seed=1):
    return score_drill(scenario, run_plan(scenario, plan, seed).log)


def _indicator(score, ident):
    for kw in score["keywords"].values():
        for ind in kw["indicators"]:
            if ind["id"] == ident:
                return ind
    raise KeyError(ident)


def _kinds(ind):
    return [e["facts"]["kind"] for e in ind["evidence"]]


# -- finding 1: acting at the 2nd warning and at the 5th no longer score the same ---------------------------------

RULE = {"on": {"inject": "w2"}, "measures": ["suspend_activities"], "within": "30m", "name": "黄色预警启动停课停工"}


def _acting_at(minute):
    return _plan(notify(minute - 1, "police", "water", "metro"), order(minute, "suspend_activities", "police"))


def test_acting_at_the_second_warning_beats_the_third_and_the_fifth():
    scenario = _scenario(triggers=[RULE])
    second, third, fifth = (_score(scenario, _acting_at(m)) for m in (62, 122, 242))
    points = [_indicator(s, "trigger_measures")["points"] for s in (second, third, fifth)]
    assert points[0] > points[1] > points[2]
    assert second["keywords"]["迅速"]["score"] > fifth["keywords"]["迅速"]["score"]


def test_the_response_clock_starts_at_the_named_warning():
    """With ``clock_from`` the assessment is timed from the warning, not from T+0: hours in, it still counts."""
    scenario = _scenario(clock_from="w4")
    prompt = _indicator(_score(scenario, _plan(_assess(182))), "assessment_time")
    slow = _indicator(_score(scenario, _plan(_assess(195))), "assessment_time")
    assert prompt["points"] == prompt["max"] > 0
    assert 0 < slow["points"] < prompt["points"]
    assert "暴雨红色预警" in prompt["evidence"][-1]["text"]


def test_a_slower_tempo_stretches_the_speed_thresholds():
    plan = _plan(_assess(20))
    sudden = _indicator(_score(_scenario(), plan), "assessment_time")
    slow = _indicator(_score(_scenario(tempo=4), plan), "assessment_time")
    assert slow["points"] > sudden["points"]


# -- finding 2: a warning that obliges measures, scored by the lateness from the warning ----------------------------


def test_an_obliged_measure_is_scored_by_its_lateness_from_the_warning():
    red = {"on": {"inject": "w4"}, "measures": ["suspend_activities", "close_underpass"], "within": "30m"}
    scenario = _scenario(triggers=[red])
    on_time = _plan(
        notify(181, "police"), order(185, "suspend_activities", "police"), order(190, "close_underpass", "police")
    )
    late = _plan(
        notify(181, "police"), order(185, "suspend_activities", "police"), order(270, "close_underpass", "police")
    )
    never = _plan(notify(181, "police"), order(185, "suspend_activities", "police"))
    scores = [_indicator(_score(scenario, plan), "trigger_measures") for plan in (on_time, late, never)]
    assert scores[0]["points"] == scores[0]["max"]
    assert scores[0]["points"] > scores[1]["points"] > scores[2]["points"]
    evidence = scores[1]["evidence"]
    released = next(e for e in evidence if e["facts"]["kind"] == "trigger_released")
    assert released["t"] == 180 and released["facts"]["deadline"] == 210 and released["facts"]["inject"] == "w4"
    item = next(e for e in evidence if e["facts"]["kind"] == "trigger_late")
    assert item["against"] and item["facts"]["measure"] == "close_underpass"
    assert item["facts"]["minutes_late"] == pytest.approx(60) and item["facts"]["deadline"] == 210
    assert "trigger_missed" in _kinds(scores[2])


def test_no_triggers_leaves_the_indicator_out():
    ind = _indicator(_score(_scenario(), _acting_at(62)), "trigger_measures")
    assert ind["skipped"] and ind["max"] == 0


def test_a_trigger_naming_an_unknown_inject_or_measure_is_located():
    raw = _base()
    raw["answer_key"]["triggers"] = [{"on": {"inject": "w9"}, "measures": ["shut_schools"]}]
    raw["answer_key"]["clock_from"] = "w0"
    problems = dict(Scenario.model_validate(raw).reference_problems())
    assert ("answer_key", "triggers", 0, "on", "inject") in problems
    assert ("answer_key", "triggers", 0, "measures", 0) in problems
    assert ("answer_key", "clock_from") in problems


def test_the_bundled_flood_red_warning_obliges_measures_the_expert_takes_and_the_poor_plan_misses():
    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    assert scenario.answer_key.triggers
    good = _score(scenario, load_plan(SCENARIOS / "urban_flood.reference.yaml"), 3)
    poor = _score(scenario, load_plan(SCENARIOS / "urban_flood.poor.yaml"), 3)
    assert _indicator(good, "trigger_measures")["points"] == _indicator(good, "trigger_measures")["max"] > 0
    assert _indicator(poor, "trigger_measures")["points"] < _indicator(good, "trigger_measures")["points"] / 2
    assert {"trigger_missed", "trigger_late"} & set(_kinds(_indicator(poor, "trigger_measures")))


# -- finding 6: 先期处置 before the command post is what doctrine expects -----------------------------------------


def _first_minutes(cp_at=8, late_order_at=None):
    decisions = [
        notify(1, "police", "water", "metro"),
        order(2, "close_underpass", "police"),
        order(3, "stop_trains", "metro"),
        order(4, "deploy_pumps", "water", units=4, site="s_underpass"),
        _cp(cp_at),
    ]
    if late_order_at is not None:
        decisions.insert(-1, order(late_order_at, "suspend_activities", "police"))
    return _plan(*decisions)


def test_first_actions_before_the_command_post_are_not_faulted():
    ind = _indicator(_score(_scenario(), _first_minutes()), "command_post_first")
    assert ind["points"] == ind["max"] > 0
    assert _kinds(ind).count("first_action") == 3
    assert "task_before_command_post" not in _kinds(ind)


def test_tasks_after_the_first_window_without_a_command_post_still_count_against():
    ind = _indicator(_score(_scenario(), _first_minutes(cp_at=45, late_order_at=30)), "command_post_first")
    assert ind["points"] < ind["max"]
    late = [e for e in ind["evidence"] if e["facts"]["kind"] == "task_before_command_post"]
    assert [e["facts"]["measure"] for e in late] == ["suspend_activities"]


def test_listed_first_actions_are_exempt_and_the_window_is_the_answer_keys():
    plan = _first_minutes(cp_at=45, late_order_at=30)
    listed = _indicator(_score(_scenario(first_actions=["suspend_activities"]), plan), "command_post_first")
    assert listed["points"] == listed["max"]
    narrow = _indicator(_score(_scenario(first_window="2m"), plan), "command_post_first")
    assert _kinds(narrow).count("task_before_command_post") == 3  # minutes 3, 4 and 30


def test_the_new_answer_key_fields_survive_the_excel_drill_script_and_yaml():
    scenario = _scenario(
        triggers=[RULE], clock_from="w2", tempo=2.5, first_actions=["close_underpass"], first_window="10m"
    )
    assert load_xlsx("s.xlsx", dump_xlsx(scenario)).model_dump() == scenario.model_dump()
    assert load_scenario("s.yaml", scenario_to_yaml(scenario).encode()).model_dump() == scenario.model_dump()


def test_the_report_names_the_warning_and_the_measures_it_obliged():
    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    log = run_plan(scenario, load_plan(SCENARIOS / "urban_flood.poor.yaml"), 3).log
    ctx = ReportContext(scenario, list(log))
    indicators, _ = report_scores.indicators(score_drill(scenario, log), ctx)
    group = gather(indicators)["warnings"]
    title, what, _ = WRITERS["warnings"](Writer(ctx, {}, None), group)
    assert title and "暴雨红色预警" in what and "停课停工停业停运" in what and "始终未下达" in what
    assert "warnings" in MEASURES


def test_a_trigger_written_in_yaml_is_read_and_its_mistakes_located(tmp_path):
    """YAML 1.1 reads a bare ``on:`` key as true; the trigger still reads, and a wrong id is located by line."""
    text = (FIXTURES / "flood_min.yaml").read_text(encoding="utf-8")
    good = text + "  triggers:\n    - on: {inject: i1}\n      measures: [close_underpass]\n      within: 20m\n"
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")
    assert load_scenario(tmp_path / "good.yaml").answer_key.triggers[0].on.inject == "i1"
    bad = good.replace("{inject: i1}", "{inject: i9}")
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(FileFormatError) as err:
        load_scenario(tmp_path / "bad.yaml")
    line = bad.splitlines().index("    - on: {inject: i9}") + 1
    assert f"bad.yaml:{line}: answer_key.triggers[0].on.inject: 未知的注入 'i9'" in str(err.value)
