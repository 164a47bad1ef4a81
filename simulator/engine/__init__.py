"""The drill engine: SimPy world, coordination network, event log, and replay."""

from simulator.engine.drill import Drill, Outcome, replay, run_plan
from simulator.engine.events import Event, EventLog
from simulator.engine.state import state_at

__all__ = ["Drill", "Event", "EventLog", "Outcome", "replay", "run_plan", "state_at"]
