"""参演席位: a trainee's view of the drill — only what reached their department, and only their own decisions.

Nothing else leaves the server: no hazard figures, no other department's injects, no future injects, no answer
key. The page refreshes itself every few seconds so injects appear as the facilitator runs the clock.
"""

from __future__ import annotations

import streamlit as st

from simulator.engine.events import Event
from simulator.formats.plan import ACTIONS
from simulator.vocabulary import ACTIONS as ACTION_LABELS
from simulator.vocabulary import EVENT_KINDS, MESSAGE_KINDS, REPORT_MODES, name_of, reason_text
from ui.common import TRAINEE, current, dept_names, lang, moment, role, tr
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
names = dept_names(scenario)
dept = scenario.department(dept_id)
st.markdown(f"**{scenario.title}** · {tr('drill_code')} `{record.code}` · {tr('seat')}{tr('colon')}**{dept.name}**")


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
    language = lang()
    st.metric(tr("clock"), moment(scenario, now_drill.now))
    for e in reversed([e for e in now_drill.log if mine(e)]):
        at = moment(scenario, e.t)
        if e.kind == "inject_released":
            st.info(f"**{at} 【{e['title']}】**{tr('source_of', source=e['source'])}  \n{e['text']}")
        elif e.kind == "info_received":
            st.info(f"**{at} {tr('reply_from', dept=names[e['from']], topic=e['topic'])}**  \n{e['text']}")
        elif e.kind == "message_delivered":
            kind = name_of(MESSAGE_KINDS, e["msg_kind"], language)
            st.info(f"**{at} {tr('message_from', dept=names[e['from']], kind=kind)}**")
        elif e.kind == "report_received":
            mode = name_of(REPORT_MODES, e["mode"], language)
            st.info(f"**{at} {tr('report_from', dept=names[e['from']], mode=mode)}**")
        elif e.kind == "decision_rejected":
            st.warning(f"**{at} {tr('seat_rejected')}**{tr('colon')}{reason_text(e['reason'], language)}")
        elif e.kind == "decision_accepted":
            st.caption(f"{at} {tr('seat_accepted', action=name_of(ACTION_LABELS, e['action'], language))}")
        else:
            st.success(f"{at} {name_of(EVENT_KINDS, e.kind, language)}")


left, right = st.columns([3, 2])
with left:
    feed()
with right:
    actions = ACTIONS if dept.kind == "coordinator" else SEAT_ACTIONS
    decision_panel(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
