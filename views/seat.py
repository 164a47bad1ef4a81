"""参演席位: a trainee's seat — everything that reached their department, in full, and nothing else.

The page reads one thing, ``simulator.engine.seat.seat_view``: the injects and messages that reached the department
(each notice and order with its whole content: who sent it, the text, the measure and its settings in words, the
person in charge, the deadline, the moment), the seat's tasks with their status (本席位任务), and the seat's own
decisions with the result. No hazard figures, no other seat's injects, no future injects, no answer key ever
reach this browser. The feed refreshes itself every few seconds, so injects appear as the facilitator runs the clock;
the decision panel (a reply or report to the duty office first) stays put while the seat types.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator.engine.seat import SeatItem, SeatView, seat_view
from simulator.formats.plan import ACTIONS
from simulator.vocabulary import DUE, OVERDUE, PERSON_IN_CHARGE, SETTINGS
from ui.common import TRAINEE, current, lang, moment, role, tr
from ui.decide import decision_panel
from ui.quick import quick_entry
from ui.text import plain

#: what a department's seat may decide, a report to the duty office first; the coordinator's seat takes every one
SEAT_ACTIONS = ("report_office", "notify", "request_info", "order", "adjust", "assign", "report_up")
REFRESH_SECONDS = 5
#: how an item of the feed is drawn: exercise control and the scenario's injects stand out from routine messages
ITEM_BOX = {"inject": st.info, "control": st.warning}

st.title(tr("page_seat"))
active = current() if role() == TRAINEE else None
if active is None:
    st.info(tr("no_drill"))
    st.stop()
record, entry, drill = active
dept_id = st.session_state["dept"]
scenario = entry.scenario
dept = scenario.department(dept_id)
if dept is None:  # a drill stored before scenario copies, its scenario since changed: say so, never fail
    st.warning(tr("seat_dept_gone", title=plain(scenario.title)))
    st.stop()
seat_name = f"{tr('seat')}{tr('colon')}**{plain(dept.name)}**"
st.markdown(f"**{plain(scenario.title)}** · {tr('drill_code')} `{record.code}` · {seat_name}")


def item_markdown(item: SeatItem, language: str) -> str:
    """One notice, order, reply or inject in full: the moment and who sent it, its title, its text, then each part
    of its content that it has (measure, settings, person in charge, deadline, when it was decided). Every part
    that came from the scenario or a person is made inert (``ui.text.plain``): an inject cannot load an image."""
    colon = tr("colon")
    head = f"**{item.when} · {item.kind_label}** · {tr('seat_from', source=plain(item.source))}"
    lines = [head, f"**{plain(item.title)}**" if item.title and item.title != item.kind_label else ""]
    if item.text:
        lines.append(plain(item.text))
    parts = [
        (tr("col_measure"), item.measure if item.measure != item.title else ""),
        (SETTINGS(language), item.settings),
        (PERSON_IN_CHARGE(language), item.owner),
        (DUE(language), item.due),
        (tr("seat_reason"), item.reason),
        (tr("seat_decided_at"), item.decided_at if item.decided_at != item.when else ""),
    ]
    details = "  \n".join(f"{name}{colon}{plain(value)}" for name, value in parts if value)
    return "\n\n".join(line for line in (*lines, details) if line)


def inbox(view: SeatView, language: str) -> None:
    """What reached the seat, the newest first, each in a box of its own."""
    st.subheader(tr("seat_inbox", count=len(view.items)))
    if not view.items:
        st.caption(tr("seat_nothing_yet"))
    for item in reversed(view.items):
        ITEM_BOX.get(item.kind, st.success)(item_markdown(item, language))


def task_list(view: SeatView, language: str) -> None:
    """本席位任务: each task with its status and deadline (an overdue one says so)."""
    st.subheader(tr("seat_tasks", count=len(view.tasks)))
    if not view.tasks:
        st.caption(tr("seat_no_tasks"))
        return
    rows = [  # status and deadline next to the task: on a 1024×768 screen the table's right end is cut off
        {
            tr("col_task"): task.name,
            tr("col_status"): task.status_label + (f"（{OVERDUE(language)}）" if task.overdue else ""),
            DUE(language): task.due,
            SETTINGS(language): task.settings,
            PERSON_IN_CHARGE(language): task.owner,
            tr("col_source"): task.source,
            tr("seat_col_received"): task.ordered,
        }
        for task in view.tasks
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


def own_decisions(view: SeatView) -> None:
    """The seat's own decisions, newest first, each with its result (the reason of a refusal in words)."""
    st.subheader(tr("seat_decisions", count=len(view.decisions)))
    if not view.decisions:
        st.caption(tr("seat_no_decisions"))
    for decision in reversed(view.decisions):
        if decision.accepted:
            st.caption(f"{decision.when} {tr('seat_accepted', action=decision.action_label)}")
        else:
            refused = tr("seat_refused", action=decision.action_label)
            st.error(f"**{decision.when} {refused}**  \n{plain(decision.reason)}")


@st.fragment(run_every=REFRESH_SECONDS)
def feed() -> None:
    """The seat's view, redrawn every few seconds from the store (other browsers move the clock and decide)."""
    fresh = current()
    if fresh is None:
        return
    _, _, now_drill = fresh
    language = lang()
    view = seat_view(scenario, now_drill.log, dept_id, now_drill.now, language)
    st.metric(tr("clock"), moment(scenario, now_drill.now))
    if now_drill.finished:
        st.success(tr("seat_drill_over"))
    task_list(view, language)
    inbox(view, language)
    own_decisions(view)


left, right = st.columns([3, 2])
with left:
    feed()
with right:
    actions = ACTIONS if dept.kind == "coordinator" else SEAT_ACTIONS
    decision_panel(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
    quick_entry(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
