"""精准, answering the situation — the injects that change the picture, and the questions the office asks.

Apart from ``precision.py`` because both read the flow of information rather than the decisions' content:
an inject is answered by the expected action or measure within its window (or foreseen, or prevented), and a
question counts when it asks the department that knows for what the office did not know yet.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.events import Event
from simulator.scoring.context import Context, DrillView, TaskView
from simulator.scoring.evidence import Evidence, Result, absent, cite, late_by, not_applicable, nothing, ramp
from simulator.scoring.indicators import indicator
from simulator.scoring.precision import PRECISION
from simulator.scoring.rubric import Thresholds
from simulator.vocabulary import ACTIONS, elapsed, minute_of, reason_text, span


@indicator("inject_responses", keyword=PRECISION, thresholds=("late_zero",))
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
        wanted_en = " or ".join(_expect_name(view, x, "en") for x in resp.expect)
        skipped = view.skipped.get(resp.inject)
        released = view.released.get(resp.inject)
        if skipped is not None and inject is not None and inject.unless is not None:
            shares.append(1.0)
            evidence.append(
                cite(
                    skipped,
                    "inject_prevented",
                    f"“{inject.title}”未发生：已提前采取措施，风险得到预防",
                    f"“{inject.title}” never happened: the team acted first and prevented it",
                    inject=resp.inject,
                )
            )
            continue
        if released is None:
            continue  # never in play (a condition not met, or after the end): nothing to answer
        title = released["title"]
        due = released.t + resp.within
        evidence.append(
            cite(
                released,
                "inject_released",
                f"情景注入“{title}”，期望{span(resp.within)}内{wanted}",
                f"inject “{title}”: {wanted_en} expected within {span(resp.within, 'en')}",
                inject=resp.inject,
                deadline=due,
            )
        )
        first = _first_answer(view, released, resp.expect)
        if first is None:
            shares.append(0.0)
            evidence.append(
                absent(
                    view,
                    "inject_unanswered",
                    f"未针对“{title}”采取预期行动（{wanted}）",
                    f"“{title}” had not been answered as expected ({wanted_en})",
                    inject=resp.inject,
                    deadline=due,
                )
            )
            continue
        event, delay, what, what_en, facts = first
        if delay <= resp.within:
            shares.append(1.0)
            how, how_en = _how_soon(event, released, delay)
            evidence.append(
                cite(event, "inject_answered", f"{what}：{how}", f"{what_en}: {how_en}", inject=resp.inject, **facts)
            )
        else:
            shares.append(ramp(delay - resp.within, 0.0, th["late_zero"]))
            evidence.append(
                cite(
                    event,
                    "inject_answered_late",
                    f"{what}：注入后{elapsed(released.t, event.t)}才响应，超过{span(resp.within)}",
                    f"{what_en}: only {elapsed(released.t, event.t, 'en')} after the inject, "
                    f"beyond {span(resp.within, 'en')}",
                    inject=resp.inject,
                    deadline=due,
                    minutes_late=late_by(event.t, due),
                    **facts,
                )
            )
    if not shares:
        return not_applicable(
            view,
            "本次推演没有需要应对的态势变化注入，本项不计分、不扣分",
            "no inject in this drill called for an answer: not scored, no points lost",
            "不适用",
            "Not applicable",
        )
    fraction = sum(shares) / len(shares)
    answered = sum(1 for s in shares if s >= 1)
    finding = f"{len(shares)}个关键注入中{answered}个及时应对"
    finding_en = f"{answered} of {len(shares)} key injects answered in time"
    return Result(fraction, evidence, finding, finding_en, value=answered)


def _how_soon(event: Event, released: Event, delay: float) -> tuple[str, str]:
    """How an answer in time reads. Only a measure ordered before the inject was released (an earlier event) was
    foreseen; one in the same minute after it answered the inject at once, as an evaluator would say."""
    if event.id < released.id:
        return "注入前已在实施，预判到位", "under way before the inject: foreseen"
    if delay <= 0 or minute_of(event.t) == minute_of(released.t):
        return "注入后立即响应", "answered at once after the inject"
    return f"注入后{elapsed(released.t, event.t)}响应", f"{elapsed(released.t, event.t, 'en')} after the inject"


def _first_answer(
    view: DrillView, released: Event, expect: list[str]
) -> tuple[Event, float, str, str, dict[str, Any]] | None:
    """The earliest decision or task that answers the inject, how long after it (<= 0: foreseen), what it was in
    each language, and its facts."""
    t0 = released.t
    found: list[tuple[float, int, Event, str, str, dict[str, Any]]] = []

    def order(task: TaskView, early: bool = False) -> None:
        name = view.measure_name(task.measure)
        facts = {"action": task.action, "measure": task.measure, "decision": task.ordered.get("decision")}
        what, what_en = f"下达“{name}”", f"“{name}” ordered"
        if early:
            what, what_en = f"已{what}", f"“{name}” already ordered"
        found.append((0.0 if early else task.ordered.t - t0, task.ordered.id, task.ordered, what, what_en, facts))

    for x in expect:
        if x in ACTIONS and x not in ("order", "adjust"):
            for d in view.decisions(x):
                if d.t >= t0:
                    facts = {"action": x, "decision": d.get("decision")}
                    found.append((d.t - t0, d.id, d, ACTIONS[x].zh, ACTIONS[x].en, facts))
        elif x == "order":
            for task in view.tasks.values():
                if task.action == "order" and task.ordered.t >= t0:
                    order(task)
        elif x == "adjust":
            for d in view.decisions("adjust"):
                if d.t >= t0:
                    measure = (d.get("detail") or {}).get("measure")
                    name = view.measure_name(measure)
                    facts = {"action": "adjust", "measure": measure, "decision": d.get("decision")}
                    found.append((d.t - t0, d.id, d, f"调整“{name}”", f"“{name}” adjusted", facts))
        else:
            for task in view.measure_tasks(x):
                if task.ordered.t >= t0:
                    order(task)
                elif task.finished is None or task.finished.t >= t0:
                    order(task, early=True)
    if not found:
        return None
    delay, _, event, what, what_en, facts = min(found, key=lambda f: (f[0], f[1]))
    return event, delay, what, what_en, facts


@indicator("info_requests", keyword=PRECISION, thresholds=("expected",))
def info_requests(ctx: Context, th: Thresholds) -> Result:
    """从有限的资讯中抽丝剥茧: requests for information aimed at what the asked department knows and the
    team did not yet, and answered (info_received)."""
    view = ctx.view
    requests = view.decisions("request_info")
    if not requests:
        return nothing(
            view,
            "no_requests",
            "未向任何部门了解情况（未主动获取关键信息）",
            "no department had been asked for information",
            "未了解情况",
            "No requests for information",
        )
    received = view.of("info_received")
    evidence: list[Evidence] = []
    useful = 0
    for d in requests:
        detail = d.get("detail") or {}
        to, topic = detail.get("to"), detail.get("topic")
        name = view.dept_name(to)
        facts = {"depts": [to] if to else None, "topic": topic, "decision": d.get("decision")}
        asked, asked_en = f"向{name}了解“{topic}”", f"{name} asked about “{topic}”"
        holds = any(f.held_by == to and f.topic == topic for f in ctx.scenario.facts)
        known = [e for e in received if e.get("topic") == topic and e.t <= d.t]
        answer = next((e for e in received if e.get("decision") == d["decision"]), None)
        if known:
            at = known[0].t
            evidence.append(
                cite(
                    d,
                    "request_redundant",
                    f"{asked}，但{view.when(at)}已掌握该信息，属重复询问",
                    f"{asked_en}, already known since {view.when(at, 'en')}",
                    **facts,
                )
            )
        elif not holds:
            evidence.append(
                cite(
                    d,
                    "request_misdirected",
                    f"{asked}，该部门不掌握此类信息，询问对象或内容不准",
                    f"{asked_en}, which it does not know: the wrong department or question",
                    **facts,
                )
            )
        elif answer is None:
            evidence.append(cite(d, "info_requested", asked, asked_en, **facts))
            evidence.append(
                absent(
                    view,
                    "request_unanswered",
                    f"未收到{name}关于“{topic}”的答复",
                    f"{name} had not answered about “{topic}”",
                    **facts,
                )
            )
        else:
            useful += 1
            text = _short(reason_text(answer.get("text", "")), 40)
            evidence.append(cite(d, "info_requested", asked, asked_en, **facts))
            evidence.append(
                cite(
                    answer,
                    "info_received",
                    f"收到{name}关于“{topic}”的信息：{text}",
                    f"{name} answered about “{topic}”: {text}",
                    **facts,
                )
            )
    expected = th["expected"]
    if useful < expected:
        evidence.append(
            absent(
                view,
                "few_requests",
                f"有效询问{useful}次，少于期望的{expected}次",
                f"{useful} useful requests, fewer than the {expected} expected",
                expected=expected,
                actual=useful,
            )
        )
    fraction = 0.5 * min(1.0, useful / expected) + 0.5 * useful / len(requests)
    finding = f"{len(requests)}次询问中{useful}次获得了有用信息（期望至少{expected}次）"
    finding_en = f"{useful} of {len(requests)} requests brought useful information (at least {expected} expected)"
    return Result(fraction, evidence, finding, finding_en, value=useful)


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expect_name(view: DrillView, x: str, lang: str = "zh") -> str:
    if x in ACTIONS:
        return ACTIONS[x](lang)
    return f"“{view.measure_name(x, lang)}”"
