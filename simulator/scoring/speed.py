"""迅速 — speed: how soon the office judged the event, got its word to the departments, named the commander,
reported up, and had the first measure carried out on scene.

Every time here is read off the event log as it *happened*, not as it was planned: a notice counts when it is
delivered, a report when the higher level receives it, a measure when a crew starts it. A slow channel or a
department that travels far therefore costs speed, which is the point — the office has to allow for them.

Times count from the response clock (``tempo.py``): T+0 unless the answer key starts it at an inject
(``clock_from``), with the thresholds stretched by its ``tempo`` for a slow-onset incident. The measures a
warning obliges are judged from that warning by ``triggers.py``.
"""

from __future__ import annotations

from simulator.scoring.context import Context
from simulator.scoring.evidence import Result, absent, cite, late_by, nothing, notices_lost, ramp
from simulator.scoring.indicators import indicator
from simulator.scoring.rubric import Thresholds
from simulator.scoring.tempo import response_clock
from simulator.vocabulary import LEVELS, MESSAGE_KINDS, name_of, overdue, span

SPEED = "迅速"


def _window(th: Thresholds, lang: str = "zh") -> str:
    if lang == "en":
        return f"full points within {span(th['full_by'], 'en')}, none from {span(th['zero_at'], 'en')}"
    return f"{span(th['full_by'])}内满分，超过{span(th['zero_at'])}不得分"


@indicator("assessment_time", keyword=SPEED, thresholds=("full_by", "zero_at"))
def assessment_time(ctx: Context, th: Thresholds) -> Result:
    """快速进行初步研判: the first assessment (type and level) is the start of every other step."""
    view = ctx.view
    clock = response_clock(ctx)
    th = clock.scale(th, "full_by", "zero_at")
    first = view.first("assessment")
    report = view.first("inject_released")
    if first is None:
        return nothing(
            view,
            "not_assessed",
            "未进行初步研判（未确定事件类型和响应级别）",
            "no initial assessment had been made",
            "未进行初步研判",
            "No initial assessment",
        )
    evidence = []
    if report is not None and report.t <= first.t:
        evidence.append(
            cite(
                report,
                "first_report",
                f"首次接报：{report['title']}",
                f"First report: {report['title']}",
                inject=report.get("inject"),
            )
        )
    fraction = ramp(clock.since(first.t), th["full_by"], th["zero_at"])
    level = LEVELS.get(first["level"])
    kind = "assessed" if clock.since(first.t) <= th["full_by"] else "assessed_late"
    evidence.append(
        cite(
            first,
            kind,
            f"完成初步研判（{first['event_type']}，{name_of(LEVELS, first['level'])}），"
            f"{clock.elapsed(first.t)}（{_window(th)}）",
            f"Initial assessment made ({first['event_type']}, {level('en') if level else first['level']}) "
            f"{clock.elapsed(first.t, 'en')} ({_window(th, 'en')})",
            deadline=clock.deadline(th["full_by"]),
            minutes_late=late_by(first.t, clock.deadline(th["full_by"])) or None,
        )
    )
    finding = f"{view.when(first.t)}完成初步研判"
    return Result(fraction, evidence, finding, f"Initial assessment at {view.when(first.t, 'en')}", value=first.t)


@indicator("notify_time", keyword=SPEED, thresholds=("full_by", "zero_at"))
def notify_time(ctx: Context, th: Thresholds) -> Result:
    """明确参与处置的部门: each required department, from the moment the office's word reached it."""
    view = ctx.view
    clock = response_clock(ctx)
    th = clock.scale(th, "full_by", "zero_at")
    required = ctx.scenario.answer_key.required_departments
    evidence = []
    shares = []
    latest = 0.0
    for dept in required:
        name = view.dept_name(dept)
        delivered = view.notices_delivered(dept)
        if delivered:
            msg = delivered[0]
            t = msg.delivered.t
            share = ramp(clock.since(t), th["full_by"], th["zero_at"])
            shares.append(share)
            latest = max(latest, t)
            kind = MESSAGE_KINDS.get(msg.kind or "notice", MESSAGE_KINDS["notice"])
            on_time = clock.since(t) <= th["full_by"]
            due = clock.deadline(th["full_by"])
            evidence.append(
                cite(
                    msg.delivered,
                    "notified" if on_time else "notified_late",
                    f"{name}收到{kind.zh}，{clock.elapsed(t)}"
                    + ("" if on_time else f"，超过{span(th['full_by'])}时限{overdue(t - due)}"),
                    f"{name} received the {kind.en} {clock.elapsed(t, 'en')}"
                    + ("" if on_time else f", {overdue(t - due, 'en')} past {span(th['full_by'], 'en')}"),
                    depts=[dept],
                    deadline=due,
                    minutes_late=None if on_time else late_by(t, due),
                )
            )
            continue
        shares.append(0.0)
        evidence.extend(notices_lost(view, dept))
        evidence.append(
            absent(
                view,
                "not_notified",
                f"{name}未收到总值班室的通知（应参与处置的部门）",
                f"{name} (a department that should take part) had not received the duty office's word",
                depts=[dept],
            )
        )
    fraction = sum(shares) / len(shares) if shares else 0.0
    reached = sum(1 for d in required if view.notices_delivered(d))
    in_time = sum(1 for s in shares if s >= 1)
    finding = f"{len(required)}个应参与部门中{reached}个收到通知，{in_time}个在{span(th['full_by'])}内收到"
    finding_en = (
        f"{reached} of {len(required)} departments that should take part were notified, "
        f"{in_time} within {span(th['full_by'], 'en')}"
    )
    return Result(fraction, evidence, finding, finding_en, value=latest if reached == len(required) else None)


