"""回放: any finished drill or a plan file run headless, scrubbed with a time slider, beside the reference plan."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from simulator import EventLog, library, state_at
from simulator.experiment import evaluate
from simulator.hazards import figure_label
from simulator.vocabulary import EVENT_KINDS, OUTCOMES, figure_text, name_of
from ui.charts import (
    event_columns,
    event_frame,
    gantt_figure,
    hazard_figure,
    network_figure,
    scores_over_time_figure,
)
from ui.common import lang, moment, pick_drill, tr

st.title(tr("page_replay"))
picked = pick_drill("replay")
if picked is None:
    st.stop()
entry, seed, log = picked.entry, picked.seed, picked.log
scenario = entry.scenario
reference = entry.reference_drill(seed)
language = lang()


@st.cache_data(max_entries=32, show_spinner=False)
def scores_over_time(scenario_id: str, seed: int, jsonl: str, step: int = 15) -> list[tuple[float, dict[str, float]]]:
    """Score the log as it stood every ``step`` minutes against the reference under the same seed (the score is a
    function of the log so far)."""
    found = library.find(scenario_id)
    events = EventLog.parse(jsonl)
    ref = found.reference_drill(seed)
    points = []
    end = events[-1].t if len(events) else 0
    minute = 0
    while minute <= end:
        prefix = EventLog([e for e in events if e.t <= minute])
        result = evaluate(found.scenario, prefix, seed, reference=ref).score
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
t = controls[1].slider(tr("time"), 0.0, float(scenario.duration), step=1.0, key="replay_t", format="T+%d")


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
cols[0].metric(figure_label(scenario.hazard.model, "exposed")(language), state.hazard.get("exposed", 0))
cols[1].metric(tr("injured"), state.injured)
cols[2].metric(tr("dead"), state.dead)
cols[3].metric(tr("in_flight"), len(state.in_flight))

left, right = st.columns(2)
with left:
    st.markdown(f"#### {tr('network')} · {moment(scenario, t)}")
    st.plotly_chart(network_figure(scenario, state, height=380, lang=language), key="replay_network")
with right:
    st.markdown(f"#### {tr('tasks_gantt')}")
    st.plotly_chart(gantt_figure(scenario, state, lang=language), key="replay_gantt")

st.markdown(f"#### {tr('event_table')}")
frame = event_frame(scenario, log, until=t, lang=language)
fcols = st.columns(2)
dept_filter = fcols[0].multiselect(tr("filter_dept"), sorted(set(frame["dept"]) - {""}), key="replay_dept")
kind_filter = fcols[1].multiselect(
    tr("filter_kind"),
    list(EVENT_KINDS),
    format_func=lambda k: name_of(EVENT_KINDS, k, language),
    default=[k for k in EVENT_KINDS if k != "hazard_sample"],
    key="replay_kind",
)
if len(frame):
    shown = frame[frame["kind"].isin(kind_filter)]
    if dept_filter:
        shown = shown[shown["dept"].isin(dept_filter)]
    st.dataframe(shown.drop(columns=["kind"]).rename(columns=event_columns(language)), hide_index=True, height=320)

st.markdown(f"#### {tr('vs_reference')}")
st.plotly_chart(
    hazard_figure(scenario, log, reference.log if reference else None, until=t, lang=language), key="replay_hazard"
)
if reference is not None:
    ended = log.of("drill_ended")
    ours = ended[0]["outcome"] if ended else {}
    theirs = reference.outcome().as_dict()

    def shown_figure(key: str, figures: dict) -> str:
        return figure_text(key, figures[key], scenario.start_clock, language) if key in figures else "—"

    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_outcome"): fig.label(language),
                    tr("this_drill"): shown_figure(key, ours),
                    tr("reference"): shown_figure(key, theirs),
                }
                for key, fig in OUTCOMES.items()
            ]
        ),
        hide_index=True,
    )

st.markdown(f"#### {tr('scores_over_time')}")
jsonl = log.to_jsonl()
with st.spinner(tr("scoring_in_steps")):
    points = scores_over_time(scenario.id, seed, jsonl)
st.plotly_chart(scores_over_time_figure(points, lang=language), key="replay_scores")
st.caption(tr("log_fingerprint", digest=hashlib.sha256(jsonl.encode()).hexdigest()[:12]))
