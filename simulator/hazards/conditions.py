"""Conditions on the hazard's state, for injects: ``{hazard: explosion}`` (a named event of the model happened, at
a place or anywhere) and ``{figure: depth, site: s_metro, above: 0.3}`` (a figure, at a place or overall, passed a
value).

Why here: a scenario's MSEL used to depend on decisions only, so "when the explosion happens" had to be guessed as a
minute. The models state their events and per-place figures (``HazardModel.EVENTS``, ``SITE_FIGURES``,
``happened``, ``state_value``); this module checks a condition against the model (``problems``, for
``Scenario.reference_problems``), evaluates it on a running model (``holds``), and puts it in words for people (the
console's inject board: ``积水深度（地铁2号线滨河路站）超过0.3米时``). A condition is read by its attributes, so this
module needs nothing of the scenario format.
"""

from __future__ import annotations

from typing import Any

from simulator.hazards.base import HazardModel
from simulator.hazards.describe import floor_label, model_of, places
from simulator.vocabulary import ACTIONS, HAZARD_EVENTS, Label


def problems(hazard: Any, cond: Any, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """What is wrong with a condition's hazard part for the scenario's ``hazard`` (spec with model and params):
    an event the model never states, a figure it does not give, a place it does not have."""
    if cond.hazard is None and cond.figure is None:
        return []
    model = model_of(hazard)
    out: list[tuple[tuple[Any, ...], str]] = []
    known_places = places(hazard.params)
    if cond.site is not None and cond.site not in known_places:
        known = ", ".join(known_places)
        out.append(((*loc, "site"), f"未知的地点 {cond.site!r} (unknown site; known: {known})"))
    if cond.hazard is not None and cond.hazard not in model.EVENTS:
        known = ", ".join(model.EVENTS) or "无 (none)"
        message = f"灾害模型 {model.name} 没有事件 {cond.hazard!r} (unknown event; known: {known})"
        out.append(((*loc, "hazard"), message))
    if cond.figure is not None:
        figures = model.SITE_FIGURES if cond.site is not None else model.figure_specs()
        if cond.figure not in figures:
            where = "各地点的" if cond.site is not None else ""
            known = ", ".join(figures) or "无 (none)"
            message = f"灾害模型 {model.name} 没有{where}数值 {cond.figure!r} (unknown figure; known: {known})"
            out.append(((*loc, "figure"), message))
    return out


def holds(model: HazardModel, cond: Any) -> bool:
    """Whether a hazard condition holds on the running model now."""
    if cond.hazard is not None:
        return model.happened(cond.hazard, cond.site or "")
    value = model.state_value(cond.figure, cond.site or "")
    if value is None:
        return False
    return value > cond.above if cond.above is not None else value < cond.below


def describe(hazard: Any, cond: Any, lang: str = "zh") -> str:
    """A hazard condition in words: ``发生爆炸（地下室）`` / ``积水深度（X）超过0.3米`` (``explosion (X)`` /
    ``water depth at X above 0.3 m``)."""
    model = model_of(hazard)
    site = cond.site or ""
    site = floor_label(int(site))(lang) if site.isdigit() else places(hazard.params).get(site, "")
    if cond.hazard is not None:
        what = HAZARD_EVENTS.get(cond.hazard, Label(cond.hazard, cond.hazard))(lang)
        if lang == "en":
            return what + (f" ({site})" if site else "")
        return what + (f"（{site}）" if site else "")
    spec = (model.SITE_FIGURES if cond.site else model.figure_specs()).get(cond.figure)
    label = spec.label(lang) if spec is not None else cond.figure
    value = cond.above if cond.above is not None else cond.below
    if spec is not None and spec.percent:
        amount = f"{value:.0%}"
    else:
        unit = spec.unit(lang) if spec is not None else ""
        amount = f"{value:g}{unit}" if lang == "zh" else f"{value:g} {unit}".strip()
    if lang == "en":
        where = f" at {site}" if site else ""
        return f"{label}{where} {'above' if cond.above is not None else 'below'} {amount}"
    where = f"（{site}）" if site else ""
    return f"{label}{where}{'超过' if cond.above is not None else '低于'}{amount}"


def words(scenario: Any, cond: Any) -> Label:
    """Any inject condition in words, both languages, for the inject board (``待触发：发生爆炸（地下室）``): a hazard
    condition as ``describe`` says it, a decision as ``已下达/已完成 <措施>`` or ``已<动作>``."""
    if cond.hazard is not None or cond.figure is not None:
        return Label(describe(scenario.hazard, cond, "zh"), describe(scenario.hazard, cond, "en"))
    names = {m.id: m.name for m in scenario.measures}
    if cond.measure_ordered is not None:
        name = names.get(cond.measure_ordered, "")
        return Label(f"已下达“{name}”", f"“{name}” ordered")
    if cond.measure_done is not None:
        name = names.get(cond.measure_done, "")
        return Label(f"已完成“{name}”", f"“{name}” done")
    action = ACTIONS.get(cond.action, Label("", ""))
    return Label(f"已{action.zh}", f"{action.en} taken")
