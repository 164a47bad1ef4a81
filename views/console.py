"""推演控制台: the door to a drill (create, resume, join, import) and, for the facilitator, the drill itself —
the clock, decisions, the department board, the network with messages in flight, the live score, the MSEL and
the answer key."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
import yaml

from simulator import FileFormatError, library, load_plan
from simulator.engine.state import state_at
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.hazards import figure_label, param_value
from simulator.narrator import Narrator
from simulator.store.passcodes import check_new
from simulator.vocabulary import ACTIONS, DEPARTMENT_STATUS, GRADES, LEVEL_SHORT, name_of, reason_text, when
from ui.charts import network_figure, radar_figure
from ui.common import (
    FACILITATOR,
    TRAINEE,
    catalog,
    current,
    dept_names,
    experiment,
    lang,
    moment,
    role,
    sign_in,
    sign_out,
    store,
    too_large,
    tr,
)
from ui.decide import decision_panel
from ui.timeline import planned_text

st.title(tr("page_console"))


def door() -> None:
    """Create, resume, join or import: the only part of the console anyone may see."""
    entries = catalog()
    create, resume, join, upload = st.tabs([tr("create_tab"), tr("resume_tab"), tr("join_tab"), tr("import_tab")])
    with create, st.form("start"):
        entry = st.selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key="new_scenario")
        team = st.text_input(tr("team"), placeholder=tr("team_placeholder"), max_chars=100)
        seed = st.number_input(tr("seed"), min_value=0, max_value=2**31 - 1, value=1, step=1)
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="new_passcode")
        again = st.text_input(tr("passcode_again"), type="password", max_chars=100, key="new_passcode_again")
        if st.form_submit_button(tr("start_drill"), type="primary"):
            problem = check_new(passcode, again)
            if problem is not None:
                st.error(problem(lang()))
            else:
                record = store().create(entry.id, entry.scenario.version, int(seed), team.strip(), passcode)
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with resume, st.form("resume"):
        code = st.text_input(tr("drill_code"), max_chars=12, key="resume_code")
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="resume_passcode")
        if st.form_submit_button(tr("open")):
            record = store().open_as_facilitator(code, passcode)
            if record is None:
                st.error(tr("wrong_code_or_passcode"))
            else:
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with join:
        code = st.text_input(tr("drill_code"), max_chars=12, key="join_code")
        record = store().by_code(code) if code.strip() else None
        if code.strip() and record is None:
            st.error(tr("unknown_code"))
        entry = library.find(record.scenario_id) if record else None
        if entry is not None:
            depts = {d.id: d.name for d in entry.scenario.departments if d.kind != "higher_level"}
            dept = st.selectbox(tr("my_department"), list(depts), format_func=depts.get, key="join_dept")
            if st.button(tr("join"), type="primary", key="join_button"):
                sign_in(record.id, TRAINEE, dept)
                st.rerun()
    with upload:
        file = st.file_uploader(tr("drill_file"), type=["yaml", "yml"], key="import_file")
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="import_passcode")
        if file is not None and st.button(tr("import"), key="import_button"):
            import_drill(file, passcode)


def import_drill(file, passcode: str) -> None:
    if file.size > MAX_FILE_BYTES:
        st.error(too_large(file.name, file.size))
        return
    try:
        plan = load_plan(file.name, file.getvalue())
    except FileFormatError as exc:
        st.error(tr("drill_file_wrong") + "\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
        return
    entry = library.find(plan.scenario or "")
    if entry is None or plan.seed is None:
        st.error(tr("drill_file_needs", name=file.name))
        return
    problem = check_new(passcode)
    if problem is not None:
        st.error(problem(lang()))
        return
    record = store().import_plan(plan, entry.scenario.version, passcode)
    sign_in(record.id, FACILITATOR)
    st.rerun()


def describe_key_params(scenario, key_measure, lang: str) -> str:
    """The answer key's setting of a measure in words, each value with its tolerance (``疏散半径1500米（±300米）``)."""
    narrator = Narrator(scenario, [], lang)
    parts = []
    for name, param in key_measure.params.items():
        text = narrator.params(key_measure.measure, {name: param.value})
        if text and param.tolerance:
            tolerance = param_value(scenario.hazard, key_measure.measure, name, param.tolerance, lang)
            text += f" (± {tolerance})" if lang == "en" else f"（±{tolerance}）"
        if text:
            parts.append(text)
    return tr("list_sep").join(parts) or "—"


active = current() if role() == FACILITATOR else None
if active is None:
    if role() == TRAINEE:
        st.info(tr("trainee_go_to_seat"))
        st.stop()
    door()
    st.stop()

record, entry, drill = active
scenario = entry.scenario
state = state_at(drill.log, drill.now)
names = dept_names(scenario)


def advance(to_minute: float) -> None:
    store().set_clock(record.id, min(to_minute, scenario.duration))


head = st.columns([3, 2, 2, 2])
head[0].markdown(
    f"**{scenario.title}**  \n{tr('drill_code')} `{record.code}` · {record.team or tr('unnamed_team')} · "
    f"{tr('seed')} {record.seed}"
)
head[1].metric(tr("clock"), moment(scenario, drill.now))
head[2].metric(figure_label(scenario.hazard.model, "exposed")(lang()), state.hazard.get("exposed", 0))
head[3].metric(f"{tr('injured')} / {tr('dead')}", f"{state.injured} / {state.dead}")

if drill.finished:
    st.success(tr("finished"))
    if st.button(tr("new_drill"), key="new_drill"):
        sign_out()
        st.rerun()
