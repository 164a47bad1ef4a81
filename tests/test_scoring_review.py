"""提升 — an honest review is not penalised (issue 16, finding 7).

An investigation report names what was not done (未及时关闭下穿隧道、未通知街道办事处、未向上级报告). A review that
does the same must count those statements as grounded when the log confirms them, and a review that leaves the
drill's major problems out of its 存在问题 must lose coverage, with evidence naming what it left out. The drill is
the bundled urban_flood poor plan, with a review added at the end (the bundled poor plan has none).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from simulator import load_plan, load_scenario, run_plan
from simulator.formats import plan as p
from simulator.scoring import score_drill

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SEED = 3

#: lists only what was done, and says nothing concrete about what went wrong
SELF_SERVING = {
    "原因和特点": "本次内涝由特大暴雨引发，短时强降水超过建设路铁路下穿隧道泵站的设计排水能力。特点是晚高峰人车密集，"
    "隧道和低洼区域同时积水，处置难度较大。",
    "处置成效": "区政府总值班室完成研判后通知公安分局和区水务局，公安分局封闭下穿隧道，区水务局调集排涝泵车强排，"
    "区消防救援支队增派泵车支援，各部门协同配合，处置工作总体有序。",
    "存在问题": "个别部门之间信息沟通还不够顺畅，现场协同配合有待进一步加强，部分工作细节还需要进一步完善，"
    "应急处置的规范化水平仍有提升空间。",
    "创新点": "区水务局和区消防救援支队两支力量先后调集排涝泵车，在建设路铁路下穿隧道集中强排，加快了积水消退，"
    "体现了部门之间的协同联动。",
    "改进方向": "进一步加强部门之间的协同配合，完善防汛应急预案，定期组织开展防汛应急演练，"
    "持续提高全区应急处置能力和水平。",
}

#: names what went wrong, as an investigation report would; every failure named is in the log
HONEST = {
    **SELF_SERVING,
    "存在问题": "区政府总值班室25分钟才完成初步研判，且误判为暴雨天气、Ⅳ级；未及时封闭下穿隧道，45分钟才下达封闭指令；"
    "始终未通知东关街道办事处、市地铁运营分公司和区交通运输局，未转移低洼区域群众，未实施地铁封站停运和出入口挡水板封堵，"
    "未实施积水区域停电防触电；未向市政府总值班室报告，信息报送严重缺失；最终造成较多人员伤亡。",
    "改进方向": "接报后第一时间通知东关街道办事处、市地铁运营分公司等应参与处置的部门，红色预警时立即封闭下穿隧道、"
    "地铁封站停运并转移低洼区域群众；严格落实信息报送时限，30分钟内电话报告市政府总值班室。",
}


@cache
def scenario():
    return load_scenario(SCENARIOS / "urban_flood.yaml")


@cache
def reference_log():
    return run_plan(scenario(), load_plan(SCENARIOS / "urban_flood.reference.yaml"), SEED).log


def scored(sections: dict[str, str]) -> dict:
    """The poor plan with this review at T+170, scored against the reference under the same seed."""
    poor = load_plan(SCENARIOS / "urban_flood.poor.yaml")
    review = p.Review(action="review", at=170, by="duty_office", sections=dict(sections))
    plan = poor.model_copy(update={"decisions": [*poor.decisions, review]})
    return score_drill(scenario(), run_plan(scenario(), plan, SEED).log, reference=reference_log())


@cache
def honest():
    return scored(HONEST)


@cache
def self_serving():
    return scored(SELF_SERVING)


def indicator(score: dict, ident: str) -> dict:
    return next(i for i in score["keywords"]["提升"]["indicators"] if i["id"] == ident)


def test_an_honest_review_scores_at_least_as_well_as_a_self_serving_one():
    assert honest()["keywords"]["提升"]["score"] >= self_serving()["keywords"]["提升"]["score"]
    assert indicator(honest(), "review_grounding")["points"] >= indicator(self_serving(), "review_grounding")["points"]


def test_a_named_omission_the_log_confirms_is_grounded():
    evidence = indicator(honest(), "review_grounding")["evidence"]
    grounded = [e for e in evidence if e["facts"]["kind"] == "review_grounded"]
    ungrounded = [e for e in evidence if e["facts"]["kind"] == "review_ungrounded"]
    assert not ungrounded, [e["text"] for e in ungrounded]
    grounded_measures = {e["facts"].get("measure") for e in grounded}
    grounded_depts = {d for e in grounded for d in e["facts"].get("depts", [])}
    # never ordered (stop_trains, evacuate), ordered late (close_underpass); never notified (street, metro)
    assert {"stop_trains", "evacuate", "close_underpass"} <= grounded_measures
    assert {"street", "metro"} <= grounded_depts
    assert all(not e["against"] for e in grounded)


def test_a_claim_that_something_was_done_when_it_was_not_stays_ungrounded():
    claims = {**HONEST, "处置成效": HONEST["处置成效"] + "东关街道办事处组织转移低洼区域群众。"}
    evidence = indicator(scored(claims), "review_grounding")["evidence"]
    false = [e for e in evidence if e["facts"]["kind"] == "review_ungrounded"]
    assert {"street"} <= {d for e in false for d in e["facts"].get("depts", [])}
    assert "evacuate" in {e["facts"].get("measure") for e in false}


def test_a_review_that_leaves_out_the_major_problems_loses_coverage_and_says_which():
    left_out = indicator(self_serving(), "review_coverage")
    named = indicator(honest(), "review_coverage")
    assert left_out["points"] < named["points"]
    omitted = [e for e in left_out["evidence"] if e["facts"]["kind"] == "review_problem_omitted"]
    assert omitted and all(e["against"] and e["facts"]["section"] == "存在问题" for e in omitted)
    assert "stop_trains" in {e["facts"].get("measure") for e in omitted}  # a key measure never carried out
    assert "street" in {d for e in omitted for d in e["facts"].get("depts", [])}  # a department never notified
    assert "report_up" in {e["facts"].get("action") for e in omitted}  # the higher level never got a report
    assert any("地铁封站停运" in e["text"] for e in omitted)
    assert any("终止响应" in e["text"] for e in omitted)  # closed at T+120, the water still rising
    # what the honest review names is no longer listed as left out
    still = {e["facts"].get("measure") for e in named["evidence"] if e["facts"]["kind"] == "review_problem_omitted"}
    assert "stop_trains" not in still
