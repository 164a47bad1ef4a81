"""有序 — order: a command post before the orders, a named owner for every task, the expected working groups,
no duplicated or conflicting orders, adjustments that follow the situation, and no invalid decisions.

The doctrine's 乱中有序、急中求稳 is read as structure visible in the log: who was put in charge of what, in
what sequence, and whether the team changed course for a reason rather than on a whim.
"""

from __future__ import annotations

from simulator.engine.events import Event
from simulator.scoring.context import Context, DrillView, TaskView
from simulator.scoring.evidence import Evidence, Result, absent, cite, not_applicable, nothing
from simulator.scoring.indicators import indicator
from simulator.scoring.rubric import Thresholds
from simulator.scoring.tempo import response_clock
from simulator.vocabulary import ACTIONS, elapsed, name_of, percent, reason_text, span

ORDER = "有序"


@indicator("command_post_first", keyword=ORDER, thresholds=("grace", "not_established", "window"))
def command_post_first(ctx: Context, th: Thresholds) -> Result:
    """设立指挥中心 before 制定处置措施: the share of orders given once the command post was decided on.

    先期处置 is exempt: doctrine expects the first units to cordon, evacuate and shut valves before any command
    post exists, so tasks ordered in the first-minutes window (``answer_key.first_window``, else the rubric's
    ``window``, counted from the response clock's start) or of a measure the answer key lists as a first action
    count as done right. Tasks ordered later with still no command post count against.
    """
    view = ctx.view
    decided = view.decisions("establish_command_post")
    tasks = list(view.tasks.values())
    if not decided:
        evidence = [absent(view, "no_command_post", "未设立现场指挥部", "no command post had been set up")]
        if tasks:
            first = tasks[0]
            evidence.append(
                cite(
                    first.ordered,
                    "task_before_command_post",
                    f"在没有现场指挥部的情况下下达“{_task_name(view, first)}”等{len(tasks)}项任务",
                    f"{len(tasks)} tasks, “{_task_name(view, first)}” first, ordered with no command post",
                    measure=first.measure,
                )
            )
        return Result(0.0, evidence, "未设立现场指挥部", "No command post")
    cp = decided[0]
    detail = cp.get("detail") or {}
    groups = len(detail.get("groups") or [])
    place = detail.get("location")
    evidence = [
        cite(
            cp,
            "command_post",
            f"决定设立现场指挥部（{place or '现场'}），设{groups}个工作组",
            f"command post decided on ({place or 'on scene'}) with {groups} working groups",
            decision=cp.get("decision"),
        )
    ]
    before = [t for t in tasks if t.ordered.t < cp.t - th["grace"]]
    first = [t for t in before if _first_action(ctx, t, th)]
    for t in first:
        evidence.append(
            cite(
                t.ordered,
                "first_action",
                f"先期处置：设立指挥部之前下达“{_task_name(view, t)}”，符合先期处置要求",
                f"first action (先期处置): “{_task_name(view, t)}” ordered before the command post, as expected",
                measure=t.measure,
            )
        )
    before = [t for t in before if t not in first]
    for t in before:
        evidence.append(
            cite(
                t.ordered,
                "task_before_command_post",
                f"设立指挥部之前下达“{_task_name(view, t)}”",
                f"“{_task_name(view, t)}” ordered before the command post",
                measure=t.measure,
            )
        )
    share = 1.0 - len(before) / len(tasks) if tasks else 1.0
    established = view.first("command_post_established")
    if established is not None:
        evidence.append(
            cite(
                established,
                "command_post_established",
                f"现场指挥部建成，用时{elapsed(cp.t, established.t)}",
                f"command post running {elapsed(cp.t, established.t, 'en')} later",
            )
        )
        factor = 1.0
    else:
        evidence.append(
            absent(view, "command_post_not_established", "现场指挥部未能建成运转", "the command post was not running")
        )
        factor = th["not_established"]
    if tasks and not before and not first:
        evidence.append(
            cite(
                tasks[0].ordered,
                "tasks_after_command_post",
                f"首项任务在指挥部设立之后下达（{len(tasks)}项任务均在其后）",
                f"the first task came after the command post (all {len(tasks)} tasks did)",
            )
        )
    finding = f"{view.when(cp.t)}设立指挥部，{percent(share)}的任务在其后下达"
    finding_en = f"Command post at {view.when(cp.t, 'en')}; {percent(share)} of the tasks ordered after it"
    return Result(share * factor, evidence, finding, finding_en, value=cp.t)


def _first_action(ctx: Context, task: TaskView, th: Thresholds) -> bool:
    """Whether a task ordered before the command post is 先期处置 (see ``command_post_first``)."""
    if task.action == "adjust":
        return False
    key = ctx.scenario.answer_key
    if task.measure is not None and task.measure in (key.first_actions or []):
        return True
    window = key.first_window if key.first_window is not None else th["window"]
    return response_clock(ctx).since(task.ordered.t) <= window


