"""The narrator tells every event of every golden log as a sentence a person reads: no ids, no decimal minutes,
no English in Chinese, no Chinese in English other than what the scenario and the trainees wrote."""

from __future__ import annotations

import re
from functools import cache

import pytest

from simulator import load_scenario
from simulator.engine.events import FIELDS, EventLog
from simulator.narrator import Narrator
from tests.golden import GOLDEN, SCENARIOS, case_dir, cases

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
LATIN = re.compile(r"[A-Za-z]")
DECIMAL = re.compile(r"\d\.\d")


def _strings(value) -> list[str]:
    """Every string inside a value (pydantic model, dict, list), the data a sentence may quote (the engine's
    bilingual ``reason`` of an event is not data: the narrator must pick its language)."""
    if isinstance(value, str):
        return [value]
    if hasattr(value, "model_dump"):
        return _strings(value.model_dump())
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@cache
def _case(scenario_id: str, plan: str):
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    log = EventLog.read(case_dir(scenario_id, plan) / "events.jsonl")
    return scenario, log, list(set(_strings(scenario)))


def _without_data(text: str, data: list[str]) -> str:
    for s in sorted(data, key=len, reverse=True):  # longest first: a name inside a quoted sentence goes with it
        if len(s) > 1:
            text = text.replace(s, "")
    return text


CASES = cases()


def test_the_golden_logs_hold_every_kind_of_event_worth_telling():
    seen = {e.kind for s, p in CASES for e in _case(s, p)[1]}
    assert len(CASES) >= 10 and GOLDEN.is_dir()
    assert {"inject_released", "decision_rejected", "task_ordered", "casualties", "message_lost"} <= seen
    assert seen <= set(FIELDS)


def _quoted(narrator: Narrator, e, data: list[str]) -> list[str]:
    """What a sentence about ``e`` may quote as written: the scenario's and the plan's own words."""
    quoted = (
        data
        + _strings({k: v for k, v in e.data.items() if k != "reason"})
        + _strings(getattr(narrator.decisions.get(e.get("decision")), "data", {}))
    )
    quoted += _strings((narrator.tasks.get(e.get("task")) or e).data)  # a task's name, from the plan
    quoted.append(narrator.params(e.get("measure"), e.get("params")))  # worded by the hazards
    return quoted


@pytest.mark.parametrize("scenario_id,plan", CASES)
def test_every_event_reads_in_chinese_without_ids_decimals_or_english(scenario_id, plan):
    scenario, log, data = _case(scenario_id, plan)
    narrator = Narrator(scenario, log)
    told_kinds = set()
    for e in log:
        told = narrator.tell(e, everything=True)
        if told is None:
            continue
        told_kinds.add(e.kind)
        quoted = _quoted(narrator, e, data)
        for text in (told.text, told.detail):
            rest = _without_data(text, quoted)
            assert not LATIN.search(rest), (e, text)
            assert not DECIMAL.search(rest), (e, text)
            assert "T+" not in text and "None" not in text
    # the whole log can be listed: only the rare kinds a bundled log might lack are allowed to go untold
    assert {e.kind for e in log} - told_kinds == set(), {e.kind for e in log} - told_kinds


@pytest.mark.parametrize("scenario_id,plan", CASES)
def test_every_event_reads_in_english_without_chinese_beyond_the_scenarios_words(scenario_id, plan):
    scenario, log, data = _case(scenario_id, plan)
    narrator = Narrator(scenario, log, lang="en")
    for e in log:
        told = narrator.tell(e, everything=True)
        if told is None:
            continue
        quoted = _quoted(narrator, e, data)
        for text in (told.text, told.detail):
            rest = _without_data(text, quoted)
            assert not CJK.search(rest), (e, text, rest)
            assert not DECIMAL.search(rest), (e, text)


