"""The decision forms of the console: one set of fields per action, returning raw data for the plan model.

Validation is not written here: the raw dict goes through the same pydantic model as a plan file, and the
drill then checks it against the state. The form only offers choices that exist (departments, measures, the
hazard's places and floors), and a measure's fields are built from what its hazard model declares
(``simulator.hazards.measure_fields``: title, unit, input kind, choices, default, bounds), so every measure of
every hazard can be ordered here without a line of per-hazard code. Every word comes from ``ui.i18n`` or the
vocabulary, in the session's language; scenario data (department, measure and place names) is shown as written.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from simulator.engine import Drill
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.hazards import ParamSpec, measure_fields
from simulator.vocabulary import (
    ACTIONS,
    ADVICE_AUDIENCES,
    ADVICE_KINDS,
    DUE,
    LEVEL_SHORT,
    LEVELS,
    REPORT_FIGURES,
    REPORT_MODES,
    REVIEW_SECTION_LABELS,
    STAND_DOWN_ADVICE,
    name_of,
    when,
)
from ui.common import lang, tr
from ui.i18n import t

#: actions whose name in the picker carries a hint of what the form asks for
ACTION_HINTS = {"assess": "form_hint_assess", "assign": "form_hint_assign"}
#: where a form leaves what keeps it from being submitted (rows half filled in …): read with ``form_problems``
PROBLEMS = "_problems"
#: actions that may carry a deadline (完成时限)
WITH_DUE = ("notify", "assign", "order", "adjust")


def form_problems(raw: dict[str, Any]) -> list[str]:
    """What the form found incomplete, in the session's language (taken out of ``raw``): a decision with any of
    these must not be submitted, since the model would quietly drop the incomplete part."""
    return raw.pop(PROBLEMS, [])


def action_label(action: str, language: str = "zh") -> str:
    """An action's name in ``language`` in the decision picker (with a hint where the form asks for more).
    The language is an argument, not read from the session: a picker's ``format_func`` is also called outside
    the page's run (by AppTest, for one)."""
    return t(ACTION_HINTS[action], language) if action in ACTION_HINTS else name_of(ACTIONS, action, language)


def decision_fields(drill: Drill, action: str, key: str, by: str | None = None) -> dict[str, Any]:
    """Render the fields of ``action`` and return what was entered; ``by`` fixes the deciding department."""
    language = lang()
    scenario = drill.scenario
    names = {d.id: d.name for d in scenario.departments}
    depts = list(names)
    coordinators = [d.id for d in scenario.departments if d.kind == "coordinator"] or depts
    levels = list(LEVELS)
    raw: dict[str, Any] = {"action": action}
    if by is not None:
        raw["by"] = by
    else:
        raw["by"] = st.selectbox(
            tr("form_by"), depts, index=depts.index(coordinators[0]), format_func=names.get, key=f"{key}_by"
        )
    if action == "assess":
        raw["event_type"] = st.text_input(
            tr("form_event_type"), placeholder=tr("form_event_type_hint"), key=f"{key}_type"
        )
        raw["level"] = st.selectbox(
            tr("form_level"), levels, format_func=lambda n: LEVELS[n](language), index=2, key=f"{key}_level"
        )
    elif action == "notify":
        raw["to"] = st.multiselect(
            tr("form_notify_to"), depts, format_func=names.get, key=f"{key}_to", placeholder=tr("choose")
        )
        raw["text"] = st.text_area(tr("form_notice_text"), key=f"{key}_text", height=80)
    elif action == "appoint_commander":
        raw["person"] = st.text_input(tr("form_commander"), key=f"{key}_person")
        raw["department"] = st.selectbox(tr("form_commander_dept"), depts, format_func=names.get, key=f"{key}_dept")
    elif action == "establish_command_post":
        raw["location"] = st.text_input(tr("form_post_location"), value=tr("form_post_on_scene"), key=f"{key}_loc")
        raw["groups"], problems = working_groups(scenario, key)
        if problems:
            raw[PROBLEMS] = problems
    elif action == "assign":
        raw["task"] = st.text_input(tr("form_task"), key=f"{key}_task")
        raw["department"] = st.selectbox(tr("form_task_dept"), depts, format_func=names.get, key=f"{key}_dept")
        raw["owner"] = st.text_input(tr("form_owner"), key=f"{key}_owner") or None
        raw["text"] = st.text_area(tr("form_instruction"), key=f"{key}_text", height=80)
    elif action in ("order", "adjust"):
        _measure_fields(drill, action, key, raw, names)
    elif action == "request_info":
        raw["to"] = st.selectbox(tr("form_ask_dept"), depts, format_func=names.get, key=f"{key}_to")
        topics = sorted({f.topic for f in scenario.facts}) or [tr("form_topic_default")]
        raw["topic"] = st.selectbox(tr("form_topic"), topics, key=f"{key}_topic")
    elif action == "report_up":
        raw["mode"] = st.radio(
            tr("form_report_mode"),
            list(REPORT_MODES),
            format_func=lambda mode: t("form_report_" + mode, language),
            horizontal=True,
            key=f"{key}_mode",
        )
        raw["to"] = st.selectbox(tr("form_report_to"), scenario.higher_level, format_func=names.get, key=f"{key}_to")
        raw["level"] = st.selectbox(
            tr("form_report_level"), levels, format_func=lambda n: LEVELS[n](language), index=2, key=f"{key}_level"
        )
        raw["text"] = st.text_area(tr("form_report_text"), key=f"{key}_text")
        for figure, column in zip(REPORT_FIGURES, st.columns(len(REPORT_FIGURES)), strict=True):
            stated = column.number_input(
                tr("form_report_figure", label=name_of(REPORT_FIGURES, figure, language)),
                min_value=0, value=None, step=1, key=f"{key}_{figure}", help=tr("form_report_figures_help"),
            )  # fmt: skip
            if stated is not None:  # left empty: not stated (which is not zero)
                raw[figure] = int(stated)
    elif action == "report_office":
        raw["text"] = st.text_area(
            tr("form_office_report"), placeholder=tr("form_office_report_hint"), key=f"{key}_text", height=120
        )
    elif action == "close":
        st.caption(tr("form_close_note"))
    elif action == "set_level":
        _level_fields(drill, key, raw, levels, language)
    elif action == "advise":
        raw["kind"] = st.selectbox(
            tr("form_advice_kind"), list(ADVICE_KINDS), format_func=lambda k: ADVICE_KINDS[k](language),
            key=f"{key}_kind",
        )  # fmt: skip
        raw["to"] = st.radio(
            tr("form_advice_to"), list(ADVICE_AUDIENCES), format_func=lambda k: ADVICE_AUDIENCES[k](language),
            horizontal=True, key=f"{key}_to",
        )  # fmt: skip
        raw["text"] = st.text_area(tr("form_advice_text"), key=f"{key}_text", height=80)
        if raw["kind"] in STAND_DOWN_ADVICE:
            st.caption(tr("form_advice_stand_down_note"))
    elif action == "review":
        sections = {
            s: st.text_area(name_of(REVIEW_SECTION_LABELS, s, language), key=f"{key}_{s}") for s in REVIEW_SECTIONS
        }
        raw["sections"] = {k: v for k, v in sections.items() if v.strip()}
    if action in WITH_DUE and (action != "adjust" or "measure" in raw):
        due = due_field(drill, key)
        if due is not None:
            raw["due"] = due
    return raw


