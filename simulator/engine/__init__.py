"""The drill engine: SimPy world, coordination network, event log, and replay."""

from simulator.engine.drill import Drill, replay, run_plan
from simulator.engine.events import Event, EventLog
from simulator.engine.state import Outcome, outcome_of, state_at

__all__ = ["Drill", "Event", "EventLog", "Outcome", "outcome_of", "replay", "run_plan", "state_at"]
