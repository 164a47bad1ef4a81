"""Scoring by 迅速、有序、精准、提升: what moves each keyword, evidence for every point, rubric files.

Variant plans are built from the loaded reference plan (``model_copy``), never from new files, so each test
says in code exactly what the team did differently.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Drill, EventLog, FileFormatError, load_plan, load_scenario, run_plan, scoring
from simulator.formats import plan as p
from simulator.formats.distributions import Fixed
from simulator.formats.plan import Plan
from simulator.scoring import Rubric, load_rubric, resolve_rubric, score_drill, write_score
from simulator.scoring.context import DrillView
from simulator.scoring.evidence import FACT_FIELDS, KINDS
from simulator.scoring.improvement import _lexicon
from simulator.scoring.indicators import INDICATORS
from simulator.scoring.indicators import indicator as declare
from simulator.scoring.rubric import Thresholds, default_rubric
from simulator.vocabulary import KEYWORDS

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SEEDS = range(5)


@cache
def scenario():
    return load_scenario(SCENARIOS / "hazchem_leak.yaml")


@cache
def plan(name: str) -> Plan:
    return load_plan(SCENARIOS / f"hazchem_leak.{name}.yaml")


@cache
def log_of(name: str, seed: int) -> EventLog:
    return run_plan(scenario(), plan(name), seed).log


def score(log: EventLog, seed: int, **kwargs) -> dict:
    return score_drill(scenario(), log, reference=log_of("reference", seed), **kwargs)


def run_variant(variant: Plan, seed: int) -> dict:
    return score(run_plan(scenario(), variant, seed).log, seed)


def edit(base: Plan, change) -> Plan:
    """A copy of ``base`` with each decision replaced by ``change(decision)`` (a list: none, one or more)."""
    return base.model_copy(update={"decisions": [new for d in base.decisions for new in change(d)]})


def keyword(s: dict, name: str) -> float:
    return s["keywords"][name]["score"]


def indicator(s: dict, ident: str) -> dict:
    return next(i for kw in s["keywords"].values() for i in kw["indicators"] if i["id"] == ident)


def assert_evidence_in_log(s: dict, log: EventLog) -> None:
    by_id = {e.id: e for e in log}
    for name, kw in s["keywords"].items():
        for ind in kw["indicators"]:
            assert ind["evidence"], f"{name}/{ind['id']} has no evidence"
            for item in ind["evidence"]:
                event = by_id.get(item["event_id"])
                assert event is not None, f"{ind['id']}: no event {item['event_id']}"
                assert item["t"] == event.t, f"{ind['id']}: event {event.id} is at {event.t}, not {item['t']}"
                assert item["text"] and "\n" not in item["text"] and not item["text"].startswith("T+")


# -- the bundled plans ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_reference_plan_scores_high_and_poor_plan_fails(seed):
    good = score(log_of("reference", seed), seed)
    bad = score(log_of("poor", seed), seed)
    assert good["total"] >= 85, good["total"]
    assert good["grade"] in ("优秀", "良好")
    assert bad["total"] < 60, bad["total"]
    assert bad["grade"] == "不合格"
    for name in KEYWORDS:
        assert keyword(good, name) > keyword(bad, name)


def test_the_poor_plan_loses_points_for_what_it_did_wrong():
    s = score(log_of("poor", 1), 1)
    assert indicator(s, "command_post_first")["points"] == 0
    assert indicator(s, "report_up")["points"] == 0
    assert indicator(s, "review_submitted")["points"] == 0
    level = indicator(s, "level")
    assert level["points"] < level["max"] / 2
    assert any("火灾" in e["text"] and "Ⅳ级" in e["text"] for e in level["evidence"])
    report = indicator(s, "report_up")
    assert any("市政府总值班室询问" in e["text"] for e in report["evidence"])  # the city's chasing call


# -- what moves each keyword ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(3))
def test_every_decision_15_minutes_later_lowers_speed(seed):
    late = edit(plan("reference"), lambda d: [d.model_copy(update={"at": d.at + 15})])
    base = score(log_of("reference", seed), seed)
    s = run_variant(late, seed)
    assert keyword(s, "迅速") < keyword(base, "迅速") - 10
    for ident in ("assessment_time", "notify_time", "commander_time"):
        assert indicator(s, ident)["points"] < indicator(base, ident)["points"]


@pytest.mark.parametrize("seed", range(3))
def test_no_command_post_lowers_order(seed):
    no_cp = edit(plan("reference"), lambda d: [] if d.action == "establish_command_post" else [d])
    base = score(log_of("reference", seed), seed)
    s = run_variant(no_cp, seed)
    assert keyword(s, "有序") < keyword(base, "有序") - 20
    assert indicator(s, "command_post_first")["points"] == 0
    assert indicator(s, "working_groups")["points"] == 0


@pytest.mark.parametrize("seed", range(3))
def test_wrong_level_lowers_precision(seed):
    wrong = edit(plan("reference"), lambda d: [d.model_copy(update={"level": 1})] if d.action == "assess" else [d])
    base = score(log_of("reference", seed), seed)
    s = run_variant(wrong, seed)
    assert keyword(s, "精准") < keyword(base, "精准")
    assert indicator(s, "level")["points"] < indicator(base, "level")["points"]
    assert any("偏高2级" in e["text"] for e in indicator(s, "level")["evidence"])


def test_a_corrected_level_earns_back_half():
    ref = plan("reference")
    wrong = edit(ref, lambda d: [d.model_copy(update={"level": 4})] if d.action == "assess" else [d])
    fix = p.Assess(action="assess", at=30, by="duty_office", event_type="危险化学品泄漏", level=3)
    corrected = wrong.model_copy(update={"decisions": [*wrong.decisions, fix]})
    only_wrong, fixed = run_variant(wrong, 0), run_variant(corrected, 0)
    full = indicator(score(log_of("reference", 0), 0), "level")["points"]
    assert indicator(only_wrong, "level")["points"] < indicator(fixed, "level")["points"] < full


@pytest.mark.parametrize("seed", range(3))
def test_notifying_everyone_just_in_case_is_less_precise(seed):
    everyone = [d.id for d in scenario().departments if d.id != "duty_office"]
    all_in = edit(plan("reference"), lambda d: [d.model_copy(update={"to": everyone})] if d.action == "notify" else [d])
    base = score(log_of("reference", seed), seed)
    s = run_variant(all_in, seed)
    assert keyword(s, "精准") < keyword(base, "精准")
    depts = indicator(s, "departments")
    assert depts["points"] < indicator(base, "departments")["points"]
    assert any("不需要参与处置的区交通运输局" in e["text"] for e in depts["evidence"])


@pytest.mark.parametrize("seed", range(3))
def test_no_review_lowers_improvement(seed):
    no_review = edit(plan("reference"), lambda d: [] if d.action == "review" else [d])
    base = score(log_of("reference", seed), seed)
    s = run_variant(no_review, seed)
    assert keyword(s, "提升") < keyword(base, "提升") - 50
    assert all(i["points"] == 0 for i in s["keywords"]["提升"]["indicators"])


def test_slow_channels_lower_speed_with_the_same_plan():
    """Scored from what was delivered, not from what was planned: the same plan over slow lines is slower."""
    sc = scenario()
    slow = sc.model_copy(update={"channels": [c.model_copy(update={"delay": Fixed(value=12)}) for c in sc.channels]})
    fast = score_drill(sc, log_of("reference", 0))
    late = score_drill(slow, run_plan(slow, plan("reference"), 0).log)
    assert indicator(late, "notify_time")["points"] < indicator(fast, "notify_time")["points"]
    assert keyword(late, "迅速") < keyword(fast, "迅速")


def test_duplicated_and_conflicting_orders_lower_order():
    extra = [
        p.Order(
            action="order", at=20, by="duty_office", measure="evacuate", department="street", params={"radius_m": 800}
        ),
        # replaces the 应急局's commander (王立军) without a word; another department's would be joint command
        p.AppointCommander(action="appoint_commander", at=21, by="duty_office", person="张建国", department="ema"),
    ]
    messy = plan("reference").model_copy(update={"decisions": [*plan("reference").decisions, *extra]})
    s = run_variant(messy, 0)
    item = indicator(s, "no_conflicts")
    assert item["points"] < item["max"]
    texts = " ".join(e["text"] for e in item["evidence"])
    assert "冲突" in texts and "张建国" in texts


def test_rejected_decisions_cost_points_and_are_cited():
    bad = p.Order(action="order", at=5, by="duty_office", measure="resettlement", department="transport")
    s = run_variant(plan("reference").model_copy(update={"decisions": [*plan("reference").decisions, bad]}), 0)
    item = indicator(s, "rejected_decisions")
    assert item["points"] < item["max"]
    assert any("区交通运输局尚未接到通知" in e["text"] for e in item["evidence"])


def test_review_that_names_what_did_not_happen_is_less_grounded():
    ref = plan("reference")
    review = next(d for d in ref.decisions if d.action == "review")
    invented = dict(review.sections)
    invented["处置成效"] += "区交通运输局调集大客车转运群众。"  # transport never took part
    changed = edit(ref, lambda d: [d.model_copy(update={"sections": invented})] if d.action == "review" else [d])
    base, s = score(log_of("reference", 0), 0), run_variant(changed, 0)
    assert indicator(s, "review_grounding")["points"] < indicator(base, "review_grounding")["points"]
    assert any(
        "区交通运输局" in e["text"] and "未参与" in e["text"] for e in indicator(s, "review_grounding")["evidence"]
    )


def test_empty_or_copied_review_sections_have_no_substance():
    ref = plan("reference")
    review = next(d for d in ref.decisions if d.action == "review")
    thin = {**review.sections, "创新点": "无", "改进方向": review.sections["存在问题"]}
    changed = edit(ref, lambda d: [d.model_copy(update={"sections": thin})] if d.action == "review" else [d])
    item = indicator(run_variant(changed, 0), "review_coverage")
    assert item["points"] == pytest.approx(item["max"] * 3 / 5, abs=0.2)
    assert any("照抄" in e["text"] for e in item["evidence"])


def test_review_is_segmented_with_the_scenarios_names():
    view = DrillView(scenario(), log_of("reference", 0))
    tokenizer, lookup = _lexicon(view)
    words = tokenizer.lcut("区应急管理局王立军任现场总指挥，生态环境分局到场偏晚")
    assert "区应急管理局" in words and "王立军" in words and "生态环境分局" in words
    assert lookup["区应急管理局"] == ("dept", "ema")
    assert lookup["王立军"] == ("person", "王立军")
    assert "环境监测" not in words  # a substring match would have found the measure inside the department


# -- history and the reference run ----------------------------------------------------------------------------
def test_without_reference_or_history_those_indicators_are_neutral():
    s = score_drill(scenario(), log_of("reference", 0))
    for ident in ("outcome", "improvement"):
        item = indicator(s, ident)
        assert item["skipped"] and item["points"] == 0 and item["max"] == 0
        assert "不扣分" in item["evidence"][0]["text"]
    for kw in s["keywords"].values():
        assert sum(i["max"] for i in kw["indicators"]) == pytest.approx(100)


def test_improvement_against_the_same_teams_previous_drill():
    before = score(log_of("poor", 0), 0)
    after = score(log_of("reference", 0), 0, previous=before)
    item = indicator(after, "improvement")
    assert not item["skipped"] and item["points"] == item["max"] > 0
    assert any("迅速" in e["text"] and "→" in e["text"] for e in item["evidence"])
    worse = score(log_of("poor", 0), 0, previous=after)
    assert indicator(worse, "improvement")["points"] == 0
    other = score(log_of("reference", 0), 0, previous={**before, "scenario": "flood_city"})
    assert indicator(other, "improvement")["skipped"]


# -- the score.json itself ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "seed"), [("reference", 0), ("reference", 3), ("poor", 0), ("poor", 4)])
def test_every_evidence_item_points_at_an_event_of_the_log(name, seed):
    log = log_of(name, seed)
    assert_evidence_in_log(score(log, seed), log)
    assert_evidence_in_log(score_drill(scenario(), log), log)


@cache
def bundled_scores() -> list[tuple[str, object, dict]]:
    """(case name, scenario, score) of every bundled scenario × {reference, poor}, seed 3 as in tests/golden."""
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.name.count(".") != 1:
            continue
        sc = load_scenario(path)
        ref = run_plan(sc, load_plan(SCENARIOS / f"{sc.id}.reference.yaml"), 3).log
        for name in ("reference", "poor"):
            log = ref if name == "reference" else run_plan(sc, load_plan(SCENARIOS / f"{sc.id}.{name}.yaml"), 3).log
            out.append((f"{sc.id}.{name}", sc, score_drill(sc, log, reference=ref)))
    return out


#: a sim time or duration written with a decimal (``T+7.9``, ``7.5分钟``, ``26.4 min``)
DECIMAL_MINUTES = re.compile(r"T\+\d+\.\d|\d\.\d+\s*(分|min)")


def scenario_ids(sc) -> set[str]:
    """Every id a scenario defines, which a sentence a person reads must never show."""
    ids = {d.id for d in sc.departments} | {m.id for m in sc.measures} | {i.id for i in sc.injects}
    ids |= {c.id for c in sc.channels}
    return {i for i in ids if len(i) > 2}


def test_every_evidence_item_of_every_bundled_run_is_structured():
    for case, sc, s in bundled_scores():
        depts, measures, injects = (
            {d.id for d in sc.departments},
            {m.id for m in sc.measures},
            {i.id for i in sc.injects},
        )
        ids = re.compile(
            r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(scenario_ids(sc)))) + r")(?![A-Za-z0-9_])"
        )
        for ind in (i for kw in s["keywords"].values() for i in kw["indicators"]):
            where = f"{case}/{ind['id']}"
            assert ind["finding"] and ind["finding_en"] and ind["name_en"] and ind["explanation_en"], where
            assert not DECIMAL_MINUTES.search(ind["finding"] + ind["finding_en"]), where
            for item in ind["evidence"]:
                assert set(item) == {"event_id", "t", "text", "text_en", "against", "facts"}, where
                kind = item["facts"]["kind"]
                assert kind in KINDS, (where, kind)
                assert item["against"] is KINDS[kind].against, (where, kind)
                assert set(item["facts"]) <= {"kind", *FACT_FIELDS}, (where, item["facts"])
                assert set(item["facts"].get("depts", [])) <= depts, (where, item["facts"])
                assert item["facts"].get("measure", next(iter(measures))) in measures, (where, item["facts"])
                assert item["facts"].get("inject", next(iter(injects))) in injects, (where, item["facts"])
                for text in (item["text"], item["text_en"]):
                    assert text and not text.startswith("T+") and not DECIMAL_MINUTES.search(text), (where, text)
                assert not ids.search(item["text"]), (where, item["text"])


def test_what_lost_points_is_marked_against_the_team():
    """Every indicator short of its maximum cites at least one item against the team; one left out cites none."""
    for case, _, s in bundled_scores():
        for ind in (i for kw in s["keywords"].values() for i in kw["indicators"]):
            against = [e for e in ind["evidence"] if e["against"]]
            if ind["skipped"]:
                assert not against, f"{case}/{ind['id']}"
            elif ind["points"] < ind["max"]:
                assert against, f"{case}/{ind['id']}"
    perfect = [i for _, _, s in bundled_scores() for kw in s["keywords"].values() for i in kw["indicators"]]
    assert any(not any(e["against"] for e in i["evidence"]) for i in perfect if i["points"] == i["max"] > 0)


def test_the_poor_plans_shortfalls_carry_their_facts():
    s = score(log_of("poor", 3), 3)
    never_called = {"ema", "health", "ecology", "publicity"}  # required, and the poor plan never notifies them
    items = indicator(s, "departments")["evidence"]
    missing = [e for e in items if e["facts"]["kind"] == "not_notified"]
    assert all(e["against"] for e in missing)
    assert {d for e in missing for d in e["facts"]["depts"]} == never_called
    assert {e["facts"]["kind"] for e in indicator(s, "notify_time")["evidence"]} <= {"not_notified", "notified_late"}
    late = next(e for e in indicator(s, "measures")["evidence"] if e["facts"]["kind"] == "measure_late")
    assert (
        late["facts"]["measure"] == "evacuate"
        and late["facts"]["deadline"] == 30
        and late["facts"]["minutes_late"] == 15
    )
    radius = next(e for e in indicator(s, "measures")["evidence"] if e["facts"]["kind"] == "wrong_param")
    assert (radius["facts"]["param"], radius["facts"]["actual"]) == ("radius_m", 500)
    assert radius["facts"]["expected"] == {"value": 1500, "tolerance": 500}
    level = indicator(s, "level")["evidence"][0]
    assert level["facts"]["kind"] == "type_and_level_wrong" and level["facts"]["actual"]["level"] == 4
    assert [e["facts"]["kind"] for e in indicator(s, "review_submitted")["evidence"]] == ["review_missing"]


def test_what_went_right_is_not_against_the_team():
    s = score(log_of("reference", 3), 3)
    for ident in ("assessment_time", "commander_time", "level", "departments", "review_submitted"):
        item = indicator(s, ident)
        assert item["points"] == item["max"] and not any(e["against"] for e in item["evidence"]), ident
    first = indicator(s, "assessment_time")["evidence"][0]
    assert first["facts"]["kind"] == "first_report" and not first["against"]


def test_score_shape_points_add_up_and_grade_matches_bands(tmp_path):
    s = score(log_of("reference", 2), 2)
    assert list(s)[:3] == ["total", "grade", "keywords"]
    assert list(s["keywords"]) == list(KEYWORDS)
    for kw in s["keywords"].values():
        assert 0 <= kw["score"] <= 100
        assert kw["score"] == pytest.approx(sum(i["points"] for i in kw["indicators"]))
        for ind in kw["indicators"]:
            assert set(ind) >= {"id", "name", "points", "max", "evidence", "explanation"}
            assert 0 <= ind["points"] <= ind["max"]
    weights = s["weights"]
    expected = sum(weights[k] * s["keywords"][k]["score"] for k in KEYWORDS) / sum(weights.values())
    assert s["total"] == pytest.approx(expected, abs=0.05)
    bands = {"优秀": 90, "良好": 75, "合格": 60}
    assert s["grade"] == next((g for g, m in bands.items() if s["total"] >= m), "不合格")
    write_score(s, tmp_path / "score.json")
    assert json.loads((tmp_path / "score.json").read_text(encoding="utf-8")) == s


def test_rescoring_is_deterministic():
    log = log_of("reference", 4)
    first = json.dumps(score(log, 4), ensure_ascii=False)
    other = scenario().model_copy(
        update={"departments": [d.model_copy(update={"name": d.name + "分中心"}) for d in scenario().departments]}
    )
    score_drill(other, log)  # another word list for jieba in between must not change this drill's segmentation
    assert json.dumps(score(log, 4), ensure_ascii=False) == first


def test_a_log_read_back_from_disk_scores_the_same(tmp_path):
    log = log_of("poor", 2)
    log.write(tmp_path / "events.jsonl")
    again = EventLog.read(tmp_path / "events.jsonl")
    assert score(again, 2) == score(log, 2)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 50),
    keep=st.lists(st.booleans(), min_size=20, max_size=20),
    shift=st.integers(0, 40),
)
def test_any_subset_of_the_reference_plan_scores_sanely(seed, keep, shift):
    ref = plan("reference")
    decisions = [d.model_copy(update={"at": d.at + shift}) for d, k in zip(ref.decisions, keep, strict=False) if k]
    log = run_plan(scenario(), ref.model_copy(update={"decisions": decisions}), seed).log
    s = score_drill(scenario(), log)
    assert 0 <= s["total"] <= 100
    assert_evidence_in_log(s, log)
    json.dumps(s, ensure_ascii=False)


# -- the rubric file ------------------------------------------------------------------------------------------
def test_the_registry_and_the_default_rubric_agree():
    """Each indicator is declared once (@indicator); the default rubric lists exactly those, on their keywords,
    with every threshold each reads and English names, and a rubric file may use no other threshold."""
    rubric = default_rubric()
    listed = {ind.id: name for name, kw in rubric.keywords.items() for ind in kw.indicators}
    assert listed == {ident: spec.keyword for ident, spec in INDICATORS.items()}
    for _, kw in rubric.keywords.items():
        assert kw.explanation_en
        for ind in kw.indicators:
            spec = INDICATORS[ind.id]
            assert set(ind.thresholds.model_dump(exclude_none=True)) == set(spec.thresholds), ind.id
            assert ind.name_en and ind.explanation_en and not re.search(r"[\u4e00-\u9fff]", ind.name_en)
    assert all(key in Thresholds.model_fields for spec in INDICATORS.values() for key in spec.thresholds)
    assert [g.name for g in rubric.grades] == ["优秀", "良好", "合格", "不合格"]
    assert isinstance(load_rubric(), Rubric)
    assert not hasattr(scoring, "MEASURES")  # in this domain a measure is a 处置措施, not an indicator


def test_a_second_declaration_of_an_indicator_is_refused():
    with pytest.raises(ValueError, match="twice"):
        declare("notify_time", keyword="迅速")(lambda ctx, th: None)
    with pytest.raises(ValueError, match="keyword"):
        declare("something_new", keyword="快")


BROKEN = """\
grades:
  - {name: 优秀, min: 90}
  - {name: 不合格, min: 0}
