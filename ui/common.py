"""Helpers every page shares: language, the drill store, the current drill rebuilt from the store, scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st
from pydantic import ValidationError

from simulator import EventLog, FileFormatError, library, load_plan
from simulator.engine import Drill, replay, run_plan
from simulator.formats.durations import clock_text
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.formats.scenario import Scenario
from simulator.scoring import score_drill
from simulator.store import FACILITATOR, DrillRecord, DrillStore, default_url  # noqa: F401  (FACILITATOR: for the pages)
from ui.i18n import t

PLAN_NAMES = {"reference": "专家参考方案", "poor": "不当处置示例"}
TRAINEE = "trainee"


def lang() -> str:
    return st.session_state.get("lang", "zh")


def tr(key: str) -> str:
    return t(key, lang())


def stamp(scenario: Scenario, t: float) -> str:
    """When an event happened, as the feeds show it: ``T+42（08:42）`` (the wall clock as the report writes it)."""
    return f"T+{t:g}（{clock_text(scenario.start_clock, t)}）"


def store() -> DrillStore:
    """One store per database and server process (a SQLite file by default; see ``simulator.store.default_url``)."""
    return _store(default_url())


@st.cache_resource
def _store(url: str) -> DrillStore:
    return DrillStore(url)


def catalog() -> list[library.Entry]:
    entries, errors = library.catalog()
    for error in errors:
        st.warning(tr("broken_scenarios") + "\n\n" + "\n\n".join(f"`{p}`" for p in error.problems))
    return entries


def role() -> str | None:
    """``facilitator`` (created or opened a drill with its passcode), ``trainee`` (joined with the code), or None."""
    return st.session_state.get("role")


def sign_in(drill_id: int, as_role: str, dept: str | None = None) -> None:
    """Only ids go into the session: the scenario, its answer key and the world stay on the server."""
    st.session_state["drill_id"] = drill_id
    st.session_state["role"] = as_role
    st.session_state["dept"] = dept


def sign_out() -> None:
    for key in ("drill_id", "role", "dept"):
        st.session_state.pop(key, None)


def result_of(drill: Drill, index: int):
    """The accepted or rejected event of the ``index``-th decision (1-based) in a rebuilt drill."""
    return next(
        e
        for e in reversed(drill.log.events)
        if e.kind in ("decision_accepted", "decision_rejected") and e["decision"] == f"d{index}"
    )


def current() -> tuple[DrillRecord, library.Entry, Drill] | None:
    """The drill this browser works on, rebuilt from its stored decisions (no engine object is kept)."""
    drill_id = st.session_state.get("drill_id")
    if drill_id is None:
        return None
    record = store().load(drill_id)
    entry = library.find(record.scenario_id) if record else None
    if record is None or entry is None:
        st.session_state.pop("drill_id", None)
        return None
    drill = replay(entry.scenario, record.seed, record.decisions, record.clock, record.finished)
    return record, entry, drill


def score(entry: library.Entry, drill: Drill) -> dict[str, Any] | None:
    """The drill's score so far, against the reference plan under the same seed."""
    return score_log(entry, drill.seed, drill.log, st.session_state.get("drill_id"))


def score_log(entry: library.Entry, seed: int, log: EventLog, drill_id: int | None = None) -> dict[str, Any] | None:
    """Score any log of ``entry`` against its reference plan under ``seed`` (and the team's previous drill)."""
    reference = entry.reference_drill(seed)
    previous = _previous_score(entry.id, drill_id) if drill_id else None
    return score_drill(entry.scenario, log, reference=reference.log if reference else None, previous=previous)


def reference_score(entry: library.Entry, seed: int) -> dict[str, Any] | None:
    reference = entry.reference_drill(seed)
    if reference is None:
        return None
    return score_drill(entry.scenario, reference.log, reference=reference.log)


def _previous_score(scenario_id: str, drill_id: int) -> dict[str, Any] | None:
    """The same team's previous finished drill of this scenario (for 提升)."""
    record = store().load(drill_id)
    if record is None or not record.team:
        return None
    for past in store().history(team=record.team, scenario_id=scenario_id):
        if past.id < record.id and past.finished and past.score:
            return past.score
    return None


def validation_messages(exc: ValidationError) -> list[str]:
    """A pydantic error as lines a trainee can act on: the field and what was expected."""
    lines = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
        lines.append(f"{field or '表单'}：{err['msg'].removeprefix('Value error, ')}")
    return lines


@dataclass
class Picked:
    """A drill chosen for a view: its scenario, seed and log, and the stored record when it has one."""

    entry: library.Entry
    seed: int
    log: EventLog
    label: str
    record: DrillRecord | None = None


def pick_drill(key: str) -> Picked | None:
    """The drill a view shows: this browser's drill, a saved one, or a plan (bundled or uploaded) run headless."""
    options = ["current", "plan", "store"] if st.session_state.get("drill_id") else ["plan", "store"]
    labels = {"current": "当前推演", "store": tr("from_store"), "plan": tr("from_plan")}
    source = st.radio(tr("source"), options, horizontal=True, key=f"{key}_source", format_func=labels.get)
    if source == "current":
        active = current()
        if active is None:
            return None
        record, entry, drill = active
        return Picked(entry, record.seed, drill.log, f"{record.code} · {record.team or '未命名'}", record)
    if source == "store":
        saved = [r for r in store().history() if r.finished]
        if not saved:
            st.info("尚无已结束的推演。")
            return None
        record = st.selectbox(
            tr("from_store"),
            saved,
            key=f"{key}_record",
            format_func=lambda r: f"{r.code} · {r.team or '未命名'} · {r.scenario_id} · {r.created_at}",
        )
        entry = library.find(record.scenario_id)
        if entry is None:
            st.error(f"场景 {record.scenario_id} 不在场景库中。")
            return None
        full = store().load(record.id)
        with st.spinner("正在重建推演……"):
            drill = replay(entry.scenario, record.seed, full.decisions, entry.scenario.duration, finished=True)
        return Picked(entry, record.seed, drill.log, f"{record.code} · {record.team or '未命名'}", full)
    entries = catalog()
    if not entries:
        return None
    cols = st.columns([3, 2, 1])
    entry = cols[0].selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key=f"{key}_scenario")
    plan_name = cols[1].selectbox(
        tr("plan"), list(entry.plans), key=f"{key}_plan", format_func=lambda n: PLAN_NAMES.get(n, n)
    )
    seed = int(cols[2].number_input(tr("seed"), min_value=0, max_value=2**31 - 1, value=1, key=f"{key}_seed"))
    upload = st.file_uploader(tr("upload_plan"), type=["yaml", "yml"], key=f"{key}_upload")
    plan, label = None, PLAN_NAMES.get(plan_name, plan_name or "")
    if upload is not None:
        if upload.size > MAX_FILE_BYTES:
            st.error(f"{upload.name}: 文件过大（{upload.size} 字节），上限 {MAX_FILE_BYTES} 字节 (file too large)")
        else:
            try:
                plan, label = load_plan(upload.name, upload.getvalue()), upload.name
            except FileFormatError as exc:
                st.error("方案文件有误，已改用所选方案：\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
    if plan is None and plan_name:
        plan = library.cached_plan(entry.plans[plan_name])
    if plan is None:
        return None
    with st.spinner("正在运行推演……"):
        log = run_plan(entry.scenario, plan, seed).log
    return Picked(entry, seed, log, label)
