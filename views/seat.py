"""参演席位: a trainee's view of the drill — only what reached their department, and only their own decisions.

Nothing else leaves the server: no hazard figures, no other department's injects, no future injects, no answer
key. The page refreshes itself every few seconds so injects appear as the facilitator runs the clock.
"""

from __future__ import annotations

import streamlit as st

from simulator.engine.events import Event
from simulator.formats.durations import clock_text
from simulator.formats.plan import ACTIONS
from ui.common import TRAINEE, current, role, stamp, tr
from ui.decide import decision_panel

#: what a department's seat may decide; the coordinator's seat may take every decision
SEAT_ACTIONS = ("notify", "request_info", "order", "adjust", "assign", "report_up")
REFRESH_SECONDS = 5

st.title(tr("page_seat"))
active = current() if role() == TRAINEE else None
if active is None:
    st.info(tr("no_drill"))
    st.stop()
record, entry, drill = active
dept_id = st.session_state["dept"]
scenario = entry.scenario
names = {d.id: d.name for d in scenario.departments}
dept = scenario.department(dept_id)
st.markdown(f"**{scenario.title}** · 推演码 `{record.code}` · 席位：**{dept.name}**")


def mine(event: Event) -> bool:
    """Events this seat may see: what reached it, and the outcome of what it decided."""
    if event.kind == "inject_released":
        return event["to"] == dept_id
    if event.kind in ("info_received", "report_received"):
        return event["to"] == dept_id
    if event.kind == "message_delivered":
        return event["to"] == dept_id and event["msg_kind"] in ("notice", "order", "appointment")
    if event.kind in ("decision_accepted", "decision_rejected"):
        return event["by"] == dept_id
    return event.kind in ("drill_ended", "response_closed")


@st.fragment(run_every=REFRESH_SECONDS)
def feed() -> None:
    """The seat's feed, redrawn every few seconds from the store (other browsers move the clock)."""
    fresh = current()
    if fresh is None:
        return
    _, _, now_drill = fresh
    st.metric(tr("clock"), f"T+{now_drill.now:g} 分", help=f"时钟 {clock_text(scenario.start_clock, now_drill.now)}")
    for e in reversed([e for e in now_drill.log if mine(e)]):
        when = stamp(scenario, e.t)
        if e.kind == "inject_released":
            st.info(f"**{when} 【{e['title']}】**（来源：{e['source']}）  \n{e['text']}")
        elif e.kind == "info_received":
            st.info(f"**{when} 收到{names[e['from']]}回复（{e['topic']}）**  \n{e['text']}")
        elif e.kind == "message_delivered":
            kinds = {"notice": "通知", "order": "任务指令", "appointment": "任命通知"}
            st.info(f"**{when} 收到{names[e['from']]}的{kinds[e['msg_kind']]}**")
        elif e.kind == "report_received":
            st.info(f"**{when} 收到{names[e['from']]}的{'电话' if e['mode'] == 'phone' else '书面'}报告**")
        elif e.kind == "decision_rejected":
            st.warning(f"**{when} 本席位决策被拒**：{e['reason']}")
        elif e.kind == "decision_accepted":
            st.caption(f"{when} 本席位决策已受理（{e['action']}）")
        else:
            st.success(f"{when} {e.label}")


left, right = st.columns([3, 2])
with left:
    feed()
with right:
    actions = ACTIONS if dept.kind == "coordinator" else SEAT_ACTIONS
    decision_panel(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