keywords:
  迅速:
    weight: 25
    indicators:
      - id: assessment_time
        name: 初步研判用时
        weight: 20
        thresholds: {ful_by: 5, zero_at: 30}
        explanation: 说明
  有序: {weight: 25, indicators: [{id: task_owners, name: 责任人, weight: 1, explanation: 说明}]}
  精准: {weight: 25, indicators: [{id: level, name: 研判, weight: 1, explanation: 说明}]}
  提升: {weight: 25, indicators: [{id: review_submitted, name: 复盘, weight: 1, explanation: 说明}]}
"""


def test_a_broken_rubric_gives_a_located_error(tmp_path):
    path = tmp_path / "my.rubric.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        load_rubric(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (
        str(path),
        11,
        "keywords.迅速.indicators[0].thresholds.ful_by",
    )
    assert str(problem).startswith(f"{path}:11: keywords.迅速.indicators[0].thresholds.ful_by: ")


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("id: level", "id: levels"), 14, "keywords.精准.indicators[0].id"),  # unknown indicator
        (("id: task_owners", "id: level"), 13, "keywords.有序.indicators[0].id"),  # on the wrong keyword
        (("ful_by: 5", "full_by: 40"), 11, "keywords.迅速.indicators[0].thresholds.zero_at"),  # not ordered
        (("ful_by: 5", "per_item: 0.5"), 11, "keywords.迅速.indicators[0].thresholds.per_item"),  # not its own
        (("weight: 20", "weight: many"), 10, "keywords.迅速.indicators[0].weight"),
        (("{name: 不合格, min: 0}", "{name: 不合格, min: 10}"), 3, "grades[1].min"),
    ],
)
def test_rubric_mistakes_are_located(tmp_path, change, line, field):
    text = BROKEN.replace("ful_by: 5", "full_by: 5") if change[0] != "ful_by: 5" else BROKEN
    path = tmp_path / "r.yaml"
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        load_rubric(path)
    assert any((pr.line, pr.field) == (line, field) for pr in info.value.problems), info.value.problems


def test_a_scenario_rubric_overrides_the_default_and_keeps_its_thresholds(tmp_path):
    text = BROKEN.replace("ful_by: 5", "full_by: 1").replace("{name: 优秀, min: 90}", "{name: 优秀, min: 99.5}")
    (tmp_path / "hazchem_leak.rubric.yaml").write_text(text, encoding="utf-8")
    rubric = resolve_rubric(tmp_path / "hazchem_leak.yaml")
    assert rubric.keywords.speed.indicators[0].thresholds.full_by == 1
    assert rubric.keywords.order.indicators[0].thresholds.full_share == 1.0  # filled from the default rubric
    s = score(log_of("reference", 0), 0, rubric=rubric)
    assert [i["id"] for i in s["keywords"]["迅速"]["indicators"]] == ["assessment_time"]
    assert indicator(s, "assessment_time")["points"] < 100  # assessed at T+3, full only within 1 minute
    assert s["grade"] != "优秀"
    assert resolve_rubric(SCENARIOS / "hazchem_leak.yaml") is default_rubric()


def test_a_rubric_built_in_code_is_checked_and_completed():
    rubric = default_rubric()
    speed = rubric.keywords.speed
    bare = speed.indicators[0].model_copy(update={"thresholds": type(speed.indicators[0].thresholds)()})
    lean = rubric.model_copy(
        update={
            "keywords": rubric.keywords.model_copy(update={"speed": speed.model_copy(update={"indicators": [bare]})})
        }
    )
    s = score(log_of("reference", 0), 0, rubric=lean)  # the missing thresholds come from the default rubric
    assert [i["id"] for i in s["keywords"]["迅速"]["indicators"]] == ["assessment_time"]
    wrong = bare.model_copy(update={"id": "level"})
    broken = rubric.model_copy(
        update={
            "keywords": rubric.keywords.model_copy(update={"speed": speed.model_copy(update={"indicators": [wrong]})})
        }
    )
    with pytest.raises(ValueError, match="level"):
        score(log_of("reference", 0), 0, rubric=broken)


# -- a drill still running, and logs that do not fit ------------------------------------------------------------
def test_a_drill_still_running_is_scored_as_it_stands():
    live = Drill(scenario(), seed=0)
    for decision in plan("reference").timed():
        if decision.at > 20:
            break
        live.advance(decision.at)
        live.submit(decision)
    live.advance(25)
    s = score_drill(scenario(), live.log, reference=log_of("reference", 0))
    assert indicator(s, "outcome")["skipped"]  # no outcome before the end
    assert indicator(s, "assessment_time")["points"] == indicator(s, "assessment_time")["max"]
    review = indicator(s, "review_submitted")
    assert review["points"] == 0 and review["evidence"][0]["text"].startswith("截至目前")
    assert review["evidence"][0]["t"] == live.log[-1].t and review["evidence"][0]["facts"]["kind"] == "review_missing"
    assert_evidence_in_log(s, live.log)


def test_a_log_of_another_scenario_is_refused():
    other = scenario().model_copy(update={"id": "another"})
    with pytest.raises(ValueError, match="hazchem_leak"):
        score_drill(other, log_of("reference", 0))
