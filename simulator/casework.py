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
from functools import lru_cache
from pathlib import Path
from typing import Any

from simulator.engine import Drill, EventLog, run_plan
from simulator.errors import FileFormatError, Problem
from simulator.experiment import Experiment, single_run
from simulator.formats import Plan, Scenario, load_plan
from simulator.formats.case import CaseSheet, Finding, Source, reproduced_by
from simulator.library import Entry, cached_plan, cached_scenario, foreign_plan, reference_plan_path
from simulator.narrator import Narrator
from simulator.scoring import resolve_rubric
from simulator.vocabulary import ACTIONS, name_of, reason_text, when

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

    @property
    def tested(self) -> bool:
        """Whether a drill can reproduce the finding at all (not one about supervision before the event)."""
        return self.finding.tested

    @property
    def avoided(self) -> bool:
        return self.tested and not self.reproduced


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


@dataclass(frozen=True)
class DecisionRow:
    """One decision of a drill as a person reads it: when, by whom, what it did, and its note (a case's source)."""

    t: float
    when: str
    by: str
    text: str
    note: str
    accepted: bool


def decision_rows(scenario: Scenario, log: EventLog, lang: str = "zh") -> list[DecisionRow]:
    """The decisions of a drill's log, each told by what it did (the narrator's sentence of its first effect:
    研判为……, 启动Ⅲ级应急响应, 下达……); the facilitator's own (导调) are left out: they are not the response."""
    narrator = Narrator(scenario, log, lang)
    events = list(log)
    rows = []
    for i, event in enumerate(events):
        if event.kind not in ("decision_accepted", "decision_rejected") or event.get("by") == "control":
            continue
        ident = event.get("decision")
        detail = event.get("detail") or {}
        text = ""
        to = detail.get("to")
        if event.kind == "decision_accepted" and event.get("action") == "notify" and isinstance(to, list) and to:
            text = f"向{narrator.names(to)}发出通知" if lang != "en" else f"notice to {narrator.names(to)}"
        elif event.kind == "decision_accepted":
            for later in events[i + 1 : i + 40]:
                if later.get("decision") != ident or later.kind.startswith("decision_"):
                    continue
                told = narrator.tell(later, everything=True)
                if told is not None and told.text:
                    text = told.text
                    break
        else:
            reason = reason_text(event.get("reason") or {}, lang) if event.get("reason") else ""
            text = f"{name_of(ACTIONS, event.get('action'), lang)}{'（未受理：' + reason + '）' if reason else ''}"
        rows.append(
            DecisionRow(
                event.t,
                when(scenario.start_clock, event.t, lang),
                narrator.name(event.get("by")),
                text or name_of(ACTIONS, event.get("action"), lang),
                str(detail.get("note") or ""),
                event.kind == "decision_accepted",
            )
        )
    return rows


@lru_cache(maxsize=64)
def _actual_drill(path: Path, mtime: int, scenario_path: Path, s_mtime: int, seed: int) -> Drill:
    return run_plan(cached_scenario(scenario_path), cached_plan(path), seed)


def actual_drill(entry: Entry, seed: int) -> Drill | None:
    """What was actually done, run under ``seed`` (cached: the case page shows it beside every drill)."""
    path = entry.plans.get("actual")
    if path is None:
        return None
    return _actual_drill(path, path.stat().st_mtime_ns, entry.path, entry.path.stat().st_mtime_ns, seed)
