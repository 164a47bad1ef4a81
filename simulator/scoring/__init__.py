"""Scoring a drill by the four keywords 迅速、有序、精准、提升, with the events behind every point.

    from simulator.scoring import score_drill, load_rubric, Rubric
    score = score_drill(scenario, drill.log, reference=ref_drill.log)   # the score.json dict

The score is derived from the event log alone (what was delivered, started, received), never from the plan,
so the network's and the departments' delays count. The rubric (keywords → indicators → weights, thresholds
and explanations) is data: ``default_rubric.yaml`` in this package, or a scenario's own file. The indicators
themselves are declared once, by ``@indicator`` on their functions (``indicators.INDICATORS``).

Every evidence item is structured (``evidence.py``): the cited event's id and time, a Chinese and an English
sentence, ``against`` (whether it counts against the team) and ``facts`` (a ``kind`` from one closed set, and
the departments, measure, values and lateness behind it), so readers never parse the sentence.

Within a keyword, an indicator's maximum is its share of the keyword's 100 points (indicators that do not apply
— no reference run, no history — hand their share to the others), so the points shown add up to the score.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from simulator.engine.events import Event, EventLog
from simulator.files import write_text
from simulator.formats.scenario import Scenario
from simulator.scoring import (  # noqa: F401 (importing registers them)
    advice,
    conflicts,
    improvement,
    loop,
    order,
    precision,
    reports,
    responses,
    speed,
    triggers,
)
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import KINDS, Result, absent
from simulator.scoring.indicators import INDICATORS, IndicatorSpec, indicator
from simulator.scoring.rubric import (
    Indicator,
    Keyword,
    Rubric,
    complete_rubric,
    default_rubric,
    load_rubric,
    resolve_rubric,
    rubric_problems,
    scenario_rubric_path,
)
from simulator.vocabulary import KEYWORDS

#: the registry under the name the report's tests knew it by (same dict)


def score_drill(
    scenario: Scenario,
    log: EventLog | list[Event],
    *,
    rubric: Rubric | None = None,
    reference: EventLog | list[Event] | None = None,
    previous: dict[str, Any] | None = None,
    items: list[Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Score one drill's event log; return the score.json dict (deterministic, JSON-serialisable, ordered keys).

    ``reference`` is the log of the scenario's reference plan run with the same seed (for the outcome
    comparison); ``previous`` is the same team's earlier score.json of this scenario (for the trend). Either
    may be None: the indicator that needs it is then left out, not failed, and its evidence says so.
    ``items`` are the team's 整改 items (simulator.loop) open before this drill: each is checked on this drill and
    the loop's 提升 indicators score the verdicts; without items those indicators are not in the score at all.
    ``today`` is the drill's date: an item not yet due that is not fixed is left out of the share fixed (its
    recurrence still counts); without a date every open item is due.
    """
    rubric = _checked(rubric)
    view = DrillView(scenario, log)
    if not view.events:
        raise ValueError("事件日志为空，无法评分 (the event log is empty)")
    if view.scenario_id not in (None, scenario.id):
        raise ValueError(f"事件日志属于场景 {view.scenario_id}，不是 {scenario.id} (the log is of another scenario)")
    ref_view = DrillView(scenario, reference) if reference is not None and len(list(reference)) else None
    ctx = Context(view, ref_view, previous)
    scores: dict[str, float | None] = {}
    ctx.cache["scores"] = scores
    keywords: dict[str, Any] = {}
    ctx.cache["keywords"] = keywords  # each keyword's result as it is computed: 提升 reads what the others found
    for name, spec in rubric.keywords.items():
        keywords[name] = _score_keyword(spec, ctx)
        scores[name] = keywords[name]["score"]
    checked = None
    if items is not None:  # the team's open items, checked on what every keyword found; then 提升 again, with them
        checked = _check_items(scenario, items, {"keywords": keywords, "outcome": _outcomes(view, ref_view)}, today)
        ctx.cache["loop"] = checked
        ctx.cache["loop_today"] = today
        for name, spec in rubric.keywords.items():
            if any(ind.id in loop.LOOP_INDICATORS for ind in spec.indicators):
                keywords[name] = _score_keyword(spec, ctx)
                scores[name] = keywords[name]["score"]
    weights = {name: spec.weight for name, spec in rubric.keywords.items()}
    counted = [k for k in KEYWORDS if weights[k] > 0 and scores[k] is not None]
    weight_sum = sum(weights[k] for k in counted)
    total = round(sum(weights[k] * scores[k] for k in counted) / weight_sum, 1) if weight_sum else 0.0
    team = view.outcome()
    ref = ref_view.outcome() if ref_view is not None else None
    out = {
        "total": total,
        "grade": rubric.grade(total),
        "keywords": keywords,
        "weights": {k: _num(v) for k, v in weights.items()},
        "grades": [{"name": g.name, "min": _num(g.min)} for g in rubric.grades],
        "scenario": scenario.id,
        "seed": view.seed,
        "rubric": {"name": rubric.name, "version": rubric.version},
        "outcome": {"team": team, "reference": ref},
    }
    if checked is not None:
        out["items"] = [
            {
                "id": item.id,
                "drill_id": item.drill_id,
                "scenario": item.scenario,
                "kind": item.kind,
                "keyword": item.keyword,
                "problem": item.problem,
                "verdict": check.verdict,
                "note": check.note,
                "evidence": check.evidence,
            }
            for item, check in checked
        ]
    return out


