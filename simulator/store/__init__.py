"""Drills that last: an event-sourced store of drills and their decisions (SQLite by default)."""

from simulator.store.drills import FACILITATOR, DrillRecord, DrillStore, default_url

__all__ = ["FACILITATOR", "DrillRecord", "DrillStore", "default_url"]
