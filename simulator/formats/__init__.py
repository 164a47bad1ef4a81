"""Pydantic models of every file a user writes, and the loaders that locate their errors."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from simulator.formats.crosscheck import plan_problems
from simulator.formats.loader import load_model
from simulator.formats.plan import ACTIONS, REVIEW_SECTIONS, Decision, Plan
from simulator.formats.scenario import Scenario


def load_scenario(path: str | Path, data: bytes | None = None) -> Scenario:
    """Read and fully check a scenario file (fields, then cross-references)."""
    return load_model(Scenario, path, data, extra_checks=Scenario.reference_problems)


def load_plan(path: str | Path, data: bytes | None = None, scenario: Scenario | None = None) -> Plan:
    """Read a plan file; with its ``scenario``, also check that every department, measure, parameter, place and
    inject it names exists there (``crosscheck``). Whether its decisions make sense at their moment is for the
    drill to say, decision by decision."""
    if scenario is None:
        return load_model(Plan, path, data)
    return load_model(Plan, path, data, extra_checks=partial(plan_problems, scenario=scenario))


__all__ = ["ACTIONS", "REVIEW_SECTIONS", "Decision", "Plan", "Scenario", "load_plan", "load_scenario"]
