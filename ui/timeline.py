"""The MSEL as the facilitator reads it: when an inject is due and under which condition, in words.

Shared by the console's MSEL, the scenario library and the authoring page (each used to write its own, with ids
and ``k=v`` dumps). No Streamlit here.
"""

from __future__ import annotations

from simulator.formats.scenario import Condition, Inject, Scenario
from simulator.hazards.conditions import words as condition_words
from simulator.vocabulary import ACTIONS, name_of, span, when
from ui.i18n import t


def planned_text(scenario: Scenario, inject: Inject, lang: str = "zh") -> str:
    """``T+8（08:18）``, or ``「现场2人晕倒」后 5分钟`` for an inject that follows another."""
    if inject.at is not None:
        return when(scenario.start_clock, inject.at, lang)
    if inject.when is not None:  # released when its condition first holds: the condition is its time
        return condition_words(scenario, inject.when)(lang)
    titles = {i.id: i.title for i in scenario.injects}
    return t("after_inject", lang).format(inject=titles.get(inject.after, ""), delay=span(inject.delay, lang))


def condition_text(scenario: Scenario, inject: Inject, lang: str = "zh") -> str:
    """``除非已下达「疏散群众」`` / ``only if …``; empty for an unconditional inject."""
    if inject.unless is not None:
        return t("cond_unless", lang).format(what=_what(scenario, inject.unless, lang))
    if inject.only_if is not None:
        return t("cond_only_if", lang).format(what=_what(scenario, inject.only_if, lang))
    return ""


def _what(scenario: Scenario, condition: Condition, lang: str) -> str:
    if condition.on_hazard:
        return condition_words(scenario, condition)(lang)
    measures = {m.id: m.name for m in scenario.measures}
    if condition.measure_ordered is not None:
        return t("cond_ordered", lang).format(measure=measures.get(condition.measure_ordered, ""))
    if condition.measure_done is not None:
        return t("cond_done", lang).format(measure=measures.get(condition.measure_done, ""))
    return t("cond_action", lang).format(action=name_of(ACTIONS, condition.action, lang))