@indicator("commander_time", keyword=SPEED, thresholds=("full_by", "zero_at", "wrong_department"))
def commander_time(ctx: Context, th: Thresholds) -> Result:
    """现场指挥的安排: the commander counts once the appointment reaches the commander's department."""
    view = ctx.view
    clock = response_clock(ctx)
    th = clock.scale(th, "full_by", "zero_at")
    appointed = view.first("commander_appointed")
    if appointed is None:
        return nothing(
            view,
            "no_commander",
            "未明确现场指挥（未任命现场总指挥）",
            "no on-site commander had been named",
            "未明确现场指挥",
            "No on-site commander",
        )
    dept = appointed["dept"]
    name = view.dept_name(dept)
    person = appointed["person"]
    evidence = [
        cite(
            appointed,
            "commander",
            f"任命{name}{person}为现场指挥",
            f"{person} of {name} appointed on-site commander",
            depts=[dept],
            person=person,
        )
    ]
    delivered = [
        m
        for m in view.messages.values()
        if m.kind == "appointment" and m.dst == dept and m.delivered is not None and m.delivered.t >= appointed.t
    ]
    if not delivered:
        evidence.extend(notices_lost(view, dept, "任命通知", "appointment"))
        evidence.append(
            absent(
                view,
                "commander_unreached",
                f"任命通知始终未送达{name}，现场指挥未能到位",
                f"the appointment had never reached {name}: no commander in place",
                depts=[dept],
                person=person,
            )
        )
        return Result(0.0, evidence, "任命通知未送达", "The appointment never arrived")
    msg = min(delivered, key=lambda m: (m.delivered.t, m.delivered.id))
    t = msg.delivered.t
    fraction = ramp(clock.since(t), th["full_by"], th["zero_at"])
    on_time = clock.since(t) <= th["full_by"]
    evidence.append(
        cite(
            msg.delivered,
            "commander_arrived" if on_time else "commander_late",
            f"任命通知送达{name}，{clock.elapsed(t)}（{_window(th)}）",
            f"the appointment reached {name} {clock.elapsed(t, 'en')} ({_window(th, 'en')})",
            depts=[dept],
            deadline=clock.deadline(th["full_by"]),
            minutes_late=None if on_time else late_by(t, clock.deadline(th["full_by"])),
        )
    )
    expected = ctx.scenario.answer_key.commander_department
    if expected and expected != dept:
        fraction *= th["wrong_department"]
        evidence.append(
            cite(
                appointed,
                "commander_wrong_department",
                f"现场指挥应由{view.dept_name(expected)}担任，{name}不是牵头部门，本项按比例扣分",
                f"the commander should come from {view.dept_name(expected)}; {name} is not the leading department",
                depts=[dept],
                expected=expected,
                actual=dept,
            )
        )
    return Result(
        fraction, evidence, f"{view.when(t)}现场指挥到位", f"Commander in place at {view.when(t, 'en')}", value=t
    )


@indicator("first_measure_time", keyword=SPEED, thresholds=("full_by", "zero_at"))
def first_measure_time(ctx: Context, th: Thresholds) -> Result:
    """初步确定现场处置救援方案: the first measure a crew actually starts on scene."""
    view = ctx.view
    clock = response_clock(ctx)
    th = clock.scale(th, "full_by", "zero_at")
    started = [
        t for t in view.tasks.values() if t.measure is not None and t.started is not None and _on_scene(ctx, t.measure)
    ]
    if not started:
        return nothing(
            view,
            "no_measure",
            "现场未实施任何处置措施",
            "no measure had been carried out on scene",
            "现场未实施处置措施",
            "No measure carried out on scene",
        )
    task = min(started, key=lambda t: (t.started.t, t.started.id))
    name = view.measure_name(task.measure)
    dept = view.dept_name(task.dept)
    t = task.started.t
    fraction = ramp(clock.since(t), th["full_by"], th["zero_at"])
    on_time = clock.since(t) <= th["full_by"]
    evidence = [
        cite(
            task.ordered,
            "measure_ordered",
            f"下达“{name}”（{dept}）",
            f"“{name}” ordered ({dept})",
            measure=task.measure,
            depts=[task.dept],
        ),
        cite(
            task.started,
            "measure_started" if on_time else "measure_started_late",
            f"现场开始实施“{name}”，{_since_report(clock, t)}（{_window(th)}）",
            f"“{name}” began on scene {_since_report(clock, t, 'en')} ({_window(th, 'en')})",
            measure=task.measure,
            depts=[task.dept],
            deadline=clock.deadline(th["full_by"]),
            minutes_late=None if on_time else late_by(t, clock.deadline(th["full_by"])),
        ),
    ]
    return Result(
        fraction,
        evidence,
        f"{view.when(t)}现场首项措施开始实施",
        f"First measure on scene at {view.when(t, 'en')}",
        value=t,
    )


def _since_report(clock, t: float, lang: str = "zh") -> str:
    """“距接报20分钟” as before when the clock starts at T+0, else counted from the inject that starts it."""
    if clock.origin is None:
        return f"{span(t, 'en')} after the first report" if lang == "en" else f"距接报{span(t)}"
    return clock.elapsed(t, lang)


def _on_scene(ctx: Context, measure: str) -> bool:
    spec = ctx.scenario.measure(measure)
    return spec is not None and spec.on_scene