@indicator("task_owners", keyword=ORDER, thresholds=("full_share", "zero_share"))
def task_owners(ctx: Context, th: Thresholds) -> Result:
    """明确工作责任和具体责任人: every task in the ledger names a person, not just a department."""
    view = ctx.view
    tasks = list(view.tasks.values())
    if not tasks:
        return nothing(
            view,
            "no_tasks",
            "未下达任何任务，无从明确责任人",
            "no task had been ordered, so no one was in charge",
            "未下达任务",
            "No tasks",
        )
    evidence = []
    named = 0
    for t in tasks:
        name, dept = _task_name(view, t), view.dept_name(t.dept)
        if t.owner:
            named += 1
            inherited = t.action == "adjust" and not t.ordered.get("owner")
            how, how_en = ("沿用原责任人", "keeps its person in charge") if inherited else ("责任人", "in charge")
            evidence.append(
                cite(
                    t.ordered,
                    "task_owner",
                    f"“{name}”（{dept}）{how}：{t.owner}",
                    f"“{name}” ({dept}) {how_en}: {t.owner}",
                    measure=t.measure,
                    depts=[t.dept],
                    person=t.owner,
                )
            )
        else:
            evidence.append(
                cite(
                    t.ordered,
                    "task_without_owner",
                    f"“{name}”（{dept}）未明确具体责任人",
                    f"“{name}” ({dept}) names no person in charge",
                    measure=t.measure,
                    depts=[t.dept],
                )
            )
    share = named / len(tasks)
    fraction = _between(share, th["zero_share"], th["full_share"])
    finding = f"{len(tasks)}项任务中{named}项明确了具体责任人"
    finding_en = f"{named} of {len(tasks)} tasks name a person in charge"
    return Result(fraction, evidence, finding, finding_en, value=round(share, 3))


@indicator("working_groups", keyword=ORDER, thresholds=("full_share", "zero_share"))
def working_groups(ctx: Context, th: Thresholds) -> Result:
    """The command post's working groups against the ones the answer key expects (by name)."""
    view = ctx.view
    expected = ctx.scenario.answer_key.working_groups
    established = view.first("command_post_established")
    decided = view.decisions("establish_command_post")
    source: Event | None = established or (decided[0] if decided else None)
    if not expected:
        return not_applicable(
            view,
            "本场景未设定预期工作组，本项不计分",
            "this scenario expects no working groups: not scored",
            "不适用",
            "Not applicable",
        )
    if source is None:
        return nothing(
            view,
            "no_command_post",
            "未设立现场指挥部，未成立任何工作组",
            "no command post had been set up and no working group formed",
            "未成立工作组",
            "No working groups",
        )
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
            lead, owner = group.get("lead"), group.get("owner")
            evidence.append(
                cite(
                    source,
                    "group_formed",
                    f"成立“{group['name']}”，牵头{view.dept_name(lead)}，责任人{owner}",
                    f"“{group['name']}” formed, led by {view.dept_name(lead)}, {owner} in charge",
                    group=group["name"],
                    depts=[lead] if lead else None,
                    person=owner,
                )
            )
        else:
            evidence.append(cite(source, "group_missing", f"缺少“{want}”", f"no “{want}”", group=want))
    extra = [g["name"] for g in groups if not any(_same_group(g.get("name", ""), w) for w in expected)]
    if extra:
        evidence.append(
            cite(
                source,
                "group_extra",
                f"另设{'、'.join(extra)}",
                f"also formed: {', '.join(extra)}",
                group="、".join(extra),
            )
        )
    share = matched / len(expected)
    fraction = _between(share, th["zero_share"], th["full_share"])
    finding = f"预期{len(expected)}个工作组，成立了其中{matched}个"
    finding_en = f"{matched} of the {len(expected)} expected working groups formed"
    return Result(fraction, evidence, finding, finding_en, value=round(share, 3))


