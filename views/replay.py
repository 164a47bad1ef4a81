"""回放: any finished drill or a plan file run headless, scrubbed with a time slider, beside the reference plan."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from simulator import EventLog, library, state_at
from simulator.engine.events import KINDS
from ui.charts import event_frame, gantt_figure, hazard_figure, network_figure, scores_over_time_figure
from ui.common import pick_drill, score_drill, tr

st.title(tr("page_replay"))
picked = pick_drill("replay")
if picked is None:
    st.stop()
entry, seed, log = picked.entry, picked.seed, picked.log
scenario = entry.scenario
reference = entry.reference_drill(seed)


@st.cache_data(max_entries=32, show_spinner=False)
def scores_over_time(scenario_id: str, jsonl: str, step: int = 15) -> list[tuple[float, dict[str, float]]]:
    """Rescore the log as it stood every ``step`` minutes (the score is a function of the log so far)."""
    current = library.find(scenario_id)
    events = EventLog.parse(jsonl)
    points = []
    end = events[-1].t if len(events) else 0
    minute = 0
    while minute <= end:
        prefix = EventLog([e for e in events if e.t <= minute])
        result = score_drill(current.scenario, prefix)
        points.append((float(minute), {k: v["score"] for k, v in result["keywords"].items()}))
        minute += step
    return points


if "replay_t" not in st.session_state:
    st.session_state["replay_t"] = 0.0
st.session_state.setdefault("replay_playing", False)
controls = st.columns([1, 6])
playing = st.session_state["replay_playing"]
if controls[0].button(tr("pause") if playing else tr("play"), key="replay_play"):
    st.session_state["replay_playing"] = not playing
    st.rerun()
t = controls[1].slider(tr("time"), 0.0, float(scenario.duration), step=1.0, key="replay_t")


@st.fragment(run_every=0.8 if playing else None)
def _player() -> None:
    """While playing, move the clock on by five minutes and redraw the page."""
    if st.session_state.get("replay_playing"):
        nxt = min(st.session_state["replay_t"] + 5.0, float(scenario.duration))
        st.session_state["replay_t"] = nxt
        if nxt >= scenario.duration:
            st.session_state["replay_playing"] = False
        st.rerun()


_player()

state = state_at(log, t)
cols = st.columns(4)
cols[0].metric(tr("exposed"), state.hazard.get("exposed", 0))
cols[1].metric(tr("injured"), state.injured)
cols[2].metric(tr("dead"), state.dead)
cols[3].metric("在途消息", len(state.in_flight))

left, right = st.columns(2)
with left:
    st.markdown(f"#### {tr('network')}（T+{t:g}）")
    st.plotly_chart(network_figure(scenario, state, height=380), key="replay_network")
with right:
    st.markdown(f"#### {tr('tasks_gantt')}")
    st.plotly_chart(gantt_figure(scenario, state), key="replay_gantt")

st.markdown(f"#### {tr('event_table')}")
frame = event_frame(scenario, log, until=t)
names = {d.id: d.name for d in scenario.departments}
fcols = st.columns(2)
dept_filter = fcols[0].multiselect(
    tr("filter_dept"), sorted(set(frame["部门"]) - {""}) if len(frame) else [], key="replay_dept"
)
kind_filter = fcols[1].multiselect(
    tr("filter_kind"),
    list(KINDS),
    format_func=lambda k: KINDS[k][1],
    default=[k for k in KINDS if k != "hazard_sample"],
    key="replay_kind",
)
if len(frame):
    shown = frame[frame["kind"].isin(kind_filter)]
    if dept_filter:
        shown = shown[shown["部门"].isin(dept_filter)]
    st.dataframe(shown.drop(columns=["kind"]), hide_index=True, height=320)

st.markdown(f"#### {tr('vs_reference')}")
st.plotly_chart(hazard_figure(log, reference.log if reference else None, until=t), key="replay_hazard")
if reference is not None:
    ours = log.of("drill_ended")[0]["outcome"] if log.of("drill_ended") else {}
    theirs = reference.outcome().as_dict()
    labels = {
        "injured": "受伤",
        "dead": "死亡",
        "exposed_person_minutes": "暴露人·分钟",
        "contained_at": "控制时间（T+分）",
        "decisions_rejected": "被拒决策",
        "messages_undelivered": "未送达消息",
    }
    st.dataframe(
        pd.DataFrame(
            [
                {"指标": label, tr("this_drill"): ours.get(key), tr("reference"): theirs.get(key)}
                for key, label in labels.items()
            ]
        ),
        hide_index=True,
    )

st.markdown(f"#### {tr('scores_over_time')}")
jsonl = log.to_jsonl()
with st.spinner("正在逐段评分……"):
    points = scores_over_time(scenario.id, jsonl)
st.plotly_chart(scores_over_time_figure(points), key="replay_scores")
st.caption(f"日志指纹 {hashlib.sha256(jsonl.encode()).hexdigest()[:12]} · 同一场景、种子和决策必然得到同一日志")
