"""The decision panel shared by the facilitator's console and a trainee's seat.

A decision goes to the store first (timed there by the drill's clock, committed before it is acknowledged);
the drill is then rebuilt from the store, and the decision's own accepted/rejected event is what the user sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st
from pydantic import TypeAdapter, ValidationError

from simulator import library
from simulator.engine import Drill
from simulator.engine.drill import ENDED
from simulator.engine.events import Event
from simulator.formats.plan import ACTIONS, CONTROL, Decision
from simulator.store import FACILITATOR, DrillRecord
from simulator.store.drills import TooManyDecisions
from simulator.vocabulary import reason_text
from ui.common import lang, rebuilt_drills, store, tr, validation_messages
from ui.forms import action_label, decision_fields, form_problems
from ui.text import plain

DECISION = TypeAdapter(Decision)
#: each decision field's value when its widget was first drawn, learned as the form is drawn: what "blank" is for it
FIRST_VALUES = "_decision_first_values"
#: fields to set back to blank before the next run draws them (see ``clear_fields``)
RESET = "_decision_reset"
#: a first value that means "nothing entered": free text, a list of recipients, no deadline
BLANK = ("", [], 0, None)


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
    language = lang()
    action = st.selectbox(tr("form_action"), actions, format_func=lambda a: action_label(a, language), key="action")
    for key, value in st.session_state.pop(RESET, {}).items():  # set before the widgets: the browser is told too
        st.session_state[key] = value
    drawn = {k for k in st.session_state if isinstance(k, str)}
    with st.container(border=True):  # no st.form: the choices (e.g. who can carry out a measure) follow each pick
        raw = decision_fields(drill, action, key=f"f_{action}", by=by)
        submitted = st.button(tr("submit"), type="primary", key="submit_decision")
    first = st.session_state.setdefault(FIRST_VALUES, {})
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"f_{action}_") and k not in drawn]:
        first[key] = st.session_state[key]
    if not submitted:
        return
    incomplete = form_problems(raw)  # rows half filled in: refused here, never dropped by the model
    if incomplete:
        st.error(tr("form_incomplete") + "\n\n" + "\n\n".join(f"- {plain(line)}" for line in incomplete))
        return
    try:
        decision = DECISION.validate_python({**raw, "at": drill.now})
    except ValidationError as exc:
        st.error(tr("form_wrong") + "\n\n" + "\n\n".join(f"- {plain(line)}" for line in validation_messages(exc)))
        return
    event = take(record, entry, decision, role)
    if event.kind == "decision_accepted":
        st.session_state["last_result"] = ("accepted", f"{tr('accepted')}{tr('colon')}{action_label(action, language)}")
        clear_fields(f"f_{action}_", keep=(f"f_{action}_by",))
    else:
        reason = reason_text(event["reason"], language)
        st.session_state["last_result"] = ("rejected", f"{tr('rejected')}{tr('colon')}{reason}")
    st.rerun()


def take(record: DrillRecord, entry: library.Entry, decision: Any, role: str = FACILITATOR) -> Event:
    """Store a decision (timed there, committed before this returns), rebuild the drill from the store, and give
    back the decision's own accepted or rejected event: what the person who entered it is shown."""
    try:
        stored, refused = store().append_decision(record.id, decision, role=role), ENDED
    except TooManyDecisions as exc:  # the drill's cap (plan.MAX_DECISIONS): refused, with the reason in words
        stored, refused = None, exc.reason
    found = rebuilt_drills().latest(record.id)  # rebuilt once: every other session of the room then shares it
    fresh, rebuilt = found.record, found.drill
    if stored is None:  # the drill ended before this arrived, or is full: refused, and nothing stored
        kind = "control_rejected" if decision.by == CONTROL else "decision_rejected"
        return Event(0, rebuilt.now, kind, {"action": decision.action, "by": decision.by, "reason": refused})
    return rebuilt.result(len(fresh.decisions))


def clear_fields(prefix: str, keep: Sequence[str] = ()) -> None:
    """Blank a form once its decision is taken, so the next order starts blank (a 责任人 typed for one order is not
    carried into the next). ``keep``: fields that rightly stay, such as who decides.

    Deleting a widget's key is not enough in a browser: Streamlit's page keeps showing the old value and sends it
    back with the next click, so the 责任人 came back (AppTest, having no browser, never showed it). A decision
    form's blank fields (text, recipients, deadline) are therefore set to blank before the next run draws them,
    which the browser follows; its choices (department, measure and its settings) stay as chosen, in the browser
    and on the server alike. Other forms' fields (an ``st.form`` that clears itself) are simply forgotten."""
    first = st.session_state.get(FIRST_VALUES, {})
    reset = dict(st.session_state.get(RESET, {}))
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix) and k not in keep]:
        if key not in first:
            del st.session_state[key]
        elif first[key] in BLANK and st.session_state[key] != first[key]:
            reset[key] = first[key]
    if reset:
        st.session_state[RESET] = reset
