"""The scenario library: the bundled scenarios and their plans, found by file name.

A scenario is ``scenarios/<id>.yaml``; its plans sit beside it as ``<id>.<plan>.yaml`` (``reference`` is the
expert plan, ``poor`` the counter-example). Loading is cached on the file's path and modification time, so the
app can ask for the catalogue on every rerun without re-reading anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from simulator.engine import Drill, run_plan
from simulator.errors import FileFormatError
from simulator.formats import Plan, Scenario, load_plan, load_scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    scenario: Scenario
    plans: dict[str, Path] = field(default_factory=dict)

    @property
    def reference(self) -> Plan | None:
        path = self.plans.get("reference")
        return cached_plan(path) if path else None

    def reference_drill(self, seed: int) -> Drill | None:
        """The reference plan run under ``seed`` (cached: every view of a drill compares against it)."""
        path = self.plans.get("reference")
        if path is None:
            return None
        return _reference_drill(self.path, self.path.stat().st_mtime_ns, path, path.stat().st_mtime_ns, seed)


def catalog(directory: Path = SCENARIO_DIR) -> tuple[list[Entry], list[FileFormatError]]:
    """Every valid scenario in ``directory``, and the errors of those that are not."""
    entries: list[Entry] = []
    errors: list[FileFormatError] = []
    for path in sorted(directory.glob("*.yaml")):
        if "." in path.stem:
            continue  # a plan: <id>.<name>.yaml
        try:
            scenario = cached_scenario(path)
        except FileFormatError as exc:
            errors.append(exc)
            continue
        plans = {p.name.split(".")[1]: p for p in sorted(directory.glob(f"{path.stem}.*.yaml"))}
        plans.pop("rubric", None)  # <id>.rubric.yaml is the scenario's own scoring rubric, not a plan
        entries.append(Entry(scenario.id, path, scenario, plans))
    return entries, errors


def find(scenario_id: str, directory: Path = SCENARIO_DIR) -> Entry | None:
    entries, _ = catalog(directory)
    return next((e for e in entries if e.id == scenario_id), None)


def cached_scenario(path: Path) -> Scenario:
    return _scenario(path, path.stat().st_mtime_ns)


def cached_plan(path: Path) -> Plan:
    return _plan(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _scenario(path: Path, mtime: int) -> Scenario:
    return load_scenario(path)


@lru_cache(maxsize=256)
def _plan(path: Path, mtime: int) -> Plan:
    return load_plan(path)


@lru_cache(maxsize=64)
def _reference_drill(scenario_path: Path, s_mtime: int, plan_path: Path, p_mtime: int, seed: int) -> Drill:
    return run_plan(cached_scenario(scenario_path), cached_plan(plan_path), seed)
