"""Drills that last: an event-sourced store of drills and their decisions (SQLite by default)."""

from simulator.store.drills import DrillRecord, DrillStore, default_url

__all__ = ["DrillRecord", "DrillStore", "default_url"]
