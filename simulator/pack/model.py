"""What a drill pack is made from: the scenario, the rubric the evaluators mark against, and — when the pack is
for a drill already created on the console — that drill's team, code, date and own facts (演练基本信息).

Why the drill is optional: an office prints the pack days before the drill, when no drill code exists yet; the
covers and the sign-in sheet then leave blanks to fill in by hand. With a drill, they carry what the store holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simulator.errors import FileFormatError, Problem
from simulator.formats.scenario import Scenario
from simulator.report.facts import DrillFacts
from simulator.scoring.rubric import Rubric, default_rubric


@dataclass(frozen=True)
class DrillInfo:
    """A drill as the pack's covers name it (never its passcode, decisions or score)."""

    code: str
    team: str = ""
    date: dt.date | None = None
    facts: DrillFacts | None = None


@dataclass(frozen=True)
class Pack:
    """Everything the four parts are written from."""

    scenario: Scenario
    rubric: Rubric
    drill: DrillInfo | None = None

    @classmethod
    def of(cls, scenario: Scenario, rubric: Rubric | None = None, drill: DrillInfo | None = None) -> Pack:
        return cls(scenario, rubric or default_rubric(), drill)

    @property
    def facts(self) -> DrillFacts:
        """The drill's facts, or empty ones (every field then prints as a blank to fill in)."""
        return self.drill.facts if self.drill is not None and self.drill.facts is not None else DrillFacts()


def drill_info(store, code: str, scenario: Scenario | None = None) -> DrillInfo:
    """The drill with ``code`` in ``store`` (a ``DrillStore``): its team, code, date (the facts' date, else the day
    it was created) and facts. A code no drill has, or a drill of another scenario, is a located problem."""
    from simulator.store.facts import drill_facts  # the store (SQLAlchemy) only when a drill is asked for

    record = store.by_code(code)
    if record is None:
        raise FileFormatError([Problem("--drill", None, "推演码", f"没有推演码为 {code.strip().upper()} 的推演")])
    if scenario is not None and record.scenario_id != scenario.id:
        message = f"推演 {record.code} 使用的场景是 {record.scenario_id}，不是 {scenario.id}（{scenario.title}）"
        raise FileFormatError([Problem("--drill", None, "推演码", message)])
    return drill_of(record, drill_facts(store, record.id))


def drill_of(record, facts: DrillFacts | None) -> DrillInfo:
    """A stored drill record (``DrillRecord``) and its facts as the pack names them."""
    date = facts.date if facts is not None and facts.date is not None else None
    if date is None:
        try:
            date = dt.date.fromisoformat(str(record.created_at)[:10])
        except ValueError:
            date = None
    return DrillInfo(code=record.code, team=record.team, date=date, facts=facts)


__all__ = ["DrillInfo", "Pack", "drill_info", "drill_of"]
