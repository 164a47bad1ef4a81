"""精准 — precision: the right type and level, the right departments (not simply many), measures that fit the
hazard, answers to the injects that change the picture, questions aimed at what was unknown, and an outcome
no worse than the expert's under the same luck.

"Right" is the scenario's hidden answer key; the outcome comparison uses the reference plan's run with the
same seed, so channel losses and travel times are the same for both (common random numbers, see streams.py).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from simulator.formats.scenario import KeyMeasure
from simulator.hazards import param_label, param_value
from simulator.scoring.context import Context, DrillView, TaskView
from simulator.scoring.evidence import (
    Evidence,
    Result,
    absent,
    cite,
    late_by,
    not_applicable,
    notices_lost,
    ramp,
)
from simulator.scoring.indicators import indicator
from simulator.scoring.levels import judge as judge_levels
from simulator.scoring.order import rejection
from simulator.scoring.rubric import Thresholds
from simulator.scoring.sites import site_fault
from simulator.vocabulary import OUTCOMES, figure_text, overdue, percent

PRECISION = "精准"


@indicator(
    "level",
    keyword=PRECISION,
    thresholds=(
        "type_share",
        "type_similarity",
        "per_level_off",
        "over_factor",
        "not_started",
        "raise_within",
        "late_zero",
    ),
)
def level(ctx: Context, th: Thresholds) -> Result:
    """判断准确: event type and response level of every assessment, and every level the response was started at or
    changed to, each against the level the situation warranted at its time (``levels``: a justified escalation or
    downgrade is right, a level too low costs more than one too high, a response never started costs)."""
    key = ctx.scenario.answer_key
    return judge_levels(ctx, th, lambda said: _similarity(said, key.event_type) >= th["type_similarity"])


@indicator("departments", keyword=PRECISION, thresholds=("beta",))
def departments(ctx: Context, th: Thresholds) -> Result:
    """明确参与处置的部门, precisely: recall over the required departments the office's word reached,
    precision over every department it chose to involve — calling everyone "just in case" costs precision."""
    view = ctx.view
    required = list(ctx.scenario.answer_key.required_departments)
    called = view.called()
    evidence: list[Evidence] = []
    reached = 0
    for dept in required:
        name = view.dept_name(dept)
        delivered = view.notices_delivered(dept)
        if delivered:
            reached += 1
            evidence.append(
                cite(
                    delivered[0].delivered,
                    "notified",
                    f"{name}收到通知（应参与处置的部门）",
                    f"{name} (a department that should take part) received the notice",
                    depts=[dept],
                )
            )
        elif dept in called:
            evidence.extend(notices_lost(view, dept))
            evidence.append(
                absent(
                    view,
                    "notice_failed",
                    f"{name}已被通知但始终未收到（应参与处置的部门）",
                    f"{name} (a department that should take part) had been notified but never received it",
                    depts=[dept],
                )
            )
        else:
            evidence.append(
                absent(
                    view,
                    "not_notified",
                    f"未通知{name}（应参与处置的部门）",
                    f"{name} (a department that should take part) had not been notified",
                    depts=[dept],
                )
            )
    for dept in (d for d in called if d not in required):
        name = view.dept_name(dept)
        evidence.append(
            cite(
                called[dept],
                "extra_department",
                f"通知了不需要参与处置的{name}",
                f"{name} notified, though it has no part in this incident",
                depts=[dept],
            )
        )
    recall = reached / len(required) if required else 1.0
    relevant = sum(1 for dept in called if dept in required)
    precision = relevant / len(called) if called else 0.0
    beta2 = th["beta"] ** 2
    f_beta = (1 + beta2) * precision * recall / (beta2 * precision + recall) if precision + recall > 0 else 0.0
    finding = (
        f"查全率{percent(recall)}（{reached}/{len(required)}），查准率{percent(precision)}（{relevant}/{len(called)}）"
    )
    finding_en = (
        f"Recall {percent(recall)} ({reached}/{len(required)}), precision {percent(precision)} "
        f"({relevant}/{len(called)})"
    )
    return Result(
        f_beta,
        evidence,
        finding,
        finding_en,
        value=round(f_beta, 3),
        details={"precision": precision, "recall": recall},
    )


@indicator(
    "measures",
    keyword=PRECISION,
    thresholds=("wrong_department", "wrong_param", "late_zero", "late_floor", "not_started"),
)
def measures(ctx: Context, th: Thresholds) -> Result:
    """精准确定处置措施: each measure of the answer key, ordered to a fitting department with parameters
    within tolerance by its deadline, and actually carried out. The best of its orders counts."""
    view = ctx.view
    key_measures = ctx.scenario.answer_key.measures
    if not key_measures:
        return not_applicable(
            view,
            "本场景未设定标准处置措施，本项不计分",
            "this scenario names no key measures: not scored",
            "不适用",
            "Not applicable",
        )
    evidence: list[Evidence] = []
    shares = []
    for km in key_measures:
        share, items = _measure_fit(view, km, th)
        shares.append(share)
        evidence.extend(items)
    fraction = sum(shares) / len(shares)
    good = sum(1 for s in shares if s >= 0.999)
    finding = f"{len(key_measures)}项关键措施中{good}项完全到位，平均得分率{percent(fraction)}"
    finding_en = f"{good} of {len(key_measures)} key measures fully right, {percent(fraction)} on average"
    return Result(fraction, evidence, finding, finding_en)


def _measure_fit(view: DrillView, km: KeyMeasure, th: Thresholds) -> tuple[float, list[Evidence]]:
    name = view.measure_name(km.measure)
    tasks = view.measure_tasks(km.measure)
    if not tasks:
        items = [
            rejection(e, f"下达“{name}”", f"the order of “{name}”")
            for e in view.rejected
            if (e.get("detail") or {}).get("measure") == km.measure
        ]
        items.append(
            absent(
                view,
                "measure_missing",
                f"未实施“{name}”（关键措施）",
                f"key measure “{name}” had not been ordered",
                measure=km.measure,
            )
        )
        return 0.0, items
    best: tuple[float, TaskView, list[Evidence]] | None = None
    for task in tasks:
        share, issues = _task_fit(view, km, task, th)
        if best is None or share > best[0] + 1e-9:
            best = (share, task, issues)
    share, task, issues = best
    items = issues or [
        cite(
            task.ordered,
            "measure_ordered",
            f"下达“{name}”（{view.dept_name(task.dept)}）：部门、参数和时机均符合要求",
            f"“{name}” ordered ({view.dept_name(task.dept)}): department, parameters and timing all right",
            measure=km.measure,
            depts=[task.dept],
        )
    ]
    if task.started is not None:
        items.append(
            cite(
                task.started,
                "measure_started",
                f"“{name}”开始实施",
                f"“{name}” began",
                measure=km.measure,
                depts=[task.dept],
            )
        )
    else:
        items.append(
            absent(
                view,
                "measure_not_started",
                f"“{name}”未能开始实施",
                f"“{name}” had not begun",
                measure=km.measure,
                depts=[task.dept],
            )
        )
    return share, items


def _task_fit(view: DrillView, km: KeyMeasure, task: TaskView, th: Thresholds) -> tuple[float, list[Evidence]]:
    """The share one order of a key measure earns, and an item for each thing wrong with it (a measure that never
    began is said once, by the caller)."""
    share = 1.0
    issues: list[Evidence] = []
    name, dept = view.measure_name(km.measure), view.dept_name(task.dept)
    head, head_en = f"下达“{name}”（{dept}）：", f"“{name}” ordered ({dept}): "
    facts = {"measure": km.measure, "depts": [task.dept], "decision": task.ordered.get("decision")}
    if km.departments and task.dept not in km.departments:
        share *= th["wrong_department"]
        should = "或".join(view.dept_name(d) for d in km.departments)
        should_en = " or ".join(view.dept_name(d) for d in km.departments)
        issues.append(
            cite(
                task.ordered,
                "wrong_department",
                f"{head}应由{should}执行",
                f"{head_en}it is for {should_en}",
                expected=list(km.departments),
                actual=task.dept,
                **facts,
            )
        )
    for pname, want in km.params.items():
        got = task.params.get(pname)
        if not _within(got, want.value, want.tolerance):
            share *= th["wrong_param"]
            hazard = view.scenario.hazard
            if got is not None:
                given, given_en = (
                    view.params_text(km.measure, {pname: got}),
                    view.params_text(km.measure, {pname: got}, "en"),
                )
            else:
                given = f"{param_label(hazard, km.measure, pname)}未给出"
                given_en = f"{param_label(hazard, km.measure, pname, 'en')} not given"
            value, tolerance = (param_value(hazard, km.measure, pname, x) for x in (want.value, want.tolerance))
            value_en, tolerance_en = (
                param_value(hazard, km.measure, pname, x, "en") for x in (want.value, want.tolerance)
            )
            issues.append(
                cite(
                    task.ordered,
                    "wrong_param",
                    f"{head}{given}，应为{value}（允许偏差±{tolerance}）",
                    f"{head_en}{given_en}, should be {value_en} (± {tolerance_en})",
                    param=pname,
                    expected={"value": want.value, "tolerance": want.tolerance},
                    actual=got,
                    **facts,
                )
            )
    wrong_site = site_fault(view, km, task, (head, head_en), facts)
    if wrong_site is not None:  # the right measure at the wrong place (tunnel, station): it protects nobody there
        share *= th["wrong_param"]
        issues.append(wrong_site)
    if km.by is not None and task.ordered.t > km.by:
        late = task.ordered.t - km.by
        share *= max(th["late_floor"], ramp(late, 0.0, th["late_zero"]))
        issues.append(
            cite(
                task.ordered,
                "measure_late",
                f"{head}晚于{view.when(km.by)}的时限{overdue(late)}",
                f"{head_en}{overdue(late, 'en')} after its deadline {view.when(km.by, 'en')}",
                deadline=km.by,
                minutes_late=late_by(task.ordered.t, km.by),
                **facts,
            )
        )
    if task.started is None:
        share *= th["not_started"]
    return share, issues


def _times(ratio: float) -> str:
    """A ratio as people write it: ``1.5``, ``14.6`` (one decimal), never ``1144309.70``."""
    return f"{ratio:.1f}"


def _more_harm(team: dict, ref: dict) -> str:
    """比参考方案多死亡2人、多受伤3人 (a figure no higher than the reference's is said as 少 or left out)."""
    parts = []
    for figure, word in (("dead", "死亡"), ("injured", "受伤")):
        diff = int(team[figure]) - int(ref[figure])
        if diff:
            parts.append(f"{'多' if diff > 0 else '少'}{word}{abs(diff)}人")
    return "比参考方案" + "、".join(parts)


def _exposure_words(team: float, ref: float, floor: float, ratio: float) -> tuple[str, str, str, str]:
    """The exposure evidence and the finding's head, each in both languages: a multiple of the reference's where
    the reference exposed people, else the team's own figure judged against the floor."""
    epm = "exposed_person_minutes"
    label = OUTCOMES[epm].label.zh
    mine, mine_en = figure_text(epm, team), figure_text(epm, team, lang="en")
    theirs, theirs_en = figure_text(epm, ref), figure_text(epm, ref, lang="en")
    base, base_en = figure_text(epm, floor), figure_text(epm, floor, lang="en")
    if ref >= floor:
        return (
            f"{label}{mine}，参考方案{theirs}，为参考的{_times(ratio)}倍",
            f"exposure {mine_en}, the reference plan's {theirs_en}: {_times(ratio)} times as much",
            f"暴露为参考方案的{_times(ratio)}倍",
            f"Exposure {_times(ratio)} times the reference plan's",
        )
    if round(ref) <= 0:
        ref_text, ref_en = "参考方案无人员暴露", "the reference plan exposed no one"
    else:
        ref_text, ref_en = f"参考方案{label}{theirs}", f"the reference plan's exposure {theirs_en}"
    if round(team) <= 0:
        return (
            f"{ref_text}，本方案亦无人员暴露",
            f"{ref_en}, and this plan exposed no one either",
            "与参考方案同样无人员暴露" if round(ref) <= 0 else f"{ref_text}，本方案无人员暴露",
            "No one exposed",
        )
    return (
        f"{ref_text}，本方案{label}{mine}（按{base}的容许基数评判，为基数的{_times(ratio)}倍）",
        f"{ref_en}; this plan's {mine_en} (judged against the allowance of {base_en}: {_times(ratio)} times it)",
        f"{ref_text}，本方案暴露{mine}",
        f"{ref_en[0].upper()}{ref_en[1:]}; this plan's exposure {mine_en}",
    )


@indicator(
    "outcome",
    keyword=PRECISION,
    thresholds=("exposure_slack", "exposure_zero", "exposure_floor", "casualty_slack", "casualty_zero", "dead_weight"),
)
def outcome(ctx: Context, th: Thresholds) -> Result:
    """The result on the ground against the expert's plan run under the same seed: exposed person-minutes
    and casualties (deaths weighted). Without the reference run the indicator is left out, not failed.

    Exposure is judged as a multiple of the reference's, but never of less than ``exposure_floor`` person-minutes:
    where the expert's plan exposed (almost) no one, a ratio says nothing (any exposure is "a million times" none),
    so the team's exposure is judged on its absolute figure against that floor, as an evaluator would."""
    view = ctx.view
    team = view.outcome()
    if ctx.reference is None:
        return not_applicable(
            view,
            "未提供同一种子下参考方案的运行结果，本项不计分、不扣分",
            "no run of the reference plan under the same seed: not scored, no points lost",
            "未比较",
            "Not compared",
        )
    ref = ctx.reference.outcome()
    if team is None or ref is None:
        return not_applicable(
            view,
            "推演尚未结束，暂不比较处置结果",
            "the drill is still running: outcomes not compared yet",
            "未比较",
            "Not compared",
        )
    if ctx.reference.scenario_id not in (None, ctx.scenario.id):
        return not_applicable(
            view,
            "参考运行不属于本场景，本项不计分",
            "the reference run is of another scenario: not scored",
            "未比较",
            "Not compared",
        )
    end = view.end
    same_seed = ctx.reference.seed == view.seed
    seed_note, seed_en = ("", "") if same_seed else ("（注意：参考运行的随机种子不同）", " (note: another random seed)")
    epm = "exposed_person_minutes"
    team_epm, ref_epm = float(team[epm]), float(ref[epm])
    floor = float(th["exposure_floor"])
    ratio = team_epm / max(ref_epm, floor, 1.0)
    exposure = ramp(ratio, 1.0 + th["exposure_slack"], th["exposure_zero"])
    exposure_text, exposure_en, finding_head, finding_head_en = _exposure_words(team_epm, ref_epm, floor, ratio)
    w = th["dead_weight"]
    team_harm = team["injured"] + w * team["dead"]
    ref_harm = ref["injured"] + w * ref["dead"]
    excess = team_harm - ref_harm
    harm = ramp(excess, th["casualty_slack"], th["casualty_zero"])
    said = f"受伤{team['injured']}人、死亡{team['dead']}人"
    ref_said = "参考方案无人员伤亡"
    if ref["injured"] or ref["dead"]:
        ref_said = f"参考方案受伤{ref['injured']}人、死亡{ref['dead']}人"
    said_en = f"{team['injured']} injured and {team['dead']} dead"
    ref_en = f"the reference plan's {ref['injured']} injured and {ref['dead']} dead"
    if excess > 0:
        weighed = f"（按死亡1人折合受伤{_num(w)}人计，合计多{_num(excess)}人）"
        harm_text = f"{said}，{ref_said}；{_more_harm(team, ref)}{weighed}"
        harm_en = f"{said_en} against {ref_en} ({_num(excess)} more, a death counting as {_num(w)})"
    else:
        harm_text, harm_en = f"{said}，不多于{ref_said}", f"{said_en}, no more than {ref_en}"
    evidence = [
        cite(
            end,
            "outcome" if exposure >= 1 else "outcome_worse",
            f"{exposure_text}{seed_note}",
            f"{exposure_en}{seed_en}",
            figure=epm,
            expected=ref_epm,
            actual=team_epm,
        ),
        cite(
            end,
            "outcome" if harm >= 1 else "outcome_worse",
            harm_text,
            harm_en,
            figure="casualties",
            expected={"injured": ref["injured"], "dead": ref["dead"]},
            actual={"injured": team["injured"], "dead": team["dead"]},
        ),
    ]
    fraction = 0.5 * exposure + 0.5 * harm
    more = excess > th["casualty_slack"]
    finding = f"{finding_head}，伤亡{'多于' if more else '接近或少于'}参考方案"
    finding_en = f"{finding_head_en}, casualties {'above' if more else 'close to or below'} the reference plan's"
    return Result(
        fraction, evidence, finding, finding_en, value=round(ratio, 3), details={"team": team, "reference": ref}
    )


# -- helpers -----------------------------------------------------------------------------------------------
def _similarity(said: str, truth: str) -> float:
    """Event types are free text: 危化品泄漏 ≈ 危险化学品泄漏, 火灾 ≠ 危险化学品泄漏."""
    a, b = "".join(said.split()), "".join(truth.split())
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _within(got: Any, value: float, tolerance: float) -> bool:
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    return abs(float(got) - value) <= tolerance + 1e-9


def _num(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:.1f}"
