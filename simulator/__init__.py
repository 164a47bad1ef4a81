"""应急处置桌面推演模拟器 — the drill library. The UI and the CLI call this; it never imports either."""

from simulator.engine import Drill, Event, EventLog, Outcome, run_plan, state_at
from simulator.errors import FileFormatError, Problem
from simulator.formats import Plan, Scenario, load_plan, load_scenario

__all__ = [
    "Drill",
    "Event",
    "EventLog",
    "FileFormatError",
    "Outcome",
    "Plan",
    "Problem",
    "Scenario",
    "load_plan",
    "load_scenario",
    "run_plan",
    "state_at",
]
