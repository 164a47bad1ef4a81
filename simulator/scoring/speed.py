"""迅速 — speed: how soon the office judged the event, got its word to the departments, named the commander,
reported up, and had the first measure carried out on scene.

Every time here is read off the event log as it *happened*, not as it was planned: a notice counts when it is
delivered, a report when the higher level receives it, a measure when a crew starts it. A slow channel or a
department that travels far therefore costs speed, which is the point — the office has to allow for them.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.formats.common import LEVEL_NAMES
from simulator.scoring.context import Context
from simulator.scoring.evidence import Result, absent, cite, minute, ramp, span
from simulator.scoring.rubric import Thresholds

MSG_KIND_NAMES = {"notice": "通知", "appointment": "任命通知", "order": "任务命令"}


def _window(th: Thresholds) -> str:
    return f"{span(th['full_by'])}内满分，超过{span(th['zero_at'])}不得分"


def assessment_time(ctx: Context, th: Thresholds) -> Result:
    """快速进行初步研判: the first assessment (type and level) is the start of every other step."""
    view = ctx.view
    first = view.first("assessment")
    report = view.first("inject_released")
    if first is None:
        return Result(0.0, [absent(view, "未进行初步研判（未确定事件类型和响应级别）")], "未进行初步研判")
    evidence = []
    if report is not None and report.t <= first.t:
        evidence.append(cite(report, f"首次接报：{report['title']}"))
    fraction = ramp(first.t, th["full_by"], th["zero_at"])
    level = LEVEL_NAMES.get(first["level"], str(first["level"]))
    evidence.append(
        cite(first, f"完成初步研判（{first['event_type']}，{level}），用时{span(first.t)}（{_window(th)}）")
    )
    return Result(fraction, evidence, f"{minute(first.t)}完成初步研判", value=first.t)


def notify_time(ctx: Context, th: Thresholds) -> Result:
    """明确参与处置的部门: each required department, from the moment the office's word reached it."""
    view = ctx.view
    required = ctx.scenario.answer_key.required_departments
    evidence = []
    shares = []
    latest = 0.0
    for dept in required:
        name = view.dept_name(dept)
        delivered = view.notices_delivered(dept)
        if delivered:
            msg = delivered[0]
            share = ramp(msg.delivered.t, th["full_by"], th["zero_at"])
            shares.append(share)
            latest = max(latest, msg.delivered.t)
            kind = MSG_KIND_NAMES.get(msg.kind or "", "通知")
            verdict = "" if share >= 1 else f"，超过{span(th['full_by'])}"
            evidence.append(cite(msg.delivered, f"{name}收到{kind}，用时{span(msg.delivered.t)}{verdict}"))
            continue
        shares.append(0.0)
        failed = view.notices_failed(dept)
        for e in failed:
            evidence.append(cite(e, f"发往{name}的通知未送达"))
        evidence.append(absent(view, f"{name}未收到总值班室的通知（应参与处置的部门）"))
    fraction = sum(shares) / len(shares) if shares else 0.0
    reached = sum(1 for d in required if view.notices_delivered(d))
    in_time = sum(1 for s in shares if s >= 1)
    finding = f"{len(required)}个应参与部门中{reached}个收到通知，{in_time}个在{span(th['full_by'])}内收到"
    return Result(fraction, evidence, finding, value=latest if reached == len(required) else None)


def commander_time(ctx: Context, th: Thresholds) -> Result:
    """现场指挥的安排: the commander counts once the appointment reaches the commander's department."""
    view = ctx.view
    appointed = view.first("commander_appointed")
    if appointed is None:
        return Result(0.0, [absent(view, "未明确现场指挥（未任命现场总指挥）")], "未明确现场指挥")
    dept = appointed["dept"]
    name = view.dept_name(dept)
    evidence = [cite(appointed, f"任命{name}{appointed['person']}为现场指挥")]
    delivered = [
        m
        for m in view.messages.values()
        if m.kind == "appointment" and m.dst == dept and m.delivered is not None and m.delivered.t >= appointed.t
    ]
    if not delivered:
        for e in view.notices_failed(dept):
            evidence.append(cite(e, f"发往{name}的任命通知未送达"))
        evidence.append(absent(view, f"任命通知始终未送达{name}，现场指挥未能到位"))
        return Result(0.0, evidence, "任命通知未送达")
    msg = min(delivered, key=lambda m: (m.delivered.t, m.delivered.id))
    fraction = ramp(msg.delivered.t, th["full_by"], th["zero_at"])
    evidence.append(cite(msg.delivered, f"任命通知送达{name}，用时{span(msg.delivered.t)}（{_window(th)}）"))
    expected = ctx.scenario.answer_key.commander_department
    if expected and expected != dept:
        fraction *= th["wrong_department"]
        evidence.append(
            cite(appointed, f"现场指挥应由{view.dept_name(expected)}担任，{name}不是牵头部门，本项按比例扣分")
        )
    return Result(fraction, evidence, f"{minute(msg.delivered.t)}现场指挥到位", value=msg.delivered.t)


