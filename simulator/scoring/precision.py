"""精准 — precision: the right type and level, the right departments (not simply many), measures that fit the
hazard, answers to the injects that change the picture, questions aimed at what was unknown, and an outcome
no worse than the expert's under the same luck.

"Right" is the scenario's hidden answer key; the outcome comparison uses the reference plan's run with the
same seed, so channel losses and travel times are the same for both (common random numbers, see streams.py).
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from simulator.engine.events import Event
from simulator.formats.common import LEVEL_NAMES
from simulator.formats.plan import ACTION_NAMES, ACTIONS
from simulator.formats.scenario import KeyMeasure
from simulator.hazards import describe_params, param_label
from simulator.scoring.context import Context, DrillView, TaskView
from simulator.scoring.evidence import Evidence, Result, absent, cite, minute, note, pct, ramp, span
from simulator.scoring.rubric import Thresholds


def level(ctx: Context, th: Thresholds) -> Result:
    """判断准确: event type and response level of the first assessment and of the last (a correction earns
    back half of what the first judgement lost)."""
    view = ctx.view
    key = ctx.scenario.answer_key
    assessments = view.of("assessment")
    if not assessments:
        return Result(0.0, [absent(view, f"未作出研判（应为“{key.event_type}”，{LEVEL_NAMES[key.level]}）")], "未研判")
    evidence = []
    scores = []
    for a in assessments:
        similar = _similarity(str(a["event_type"]), key.event_type) >= th["type_similarity"]
        off = abs(int(a["level"]) - key.level)
        level_score = max(0.0, 1.0 - th["per_level_off"] * off)
        scores.append(th["type_share"] * (1.0 if similar else 0.0) + (1 - th["type_share"]) * level_score)
        said = f"研判为“{a['event_type']}”、{LEVEL_NAMES.get(a['level'], a['level'])}"
        type_text = "事件类型正确" if similar else f"事件类型不符（应为“{key.event_type}”）"
        level_text = "级别正确" if off == 0 else f"级别相差{off}级（应为{LEVEL_NAMES[key.level]}）"
        evidence.append(cite(a, f"{said}：{type_text}，{level_text}"))
    fraction = (scores[0] + scores[-1]) / 2
    first = assessments[0]
    finding = "类型和级别均判断正确" if scores[0] >= 1 else f"初判偏差（得分率{pct(scores[0])}）"
    if len(assessments) > 1:
        finding += f"，{minute(assessments[-1].t)}改判后得分率{pct(scores[-1])}"
    return Result(fraction, evidence, finding, value=int(first["level"]))


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
            evidence.append(cite(delivered[0].delivered, f"{name}收到通知（应参与处置的部门）"))
        elif dept in called:
            for e in view.notices_failed(dept):
                evidence.append(cite(e, f"发往{name}的通知未送达"))
            evidence.append(absent(view, f"{name}已被通知但始终未收到（应参与处置的部门）"))
        else:
            evidence.append(absent(view, f"未通知{name}（应参与处置的部门）"))
    extra = [dept for dept in called if dept not in required]
    for dept in extra:
        evidence.append(cite(called[dept], f"通知了不需要参与处置的{view.dept_name(dept)}"))
    recall = reached / len(required) if required else 1.0
    relevant = sum(1 for dept in called if dept in required)
    precision = relevant / len(called) if called else 0.0
    beta2 = th["beta"] ** 2
    f_beta = (1 + beta2) * precision * recall / (beta2 * precision + recall) if precision + recall > 0 else 0.0
    finding = f"查全率{pct(recall)}（{reached}/{len(required)}），查准率{pct(precision)}（{relevant}/{len(called)}）"
    return Result(f_beta, evidence, finding, value=round(f_beta, 3), details={"precision": precision, "recall": recall})


def measures(ctx: Context, th: Thresholds) -> Result:
    """精准确定处置措施: each measure of the answer key, ordered to a fitting department with parameters
    within tolerance by its deadline, and actually carried out. The best of its orders counts."""
    view = ctx.view
    key_measures = ctx.scenario.answer_key.measures
    if not key_measures:
        return Result(None, [note(view, "本场景未设定标准处置措施，本项不计分")], "不适用")
    evidence: list[Evidence] = []
    shares = []
    for km in key_measures:
        share, items = _measure_fit(view, km, th)
        shares.append(share)
        evidence.extend(items)
    fraction = sum(shares) / len(shares)
    good = sum(1 for s in shares if s >= 0.999)
    return Result(fraction, evidence, f"{len(key_measures)}项关键措施中{good}项完全到位，平均得分率{pct(fraction)}")


def _measure_fit(view: DrillView, km: KeyMeasure, th: Thresholds) -> tuple[float, list[Evidence]]:
    name = view.measure_name(km.measure)
    tasks = view.measure_tasks(km.measure)
    if not tasks:
        items = [
            cite(e, f"下达“{name}”被拒：{_short(e.get('reason', ''))}")
            for e in view.rejected
            if (e.get("detail") or {}).get("measure") == km.measure
        ]
        items.append(absent(view, f"未实施“{name}”（关键措施）"))
        return 0.0, items
    best: tuple[float, TaskView, list[str]] | None = None
    for task in tasks:
        share, notes = _task_fit(view, km, task, th)
        if best is None or share > best[0] + 1e-9:
            best = (share, task, notes)
    share, task, notes = best
    dept = view.dept_name(task.dept)
    verdict = "，".join(notes) if notes else "部门、参数和时机均符合要求"
    items = [cite(task.ordered, f"下达“{name}”（{dept}）：{verdict}")]
    if task.started is not None:
        items.append(cite(task.started, f"“{name}”开始实施"))
    else:
        items.append(absent(view, f"“{name}”未能开始实施"))
    return share, items


def _task_fit(view: DrillView, km: KeyMeasure, task: TaskView, th: Thresholds) -> tuple[float, list[str]]:
    share = 1.0
    notes: list[str] = []
    if km.departments and task.dept not in km.departments:
        share *= th["wrong_department"]
        notes.append(f"应由{'或'.join(view.dept_name(d) for d in km.departments)}执行")
    for pname, want in km.params.items():
        got = task.params.get(pname)
        if not _within(got, want.value, want.tolerance):
            share *= th["wrong_param"]
            hazard = view.scenario.hazard
            given = describe_params(hazard, km.measure, {pname: got}) if got is not None else ""
            notes.append(
                f"{given or param_label(hazard, km.measure, pname) + ' 未给出'}，"
                f"应为{_num(want.value)}±{_num(want.tolerance)}"
            )
    if km.by is not None and task.ordered.t > km.by:
        late = task.ordered.t - km.by
        share *= max(th["late_floor"], ramp(late, 0.0, th["late_zero"]))
        notes.append(f"晚于{minute(km.by)}的时限{span(late)}")
    if task.started is None:
        share *= th["not_started"]
        notes.append("未能开始实施")
    return share, notes


def inject_responses(ctx: Context, th: Thresholds) -> Result:
    """灵活调整处置措施: each situation-changing inject answered within its window by an expected action or
    measure. A measure already under way when the inject arrives was foreseen, and counts; an inject that
    never fired because the team prevented it (``unless``) counts in full."""
    view = ctx.view
    evidence: list[Evidence] = []
    shares = []
    injects = {i.id: i for i in ctx.scenario.injects}
    for resp in ctx.scenario.answer_key.inject_responses:
        inject = injects.get(resp.inject)
        wanted = "或".join(_expect_name(view, x) for x in resp.expect)
        skipped = view.skipped.get(resp.inject)
        released = view.released.get(resp.inject)
        if skipped is not None and inject is not None and inject.unless is not None:
            shares.append(1.0)
            evidence.append(cite(skipped, f"“{inject.title}”未发生：已提前采取措施，风险得到预防"))
            continue
        if released is None:
            continue  # never in play (a condition not met, or after the end): nothing to answer
        first = _first_answer(view, released, resp.expect)
        evidence.append(cite(released, f"情景注入“{released['title']}”，期望{span(resp.within)}内{wanted}"))
        if first is None:
            shares.append(0.0)
            evidence.append(absent(view, f"未针对“{released['title']}”采取预期行动（{wanted}）"))
            continue
        event, delay, what = first
        if delay <= resp.within:
            shares.append(1.0)
            when = "注入前已在实施，预判到位" if delay <= 0 else f"注入后{span(delay)}响应"
            evidence.append(cite(event, f"{what}：{when}"))
        else:
            shares.append(ramp(delay - resp.within, 0.0, th["late_zero"]))
            evidence.append(cite(event, f"{what}：注入后{span(delay)}才响应，超过{span(resp.within)}"))
    if not shares:
        return Result(None, [note(view, "本次推演没有需要应对的态势变化注入，本项不计分、不扣分")], "不适用")
    fraction = sum(shares) / len(shares)
    answered = sum(1 for s in shares if s >= 1)
    return Result(fraction, evidence, f"{len(shares)}个关键注入中{answered}个及时应对", value=answered)


def _first_answer(view: DrillView, released: Event, expect: list[str]) -> tuple[Event, float, str] | None:
    """The earliest decision or task that answers the inject, and how long after it (<= 0: foreseen)."""
    t0 = released.t
    found: list[tuple[float, int, Event, str]] = []
    for x in expect:
        if x in ACTIONS and x not in ("order", "adjust"):
            for d in view.decisions(x):
                if d.t >= t0:
                    found.append((d.t - t0, d.id, d, ACTION_NAMES.get(x, x)))
        elif x == "order":
            for task in view.tasks.values():
                if task.action == "order" and task.ordered.t >= t0:
                    what = f"下达“{view.measure_name(task.measure)}”"
                    found.append((task.ordered.t - t0, task.ordered.id, task.ordered, what))
        elif x == "adjust":
            for d in view.decisions("adjust"):
                if d.t >= t0:
                    measure = (d.get("detail") or {}).get("measure")
                    found.append((d.t - t0, d.id, d, f"调整“{view.measure_name(measure)}”"))
        else:
            for task in view.measure_tasks(x):
                name = view.measure_name(x)
                if task.ordered.t >= t0:
                    found.append((task.ordered.t - t0, task.ordered.id, task.ordered, f"下达“{name}”"))
                elif task.finished is None or task.finished.t >= t0:
                    found.append((0.0, task.ordered.id, task.ordered, f"{minute(task.ordered.t)}已下达“{name}”"))
    if not found:
        return None
    delay, _, event, what = min(found, key=lambda f: (f[0], f[1]))
    return event, delay, what


def info_requests(ctx: Context, th: Thresholds) -> Result:
    """从有限的资讯中抽丝剥茧: requests for information aimed at what the asked department knows and the
    team did not yet, and answered (info_received)."""
    view = ctx.view
    requests = view.decisions("request_info")
    if not requests:
        return Result(0.0, [absent(view, "未向任何部门了解情况（未主动获取关键信息）")], "未了解情况")
    received = view.of("info_received")
    evidence: list[Evidence] = []
    useful = 0
    for d in requests:
        detail = d.get("detail") or {}
        to, topic = detail.get("to"), detail.get("topic")
        name = view.dept_name(to)
        holds = any(f.held_by == to and f.topic == topic for f in ctx.scenario.facts)
        known = [e for e in received if e.get("topic") == topic and e.t <= d.t]
        answer = next((e for e in received if e.get("decision") == d["decision"]), None)
        if known:
            evidence.append(cite(d, f"向{name}了解“{topic}”，但{minute(known[0].t)}已掌握该信息，属重复询问"))
        elif not holds:
            evidence.append(cite(d, f"向{name}了解“{topic}”，该部门不掌握此类信息，询问对象或内容不准"))
        elif answer is None:
            evidence.append(cite(d, f"向{name}了解“{topic}”"))
            evidence.append(absent(view, f"未收到{name}关于“{topic}”的答复"))
        else:
            useful += 1
            evidence.append(cite(d, f"向{name}了解“{topic}”"))
            evidence.append(cite(answer, f"收到{name}关于“{topic}”的信息：{_short(answer.get('text', ''), 40)}"))
    expected = th["expected"]
    fraction = 0.5 * min(1.0, useful / expected) + 0.5 * useful / len(requests)
    return Result(
        fraction, evidence, f"{len(requests)}次询问中{useful}次获得了有用信息（期望至少{expected}次）", value=useful
    )


def outcome(ctx: Context, th: Thresholds) -> Result:
    """The result on the ground against the expert's plan run under the same seed: exposed person-minutes
    and casualties (deaths weighted). Without the reference run the indicator is left out, not failed."""
    view = ctx.view
    team = view.outcome()
    if ctx.reference is None:
        return Result(None, [note(view, "未提供同一种子下参考方案的运行结果，本项不计分、不扣分")], "未比较")
    ref = ctx.reference.outcome()
    if team is None or ref is None:
        return Result(None, [note(view, "推演尚未结束，暂不比较处置结果")], "未比较")
    if ctx.reference.scenario_id not in (None, ctx.scenario.id):
        return Result(None, [note(view, "参考运行不属于本场景，本项不计分")], "未比较")
    end = view.end
    seed_note = "" if ctx.reference.seed == view.seed else "（注意：参考运行的随机种子不同）"
    team_epm, ref_epm = float(team["exposed_person_minutes"]), float(ref["exposed_person_minutes"])
    ratio = team_epm / max(ref_epm, 1.0)
    exposure = ramp(ratio, 1.0 + th["exposure_slack"], th["exposure_zero"])
    w = th["dead_weight"]
    team_harm = team["injured"] + w * team["dead"]
    ref_harm = ref["injured"] + w * ref["dead"]
    excess = team_harm - ref_harm
    harm = ramp(excess, th["casualty_slack"], th["casualty_zero"])
    said = f"受伤{team['injured']}人、死亡{team['dead']}人"
    ref_said = f"参考方案受伤{ref['injured']}人、死亡{ref['dead']}人"
    if excess > 0:
        harm_text = f"{said}；{ref_said}（死亡按{_num(w)}人计，多{_num(excess)}人）"
    else:
        harm_text = f"{said}，不多于{ref_said}"
    evidence = [
        cite(end, f"暴露人·分钟{_num(team_epm)}，参考方案{_num(ref_epm)}，为参考的{ratio:.2f}倍{seed_note}"),
        cite(end, harm_text),
    ]
    fraction = 0.5 * exposure + 0.5 * harm
    finding = f"暴露为参考方案的{ratio:.2f}倍，伤亡{'多于' if excess > th['casualty_slack'] else '接近或少于'}参考方案"
    return Result(fraction, evidence, finding, value=round(ratio, 3), details={"team": team, "reference": ref})


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


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    cut = text.find(" (")
    if cut > 0:
        text = text[:cut]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expect_name(view: DrillView, x: str) -> str:
    if x in ACTIONS:
        return ACTION_NAMES.get(x, x)
    return f"“{view.measure_name(x)}”"


INDICATORS: dict[str, Callable[[Context, Thresholds], Result]] = {
    "level": level,
    "departments": departments,
    "measures": measures,
    "inject_responses": inject_responses,
    "info_requests": info_requests,
    "outcome": outcome,
}
