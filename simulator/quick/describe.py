"""A parsed decision in words, for the person who confirms it before it is submitted: ``通知：区消防救援支队、
公安分局（含交警）``, ``下达处置措施：疏散转移群众 → 临港街道办事处（疏散半径1500米；完成时限 T+10（08:20））``.

Apart from the seat's and the console's words for logged decisions (``simulator.engine.seat``): those describe
events of a drill; these describe a decision that has not been taken yet, field by field.
"""

from __future__ import annotations

from typing import Any

from simulator.formats.scenario import Scenario
from simulator.hazards.describe import describe_params
from simulator.vocabulary import (
    ACTIONS,
    ADVICE_AUDIENCES,
    ADVICE_KINDS,
    DUE,
    LEVEL_SHORT,
    REPORT_FIGURES,
    REPORT_MODES,
    level_change_text,
    name_of,
    when,
)


def decision_text(scenario: Scenario, decision: Any, lang: str = "zh") -> str:
    """One decision as a line a person reads: its action, then what it names, in ``lang`` (scenario names as
    written)."""
    names = {d.id: d.name for d in scenario.departments}
    sep, colon = (", ", ": ") if lang == "en" else ("、", "：")
    action = name_of(ACTIONS, decision.action, lang)
    parts: list[str] = []
    kind = decision.action
    if kind == "notify":
        parts.append(sep.join(names.get(d, d) for d in decision.to))
    elif kind == "order":
        measure = scenario.measure(decision.measure)
        parts.append(f"{measure.name if measure else decision.measure} → {names.get(decision.department, '')}")
        if decision.params:
            parts.append(describe_params(scenario.hazard, decision.measure, decision.params, lang=lang))
        if decision.text:
            parts.append(f"“{decision.text}”")
    elif kind == "appoint_commander":
        dept = names.get(decision.department, "")
        parts.append(f"{decision.person} ({dept})" if lang == "en" else f"{decision.person}（{dept}）")
    elif kind == "establish_command_post":
        parts.append(decision.location)
    elif kind == "set_level":
        if decision.change is None:  # the drill derives it from the level in force
            parts.append(name_of(LEVEL_SHORT, decision.level, lang))
        else:
            parts.append(level_change_text(decision.change, decision.level, lang))
    elif kind == "report_up":
        target = names.get(decision.to, "") if decision.to else ""
        parts.append(f"{name_of(REPORT_MODES, decision.mode, lang)} {target}".strip())
        parts.extend(f"{name_of(REPORT_FIGURES, key, lang)} {value}" for key, value in decision.figures().items())
    elif kind == "request_info":
        parts.append(f"{names.get(decision.to, '')}{colon}{decision.topic}")
    elif kind == "advise":
        parts.append(
            f"{name_of(ADVICE_KINDS, decision.kind, lang)} → {name_of(ADVICE_AUDIENCES, decision.to, lang)}"
            f"{colon}{decision.text}"
        )
    due = getattr(decision, "due", None)
    if due is not None:
        parts.append(f"{DUE(lang)} {when(scenario.start_clock, due, lang)}")
    if getattr(decision, "level", None) and kind == "report_up":
        parts.append(name_of(LEVEL_SHORT, decision.level, lang))
    return f"{action}{colon}" + ("; " if lang == "en" else "；").join(p for p in parts if p)
