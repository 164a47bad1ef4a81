"""有序 — no duplicated or conflicting orders: a measure ordered twice, parameters that contradict each other, a
department's commander replaced or a third commander named, a department notified again after it had the notice.

Apart from ``order.py`` because what counts as a conflict is a question of its own (joint commanders, 双指挥长, are
normal in district plans; an order already in force is not a notice), and it keeps both files readable.
"""

from __future__ import annotations

from simulator.scoring.context import Context, DrillView, TaskView
from simulator.scoring.evidence import Evidence, Result, cite, nothing, unique
from simulator.scoring.indicators import indicator
from simulator.scoring.order import ORDER, _never_arrived, _task_name
from simulator.scoring.rubric import Thresholds


@indicator("no_conflicts", keyword=ORDER, thresholds=("per_item",))
def no_conflicts(ctx: Context, th: Thresholds) -> Result:
    """No duplicated or conflicting orders: a second order of a running measure, a second commander,
    a second notice to a department that already has one. Changing a measure is what ``adjust`` is for.
    """
    view = ctx.view
    offences: list[Evidence] = []
    last: dict[str, TaskView] = {}
    for t in view.tasks.values():
        if t.measure is None:
            continue
        prev = last.get(t.measure)
        if t.action == "order" and prev is not None and not _never_arrived(prev):
            offences.append(_repeat(view, prev, t))
        last[t.measure] = t
    joint = _commanders(view, offences)
    for d in view.decisions("notify"):
        for dept in (d.get("detail") or {}).get("to") or []:
            # only an earlier notice makes this one a repeat: an order or appointment that reached the department
            # notified it of its task, and the office's formal notice after it is no duplicate
            had = [m for m in view.notices_delivered(dept) if m.delivered.t <= d.t and m.kind == "notice"]
            if had:
                name, at = view.dept_name(dept), had[0].delivered.t
                offences.append(
                    cite(
                        d,
                        "duplicate",
                        f"重复通知{name}（{view.when(at)}已收到通知）",
                        f"{name} notified again (it had the notice at {view.when(at, 'en')})",
                        action="notify",
                        depts=[dept],
                        decision=d.get("decision"),
                    )
                )
    tasks = list(view.tasks.values())
    if not tasks and not view.decisions("notify"):
        return nothing(
            view,
            "no_decisions",
            "未下达任何通知或命令，无从体现指挥有序",
            "no notice or order had been given, so there was no order to judge",
            "未下达命令",
            "No orders",
        )
    if not offences:
        evidence = joint + [
            cite(
                t.ordered,
                "no_conflict",
                f"下达“{_task_name(view, t)}”，无重复或冲突",
                f"“{_task_name(view, t)}” ordered, neither repeated nor contradicted",
                measure=t.measure,
            )
            for t in tasks
        ]
        if not evidence:
            evidence = [
                cite(d, "no_conflict", "发出通知，无重复", "notice sent, not repeated", decision=d.get("decision"))
                for d in view.decisions("notify")
            ]
        return Result(
            1.0,
            evidence,
            f"{len(tasks)}项命令无重复或冲突",
            f"{len(tasks)} orders, none repeated or contradicted",
            value=0,
        )
    fraction = 1.0 - th["per_item"] * len(offences)
    return Result(
        fraction,
        unique(offences) + joint,
        f"{len(offences)}处重复或冲突的命令",
        f"{len(offences)} repeated or conflicting orders",
        value=len(offences),
    )


#: how many departments may each have a commander at once: 双指挥长 (e.g. 应急局 and 公安) is a common, sound
#: arrangement in district plans; a third commander from yet another department leaves no one in charge
JOINT_COMMANDERS = 2


def _commanders(view: DrillView, offences: list[Evidence]) -> list[Evidence]:
    """Judge the appointments of commanders as an evaluator does; offences are appended, and the evidence of joint
    commanders returned. The same person appointed again is a duplicate; another person for a department that
    already has its commander replaces them without a word and leaves two commanders of one department (a
    conflict); a commander of another department beside the first is 双指挥长, allowed; a third is a conflict."""
    joint: list[Evidence] = []
    current: dict[str, str] = {}  # department -> its commander
    for cur in view.of("commander_appointed"):
        dept, person = cur["dept"], cur["person"]
        people = {"action": "appoint_commander", "depts": [dept], "person": person}
        if person in current.values():
            offences.append(
                cite(cur, "duplicate", f"重复任命{person}为现场指挥", f"{person} appointed commander again", **people)
            )
        elif dept in current:
            before = current[dept]
            offences.append(
                cite(
                    cur,
                    "conflict",
                    f"再次任命现场指挥（{before} → {person}），指挥关系不清",
                    f"a second commander appointed ({before} → {person}): unclear who commands",
                    expected=before,
                    actual=person,
                    **people,
                )
            )
        elif len(current) >= JOINT_COMMANDERS:
            others = "、".join(current.values())
            offences.append(
                cite(
                    cur,
                    "conflict",
                    f"在{others}之外又任命{person}为现场指挥，指挥长多于两名，指挥关系不清",
                    f"{person} appointed commander beside {others}: more than two commanders, unclear who commands",
                    expected=others,
                    actual=person,
                    **people,
                )
            )
        elif current:
            others = "、".join(current.values())
            joint.append(
                cite(
                    cur,
                    "joint_command",
                    f"任命{view.dept_name(dept)}{person}与{others}共同担任现场指挥（双指挥长），分工明确，不属冲突",
                    f"{person} of {view.dept_name(dept, 'en')} appointed joint commander with {others}",
                    **people,
                )
            )
        current[dept] = person
    return joint


def _repeat(view: DrillView, prev: TaskView, t: TaskView) -> Evidence:
    """A measure ordered again while the earlier order stands: the same order, other parameters, or another crew."""
    name = view.measure_name(t.measure)
    at, at_en = view.when(prev.ordered.t), view.when(prev.ordered.t, "en")
    facts = {"action": "order", "measure": t.measure, "decision": t.ordered.get("decision")}
    if prev.dept == t.dept and prev.params == t.params:
        return cite(
            t.ordered,
            "duplicate",
            f"重复下达“{name}”，与{at}的命令相同",
            f"“{name}” ordered again, the same as the order at {at_en}",
            depts=[t.dept],
            **facts,
        )
    if prev.params != t.params:
        before, after = view.params_text(t.measure, prev.params), view.params_text(t.measure, t.params)
        before_en, after_en = (
            view.params_text(t.measure, prev.params, "en"),
            view.params_text(t.measure, t.params, "en"),
        )
        return cite(
            t.ordered,
            "conflict",
            f"再次下达“{name}”且参数不同（{before} → {after}），与{at}的命令冲突，应使用“调整措施”",
            f"“{name}” ordered again with other parameters ({before_en} → {after_en}), contradicting the order at "
            f"{at_en}; an adjustment was called for",
            depts=[t.dept],
            expected=prev.params,
            actual=t.params,
            **facts,
        )
    prev_dept, dept = view.dept_name(prev.dept), view.dept_name(t.dept)
    return cite(
        t.ordered,
        "duplicate",
        f"再次下达“{name}”（改由{dept}执行），与{at}交给{prev_dept}的命令重复",
        f"“{name}” ordered again (now to {dept}), repeating the order given to {prev_dept} at {at_en}",
        depts=[prev.dept, t.dept],
        **facts,
    )