def _level_fields(drill: Drill, key: str, raw: dict[str, Any], levels: list[int], language: str) -> None:
    """启动/调整/终止应急响应: end, or the level to start at or change to; the drill names the change itself."""
    current = drill.response_level
    if current is not None:
        st.caption(tr("form_level_in_force", level=LEVEL_SHORT[current](language)))
    ending = current is not None and st.checkbox(tr("form_level_end"), key=f"{key}_end")
    if ending:
        raw["change"] = "end"
        return
    index = levels.index(current) if current in levels else 2
    raw["level"] = st.selectbox(
        tr("form_level"), levels, format_func=lambda n: LEVELS[n](language), index=index, key=f"{key}_level"
    )


def due_field(drill: Drill, key: str) -> float | None:
    """完成时限 as a trainee gives it: within how many minutes (0: none), shown back as the moment it falls on; the
    plan stores the sim minute itself."""
    within = st.number_input(
        tr("form_due", label=DUE(lang())), min_value=0, max_value=int(drill.scenario.duration), value=0, step=5,
        key=f"{key}_due", help=tr("form_due_help"),
    )  # fmt: skip
    if not within:
        return None
    due = float(drill.now + int(within))
    st.caption(tr("form_due_at", moment=when(drill.scenario.start_clock, due, lang())))
    return due


def working_groups(scenario, key: str) -> tuple[list[dict[str, str]], list[str]]:
    """设立现场指挥部's working groups as a table: the lead department picked by name (mapped back to its id); a row
    with some cells filled and others empty is a problem to show, never a row silently dropped."""
    names = {d.id: d.name for d in scenario.departments}
    by_name = {name: dept for dept, name in names.items()}
    coordinators = [d.id for d in scenario.departments if d.kind == "coordinator"] or list(names)
    rows = st.data_editor(
        [{"name": "", "lead": names[coordinators[0]], "owner": ""}],
        num_rows="dynamic",
        key=f"{key}_groups",
        column_config={
            "name": st.column_config.TextColumn(tr("form_group_name"), required=True),
            "lead": st.column_config.SelectboxColumn(tr("form_group_lead"), options=list(by_name), required=True),
            "owner": st.column_config.TextColumn(tr("form_group_owner"), required=True),
        },
    )
    groups, problems = [], []
    for number, row in enumerate(rows, start=1):
        cells = {field: str(row.get(field) or "").strip() for field in ("name", "lead", "owner")}
        if not any(cells.values()) or cells == {"name": "", "lead": names[coordinators[0]], "owner": ""}:
            continue  # an untouched row
        missing = [tr(f"form_group_{field}") for field, value in cells.items() if not value]
        if missing:
            problems.append(tr("form_group_incomplete", row=number, missing=tr("list_sep").join(missing)))
            continue
        lead = by_name.get(cells["lead"], cells["lead"])
        groups.append({"name": cells["name"], "lead": lead, "owner": cells["owner"]})
    return groups, problems


