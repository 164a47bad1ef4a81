"""案例推演: a drill of a real incident set beside the official investigation's findings.

    result = run_case(entry, "actual", seed=3)          # the plan of what was actually done, scored
    for row in compare(entry.case, result.score):       # each official finding: reproduced or avoided
        row.reproduced, row.finding.plain, row.evidence

A finding is *reproduced* when the drill's score has an evidence item of one of the finding's indicators, of one
of its evidence kinds, counting against the team (``simulator.formats.case.reproduced_by``): the team made the
same mistake the investigation found. Otherwise the team *avoided* it. The CLI, the app's case page and the
report all read this one comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import FileFormatError, Problem
from simulator.experiment import Experiment, single_run
from simulator.formats import Plan, load_plan
from simulator.formats.case import CaseSheet, Finding, Source, reproduced_by
from simulator.library import Entry, cached_plan, foreign_plan, reference_plan_path
from simulator.scoring import resolve_rubric

#: the plans every case carries, as a person names them
CASE_PLANS = {"actual": "实际处置", "reference": "参考处置"}


@dataclass(frozen=True)
class FindingResult:
    """One official finding against one drill: the evidence items that reproduce it (none: avoided)."""

    finding: Finding
    source: Source | None
    evidence: list[dict[str, Any]]

    @property
    def reproduced(self) -> bool:
        return bool(self.evidence)


def compare(sheet: CaseSheet, score: dict[str, Any]) -> list[FindingResult]:
    """Every finding of the case sheet, in its order, with the drill's evidence that reproduces it."""
    return [FindingResult(f, sheet.source(f.source), reproduced_by(f, score)) for f in sheet.findings]


def case_plan(entry: Entry, plan: str | Path) -> Plan:
    """``actual`` or ``reference`` (the case's own plans), else a plan file, checked against the case's scenario."""
    if isinstance(plan, str) and plan in CASE_PLANS:
        path = entry.plans.get(plan)
        if path is None:
            message = f"案例缺少{CASE_PLANS[plan]}方案 {entry.id}.{plan}.yaml (the case has no such plan)"
            raise FileFormatError([Problem(str(entry.path), None, "", message)])
    else:
        path = Path(plan)
    loaded = load_plan(path)
    problem = foreign_plan(loaded, entry.scenario, str(path))
    if problem is not None:
        raise FileFormatError([problem])
    return load_plan(path, scenario=entry.scenario)


def run_case(entry: Entry, plan: str | Path | Plan, seed: int) -> Experiment:
    """Run a plan of the case (``actual``, ``reference``, a file or a Plan) under ``seed``, scored against the
    case's reference plan under the same seed, by the case's own rubric if it has one."""
    chosen = plan if isinstance(plan, Plan) else case_plan(entry, plan)
    reference_path = reference_plan_path(entry.path)
    reference = cached_plan(reference_path) if reference_path else None
    return single_run(entry.scenario, chosen, seed, reference=reference, rubric=resolve_rubric(entry.path))
