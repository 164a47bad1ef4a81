"""The score and the outcome, read for the report: indicators with their structured evidence re-timed from the
log, the four keywords beside the reference plan's, and the outcome figures compared with the reference run.

Why structured: what counts against the team is the scorer's ``against`` and what a point is about is its
``facts``; the report quotes the evidence ``text`` but never reads it, so a rewording in the scorer cannot change
which problems the report names. Times come from the cited event of the log (``vocabulary.when``), so the
report and the log can never disagree about when something happened.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from simulator.report.blocks import Evidence, IndicatorResult, KeywordScore, OutcomeRow
from simulator.report.context import Context
from simulator.vocabulary import KEYWORDS, OUTCOMES, figure_text


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def keyword_order(keywords: Mapping[str, Any]) -> list[str]:
    return [k for k in KEYWORDS if k in keywords] + sorted(k for k in keywords if k not in KEYWORDS)


def _evidence(ev: Mapping[str, Any], ctx: Context) -> Evidence | None:
    """One evidence item as the report keeps it, or None when it cites an event the log does not hold."""
    facts = dict(ev.get("facts") or {})
    text = str(ev.get("text", "")).strip().rstrip("。")
    against = bool(ev.get("against", True))
    event_id = ev.get("event_id")
    if event_id is None:
        return Evidence(None, None, text, None, against, str(facts.get("kind", "")), facts)
    event = ctx.by_id.get(event_id)
    if event is None:
        return None
    return Evidence(event.id, event.t, text, ctx.when(event.t), against, str(facts.get("kind", "")), facts)


def indicators(score: Mapping[str, Any], ctx: Context) -> tuple[tuple[IndicatorResult, ...], list[dict]]:
    """Every indicator of the score, its evidence re-timed from the log; evidence citing no such event is held."""
    keywords = score.get("keywords") or {}
    results: list[IndicatorResult] = []
    ungrounded: list[dict[str, Any]] = []
    for kw in keyword_order(keywords):
        for ind in (keywords[kw] or {}).get("indicators") or []:
            evidence = []
            for ev in ind.get("evidence") or []:
                item = _evidence(ev, ctx)
                if item is None:
                    ungrounded.append({"keyword": kw, "indicator": ind.get("id"), **ev})
                else:
                    evidence.append(item)
            results.append(
                IndicatorResult(
                    keyword=kw,
                    id=str(ind.get("id", "")),
                    name=str(ind.get("name") or ind.get("id") or ""),
                    points=number(ind.get("points")) or 0.0,
                    max=number(ind.get("max")) or 0.0,
                    evidence=tuple(evidence),
                    finding=str(ind.get("finding") or "").strip().rstrip("。"),
                    skipped=bool(ind.get("skipped", False)),
                )
            )
    return tuple(results), ungrounded


def keyword_scores(score: Mapping[str, Any], reference: Mapping[str, Any] | None) -> tuple[KeywordScore, ...]:
    mine = score.get("keywords") or {}
    theirs = (reference or {}).get("keywords") or {}
    order = keyword_order({**{k: None for k in KEYWORDS}, **mine})
    return tuple(
        KeywordScore(
            kw,
            number((mine.get(kw) or {}).get("score")),
            number((theirs.get(kw) or {}).get("score")) if reference is not None else None,
        )
        for kw in order
    )


# -- outcome figures ----------------------------------------------------------------------------------------
def as_dict(outcome: Any) -> dict[str, Any] | None:
    if outcome is None:
        return None
    if hasattr(outcome, "as_dict"):
        return outcome.as_dict()
    return dict(outcome)


def _compare(key: str, mine: Any, ref: Any) -> str:
    """How this drill's figure stands against the reference's: ``多12人``, ``晚9分钟``, ``与参考方案相同``."""
    if OUTCOMES[key].time:
        if mine is None or ref is None:
            return "—" if mine is None and ref is None else ("未控制" if mine is None else "早于参考方案控制")
        diff = math.floor(mine) - math.floor(ref)
        return "与参考方案同时" if diff == 0 else f"{'晚' if diff > 0 else '早'}{abs(diff)}分钟"
    if mine is None or ref is None:
        return "—"
    diff = float(mine) - float(ref)
    if round(abs(diff)) == 0:
        return "与参考方案相同"
    return f"{'多' if diff > 0 else '少'}{figure_text(key, abs(diff))}"


def outcome_rows(ctx: Context, mine: dict[str, Any], ref: dict[str, Any] | None) -> tuple[OutcomeRow, ...]:
    clock = ctx.scenario.start_clock
    rows = []
    for key, fig in OUTCOMES.items():
        if key not in mine:
            continue
        value = figure_text(key, mine[key], clock)
        if ref is None or key not in ref:
            rows.append(OutcomeRow(key, fig.label.zh, value))
        else:
            rows.append(
                OutcomeRow(
                    key, fig.label.zh, value, figure_text(key, ref[key], clock), _compare(key, mine[key], ref[key])
                )
            )
    return tuple(rows)
