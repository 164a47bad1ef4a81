"""The scenario library: the bundled scenarios and the user's own, and their plans, found by file name.

A scenario is ``scenarios/<id>.yaml``; its plans sit beside it as ``<id>.<plan>.yaml`` (``reference`` is the
expert plan, ``poor`` the counter-example). Loading is cached on the file's path and modification time, so the
app can ask for the catalogue on every rerun without re-reading anything.

Scenarios written in the app (场景编写) go to the user library, ``$DRILL_SCENARIO_DIR`` (default
``<repo>/data/scenarios``, outside version control). ``catalog()`` lists the bundled scenarios, then the user's; a
user scenario never shadows a bundled one: on an id clash the bundled one is used and the clash is reported.

Real incidents (案例推演) live apart, in ``cases/`` (``$DRILL_CASE_DIR`` overrides it): four files per case id —
``<id>.yaml`` (the scenario), ``<id>.actual.yaml`` (what was actually done), ``<id>.reference.yaml`` and
``<id>.case.yaml`` (the sheet: sources, official findings, assumptions; ``simulator.formats.case``).
``cases_catalog()`` lists them as entries whose ``case`` is the sheet; ``catalog()`` never lists them, but ``find()``
resolves a case's id too, so a drill of a case is created, stored, replayed and scored like any other. A case's id
is taken: neither a bundled scenario's id nor a user scenario may shadow it (the clash is reported).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from simulator.engine import Drill, run_plan
from simulator.errors import FileFormatError, Problem
from simulator.files import write_text
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.case import CaseSheet, load_case
from simulator.formats.crosscheck import plan_problems

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
USER_DIR_DEFAULT = Path(__file__).resolve().parent.parent / "data" / "scenarios"
CASE_DIR = Path(__file__).resolve().parent.parent / "cases"


def case_dir() -> Path:
    """The case library: ``$DRILL_CASE_DIR``, else ``<repo>/cases`` (read on every call)."""
    configured = os.environ.get("DRILL_CASE_DIR", "").strip()
    return Path(configured).expanduser() if configured else CASE_DIR


def user_dir() -> Path:
    """The user library: ``$DRILL_SCENARIO_DIR``, else ``<repo>/data/scenarios`` (read on every call)."""
    configured = os.environ.get("DRILL_SCENARIO_DIR", "").strip()
    return Path(configured).expanduser() if configured else USER_DIR_DEFAULT


def reference_plan_path(scenario_path: str | Path) -> Path | None:
    """Where a scenario keeps its expert plan, if it has one: ``hazchem_leak.yaml`` -> ``hazchem_leak.reference.yaml``
    beside it. The one answer to this question for the CLI, the batch runner and the library."""
    path = Path(scenario_path)
    beside = path.with_name(f"{path.name.removesuffix('.yaml').removesuffix('.yml')}.reference.yaml")
    return beside if beside.is_file() else None


def foreign_plan(plan: Plan, scenario: Scenario, source: str) -> Problem | None:
    """The problem of a plan written for another scenario than the one it is run on (None when it fits)."""
    if plan.scenario in (None, scenario.id):
        return None
    message = f"方案是为场景 {plan.scenario!r} 编写的，而不是 {scenario.id!r} (plan written for another scenario)"
    return Problem(source, None, "scenario", message)


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    scenario: Scenario
    plans: dict[str, Path] = field(default_factory=dict)
    user: bool = False  # from the user library rather than the bundled scenarios
    case: CaseSheet | None = None  # a real incident's sheet (案例推演), for an entry of the case library
    #: the sha256 of a stored drill's own copy of the scenario when it is not the library's (``pinned``)
    snapshot: str | None = None

    @property
    def reference(self) -> Plan | None:
        path = reference_plan_path(self.path)
        return cached_plan(path) if path else None

    def reference_drill(self, seed: int) -> Drill | None:
        """The reference plan run under ``seed`` (cached: every view of a drill compares against it)."""
        path = reference_plan_path(self.path)
        if path is None:
            return None
        if self.snapshot is not None:
            return _pinned_reference_drill(self, path, seed)
        return _reference_drill(self.path, self.path.stat().st_mtime_ns, path, path.stat().st_mtime_ns, seed)


def pinned(entry: Entry | None, scenario: Scenario, digest: str) -> Entry:
    """The library entry of a stored drill whose own copy of the scenario (``simulator.store.scenarios``) is not
    the library's: the same entry (plans, case sheet) with the drill's scenario, or, when the library no longer has
    the scenario at all, an entry of the copy alone."""
    if entry is None:
        return Entry(scenario.id, user_dir() / f"{scenario.id}.yaml", scenario, {}, user=True, snapshot=digest)
    return Entry(entry.id, entry.path, scenario, entry.plans, entry.user, entry.case, snapshot=digest)


#: the reference plan run on a drill's own copy of its scenario, by (copy, plan file, its mtime, seed)
_PINNED_REFERENCES: dict[tuple[str, Path, int, int], Drill | None] = {}


def _pinned_reference_drill(entry: Entry, path: Path, seed: int) -> Drill | None:
    """The library's reference plan run on the drill's copy of the scenario; None when the plan no longer fits
    that copy (it names a department or measure the copy lacks): no comparison rather than a wrong one."""
    key = (entry.snapshot, path, path.stat().st_mtime_ns, seed)
    if key not in _PINNED_REFERENCES:
        plan = cached_plan(path)
        fits = foreign_plan(plan, entry.scenario, str(path)) is None and not plan_problems(plan, entry.scenario)
        if len(_PINNED_REFERENCES) >= 64:
            _PINNED_REFERENCES.clear()
        _PINNED_REFERENCES[key] = run_plan(entry.scenario, plan, seed) if fits else None
    return _PINNED_REFERENCES[key]


def catalog(
    directory: Path = SCENARIO_DIR, user_directory: Path | None = None
) -> tuple[list[Entry], list[FileFormatError]]:
    """Every valid scenario in ``directory``, then in the user library, and the errors of those that are not.

    The user library is ``user_directory``, or ``user_dir()`` when ``directory`` is the bundled library. A user
    scenario whose id a bundled one already has is left out, and the clash is among the errors.
    """
    entries, errors = _scan(directory, user=False)
    if user_directory is None and directory == SCENARIO_DIR:
        user_directory = user_dir()
    if user_directory is not None and user_directory.resolve() != directory.resolve() and user_directory.is_dir():
        taken = {e.id: e for e in entries}
        cases = {e.id: e for e in cases_catalog()[0]} if directory == SCENARIO_DIR else {}
        more, more_errors = _scan(user_directory, user=True)
        errors.extend(more_errors)
        for entry in more:
            for owners, zh, en in ((taken, "内置场景", "a bundled scenario"), (cases, "案例", "a case")):
                if entry.id in owners:
                    clash = f"与{zh} {owners[entry.id].path.name} 同名，已使用{zh} (id clashes with {en})"
                    errors.append(FileFormatError([Problem(str(entry.path), None, "id", clash)]))
                    break
            else:
                entries.append(entry)
    return entries, errors


def cases_catalog(directory: Path | None = None) -> tuple[list[Entry], list[FileFormatError]]:
    """Every valid case in ``directory`` (default ``case_dir()``), ordered by the date it occurred, and the errors
    of those that are not. A case is valid when its sheet and its scenario load, the sheet names the scenario
    of its own id, and no bundled scenario has that id."""
    directory = case_dir() if directory is None else directory
    entries: list[Entry] = []
    errors: list[FileFormatError] = []
    if not directory.is_dir():
        return entries, errors
    bundled = {e.id for e in _scan(SCENARIO_DIR, user=False)[0]} if directory != SCENARIO_DIR else set()
    sheets = {p.name.removesuffix(".case.yaml"): p for p in sorted(directory.glob("*.case.yaml"))}
    for path in sorted(directory.glob("*.yaml")):
        if "." not in path.stem and path.stem not in sheets:
            message = f"案例缺少案例表 {path.stem}.case.yaml (a case needs its sheet)"
            errors.append(FileFormatError([Problem(str(path), None, "", message)]))
    for ident, sheet_path in sheets.items():
        try:
            entry = case_entry(ident, directory)
        except FileFormatError as exc:
            errors.append(exc)
            continue
        if entry.id in bundled:
            message = f"与内置场景 {entry.id!r} 同名，请换一个编号 (id clashes with a bundled scenario)"
            errors.append(FileFormatError([Problem(str(sheet_path), None, "scenario", message)]))
            continue
        entries.append(entry)
    entries.sort(key=lambda e: (e.case.occurred, e.id))
    return entries, errors


def case_entry(ident: str, directory: Path | None = None) -> Entry:
    """The case ``ident`` of ``directory`` (default ``case_dir()``) as a library entry; FileFormatError, located,
    when its sheet or scenario is missing or broken, or they do not belong together."""
    directory = case_dir() if directory is None else directory
    sheet_path = directory / f"{ident}.case.yaml"
    path = directory / f"{ident}.yaml"
    sheet = cached_case(sheet_path)
    if sheet.scenario != ident:
        message = f"案例表应对应场景 {ident!r}（文件名），而不是 {sheet.scenario!r} (the sheet names another scenario)"
        raise FileFormatError([Problem(str(sheet_path), None, "scenario", message)])
    if not path.is_file():
        message = f"案例缺少场景文件 {path.name} (the case's scenario file is missing)"
        raise FileFormatError([Problem(str(sheet_path), None, "scenario", message)])
    scenario = cached_scenario(path)
    if scenario.id != ident:
        message = f"场景编号应与文件名一致：{ident!r} (the scenario's id must be its file name)"
        raise FileFormatError([Problem(str(path), None, "id", message)])
    known = {m.id for m in scenario.measures}
    unknown = [
        Problem(str(sheet_path), None, f"findings[{i}].measures", f"场景中没有措施 {m!r} (unknown measure)")
        for i, finding in enumerate(sheet.findings)
        for m in finding.measures
        if m not in known
    ]
    if unknown:
        raise FileFormatError(unknown)
    plans = {p.name.split(".")[1]: p for p in sorted(directory.glob(f"{ident}.*.yaml"))}
    plans.pop("rubric", None)
    plans.pop("case", None)
    return Entry(ident, path, scenario, plans, case=sheet)


def _scan(directory: Path, user: bool) -> tuple[list[Entry], list[FileFormatError]]:
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
        entries.append(Entry(scenario.id, path, scenario, plans, user))
    return entries, errors


def find(scenario_id: str, directory: Path = SCENARIO_DIR) -> Entry | None:
    """The scenario ``scenario_id``: bundled or the user's, else (for the bundled library) a case's."""
    entries, _ = catalog(directory)
    found = next((e for e in entries if e.id == scenario_id), None)
    if found is None and directory == SCENARIO_DIR:
        found = find_case(scenario_id)
    return found


def find_case(case_id: str) -> Entry | None:
    """The case ``case_id`` of the case library, if it is there and valid."""
    return next((e for e in cases_catalog()[0] if e.id == case_id), None)


def save_user_scenario(
    scenario: Scenario, text: str, overwrite: bool = False, guard: Callable[[Scenario], str | None] | None = None
) -> Path:
    """Write ``text`` (the scenario's YAML) to the user library as ``<id>.yaml``; FileFormatError if refused.

    Refused: an id a bundled scenario has, an existing user scenario unless ``overwrite``, a text that does not
    load back as this very scenario (so the library never holds a broken file), and whatever ``guard`` refuses
    (the app's: an id and version that drills were run with, under other content; ``simulator.store.scenarios``).
    """
    directory = user_dir()
    path = directory / f"{scenario.id}.yaml"
    if any(e.id == scenario.id for e in _scan(SCENARIO_DIR, user=False)[0]):
        _refuse(path, "id", f"内置场景已使用编号 {scenario.id!r}，请换一个编号 (a bundled scenario has this id)")
    if any(e.id == scenario.id for e in cases_catalog()[0]):
        _refuse(path, "id", f"案例已使用编号 {scenario.id!r}，请换一个编号 (a case has this id)")
    if path.exists() and not overwrite:
        _refuse(path, "id", f"场景库中已有 {scenario.id!r}；如要替换请选择覆盖 (already in the user library)")
    if load_scenario(path.name, text.encode("utf-8")) != scenario:
        _refuse(path, "", "保存的文本与场景不一致 (the text is not this scenario)")
    refusal = guard(scenario) if guard is not None else None
    if refusal:
        _refuse(path, "version", refusal)
    try:
        write_text(path, text)  # atomically: the library never holds half a scenario
    except OSError as exc:
        _refuse(path, "", f"无法写入场景库 (cannot write): {exc.strerror}")
    return path


def _refuse(path: Path, field: str, message: str):
    raise FileFormatError([Problem(path.name, None, field, message)]) from None


def cached_scenario(path: Path) -> Scenario:
    return _scenario(path, path.stat().st_mtime_ns)


def cached_plan(path: Path) -> Plan:
    return _plan(path, path.stat().st_mtime_ns)


def cached_case(path: Path) -> CaseSheet:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return load_case(path)  # says the file is missing, located
    return _case(path, mtime)


@lru_cache(maxsize=64)
def _case(path: Path, mtime: int) -> CaseSheet:
    return load_case(path)


@lru_cache(maxsize=64)
def _scenario(path: Path, mtime: int) -> Scenario:
    return load_scenario(path)


@lru_cache(maxsize=256)
def _plan(path: Path, mtime: int) -> Plan:
    return load_plan(path)


@lru_cache(maxsize=64)
def _reference_drill(scenario_path: Path, s_mtime: int, plan_path: Path, p_mtime: int, seed: int) -> Drill:
    return run_plan(cached_scenario(scenario_path), cached_plan(plan_path), seed)