def report_up(ctx: Context, th: Thresholds) -> Result:
    """按时限上报: first report (any mode) against the phone deadline, first written one against its own.

    The deadlines are those of the event's *true* level from the answer key: judging the level too low does
    not buy more time.
    """
    view = ctx.view
    key = ctx.scenario.answer_key
    level = key.level
    level_name = LEVEL_NAMES[level]
    received = sorted(view.of("report_received"), key=lambda e: (e.t, e.id))
    written = [e for e in received if e.get("mode") == "written"]
    evidence = []

    def part(first, deadline: float, what: str, modes: tuple[str, ...]) -> float:
        if first is None:
            for d in view.decisions("report_up"):
                mode = (d.get("detail") or {}).get("mode")
                if mode in modes and not any(r.get("decision") == d["decision"] for r in received):
                    evidence.append(cite(d, f"作出上报决定，但{what}未送达上级"))
            evidence.append(absent(view, f"上级未收到{what}（{level_name}时限为{span(deadline)}）"))
            return 0.0
        target = view.dept_name(first.get("to"))
        late = first.t - deadline
        if late <= 0:
            evidence.append(cite(first, f"{target}收到{what}，在{span(deadline)}时限内"))
            return 1.0
        evidence.append(cite(first, f"{target}收到{what}，超过{span(deadline)}时限{span(late)}"))
        return ramp(late, 0.0, th["late_zero"])

    phone = part(
        received[0] if received else None, key.report_deadlines.phone[level], "首次报告（电话）", ("phone", "written")
    )
    paper = part(written[0] if written else None, key.report_deadlines.written[level], "书面报告", ("written",))
    for inj in view.of("inject_released"):
        if inj.get("source") in {view.dept_name(d) for d in ctx.scenario.higher_level}:
            evidence.append(cite(inj, f"上级来电催报：{inj['title']}"))
    for e in received:
        reported = e.get("level")
        if reported is not None and reported != level:
            evidence.append(cite(e, f"报告的响应级别为{LEVEL_NAMES.get(reported, reported)}，实际应为{level_name}"))
    fraction = th["phone_share"] * phone + (1 - th["phone_share"]) * paper
    finding = (
        "首报" + ("按时" if phone >= 1 else "超时或缺失") + "，书面报告" + ("按时" if paper >= 1 else "超时或缺失")
    )
    return Result(fraction, evidence, finding, value=received[0].t if received else None)


def first_measure_time(ctx: Context, th: Thresholds) -> Result:
    """初步确定现场处置救援方案: the first measure a crew actually starts on scene."""
    view = ctx.view
    started = [
        t for t in view.tasks.values() if t.measure is not None and t.started is not None and _on_scene(ctx, t.measure)
    ]
    if not started:
        return Result(0.0, [absent(view, "现场未实施任何处置措施")], "现场未实施处置措施")
    task = min(started, key=lambda t: (t.started.t, t.started.id))
    name = view.measure_name(task.measure)
    fraction = ramp(task.started.t, th["full_by"], th["zero_at"])
    evidence = [
        cite(task.ordered, f"下达“{name}”（{view.dept_name(task.dept)}）"),
        cite(task.started, f"现场开始实施“{name}”，距接报{span(task.started.t)}（{_window(th)}）"),
    ]
    return Result(fraction, evidence, f"{minute(task.started.t)}现场首项措施开始实施", value=task.started.t)


def _on_scene(ctx: Context, measure: str) -> bool:
    spec = ctx.scenario.measure(measure)
    return spec is not None and spec.on_scene


INDICATORS: dict[str, Callable[[Context, Thresholds], Result]] = {
    "assessment_time": assessment_time,
    "notify_time": notify_time,
    "commander_time": commander_time,
    "report_up": report_up,
    "first_measure_time": first_measure_time,
}
