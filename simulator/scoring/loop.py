"""提升 scores the improvement loop: the team's 整改 items from earlier drills, checked on this one.

Why here and not in improvement.py: 提升 as the doctrine means it is 针对发现的问题…逐项破解, so the team's own
earlier problems, fixed or back again, say more about improvement than a rise of the average. ``score_drill(...,
items=)`` checks every open item on this drill (``simulator.loop.items.check_item``, reading the other keywords'
evidence) and puts the checks in ``ctx.cache["loop"]``; the two indicators below score them. Without items (a team's
first drill, a drill scored on its own) the indicators are not in the score at all; with items none of which this
scenario can show (a hazchem item after a flood drill), they are left out, not failed, and say why.
"""

from __future__ import annotations

from typing import Any

from simulator.scoring.context import Context
from simulator.scoring.evidence import Evidence, Result, cite, not_applicable
from simulator.scoring.indicators import indicator
from simulator.scoring.rubric import Thresholds

IMPROVEMENT = "提升"
#: the loop's indicators: in a score only when the team's items were given
LOOP_INDICATORS: tuple[str, ...] = ("items_fixed", "items_recurred")


def _origin(item: Any) -> str:
    """Where an item came from, as people read it: 前次推演（编号7） / 前次推演."""
    return f"前次推演（编号{item.drill_id}）" if item.drill_id is not None else "前次推演"


def _cite(ctx: Context, item: Any, check: Any, kind: str, verb: str, verb_en: str) -> Evidence:
    """One item's verdict, cited on the first event of this drill that shows it (the end of the drill if none)."""
    first = next((ev for ev in check.evidence if ev.get("event_id") is not None), None)
    event = ctx.view.ids.get(first["event_id"]) if first is not None else None
    shown = f"：{first['text']}" if first is not None and first.get("text") else ""
    if not shown and check.note:
        shown = f"（{check.note}）"
    return cite(
        event if event is not None else ctx.view.end,
        kind,
        f"{_origin(item)}发现的“{item.problem}”{verb}{shown}",
        f"“{item.problem}”, found in an earlier drill, {verb_en}",
        keyword=item.keyword,
        item=item.id,
        drill=item.drill_id,
    )


def _checks(ctx: Context) -> list[tuple[Any, Any]]:
    return [(item, check) for item, check in ctx.cache.get("loop") or [] if check.verdict != "not_applicable"]


def _none_applicable(ctx: Context) -> Result:
    checked = ctx.cache.get("loop") or []
    if not checked:
        return not_applicable(
            ctx.view,
            "本队此前没有待检验的整改事项，本项不计分、不扣分",
            "the team has no open rectification items: not scored, no points lost",
            "无待检验事项",
            "No open items",
        )
    return not_applicable(
        ctx.view,
        f"本队{len(checked)}项待检验的整改事项均不适用于本次推演场景，仍待检验，本项不计分",
        f"none of the team's {len(checked)} open items applies to this scenario: they stay open, not scored",
        "事项不适用",
        "Items not applicable",
    )


@indicator("items_fixed", keyword=IMPROVEMENT, thresholds=("fixed_full",))
def items_fixed(ctx: Context, th: Thresholds) -> Result:
    """针对发现的问题逐项破解: the share of the team's open items this drill shows fixed."""
    checks = _checks(ctx)
    if not checks:
        return _none_applicable(ctx)
    today = ctx.cache.get("loop_today")
    due = [
        (item, check)
        for item, check in checks
        if check.verdict == "fixed" or today is None or item.due is None or item.due <= today
    ]
    if not due:  # only items not yet due, none of them fixed early: nothing to count yet (a recurrence still costs)
        return not_applicable(
            ctx.view,
            f"本队{len(checks)}项待检验的整改事项均未到完成时限，本项不计分",
            f"none of the team's {len(checks)} open items is due yet: not scored",
            "均未到期",
            "None due",
        )
    overdue = "已过完成时限，" if today is not None else ""
    evidence = [
        _cite(ctx, item, check, "item_fixed", "本次未再出现，已整改", "did not recur: fixed")
        if check.verdict == "fixed"
        else _cite(ctx, item, check, "item_recurred", f"{overdue}本次再次出现，整改未见成效", "recurred")
        for item, check in due
    ]
    fixed = sum(check.verdict == "fixed" for _, check in due)
    share = fixed / len(due)
    fraction = min(1.0, share / th["fixed_full"])
    finding = f"{len(due)}项到期整改事项中{fixed}项已整改"
    return Result(fraction, evidence, finding, f"{fixed} of {len(due)} items due fixed", value=round(share, 2))


@indicator("items_recurred", keyword=IMPROVEMENT, thresholds=("per_recurrence",))
def items_recurred(ctx: Context, th: Thresholds) -> Result:
    """同类问题不再发生: each item that came back costs a share of this indicator."""
    checks = _checks(ctx)
    if not checks:
        return _none_applicable(ctx)
    back = [(item, check) for item, check in checks if check.verdict == "recurred"]
    if not back:
        evidence = [_cite(ctx, item, check, "item_fixed", "本次未再出现", "did not recur") for item, check in checks]
        return Result(1.0, evidence, "整改事项无一复发", "No item recurred", value=0)
    evidence = [_cite(ctx, item, check, "item_recurred", "本次再次出现", "recurred") for item, check in back]
    fraction = max(0.0, 1.0 - th["per_recurrence"] * len(back))
    return Result(fraction, evidence, f"{len(back)}项整改事项复发", f"{len(back)} items recurred", value=len(back))


__all__ = ["LOOP_INDICATORS", "items_fixed", "items_recurred"]