def _measure_fields(drill: Drill, action: str, key: str, raw: dict[str, Any], names: dict[str, str]) -> None:
    """Order a measure (which, by whom, who answers for it) or adjust one in force (its new setting, why)."""
    scenario = drill.scenario
    in_force = drill.measures_in_force()
    measures = [m.id for m in scenario.measures] if action == "order" else list(in_force)
    if not measures:
        st.info(tr("form_no_adjustable") if action == "adjust" else tr("form_no_measures"))
        return
    mnames = {m.id: m.name for m in scenario.measures}
    raw["measure"] = st.selectbox(
        tr("form_measure"), measures, format_func=lambda m: mnames.get(m, m), key=f"{key}_measure"
    )
    if action == "order":
        measure = scenario.measure(raw["measure"])
        raw["department"] = st.selectbox(
            tr("form_measure_dept"), measure.departments, format_func=names.get, key=f"{key}_dept"
        )
        raw["owner"] = st.text_input(tr("form_owner"), key=f"{key}_owner") or None
        raw["text"] = st.text_area(tr("form_instruction"), key=f"{key}_text", height=80)
    else:
        st.caption(tr("form_adjust_note"))
        raw["reason"] = st.text_input(tr("form_adjust_reason"), key=f"{key}_reason")
    _forget_other_measure(drill, key, raw["measure"])
    raw["params"] = measure_params(drill, raw["measure"], key, current=in_force.get(raw["measure"]))


def _forget_other_measure(drill: Drill, key: str, measure: str) -> None:
    """Parameter fields are keyed by name (``f_order_sites``): when another measure is picked, drop what was
    entered for the last one, so the new one starts from its own default or current setting."""
    seen = f"{key}__measure"
    if st.session_state.get(seen) != measure:
        for other in drill.scenario.measures:
            for spec in measure_fields(drill.scenario.hazard, other.id):
                st.session_state.pop(f"{key}_{spec.key}", None)
        st.session_state[seen] = measure


def measure_params(drill: Drill, measure: str, key: str, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A field per parameter the hazard model declares for ``measure``, starting from the ``current`` setting
    (an adjustment) or the model's default; labels carry the unit."""
    params: dict[str, Any] = {}
    for spec in measure_fields(drill.scenario.hazard, measure):
        if spec.form:
            params.update(_param_field(spec, key, current or {}))
    return params


def _param_field(spec: ParamSpec, key: str, current: dict[str, Any]) -> dict[str, Any]:
    language = lang()
    label = spec.label(language)
    wkey = f"{key}_{spec.key}"
    names = dict(spec.choices)
    show = lambda value: names[value](language) if value in names else str(value)  # noqa: E731
    if spec.kind == "floor_range":
        low, high = (current.get(k) for k in spec.keys)
        start = (low, high) if low is not None and high is not None else tuple(spec.default)
        chosen = st.slider(label, min_value=int(spec.min), max_value=int(spec.max), value=start, step=1, key=wkey)
        return dict(zip(spec.keys, (int(chosen[0]), int(chosen[1])), strict=True))
    value = current.get(spec.key, spec.default)
    if spec.kind in ("places", "floors"):
        options = [v for v, _ in spec.choices]
        picked = st.multiselect(
            label, options, default=[v for v in value if v in options], format_func=show, key=wkey,
            placeholder=tr("form_all_places") if spec.kind == "places" else tr("form_no_floors"),
        )  # fmt: skip
        return {spec.key: picked}
    if spec.kind in ("place", "choice"):
        options = [v for v, _ in spec.choices]
        index = options.index(value) if value in options else 0
        return {spec.key: st.selectbox(label, options, index=index, format_func=show, key=wkey)}
    if spec.kind == "integer":
        entered = st.number_input(
            label, min_value=int(spec.min), max_value=int(spec.max), value=int(value), step=1, key=wkey
        )
        return {spec.key: int(entered)}
    scale = 100.0 if spec.percent else 1.0  # a share is entered as a percentage
    step = (spec.step or 0.05) * scale if spec.percent else spec.step
    entered = st.number_input(
        label,
        min_value=float(spec.min) * scale,
        max_value=float(spec.max) * scale,
        value=float(value) * scale,
        step=float(step) if step else None,
        key=wkey,
    )
    return {spec.key: round(entered / scale, 6)}
