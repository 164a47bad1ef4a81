"""参演席位: a trainee's seat — everything that reached their department, in full, and nothing else.

The page reads one thing, ``simulator.engine.seat.seat_view``: the injects and messages that reached the department
(each notice and order with its whole content: who sent it, the text, the measure and its settings in words, the
person in charge, the deadline, the moment), the seat's tasks with their status (本席位任务), and the seat's own
decisions with the result. No hazard figures, no other seat's injects, no future injects, no answer key ever
reach this browser. The feed refreshes itself every few seconds, so injects appear as the facilitator runs the clock;
the decision panel (a reply or report to the duty office first) stays put while the seat types.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import streamlit as st

from simulator.engine import Drill
from simulator.engine.seat import SeatItem, SeatView, seat_view
from simulator.formats.plan import ACTIONS
from simulator.formats.scenario import Scenario
from simulator.vocabulary import DUE, OVERDUE, PERSON_IN_CHARGE, SETTINGS, when
from ui.common import TRAINEE, current, lang, role, shared, tr
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


@dataclass(frozen=True)
class Feed:
    """What the feed draws for one state of the drill, one department and one language: made once and shared by
    every session showing it (``Rebuilt.memo``), so a refresh that finds nothing new only draws."""

    clock: str
    finished: bool
    tasks: pa.Table | None  # 本席位任务 as a table (Arrow: drawn without a pandas frame each time), None: no task
    task_count: int
    items: list[tuple[str, str]]  # (kind, text) of what reached the seat, the newest first
    decisions: list[tuple[bool, str]]  # (accepted, text) of the seat's own decisions, the newest first


def feed_of(scenario: Scenario, drill: Drill, dept_id: str, language: str) -> Feed:
    view = seat_view(scenario, drill.log, dept_id, drill.now, language)
    decisions = []
    for decision in reversed(view.decisions):
        if decision.accepted:
            decisions.append((True, f"{decision.when} {tr('seat_accepted', action=decision.action_label)}"))
        else:
            refused = tr("seat_refused", action=decision.action_label)
            decisions.append((False, f"**{decision.when} {refused}**  \n{plain(decision.reason)}"))
    return Feed(
        clock=when(scenario.start_clock, drill.now, language),
        finished=drill.finished,
        tasks=pa.Table.from_pylist(task_rows(view, language)) if view.tasks else None,
        task_count=len(view.tasks),
        items=[(item.kind, item_markdown(item, language)) for item in reversed(view.items)],
        decisions=decisions,
    )


def task_rows(view: SeatView, language: str) -> list[dict[str, str]]:
    """本席位任务: each task with its status and deadline (an overdue one says so)."""
    return [  # status and deadline next to the task: on a 1024×768 screen the table's right end is cut off
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


def draw(shown: Feed) -> None:
    """The clock, the seat's tasks, what reached it (the newest first, each in a box of its own) and its own
    decisions with their results (the reason of a refusal in words)."""
    st.metric(tr("clock"), shown.clock)
    if shown.finished:
        st.success(tr("seat_drill_over"))
    st.subheader(tr("seat_tasks", count=shown.task_count))
    if shown.tasks is None:
        st.caption(tr("seat_no_tasks"))
    else:
        st.dataframe(shown.tasks, hide_index=True, width="stretch")
    st.subheader(tr("seat_inbox", count=len(shown.items)))
    if not shown.items:
        st.caption(tr("seat_nothing_yet"))
    for kind, text in shown.items:
        ITEM_BOX.get(kind, st.success)(text)
    st.subheader(tr("seat_decisions", count=len(shown.decisions)))
    if not shown.decisions:
        st.caption(tr("seat_no_decisions"))
    for accepted, text in shown.decisions:
        (st.caption if accepted else st.error)(text)


@st.fragment(run_every=REFRESH_SECONDS)
def feed() -> None:
    """The seat's view, redrawn every few seconds from the store (other browsers move the clock and decide): one
    statement when nothing changed, the drill and the feed made once per change for every session of the seat."""
    fresh = shared()
    if fresh is None:
        return
    language = lang()
    draw(fresh.memo(("seat", dept_id, language), lambda: feed_of(fresh.entry.scenario, fresh.drill, dept_id, language)))


left, right = st.columns([3, 2])
with left:
    feed()
with right:
    actions = ACTIONS if dept.kind == "coordinator" else SEAT_ACTIONS
    decision_panel(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
    quick_entry(record, entry, drill, by=dept_id, actions=actions, role=dept_id)
