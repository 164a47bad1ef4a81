"""The response level, judged at its time: each 初步研判 and each 启动/调整应急响应 against the level the situation
warranted at that minute (``precision.level`` reads this).

Why at its time: a situation changes. The answer key gives the level warranted from T+0 (``answer_key.level``), the
escalations it may call for from an inject's release on (``answer_key.levels``) and, optionally, the level once the
hazard is under control (``answer_key.after_control``). A change the situation justified — raising after the
escalating inject, lowering after control — is right, not a "correction" to be averaged against the first judgement
(issue 16, finding 3: a correct downgrade after control used to cost points).

How an evaluator weighs a wrong level (doctrine): the emergency plans' rule for an uncertain picture is 就高不就低 —
start high and step down as the facts come in. A level too low holds back the forces and the authority the
incident needs, and is what investigation reports fault (响应级别偏低、未及时提升响应级别); a level too high costs
resources but harms no one. So a level too high costs ``over_factor`` of what the same gap too low costs. After
control, any level no higher than the one warranted before is a justified downgrade unless the key names the level.

A response that was never formally started (no ``set_level``) costs ``not_started`` of the indicator: 未按预案
启动应急响应 is a finding of its own even where the assessment was right. An escalation the team never followed
(the level in force stayed below the one warranted) is judged like a decision made at the escalation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.engine.events import Event
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import Evidence, Result, absent, cite, late_by, nothing, ramp
from simulator.scoring.rubric import Thresholds
from simulator.vocabulary import LEVELS, elapsed, level_change_text, name_of, percent, span


@dataclass(frozen=True, slots=True)
class Warranted:
    """The level warranted at a minute; ``at_most`` (after control, no level named): any level this or lower."""

    level: int
    at_most: bool = False
    because: Event | None = None  # the escalating inject's release, or the hazard_contained event


def warranted_levels(ctx: Context) -> list[tuple[float, Warranted]]:
    """The warranted level's changes in time order, from T+0: escalations on their injects' release, then control."""
    view, key = ctx.view, ctx.scenario.answer_key
    changes: list[tuple[float, Warranted]] = [(0.0, Warranted(key.level))]
    for w in key.levels:
        released = view.released.get(w.inject)
        if released is not None:
            changes.append((released.t, Warranted(w.level, because=released)))
    changes.sort(key=lambda c: c[0])
    contained = view.first("hazard_contained")
    if contained is not None:
        before = [c for c in changes if c[0] <= contained.t][-1][1].level
        after = key.after_control
        changes = [c for c in changes if c[0] <= contained.t]
        changes.append(
            (contained.t, Warranted(after if after is not None else before, after is None, because=contained))
        )
    return changes


def warranted_at(changes: list[tuple[float, Warranted]], t: float) -> Warranted:
    """The level warranted at minute ``t`` (a decision in the same minute as the change is judged after it)."""
    current = changes[0][1]
    for at, w in changes:
        if at <= t:
            current = w
    return current


def level_fit(level: int, w: Warranted, th: Thresholds) -> tuple[float, int]:
    """(share of the level's points, levels off: > 0 too low, < 0 too high). Level numbers: 1 is the highest."""
    low = max(0, level - w.level) if not w.at_most else 0
    high = max(0, w.level - level)
    share = 1.0 - th["per_level_off"] * low - th["per_level_off"] * th["over_factor"] * high
    return max(0.0, share), (low if low else -high)


def _off_text(off: int, w: Warranted) -> tuple[str, str]:
    want = LEVELS[w.level]
    if off == 0:
        return "级别与当时态势相符", "the level fits the situation at the time"
    if off > 0:
        return f"级别偏低{off}级（当时应为{want.zh}）", f"{off} level(s) too low (it warranted {want.en})"
    limit = "不高于" if w.at_most else ""
    return (
        f"级别偏高{-off}级（当时应{limit}为{want.zh}）",
        f"{-off} level(s) too high (it warranted {'no more than ' if w.at_most else ''}{want.en})",
    )


def judge(ctx: Context, th: Thresholds, type_right: Callable[[str], bool]) -> Result:
    """The level indicator's result: every assessment and level decision against the level warranted at its time."""
    view, key = ctx.view, ctx.scenario.answer_key
    assessments = view.of("assessment")
    decisions = [e for e in view.of("response_level_set") if e["change"] != "end"]
    if not assessments and not decisions:
        return nothing(
            view,
            "not_assessed",
            f"未作出研判，也未启动应急响应（应为“{key.event_type}”，{LEVELS[key.level].zh}）",
            f"no assessment was made and no response started (it is “{key.event_type}”, {LEVELS[key.level].en})",
            "未研判",
            "No assessment",
            expected={"event_type": key.event_type, "level": key.level},
        )
    changes = warranted_levels(ctx)
    evidence: list[Evidence] = []
    scores: list[float] = []
    for a in assessments:
        w = warranted_at(changes, a.t)
        similar = type_right(str(a["event_type"]))
        share, off = level_fit(int(a["level"]), w, th)
        scores.append(th["type_share"] * (1.0 if similar else 0.0) + (1 - th["type_share"]) * share)
        kind = ("judged_right", "level_wrong", "type_wrong", "type_and_level_wrong")[(not similar) * 2 + (off != 0)]
        said = f"研判为“{a['event_type']}”、{name_of(LEVELS, a['level'])}"
        said_en = f"assessed as “{a['event_type']}”, {name_of(LEVELS, a['level'], 'en')}"
        type_text = "事件类型正确" if similar else f"事件类型不符（应为“{key.event_type}”）"
        type_en = "type right" if similar else f"type wrong (it is “{key.event_type}”)"
        level_text, level_en = _off_text(off, w)
        evidence.append(
            cite(
                a,
                kind,
                f"{said}：{type_text}，{level_text}",
                f"{said_en}: {type_en}, {level_en}",
                expected={"event_type": key.event_type, "level": w.level},
                actual={"event_type": a["event_type"], "level": a["level"]},
            )
        )
    for e in decisions:
        w = warranted_at(changes, e.t)
        share, off = level_fit(int(e["level"]), w, th)
        scores.append(share)
        evidence.append(_decision_item(view, e, w, off))
    scores.extend(_escalations_followed(view, changes, th, evidence))
    fraction = sum(scores) / len(scores)
    if not assessments:
        fraction *= 1 - th["type_share"]
        evidence.append(
            absent(
                view,
                "not_assessed",
                f"未作出初步研判（事件类型应为“{key.event_type}”）",
                f"no initial assessment was made (the type is “{key.event_type}”)",
                expected={"event_type": key.event_type, "level": key.level},
            )
        )
    started = next((e for e in view.of("response_level_set") if e["change"] == "start"), None)
    if started is None:
        fraction *= 1 - th["not_started"]
        evidence.append(
            absent(
                view,
                "response_not_started",
                f"未正式启动应急响应（应启动{LEVELS[key.level].zh}应急响应）",
                f"no response was formally started (a {LEVELS[key.level].en} response was warranted)",
                expected=key.level,
            )
        )
    right = all(s >= 1 for s in scores) and started is not None and assessments
    finding = "研判和响应级别均与态势相符" if right else f"研判和响应级别得分率{percent(fraction)}"
    finding_en = "Assessment and response level fit the situation" if right else f"{percent(fraction)} of the points"
    if started is None:
        finding += "，未正式启动应急响应"
        finding_en += "; no response formally started"
    first = assessments[0] if assessments else decisions[0]
    return Result(fraction, evidence, finding, finding_en, value=int(first["level"]))


def _decision_item(view: DrillView, e: Event, w: Warranted, off: int) -> Evidence:
    said = f"{view.dept_name(e['by'])}{level_change_text(e['change'], e['level'])}"
    said_en = f"{view.dept_name(e['by'], 'en')}: {level_change_text(e['change'], e['level'], 'en')}"
    text, text_en = _off_text(off, w)
    if w.because is not None and w.because.kind == "hazard_contained" and off == 0:
        text, text_en = "险情已得到控制，调整有据", "the hazard was under control: a justified change"
    elif w.because is not None and off == 0:
        text, text_en = f"态势升级（{w.because['title']}）后调整，有据", f"after the escalation ({w.because['title']})"
    kind = "level_set_right" if off == 0 else ("level_too_low" if off > 0 else "level_too_high")
    return cite(e, kind, f"{said}：{text}", f"{said_en}: {text_en}", expected=w.level, actual=e["level"])


def _escalations_followed(
    view: DrillView, changes: list[tuple[float, Warranted]], th: Thresholds, evidence: list[Evidence]
) -> list[float]:
    """Each escalation of the key, judged on the level in force just before the next change of the warranted level
    (or the end): an escalation never followed is a level too low for that whole phase."""
    scores = []
    levels = view.of("response_level_set")
    for i, (_, w) in enumerate(changes):
        if w.because is None or w.because.kind != "inject_released" or w.level >= changes[i - 1][1].level:
            continue  # only escalations (a more serious level: a smaller number)
        until = changes[i + 1][0] if i + 1 < len(changes) else view.end.t
        in_force = [e for e in levels if e.t <= until]
        level = in_force[-1]["level"] if in_force and in_force[-1]["change"] != "end" else None
        if level is None:
            continue  # no response in force: the missing start is faulted once, above
        share, off = level_fit(int(level), w, th)
        late = _raised_late(levels, w, until, th) if off == 0 else None
        if late is not None:
            raised, delay = late
            took = (elapsed(raised.t - delay, raised.t), elapsed(raised.t - delay, raised.t, "en"))
            share = ramp(delay - th["raise_within"], 0.0, th["late_zero"])
            evidence.append(
                cite(
                    raised,
                    "level_raised_late",
                    f"“{w.because['title']}”后{took[0]}才将应急响应提升至{LEVELS[w.level].zh}"
                    f"（应在{span(th['raise_within'])}内）",
                    f"the response was raised to {LEVELS[w.level].en} only {took[1]} after "
                    f"“{w.because['title']}” (due within {span(th['raise_within'], 'en')})",
                    inject=w.because["inject"],
                    expected=w.level,
                    actual=int(raised["level"]),
                    minutes_late=late_by(delay, th["raise_within"]),
                )
            )
        scores.append(share)
        if off > 0:
            evidence.append(
                cite(
                    w.because,
                    "level_not_raised",
                    f"“{w.because['title']}”后态势升级，应急响应仍为{name_of(LEVELS, level)}"
                    f"（应为{LEVELS[w.level].zh}）",
                    f"after “{w.because['title']}” the response stayed at {name_of(LEVELS, level, 'en')} "
                    f"({LEVELS[w.level].en} was warranted)",
                    inject=w.because["inject"],
                    expected=w.level,
                    actual=level,
                )
            )
    return scores


def _raised_late(levels: list[Event], w: Warranted, until: float, th: Thresholds) -> tuple[Event, float] | None:
    """The decision that first brought the response up to an escalation's level, and how long after the escalating
    inject, when that was more than ``raise_within`` minutes (an escalation followed at last is still late: the
    hours at the lower level are what investigations fault). None when the level was already in force or raised in
    time."""
    t0 = w.because.t
    before = [e for e in levels if e.t < t0]
    if before and before[-1]["change"] != "end" and int(before[-1]["level"]) <= w.level:
        return None
    raised = next(
        (e for e in levels if t0 <= e.t <= until and e["change"] != "end" and int(e["level"]) <= w.level), None
    )
    if raised is None or raised.t - t0 <= th["raise_within"]:
        return None
    return raised, raised.t - t0