def _outcomes(view: DrillView, ref_view: DrillView | None) -> dict[str, Any]:
    return {"team": view.outcome(), "reference": ref_view.outcome() if ref_view is not None else None}


def _check_items(
    scenario: Scenario, items: list[Any], score: dict[str, Any], today: dt.date | None
) -> list[tuple[Any, Any]]:
    """(item, check) of every open item: the item as it stands before this drill, the check this drill gives it."""
    from simulator.loop.items import check_item  # the loop reads the report's problem kinds, which import scoring

    return [(item, check_item(item, scenario, score, today=today)) for item in items if item.open]


def _checked(rubric: Rubric | None) -> Rubric:
    """The default rubric, or the given one made safe to use: a rubric built in code (not read by load_rubric)
    gets the same checks and the default thresholds for what it leaves out."""
    default = default_rubric()
    if rubric is None or rubric is default:
        return default
    problems = rubric_problems(rubric)
    if problems:
        raise ValueError(
            "评分细则有误 (bad rubric): " + "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems)
        )
    return complete_rubric(rubric, default)


def _score_keyword(spec: Keyword, ctx: Context) -> dict[str, Any]:
    results: list[tuple[Indicator, Result]] = []
    done: dict[int, Result] = ctx.cache.setdefault("results", {})  # a keyword scored again for the loop reuses these
    for ind in spec.indicators:
        looped = ind.id in loop.LOOP_INDICATORS
        if looped and "loop" not in ctx.cache:
            continue  # no items given: the loop is not part of this score at all
        result = done.get(id(ind)) if not looped else None
        if result is None:
            result = INDICATORS[ind.id].function(ctx, ind.thresholds)
            if not result.evidence:  # an indicator must always say why; this keeps the promise if one forgets
                result.evidence = [absent(ctx.view, "no_events", "无相关事件", "nothing in the log bore on it")]
            done[id(ind)] = result
        results.append((ind, result))
    scored = [(ind, r) for ind, r in results if r.fraction is not None]
    maxima = _shares([ind.weight for ind, _ in scored])
    max_of = {id(ind): m for (ind, _), m in zip(scored, maxima, strict=True)}
    indicators = []
    total = 0
    for ind, r in results:
        skipped = r.fraction is None
        maximum = 0 if skipped else max_of[id(ind)]
        points = 0 if skipped else round(r.fraction * maximum)
        total += points
        indicators.append(
            {
                "id": ind.id,
                "name": ind.name,
                "name_en": ind.name_en or ind.name,
                "points": points / 10,
                "max": maximum / 10,
                "weight": _num(ind.weight),
                "skipped": skipped,
                "finding": r.finding,
                "finding_en": r.finding_en or r.finding,
                "value": r.value,
                "explanation": ind.explanation,
                "explanation_en": ind.explanation_en or ind.explanation,
                "evidence": r.evidence,
            }
        )
    return {
        "score": total / 10 if scored else None,
        "explanation": spec.explanation,
        "explanation_en": spec.explanation_en or spec.explanation,
        "indicators": indicators,
    }


def _shares(weights: list[float]) -> list[int]:
    """Split 100.0 points (as 1000 tenths) in proportion to ``weights``, largest remainders first, so the
    maxima shown always add up to exactly 100."""
    if not weights:
        return []
    total = sum(weights)
    raw = [1000 * w / total for w in weights]
    base = [int(r) for r in raw]
    order_ = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order_[: 1000 - sum(base)]:
        base[i] += 1
    return base


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def write_score(score: dict[str, Any], path: str | Path) -> None:
    """Write score.json: UTF-8, Chinese as is, keys in the order score_drill made them."""
    write_text(path, json.dumps(score, ensure_ascii=False, indent=2) + "\n")


__all__ = [
    "INDICATORS",
    "KEYWORDS",
    "KINDS",
    "IndicatorSpec",
    "Rubric",
    "default_rubric",
    "indicator",
    "load_rubric",
    "resolve_rubric",
    "scenario_rubric_path",
    "score_drill",
    "write_score",
]
