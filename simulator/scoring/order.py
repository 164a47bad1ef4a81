"""有序 — order: a command post before the orders, a named owner for every task, the expected working groups,
no duplicated or conflicting orders, adjustments that follow the situation, and no invalid decisions.

The doctrine's 乱中有序、急中求稳 is read as structure visible in the log: who was put in charge of what, in
what sequence, and whether the team changed course for a reason rather than on a whim.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from simulator.engine.events import Event
from simulator.formats.plan import ACTION_NAMES
from simulator.scoring.context import NOTICE_KINDS, Context, TaskView
from simulator.scoring.evidence import Evidence, Result, absent, cite, minute, note, pct, span, unique
from simulator.scoring.rubric import Thresholds


def command_post_first(ctx: Context, th: Thresholds) -> Result:
    """设立指挥中心 before 制定处置措施: the share of orders given once the command post was decided on."""
    view = ctx.view
    decided = view.decisions("establish_command_post")
    tasks = list(view.tasks.values())
    if not decided:
        evidence = [absent(view, "未设立现场指挥部")]
        if tasks:
            first = tasks[0]
            evidence.append(
                cite(
                    first.ordered,
                    f"在没有现场指挥部的情况下下达“{_task_name(view, first)}”等{len(tasks)}项任务",
                )
            )
        return Result(0.0, evidence, "未设立现场指挥部")
    cp = decided[0]
    detail = cp.get("detail") or {}
    evidence = [
        cite(cp, f"决定设立现场指挥部（{detail.get('location', '现场')}），设{len(detail.get('groups') or [])}个工作组")
    ]
    before = [t for t in tasks if t.ordered.t < cp.t - th["grace"]]
    for t in before:
        evidence.append(cite(t.ordered, f"设立指挥部之前下达“{_task_name(view, t)}”"))
    share = 1.0 - len(before) / len(tasks) if tasks else 1.0
    established = view.first("command_post_established")
    if established is not None:
        evidence.append(cite(established, f"现场指挥部建成，用时{span(established.t - cp.t)}"))
        factor = 1.0
    else:
        evidence.append(absent(view, "现场指挥部未能建成运转"))
        factor = th["not_established"]
    if tasks and not before:
        evidence.append(cite(tasks[0].ordered, f"首项任务在指挥部设立之后下达（{len(tasks)}项任务均在其后）"))
    finding = f"{minute(cp.t)}设立指挥部，{pct(share)}的任务在其后下达"
    return Result(share * factor, evidence, finding, value=cp.t)


def task_owners(ctx: Context, th: Thresholds) -> Result:
    """明确工作责任和具体责任人: every task in the ledger names a person, not just a department."""
    view = ctx.view
    tasks = list(view.tasks.values())
    if not tasks:
        return Result(0.0, [absent(view, "未下达任何任务，无从明确责任人")], "未下达任务")
    evidence = []
    named = 0
    for t in tasks:
        name = _task_name(view, t)
        if t.owner:
            named += 1
            inherited = t.action == "adjust" and not t.ordered.get("owner")
            how = "沿用原责任人" if inherited else "责任人"
            evidence.append(cite(t.ordered, f"“{name}”（{view.dept_name(t.dept)}）{how}：{t.owner}"))
        else:
            evidence.append(cite(t.ordered, f"“{name}”（{view.dept_name(t.dept)}）未明确具体责任人"))
    share = named / len(tasks)
    fraction = _between(share, th["zero_share"], th["full_share"])
    return Result(fraction, evidence, f"{len(tasks)}项任务中{named}项明确了具体责任人", value=round(share, 3))


def working_groups(ctx: Context, th: Thresholds) -> Result:
    """The command post's working groups against the ones the answer key expects (by name)."""
    view = ctx.view
    expected = ctx.scenario.answer_key.working_groups
    established = view.first("command_post_established")
    decided = view.decisions("establish_command_post")
    source: Event | None = established or (decided[0] if decided else None)
    if not expected:
        return Result(None, [note(view, "本场景未设定预期工作组，本项不计分")], "不适用")
    if source is None:
        return Result(0.0, [absent(view, "未设立现场指挥部，未成立任何工作组")], "未成立工作组")
    groups = (
        source.get("groups")
        if source.kind == "command_post_established"
        else (source.get("detail") or {}).get("groups")
    )
    groups = list(groups or [])
    evidence = []
    matched = 0
    for want in expected:
        group = next((g for g in groups if _same_group(g.get("name", ""), want)), None)
        if group is not None:
            matched += 1
            evidence.append(
                cite(
                    source,
                    f"成立“{group['name']}”，牵头{view.dept_name(group.get('lead'))}，责任人{group.get('owner')}",
                )
            )
        else:
            evidence.append(cite(source, f"缺少“{want}”"))
    extra = [g["name"] for g in groups if not any(_same_group(g.get("name", ""), w) for w in expected)]
    if extra:
        evidence.append(cite(source, f"另设{'、'.join(extra)}"))
    share = matched / len(expected)
    fraction = _between(share, th["zero_share"], th["full_share"])
    return Result(fraction, evidence, f"预期{len(expected)}个工作组，成立了其中{matched}个", value=round(share, 3))


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
            name = view.measure_name(t.measure)
            if prev.dept == t.dept and prev.params == t.params:
                offences.append(cite(t.ordered, f"重复下达“{name}”，与{minute(prev.ordered.t)}的命令相同"))
            elif prev.params != t.params:
                offences.append(
                    cite(
                        t.ordered,
                        f"再次下达“{name}”且参数不同（{_params(prev.params)} → {_params(t.params)}），"
                        f"与{minute(prev.ordered.t)}的命令冲突，应使用“调整措施”",
                    )
                )
            else:
                offences.append(
                    cite(
                        t.ordered,
                        f"再次下达“{name}”（改由{view.dept_name(t.dept)}执行），"
                        f"与{minute(prev.ordered.t)}交给{view.dept_name(prev.dept)}的命令重复",
                    )
                )
        last[t.measure] = t
    commanders = view.of("commander_appointed")
    for prev, cur in pairwise(commanders):
        if cur["person"] != prev["person"]:
            offences.append(cite(cur, f"再次任命现场指挥（{prev['person']} → {cur['person']}），指挥关系不清"))
        else:
            offences.append(cite(cur, f"重复任命{cur['person']}为现场指挥"))
    for d in view.decisions("notify"):
        for dept in (d.get("detail") or {}).get("to") or []:
            had = [m for m in view.notices_delivered(dept) if m.delivered.t <= d.t and m.kind in NOTICE_KINDS]
            if had:
                offences.append(cite(d, f"重复通知{view.dept_name(dept)}（{minute(had[0].delivered.t)}已收到通知）"))
    tasks = list(view.tasks.values())
    if not tasks and not view.decisions("notify"):
        return Result(0.0, [absent(view, "未下达任何通知或命令，无从体现指挥有序")], "未下达命令")
    if not offences:
        evidence = [cite(t.ordered, f"下达“{_task_name(view, t)}”，无重复或冲突") for t in tasks]
        if not evidence:
            evidence = [cite(d, "发出通知，无重复") for d in view.decisions("notify")]
        return Result(1.0, evidence, f"{len(tasks)}项命令无重复或冲突", value=0)
    fraction = 1.0 - th["per_item"] * len(offences)
    return Result(fraction, unique(offences), f"{len(offences)}处重复或冲突的命令", value=len(offences))