def test_the_report_leaves_the_machinery_out_and_keeps_the_key_moments():
    scenario, log, _ = _case(*CASES[0])
    narrator = Narrator(scenario, log)
    by_kind = {}
    for e in log:
        by_kind.setdefault(e.kind, narrator.tell(e))
    assert by_kind["hazard_sample"] is None and by_kind["message_sent"] is None
    assert by_kind["inject_released"].key and by_kind["task_ordered"].key
    assert not by_kind["department_arrived"].key
    first = next(e for e in log if e.kind == "inject_released")
    told = narrator.tell(first)
    assert told.node == first["to"] and first["text"] in told.detail and first["text"] not in told.text


def test_a_rejected_decision_reads_its_reason_in_the_readers_language():
    scenario, log, _ = next(
        (_case(s, p) for s, p in CASES if any(e.kind == "decision_rejected" for e in _case(s, p)[1])), None
    )
    rejected = next(e for e in log if e.kind == "decision_rejected")
    zh = Narrator(scenario, log).tell(rejected).text
    en = Narrator(scenario, log, lang="en").tell(rejected).text
    assert zh.startswith("决策未被受理") and "(" not in zh
    assert en.startswith("Decision rejected") and rejected["reason"].split(" (")[0] not in en


def test_exercise_control_a_seats_report_and_deadlines_read_without_ids_or_decimals(hazchem, reference_plan):
    from simulator import run_plan
    from tests.test_drill import control_decisions

    plan = reference_plan.model_copy(update={"decisions": control_decisions()})
    log = run_plan(hazchem, plan, seed=2).log
    data = list(set(_strings(hazchem)))
    for lang, foreign in (("zh", LATIN), ("en", CJK)):
        narrator = Narrator(hazchem, log, lang=lang)
        for e in log:
            told = narrator.tell(e, everything=True)
            if told is None:
                continue
            for text in (narrator.name(told.node) + told.text, told.detail):
                rest = _without_data(text, _quoted(narrator, e, data))
                assert not foreign.search(rest.replace("i99", "")), (e, text, rest)
                assert not DECIMAL.search(rest) and "T+" not in text, (e, text)
            assert lang == "en" or "control" not in told.text + told.detail, (e, told)  # never the id
    narrator = Narrator(hazchem, log)
    told = {e.kind + ":" + e.get("action", ""): narrator.tell(e) for e in log if narrator.tell(e) is not None}
    report = told["decision_accepted:report_office"]
    assert (
        narrator.name(report.node) + report.detail == "区消防救援支队向区政府总值班室报告：已出动3车15人，预计8分钟到场"
    )
    order = next(narrator.tell(e) for e in log if e.kind == "task_ordered")
    assert order.text.endswith("责任人赵红，限49分钟内完成")
    assert narrator.tell(next(e for e in log if e.kind == "control_accepted")).text == "暂缓注入“现场2人晕倒”"
    adhoc = next(e for e in log if e.kind == "inject_released" and e["inject"] is None)
    assert Narrator(hazchem, log, lang="en").tell(adhoc).text == "补充情况 (Exercise control)"


def test_a_department_that_sets_itself_a_task_is_not_said_to_order_itself(hazchem, reference_plan):
    from simulator import run_plan
    from simulator.formats import plan as p

    fire_order = next(d for d in reference_plan.decisions if d.action == "order" and d.department == "fire")
    own = fire_order.model_copy(update={"by": "fire"})
    plan = reference_plan.model_copy(update={"decisions": [*reference_plan.decisions, own]})
    assert isinstance(own, p.Order)
    log = run_plan(hazchem, plan, seed=3).log
    tasks = [e for e in log.of("task_ordered") if e.get("by") == "fire" and e["dept"] == "fire"]
    told = Narrator(hazchem, log).tell(tasks[0])
    assert told.text.startswith("组织本单位实施“") and "向区消防" not in told.text
    assert Narrator(hazchem, log, lang="en").tell(tasks[0]).text.startswith("Set its own people to")
