"""回放: any finished drill or a plan file run headless, scrubbed with a time slider, beside the reference plan."""

from __future__ import annotations

import hashlib
import time

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
def scores_over_time(
    scenario_id: str, seed: int, jsonl: str, step: int = 15, snapshot: str | None = None, _entry=None
) -> list[tuple[float, dict[str, float]]]:
    """Score the log as it stood every ``step`` minutes against the reference under the same seed (the score is a
    function of the log so far). ``snapshot`` is the drill's own copy of the scenario (``_entry``, not hashed by
    the cache: the copy's hash stands for it), when it is not the library's."""
    found = _entry if _entry is not None else library.find(scenario_id)
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


PLAY_STEP = 5.0  # sim minutes a played frame moves on
PLAY_EVERY = 1.0  # seconds between frames


def _toggle_play() -> None:
    """The play/pause button's callback: runs before the page, so the label it draws is already the new one."""
    st.session_state["replay_playing"] = not st.session_state.get("replay_playing", False)
    st.session_state.pop("replay_frame_at", None)


st.session_state.setdefault("replay_t", 0.0)
st.session_state.setdefault("replay_playing", False)
if "replay_next" in st.session_state:  # a played frame: set the slider before it is drawn (never after)
    st.session_state["replay_t"] = st.session_state.pop("replay_next")
playing = st.session_state["replay_playing"]
controls = st.columns([1, 6], vertical_alignment="bottom")
controls[0].button(
    tr("pause") if playing else tr("play"),
    icon=":material/pause:" if playing else ":material/play_arrow:",
    key="replay_play",
    on_click=_toggle_play,
    use_container_width=True,
)
t = controls[1].slider(tr("time"), 0.0, float(scenario.duration), step=1.0, key="replay_t", format="T+%d")


@st.fragment(run_every=PLAY_EVERY if playing else None)
def _player() -> None:
    """While playing, move the clock on by ``PLAY_STEP`` minutes a frame and redraw the page. The new minute goes
    to ``replay_next`` (the slider's own key cannot be set once the slider is drawn), and a frame is taken only
    when the last one is ``PLAY_EVERY`` old, so the page's own run does not start the next one at once."""
    if not st.session_state.get("replay_playing"):
        return
    now = time.monotonic()
    if now - st.session_state.get("replay_frame_at", 0.0) < PLAY_EVERY * 0.9:
        return
    st.session_state["replay_frame_at"] = now
    nxt = min(st.session_state["replay_t"] + PLAY_STEP, float(scenario.duration))
    st.session_state["replay_next"] = nxt
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
dept_filter = fcols[0].multiselect(
    tr("filter_dept"), sorted(set(frame["dept"]) - {""}), key="replay_dept", placeholder=tr("choose")
)
kind_filter = fcols[1].multiselect(
    tr("filter_kind"),
    list(EVENT_KINDS),
    format_func=lambda k: name_of(EVENT_KINDS, k, language),
    default=[k for k in EVENT_KINDS if k != "hazard_sample"],
    key="replay_kind",
    placeholder=tr("choose"),
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
    points = scores_over_time(scenario.id, seed, jsonl, snapshot=entry.snapshot, _entry=entry)
st.plotly_chart(scores_over_time_figure(points, lang=language), key="replay_scores")
st.caption(tr("log_fingerprint", digest=hashlib.sha256(jsonl.encode()).hexdigest()[:12]))

# -- the site map, scrubbed with the same slider (H15d adds it here: ui.sitemap, for minute ``t``) -----------------
from simulator.sitemap import map_at  # noqa: E402
from ui.sitemap import site_map_figure  # noqa: E402

st.markdown(f"#### {tr('site_map')} · {moment(scenario, t)}")
st.plotly_chart(site_map_figure(map_at(scenario, log, t), scenario.title, language), key="replay_site_map")