def adjustments(ctx: Context, th: Thresholds) -> Result:
    """随时按照现场情况进行调整: each situation-changing inject is followed by an adjustment, and
    adjustments are made for a reason (something new was learned shortly before)."""
    view = ctx.view
    key = ctx.scenario.answer_key
    expects = {r.inject: r.expect for r in key.inject_responses}
    changed = {e.get("inject") for e in view.of("hazard_changed") if e.get("inject")}
    changes = [
        e for e in view.of("inject_released") if e["inject"] in changed or "adjust" in expects.get(e["inject"], [])
    ]
    adjusts = view.decisions("adjust")
    window = th["window"]
    evidence: list[Evidence] = []
    answered = 0
    for change in changes:
        wanted = set(expects.get(change["inject"], []))
        replies = [
            d
            for d in view.of("decision_accepted")
            if change.t <= d.t <= change.t + window
            and (
                d["action"] == "adjust" or (d["action"] == "order" and (d.get("detail") or {}).get("measure") in wanted)
            )
        ]
        evidence.append(cite(change, f"态势变化：{change['title']}"))
        if replies:
            answered += 1
            reply = replies[0]
            what = _decision_text(view, reply)
            evidence.append(cite(reply, f"{what}，在态势变化后{span(reply.t - change.t)}作出调整"))
        else:
            evidence.append(absent(view, f"“{change['title']}”后{span(window)}内未调整处置措施"))
    unmotivated = 0
    triggers = view.of("inject_released", "info_received", "hazard_changed", "channel_cut")
    for d in adjusts:
        reasons = [e for e in triggers if d.t - window <= e.t <= d.t]
        if not reasons:
            unmotivated += 1
            evidence.append(cite(d, f"{_decision_text(view, d)}，但此前{span(window)}内没有新的情况，调整缺乏依据"))
        elif not changes:
            evidence.append(cite(d, f"{_decision_text(view, d)}，依据{minute(reasons[-1].t)}的新情况"))
    if not changes and not adjusts:
        return Result(None, [note(view, "本次推演未出现改变态势的情景注入，本项不计分、不扣分")], "不适用")
    base = answered / len(changes) if changes else 1.0
    fraction = base - th["per_unmotivated"] * unmotivated
    finding = f"{len(changes)}次态势变化中{answered}次及时调整" + (
        f"，{unmotivated}次无依据调整" if unmotivated else ""
    )
    return Result(fraction, evidence, finding, value=answered)