@indicator("adjustments", keyword=ORDER, thresholds=("window", "per_unmotivated"))
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
        title, inject = change["title"], change["inject"]
        evidence.append(
            cite(change, "situation_changed", f"态势变化：{title}", f"the situation changed: {title}", inject=inject)
        )
        if replies:
            answered += 1
            reply = replies[0]
            evidence.append(
                cite(
                    reply,
                    "adjusted",
                    f"{_decision_text(view, reply)}，在态势变化后{elapsed(change.t, reply.t)}作出调整",
                    f"{_decision_text(view, reply, 'en')}, {elapsed(change.t, reply.t, 'en')} after the change",
                    **_decision_facts(reply),
                    inject=inject,
                )
            )
        else:
            evidence.append(
                absent(
                    view,
                    "not_adjusted",
                    f"“{title}”后{span(window)}内未调整处置措施",
                    f"no measure had been adjusted within {span(window, 'en')} of “{title}”",
                    inject=inject,
                )
            )
    unmotivated = 0
    triggers = view.of("inject_released", "info_received", "hazard_changed", "channel_cut")
    for d in adjusts:
        reasons = [e for e in triggers if d.t - window <= e.t <= d.t]
        if not reasons:
            unmotivated += 1
            evidence.append(
                cite(
                    d,
                    "adjust_unmotivated",
                    f"{_decision_text(view, d)}，但此前{span(window)}内没有新的情况，调整缺乏依据",
                    f"{_decision_text(view, d, 'en')}, with nothing new in the {span(window, 'en')} before it",
                    **_decision_facts(d),
                )
            )
        elif not changes:
            at = reasons[-1].t
            evidence.append(
                cite(
                    d,
                    "adjust_motivated",
                    f"{_decision_text(view, d)}，依据{view.when(at)}的新情况",
                    f"{_decision_text(view, d, 'en')}, on the news at {view.when(at, 'en')}",
                    **_decision_facts(d),
                )
            )
    if not changes and not adjusts:
        return not_applicable(
            view,
            "本次推演未出现改变态势的情景注入，本项不计分、不扣分",
            "no inject changed the situation in this drill: not scored, no points lost",
            "不适用",
            "Not applicable",
        )
    base = answered / len(changes) if changes else 1.0
    fraction = base - th["per_unmotivated"] * unmotivated
    finding = f"{len(changes)}次态势变化中{answered}次及时调整" + (
        f"，{unmotivated}次无依据调整" if unmotivated else ""
    )
    finding_en = f"{answered} of {len(changes)} changes of situation answered by an adjustment in time" + (
        f"; {unmotivated} adjustments without a reason" if unmotivated else ""
    )
    return Result(fraction, evidence, finding, finding_en, value=answered)


@indicator("rejected_decisions", keyword=ORDER, thresholds=("per_item",))
def rejected_decisions(ctx: Context, th: Thresholds) -> Result:
    """A decision the drill rejects (an order to a department never notified …) is lost time in real life."""
    view = ctx.view
    accepted = view.of("decision_accepted")
    if not view.rejected:
        if not accepted:
            return Result(
                0.0,
                [absent(view, "no_decisions", "未作出任何决策", "no decision had been made")],
                "未作出决策",
                "No decisions",
            )
        valid = absent(
            view,
            "no_rejections",
            f"全部{len(accepted)}项决策均有效，无被拒决策",
            f"all {len(accepted)} decisions were valid, none rejected",
        )
        return Result(1.0, [valid], "无被拒决策", "No rejected decisions", value=0)
    evidence = [rejection(e) for e in view.rejected]
    fraction = 1.0 - th["per_item"] * len(view.rejected)
    count = len(view.rejected)
    return Result(fraction, evidence, f"{count}项决策因无效被拒", f"{count} decisions rejected as invalid", value=count)


def rejection(e: Event, what: str = "决策", what_en: str = "decision") -> Evidence:
    """A rejected decision, with the engine's reason in each language (``what`` names it, e.g. 下达“伤员救治”)."""
    detail = e.get("detail") or {}
    return cite(
        e,
        "rejected",
        f"{what}被拒：{reason_text(e.get('reason', ''))}",
        f"{what_en} rejected: {reason_text(e.get('reason', ''), 'en')}",
        decision=e.get("decision"),
        action=e.get("action"),
        measure=detail.get("measure"),
    )


# -- helpers ---------------------------------------------------------------------------------------------------


def _decision_text(view: DrillView, d: Event, lang: str = "zh") -> str:
    detail = d.get("detail") or {}
    action = d["action"]
    if action in ("order", "adjust"):
        params = detail.get("params") or {}
        measure = detail.get("measure")
        name = view.measure_name(measure, lang)
        if lang == "en":
            suffix = f" ({view.params_text(measure, params, 'en')})" if params else ""
            return f"{ACTIONS[action].en}: “{name}”{suffix}"
        suffix = f"（{view.params_text(measure, params)}）" if params else ""
        return f"{ACTIONS[action].zh}“{name}”{suffix}"
    if action == "assign":
        task = detail.get("task", "")
        return f"task “{task}” assigned" if lang == "en" else f"交办“{task}”"
    return name_of(ACTIONS, action, lang)


def _decision_facts(d: Event) -> dict:
    return {"decision": d.get("decision"), "action": d["action"], "measure": (d.get("detail") or {}).get("measure")}


def _task_name(view: DrillView, t: TaskView) -> str:
    return view.measure_name(t.measure) if t.measure else str(t.ordered.get("name", t.id))


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