else:
    controls = st.columns([1, 1, 1, 1, 1, 1])
    upcoming = drill.next_inject_at()
    if controls[0].button(tr("next_inject"), disabled=upcoming is None, key="next_inject"):
        advance(upcoming)
        st.rerun()
    if controls[1].button(tr("plus5"), key="plus5"):
        advance(drill.now + 5)
        st.rerun()
    earliest = min(math.ceil(drill.now), int(scenario.duration))  # whole minutes: the clock is read in minutes
    target = controls[2].number_input(
        tr("advance_to"),
        min_value=earliest,
        max_value=int(scenario.duration),
        value=earliest,
        step=5,
        key="advance_target",
        label_visibility="collapsed",
    )
    if controls[3].button(tr("go"), key="advance_go"):
        advance(target)
        st.rerun()
    if controls[4].button(tr("refresh"), key="refresh"):
        st.rerun()  # decisions from the trainees' seats appear on the next run
    if controls[5].button(tr("end_drill"), type="primary", key="end_drill"):
        drill.finish()
        store().finish(record.id, experiment(entry, record.seed, drill, record.id).score, scenario.duration)
        st.rerun()

left, right = st.columns([5, 6])
with left:
    decision_panel(record, entry, drill)
    st.subheader(tr("inject_feed"))
    feed = [e for e in drill.log if e.kind in ("inject_released", "info_received", "decision_rejected")]
    for e in reversed(feed[-30:]):
        at = moment(scenario, e.t)
        if e.kind == "inject_released":
            st.info(f"**{at} 【{e['title']}】** → {names[e['to']]}  \n{e['text']}")
        elif e.kind == "info_received":
            st.info(f"**{at} {tr('reply_from', dept=names[e['from']], topic=e['topic'])}**  \n{e['text']}")
        else:
            rejected = tr("rejected_by", action=name_of(ACTIONS, e["action"], lang()), dept=names.get(e["by"], ""))
            st.warning(f"**{at} {rejected}**  \n{reason_text(e['reason'], lang())}")

with right:
    st.subheader(tr("status_board"))
    board = []
    for d in scenario.departments:
        ds = state.departments.get(d.id)
        board.append(
            {
                tr("col_dept"): d.name,
                tr("col_status"): name_of(DEPARTMENT_STATUS, ds.status if ds else "idle", lang()),
                tr("col_notified"): moment(scenario, ds.notified_at) if ds and ds.notified_at is not None else "",
                tr("col_arrived"): moment(scenario, ds.arrived_at) if ds and ds.arrived_at is not None else "",
                tr("col_tasks_running"): len(ds.tasks_running) if ds else 0,
            }
        )
    st.dataframe(pd.DataFrame(board), hide_index=True, height=250)
    st.subheader(tr("network"))
    channels = {c.id: f"{names[c.from_]} — {names[c.to]}" for c in scenario.channels}
    cut = tr("list_sep").join(channels[c] for c in sorted(state.channels_cut) if c in channels) or tr("none")
    st.caption(tr("in_flight_and_cut", count=len(state.in_flight), cut=cut))
    st.plotly_chart(network_figure(scenario, state, height=380, lang=lang()), key="console_network")
    live = experiment(entry, record.seed, drill, record.id).score
    st.subheader(tr("live_score"))
    cols = st.columns(2)
    cols[0].metric(tr("total"), f"{live['total']:.1f}")
    cols[1].metric(tr("grade"), name_of(GRADES, live["grade"], lang()))
    st.plotly_chart(radar_figure(live, lang=lang()), key="console_radar")

with st.expander(tr("msel")):
    released = {e["inject"]: e.t for e in drill.log.of("inject_released")}
    skipped = {e["inject"] for e in drill.log.of("inject_skipped")}

    def progress(inject) -> str:
        if inject.id in released:
            return tr("inject_released_at", at=moment(scenario, released[inject.id]))
        return tr("inject_not_triggered") if inject.id in skipped else tr("inject_pending")

    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_time"): planned_text(scenario, i, lang()),
                    tr("col_to"): names[i.to],
                    tr("col_title"): i.title,
                    tr("col_status"): progress(i),
                }
                for i in scenario.injects
            ]
        ),
        hide_index=True,
    )
with st.expander(tr("answer_key")):
    key = scenario.answer_key
    sep = tr("list_sep")
    st.markdown(
        f"- {tr('key_type_level', event_type=key.event_type, level=name_of(LEVEL_SHORT, key.level, lang()))}\n"
        f"- {tr('key_departments')}{tr('colon')}{sep.join(names[d] for d in key.required_departments)}\n"
        f"- {tr('key_groups')}{tr('colon')}{sep.join(key.working_groups) or '—'}"
    )
    measure_names = {m.id: m.name for m in scenario.measures}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_measure"): measure_names.get(m.measure, ""),
                    tr("col_departments"): sep.join(names[d] for d in m.departments),
                    tr("col_params"): describe_key_params(scenario, m, lang()),
                    tr("col_latest"): when(scenario.start_clock, m.by, lang()) if m.by is not None else "—",
                }
                for m in key.measures
            ]
        ),
        hide_index=True,
    )

st.download_button(
    tr("export_drill"),
    yaml.safe_dump(record.as_plan().to_yaml_data(), allow_unicode=True, sort_keys=False),
    file_name=f"{tr('drill_file_stem')}_{record.code}.yaml",
    mime="application/x-yaml",
    key="export_drill",
)
