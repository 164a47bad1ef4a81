"""迅速 — measures the plan obliges once a trigger fires (按预警/触发条件及时采取措施).

A district's 防汛应急预案 says what a warning obliges: at a 暴雨红色预警, 停课停工停业停运 and the closing of
underground spaces. The answer key states such rules as ``triggers`` (``on: {inject: i03}``, ``measures``,
``within``). Each measure is judged by when it was *ordered*, counted from the trigger's release — not from
T+0 — so a team that acts at the second warning and one that waits for the fifth score differently however
many hours into the drill the warnings fall. A measure ordered before the trigger (foreseen) is on time.

Lateness costs in proportion: full points by the rule's deadline, none at ``late_zero`` minutes past it (the
rubric's, multiplied by the answer key's tempo). A rule whose trigger never fired (a conditional inject that did
not come, a drill stopped early) is not counted; a scenario without triggers leaves the indicator out.
"""

from __future__ import annotations

from simulator.formats.scenario import Trigger
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import Evidence, Result, absent, cite, late_by, not_applicable, ramp
from simulator.scoring.indicators import indicator
from simulator.scoring.rubric import Thresholds
from simulator.scoring.tempo import response_clock
from simulator.vocabulary import overdue, span

SPEED = "迅速"


@indicator("trigger_measures", keyword=SPEED, thresholds=("late_zero",))
def trigger_measures(ctx: Context, th: Thresholds) -> Result:
    """Each trigger rule's measures, ordered within its window after the trigger's release."""
    view = ctx.view
    rules = ctx.scenario.answer_key.triggers
    if not rules:
        return not_applicable(
            view, "本场景未设定预警或触发条件，本项不计分", "the scenario states no triggers, so this is left out"
        )
    late_zero = th["late_zero"] * response_clock(ctx).tempo
    evidence: list[Evidence] = []
    shares: list[float] = []
    for rule in rules:
        title = _title(ctx, rule.on.inject)
        fired = view.released.get(rule.on.inject)
        if fired is None:
            evidence.append(
                absent(
                    view,
                    "trigger_not_released",
                    f"未出现“{title}”，相应的预案规定措施不计分",
                    f"“{title}” never came, so the measures it obliges are not counted",
                    inject=rule.on.inject,
                )
            )
            continue
        deadline = fired.t + rule.within
        names = "、".join(f"“{view.measure_name(m)}”" for m in rule.measures)
        names_en = ", ".join(f"“{view.measure_name(m, 'en')}”" for m in rule.measures)
        rule_zh, rule_en = (f"（{rule.name}）", f" ({rule.name})") if rule.name else ("", "")
        evidence.append(
            cite(
                fired,
                "trigger_released",
                f"“{title}”发布{rule_zh}，按预案应在{span(rule.within)}内下达{names}",
                f"“{title}” released{rule_en}: the plan obliges {names_en} within {span(rule.within, 'en')}",
                inject=rule.on.inject,
                deadline=deadline,
            )
        )
        for measure in rule.measures:
            share = _measure(view, rule, title, measure, deadline, late_zero, evidence)
            if share is not None:
                shares.append(share)
    if not shares:
        return Result(None, evidence, "触发条件未出现，不适用", "No trigger arose: not applicable")
    on_time = sum(1 for s in shares if s >= 1)
    finding = f"预警/触发条件要求的{len(shares)}项措施中{on_time}项按时下达"
    finding_en = f"{on_time} of the {len(shares)} measures the triggers oblige ordered in time"
    return Result(sum(shares) / len(shares), evidence, finding, finding_en, value=on_time)


def _title(ctx: Context, inject: str) -> str:
    """The trigger inject's title as the trainees read it (never its id)."""
    found = next((i for i in ctx.scenario.injects if i.id == inject), None)
    return found.title if found is not None else "触发条件"


def _measure(
    view: DrillView, rule: Trigger, title: str, measure: str, deadline: float, late_zero: float, evidence: list
) -> float | None:
    """One obliged measure's share (1 on time, less the later it was ordered; None: not yet due)."""
    name, name_en = view.measure_name(measure), view.measure_name(measure, "en")
    due_zh, due_en = f"“{title}”后{span(rule.within)}内", f"within {span(rule.within, 'en')} of “{title}”"
    facts = {"inject": rule.on.inject, "measure": measure, "deadline": deadline}
    tasks = sorted(view.measure_tasks(measure), key=lambda t: (t.ordered.t, t.ordered.id))
    if not tasks:
        if not view.ended and view.end.t <= deadline:
            return None  # a live drill before the deadline: nothing to judge yet
        evidence.append(
            absent(
                view,
                "trigger_missed",
                f"未下达“{name}”（按预案应在{due_zh}下达）",
                f"“{name_en}” had not been ordered (due {due_en})",
                **facts,
            )
        )
        return 0.0
    task = tasks[0]
    dept, dept_en = view.dept_name(task.dept), view.dept_name(task.dept, "en")
    late = task.ordered.t - deadline
    if late <= 0:
        evidence.append(
            cite(
                task.ordered,
                "trigger_met",
                f"下达“{name}”（{dept}），在{due_zh}",
                f"“{name_en}” ordered ({dept_en}) {due_en}",
                depts=[task.dept],
                **facts,
            )
        )
    else:
        evidence.append(
            cite(
                task.ordered,
                "trigger_late",
                f"下达“{name}”（{dept}），晚于{due_zh}的时限{overdue(late)}，按迟延比例扣分",
                f"“{name_en}” ordered ({dept_en}) {overdue(late, 'en')} after the deadline {due_en}",
                depts=[task.dept],
                minutes_late=late_by(task.ordered.t, deadline),
                **facts,
            )
        )
    if task.started is not None:
        evidence.append(
            cite(
                task.started,
                "measure_started",
                f"“{name}”开始实施（{dept}）",
                f"“{name_en}” began ({dept_en})",
                measure=measure,
                depts=[task.dept],
            )
        )
    return 1.0 if late <= 0 else ramp(late, 0.0, late_zero)
