"""The decision panel shared by the facilitator's console and a trainee's seat.

A decision goes to the store first (timed there by the drill's clock, committed before it is acknowledged);
the drill is then rebuilt from the store, and the decision's own accepted/rejected event is what the user sees.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from pydantic import TypeAdapter, ValidationError

from simulator import library
from simulator.engine import Drill, replay
from simulator.formats.plan import ACTIONS, Decision
from simulator.store import FACILITATOR, DrillRecord
from ui.common import result_of, store, tr, validation_messages
from ui.forms import ACTION_LABELS, decision_fields

DECISION = TypeAdapter(Decision)


def decision_panel(
    record: DrillRecord,
    entry: library.Entry,
    drill: Drill,
    *,
    by: str | None = None,
    actions: Sequence[str] = ACTIONS,
    role: str = FACILITATOR,
) -> None:
    last = st.session_state.pop("last_result", None)
    if last:
        (st.success if last[0] == "accepted" else st.error)(last[1])
    if drill.finished:
        return
    st.subheader(tr("decision"))
    action = st.selectbox("决策类型", actions, format_func=ACTION_LABELS.get, key="action")
    with st.container(border=True):  # no st.form: the choices (e.g. who can carry out a measure) follow each pick
        raw = decision_fields(drill, action, key=f"f_{action}", by=by)
        submitted = st.button(tr("submit"), type="primary", key="submit_decision")
    if not submitted:
        return
    try:
        decision = DECISION.validate_python({**raw, "at": drill.now})
    except ValidationError as exc:
        st.error("表单填写有误：\n\n" + "\n\n".join(f"- {line}" for line in validation_messages(exc)))
        return
    store().append_decision(record.id, decision, role=role)
    fresh = store().load(record.id)
    rebuilt = replay(entry.scenario, fresh.seed, fresh.decisions, fresh.clock, fresh.finished)
    event = result_of(rebuilt, len(fresh.decisions))
    if event.kind == "decision_accepted":
        st.session_state["last_result"] = ("accepted", f"{tr('accepted')}：{ACTION_LABELS[action]}")
    else:
        st.session_state["last_result"] = ("rejected", f"{tr('rejected')}：{event['reason']}")
    st.rerun()