def rejected_decisions(ctx: Context, th: Thresholds) -> Result:
    """A decision the drill rejects (an order to a department never notified …) is lost time in real life."""
    view = ctx.view
    accepted = view.of("decision_accepted")
    if not view.rejected:
        if not accepted:
            return Result(0.0, [absent(view, "未作出任何决策")], "未作出决策")
        return Result(1.0, [absent(view, f"全部{len(accepted)}项决策均有效，无被拒决策")], "无被拒决策", value=0)
    evidence = [cite(e, f"决策被拒：{_reason(e)}") for e in view.rejected]
    fraction = 1.0 - th["per_item"] * len(view.rejected)
    return Result(fraction, evidence, f"{len(view.rejected)}项决策因无效被拒", value=len(view.rejected))


# -- helpers ---------------------------------------------------------------------------------------------------


def _decision_text(view, d: Event) -> str:
    detail = d.get("detail") or {}
    action = d["action"]
    if action in ("order", "adjust"):
        params = detail.get("params") or {}
        suffix = f"（{_params(params)}）" if params else ""
        return f"{ACTION_NAMES[action]}“{view.measure_name(detail.get('measure'))}”{suffix}"
    if action == "assign":
        return f"交办“{detail.get('task', '')}”"
    return ACTION_NAMES.get(action, action)


def _task_name(view, t: TaskView) -> str:
    return view.measure_name(t.measure) if t.measure else str(t.ordered.get("name", t.id))


def _params(params: dict[str, Any]) -> str:
    if not params:
        return "无参数"
    return "，".join(f"{k}={v}" for k, v in sorted(params.items()))


def _never_arrived(task: TaskView) -> bool:
    """An order that never reached its department may be given again: that is a resend, not a duplicate."""
    return task.msg is not None and task.msg.delivered is None and task.msg.undelivered is not None


def _between(share: float, zero: float, full: float) -> float:
    if full <= zero:
        return 1.0 if share >= full else 0.0
    return min(1.0, max(0.0, (share - zero) / (full - zero)))


def _same_group(name: str, want: str) -> bool:
    """Group names as people write them: 医疗救治组 = 医疗救治小组 = 医疗救治工作组."""
    a, b = _stem(name), _stem(want)
    return bool(a) and (a == b or a in b or b in a)


def _stem(name: str) -> str:
    name = "".join(name.split())
    for suffix in ("工作组", "小组", "组"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _reason(e: Event) -> str:
    """The Chinese half of a rejection reason (the engine appends the English in brackets)."""
    reason = str(e.get("reason", ""))
    cut = reason.find(" (")
    return reason[:cut] if cut > 0 else reason


INDICATORS: dict[str, Callable[[Context, Thresholds], Result]] = {
    "command_post_first": command_post_first,
    "task_owners": task_owners,
    "working_groups": working_groups,
    "no_conflicts": no_conflicts,
    "adjustments": adjustments,
    "rejected_decisions": rejected_decisions,
}
