"""推演控制台 (facilitator): start a drill, run the clock, take decisions, watch the world and the score."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import TypeAdapter, ValidationError

from simulator.engine.state import STATUS_NAMES, state_at
from simulator.formats.plan import ACTIONS, Decision
from ui.charts import clock_time, network_figure, radar_figure
from ui.common import catalog, current, score, store, tr, validation_messages
from ui.forms import ACTION_NAMES, decision_fields

DECISION = TypeAdapter(Decision)

st.title(tr("page_console"))
active = current()

if active is None:
    entries = catalog()
    with st.form("start"):
        entry = st.selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title)
        team = st.text_input(tr("team"), placeholder="如：第一组（区政府办公室）", max_chars=100)
        seed = st.number_input(tr("seed"), min_value=0, max_value=2**31 - 1, value=1, step=1)
        if st.form_submit_button(tr("start_drill"), type="primary"):
            record = store().create(entry.id, entry.scenario.version, int(seed), team.strip())
            st.session_state["drill_id"] = record.id
            st.rerun()
    unfinished = [r for r in store().history() if not r.finished]
    if unfinished:
        with st.form("resume"):
            pick = st.selectbox(
                tr("resume_drill"),
                unfinished,
                format_func=lambda r: f"{r.code} · {r.team or '未命名'} · {r.scenario_id} · T+{r.clock:g}",
            )
            if st.form_submit_button(tr("resume_drill")):
                st.session_state["drill_id"] = pick.id
                st.rerun()
    st.stop()

record, entry, drill = active
scenario = entry.scenario
state = state_at(drill.log, drill.now)


def advance(to_minute: float) -> None:
    store().set_clock(record.id, min(to_minute, scenario.duration))


def end_drill() -> None:
    drill.finish()
    store().finish(record.id, score(entry, drill), scenario.duration)


head = st.columns([3, 2, 2, 2])
head[0].markdown(f"**{scenario.title}**  \n推演码 `{record.code}` · {record.team or '未命名队伍'} · 种子 {record.seed}")
head[1].metric(tr("clock"), f"T+{drill.now:g} 分", help=f"时钟 {clock_time(scenario, drill.now).strftime('%H:%M')}")
head[2].metric(tr("exposed"), state.hazard.get("exposed", 0))
head[3].metric(f"{tr('injured')} / {tr('dead')}", f"{state.injured} / {state.dead}")

if drill.finished:
    st.success(tr("finished"))
    if st.button(tr("new_drill")):
        st.session_state.pop("drill_id")
        st.rerun()
else:
    controls = st.columns([1, 1, 1, 1, 1])
    upcoming = drill.next_inject_at()
    if controls[0].button(tr("next_inject"), disabled=upcoming is None, key="next_inject"):
        advance(upcoming)
        st.rerun()
    if controls[1].button(tr("plus5"), key="plus5"):
        advance(drill.now + 5)
        st.rerun()
    target = controls[2].number_input(
        tr("advance_to"),
        min_value=float(drill.now),
        max_value=float(scenario.duration),
        value=float(drill.now),
        step=5.0,
        key="advance_target",
        label_visibility="collapsed",
    )
    if controls[3].button(tr("go"), key="advance_go"):
        advance(target)
        st.rerun()
    if controls[4].button(tr("end_drill"), type="primary", key="end_drill"):
        end_drill()
        st.rerun()

left, right = st.columns([5, 6])
with left:
    last = st.session_state.pop("last_result", None)
    if last:
        (st.success if last[0] == "accepted" else st.error)(last[1])
    if not drill.finished:
        st.subheader(tr("decision"))
        action = st.selectbox("决策类型", ACTIONS, format_func=ACTION_NAMES.get, key="action")
        with st.container(border=True):  # no st.form: the choices (e.g. who can carry out a measure) follow each pick
            raw = decision_fields(drill, action, key=f"f_{action}")
            submitted = st.button(tr("submit"), type="primary", key="submit_decision")
        if submitted:
            try:
                decision = DECISION.validate_python({**raw, "at": drill.now})
            except ValidationError as exc:
                st.error("表单填写有误：\n\n" + "\n\n".join(f"- {line}" for line in validation_messages(exc)))
            else:
                event = drill.submit(decision)
                store().append_decision(record.id, drill.decisions[-1])
                if event.kind == "decision_accepted":
                    st.session_state["last_result"] = ("accepted", f"{tr('accepted')}：{ACTION_NAMES[action]}")
                else:
                    st.session_state["last_result"] = ("rejected", f"{tr('rejected')}：{event['reason']}")
                st.rerun()

    st.subheader(tr("inject_feed"))
    names = {d.id: d.name for d in scenario.departments}
    feed = [e for e in drill.log if e.kind in ("inject_released", "info_received", "decision_rejected")]
    for e in reversed(feed[-30:]):
        stamp = f"T+{e.t:g}（{clock_time(scenario, e.t).strftime('%H:%M')}）"
        if e.kind == "inject_released":
            st.info(f"**{stamp} 【{e['title']}】** → {names[e['to']]}  \n{e['text']}")
        elif e.kind == "info_received":
            st.info(f"**{stamp} 收到{names[e['from']]}回复（{e['topic']}）**  \n{e['text']}")
        else:
            st.warning(f"**{stamp} 决策被拒（{ACTION_NAMES.get(e['action'], e['action'])}）**  \n{e['reason']}")

with right:
    st.subheader(tr("status_board"))
    board = []
    for d in scenario.departments:
        ds = state.departments.get(d.id)
        board.append(
            {
                "部门": d.name,
                "状态": STATUS_NAMES[ds.status] if ds else STATUS_NAMES["idle"],
                "接到通知": f"T+{ds.notified_at:g}" if ds and ds.notified_at is not None else "",
                "到场": f"T+{ds.arrived_at:g}" if ds and ds.arrived_at is not None else "",
                "执行中任务": len(ds.tasks_running) if ds else 0,
            }
        )
    st.dataframe(pd.DataFrame(board), hide_index=True, height=250)
    st.subheader(tr("network"))
    st.caption(f"在途消息 {len(state.in_flight)} 条；中断信道：{'、'.join(sorted(state.channels_cut)) or '无'}")
    st.plotly_chart(network_figure(scenario, state, height=380), key="console_network")
    live = score(entry, drill)
    if live is not None:
        st.subheader(tr("live_score"))
        cols = st.columns(2)
        cols[0].metric(tr("total"), f"{live['total']:.1f}")
        cols[1].metric(tr("grade"), live["grade"])
        st.plotly_chart(radar_figure(live), key="console_radar")
