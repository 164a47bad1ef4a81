"""The right measure at the wrong place: the answer key's measure may name its sites (``KeyMeasure.sites``: the
right tunnel, the right metro line); an order that names other places is faulted, with evidence naming both.

Why its own module: a site is not a parameter with a value and a tolerance; whether an order covers a site depends on
how the hazard's measure names places (``simulator.hazards.describe.named_places``: an empty choice covers every
place of its kind). ``precision._task_fit`` calls ``site_fault`` for each order of a key measure.
"""

from __future__ import annotations

from typing import Any

from simulator.formats.scenario import KeyMeasure
from simulator.hazards import places
from simulator.hazards.describe import named_places
from simulator.scoring.context import DrillView, TaskView
from simulator.scoring.evidence import Evidence, cite


def site_fault(view: DrillView, km: KeyMeasure, task: TaskView, head: tuple[str, str], facts: dict[str, Any]):
    """``None`` when the order acts on every site the answer names; else the evidence of the wrong place."""
    if not km.sites:
        return None
    hazard = view.scenario.hazard
    named = named_places(hazard, km.measure, task.params)
    if named is None:
        return None  # no place named: it acts on every place of its kind
    missing = [site for site in km.sites if site not in named]
    if not missing:
        return None
    names = places(hazard.params)
    given, wanted = "、".join(names.get(s, s) for s in named), "、".join(names.get(s, s) for s in km.sites)
    given_en, wanted_en = ", ".join(names.get(s, s) for s in named), ", ".join(names.get(s, s) for s in km.sites)
    evidence: Evidence = cite(
        task.ordered,
        "wrong_site",
        f"{head[0]}地点为{given}，应为{wanted}",
        f"{head[1]}at {given_en}, should be at {wanted_en}",
        expected=list(km.sites),
        actual=named,
        **facts,
    )
    return evidence
