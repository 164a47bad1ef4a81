"""推演控制台: the door to a drill (create, resume, join, import) and, for the facilitator, the room itself —
the clock, a live log of every seat's decisions, the department board and who holds which seat (redrawn every few
seconds), exercise control of the MSEL (release, hold, skip, ad-hoc messages: each a logged decision, so a replay is
exact), the network with messages in flight, the live score on request, and the answer key kept folded."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyarrow as pa
import streamlit as st
import yaml
from pydantic import ValidationError

from simulator import FileFormatError, library, load_plan
from simulator.engine.events import ACCEPTED
from simulator.engine.seat import decision_rows
from simulator.engine.state import inject_board, state_at
from simulator.formats.loader import MAX_FILE_BYTES, MAX_FILE_MB
from simulator.formats.plan import CONTROL
from simulator.hazards import figure_label, param_value
from simulator.narrator import Narrator
from simulator.store import scenarios as snapshots
from simulator.store.drills import UNDO_SECONDS, DrillRecord
from simulator.store.passcodes import check_new
from simulator.store.sessions import SeatHeld
from simulator.vocabulary import (
    ACTIONS,
    CONTROL_ACTIONS,
    DEPARTMENT_STATUS,
    GRADES,
    INJECT_STATUS,
    LEVEL_SHORT,
    name_of,
    reason_text,
    when,
)
from ui.charts import network_figure, radar_figure
from ui.common import (
    FACILITATOR,
    TRAINEE,
    account,
    accounts,
    catalog,
    client,
    current,
    dept_names,
    drill_entry,
    experiment,
    finish_drill,
    lang,
    leave_drill,
    moment,
    reopen_drill,
    role,
    sessions,
    shared,
    sign_in,
    store,
    too_large,
    tr,
    validation_messages,
)
from ui.decide import DECISION, clear_fields, decision_panel, take
from ui.pack import pack_download
from ui.quick import quick_entry
from ui.text import plain
from ui.timeline import planned_text

st.title(tr("page_console"))


def door() -> None:
    """Create, resume, join or import: the only part of the console anyone may see. Creating, resuming and importing
    a drill are for a signed-in organiser or facilitator (the drill is its organisation's); anyone else may only
    join a seat, and is shown the way to sign in."""
    signed = account()
    if signed is None or not signed.runs_drills:
        st.info(tr("door_sign_in"))
        st.page_link("views/accounts.py", label=tr("go_sign_in"), icon=":material/login:")
        joining = str(st.query_params.get("code", "")).strip().upper()[:12]
        if joining:
            st.session_state.setdefault("join_code", joining)
        with st.tabs([tr("join_tab")])[0]:
            join_tab()
        return
    entries = catalog() + library.cases_catalog()[0]  # the real cases (案例推演) after the scenarios
    wanted = st.session_state.pop("drill_this", None)  # 案例推演's button: this case, chosen
    if wanted is not None:
        st.session_state.pop("new_scenario", None)
    chosen = next((i for i, e in enumerate(entries) if e.id == wanted), 0)
    joining = str(st.query_params.get("code", "")).strip().upper()[:12]  # the big screen's QR code: ?code=…
    tabs = [tr("create_tab"), tr("resume_tab"), tr("join_tab"), tr("import_tab")]
    if joining:  # a trainee who scanned the code sees the join tab first, the code filled in
        st.session_state.setdefault("join_code", joining)
        tabs = [tabs[2], tabs[0], tabs[1], tabs[3]]
    opened = dict(zip(tabs, st.tabs(tabs), strict=True))
    create, resume, join, upload = (opened[tr(k)] for k in ("create_tab", "resume_tab", "join_tab", "import_tab"))
    with create, st.form("start"):
        entry = st.selectbox(
            tr("scenario"), entries, index=chosen, format_func=lambda e: entry_title(e), key="new_scenario"
        )
        team = st.text_input(tr("team"), placeholder=tr("team_placeholder"), max_chars=100)
        seed = st.number_input(
            tr("scenario_number"), min_value=0, max_value=2**31 - 1, value=1, step=1, help=tr("scenario_number_help")
        )
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="new_passcode")
        again = st.text_input(tr("passcode_again"), type="password", max_chars=100, key="new_passcode_again")
        if st.form_submit_button(tr("start_drill"), type="primary"):
            problem = check_new(passcode, again)
            if problem is not None:
                st.error(problem(lang()))
            else:
                record = store().create(
                    entry.id,
                    entry.scenario.version,
                    int(seed),
                    team.strip(),
                    passcode,
                    org_id=signed.org_id,
                    scenario=entry.scenario,
                )
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with resume, st.form("resume"):
        code = st.text_input(tr("drill_code"), max_chars=12, key="resume_code")
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="resume_passcode")
        if st.form_submit_button(tr("open")):
            record = accounts().open_drill(signed, code, passcode, client())  # its organisation's, throttled
            if not isinstance(record, DrillRecord):
                st.error(record(lang()))  # a wrong code or passcode (the same words), or how long to wait
            else:
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with join:
        join_tab()
    with upload:
        file = st.file_uploader(tr("drill_file"), type=["yaml", "yml"], key="import_file", max_upload_size=MAX_FILE_MB)
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="import_passcode")
        if file is not None and st.button(tr("import"), key="import_button"):
            import_drill(file, passcode, signed.org_id)


def join_tab() -> None:
    """A trainee joins a seat with the drill's code (no account: the code and the seat are all it takes)."""
    code = st.text_input(tr("drill_code"), max_chars=12, key="join_code")
    record = store().by_code(code) if code.strip() else None
    if code.strip() and record is None:
        st.error(tr("unknown_code"))
    entry = drill_entry(record) if record else None
    if entry is not None:
        depts = {d.id: d.name for d in entry.scenario.departments if d.kind != "higher_level"}
        dept = st.selectbox(tr("my_department"), list(depts), format_func=depts.get, key="join_dept")
        person = st.text_input(tr("my_name"), max_chars=50, key="join_person")
        join_seat(record.id, dept, person)


def entry_title(entry: library.Entry) -> str:
    """A scenario by its title; a real case marked as one (案例：…)."""
    return tr("case_prefix") + entry.scenario.title if entry.case is not None else entry.scenario.title


def join_seat(drill_id: int, dept: str, person: str) -> None:
    """Join a seat; a seat another browser holds is taken over only when the trainee says so (and that is logged)."""
    held = st.session_state.get("join_held")
    if held is not None and held[:2] == (drill_id, dept):
        st.warning(tr("seat_held", person=plain(held[2]) or tr("someone")))
        yes, no = st.columns(2)
        if yes.button(tr("take_over"), type="primary", key="take_over"):
            st.session_state.pop("join_held")
            sign_in(drill_id, TRAINEE, dept, person, take_over=True)
            st.rerun()
        if no.button(tr("cancel"), key="take_over_cancel"):
            st.session_state.pop("join_held")
            st.rerun()
        return
    if st.button(tr("join"), type="primary", key="join_button"):
        try:
            sign_in(drill_id, TRAINEE, dept, person)
        except SeatHeld as held:
            st.session_state["join_held"] = (drill_id, dept, held.holder.person)
        st.rerun()


def import_drill(file, passcode: str, org_id: int) -> None:
    if file.size > MAX_FILE_BYTES:
        st.error(too_large(file.name, file.size))
        return
    try:
        plan = load_plan(file.name, file.getvalue())
    except FileFormatError as exc:
        st.error(tr("drill_file_wrong") + "\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
        return
    entry = library.find(plan.scenario or "")
    scenario, refused = snapshots.for_import(store(), plan, entry)  # the drill's own scenario, never another one
    if refused:
        st.error(f"{file.name}{tr('colon')}{reason_text(refused, lang())}")
        return
    if scenario is None or plan.seed is None:
        st.error(tr("drill_file_needs", name=file.name))
        return
    try:  # every department, measure, place and inject it names exists in its scenario
        load_plan(file.name, file.getvalue(), scenario=scenario)
    except FileFormatError as exc:
        st.error(tr("drill_file_wrong") + "\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
        return
    problem = check_new(passcode)
    if problem is not None:
        st.error(problem(lang()))
        return
    record = store().import_plan(plan, scenario.version, passcode, org_id=org_id, scenario=scenario)
    sign_in(record.id, FACILITATOR)
    st.rerun()


def describe_key_params(scenario, key_measure, lang: str) -> str:
    """The answer key's setting of a measure in words, each value with its tolerance (``疏散半径1500米（±300米）``)."""
    narrator = Narrator(scenario, [], lang)
    parts = []
    for name, param in key_measure.params.items():
        text = narrator.params(key_measure.measure, {name: param.value})
        if text and param.tolerance:
            tolerance = param_value(scenario.hazard, key_measure.measure, name, param.tolerance, lang)
            text += f" (± {tolerance})" if lang == "en" else f"（±{tolerance}）"
        if text:
            parts.append(text)
    return tr("list_sep").join(parts) or "—"


active = current() if role() == FACILITATOR else None
if active is None:
    if role() == TRAINEE:
        st.info(tr("trainee_go_to_seat"))
        st.stop()
    door()
    st.stop()

record, entry, drill = active
scenario = entry.scenario
names = dept_names(scenario)
#: the log, the board, the clock and the roster redraw themselves this often (seats decide in other browsers): every
#: second, so a seat's decision is on the console within about a second (p95 under 2 s with ten rooms on one server,
#: ``benchmarks/bench_room.py``); an unchanged redraw is one SELECT and drawing what was made once per state
REFRESH_SECONDS = 1
#: a seat's last-seen older than this reads as minutes ago rather than online
ONLINE_SECONDS = 60


def advance(to_minute: float) -> None:
    store().set_clock(record.id, min(to_minute, scenario.duration))


def flash(ok: bool, text: str) -> None:
    """A result shown once, after the rerun that follows an action."""
    st.session_state["console_flash"] = (ok, text)


def who_entered(rec, decision_id: str) -> str:
    """Who typed a decision in: the facilitator, or a department's seat (the store keeps it beside the decision)."""
    index = int(decision_id.removeprefix("d")) - 1
    entered = rec.roles[index] if 0 <= index < len(rec.roles) else FACILITATOR
    return tr("who_facilitator") if entered == FACILITATOR else tr("who_seat", dept=names.get(entered, entered))


@dataclass(frozen=True)
class Live:
    """What the live part draws for one state of the drill in one language: made once and shared by every session
    showing it (``Rebuilt.memo``), so a refresh that finds nothing new only draws it (and reads the roster)."""

    clock: str
    exposed: tuple[str, int]  # the hazard's headline figure: its name and value
    toll: str
    log: pa.Table | None  # the decision log, the newest first (Arrow: drawn without a pandas frame each time)
    board: pa.Table


def live_of(rec, now, language: str) -> Live:
    """The clock, the figures, the decision log and the department board of one state, in ``language``."""
    state = state_at(now.log, now.now)
    rows = [  # what was decided and its result first: at 1024×768 the table's right end is cut off
        {
            tr("col_time"): d.when,
            tr("col_decision"): d.action_label,
            tr("col_result"): tr("result_accepted") if d.accepted else tr("result_rejected", reason=d.reason),
            tr("col_decider"): d.by,
            tr("col_entered_by"): who_entered(rec, d.decision),
        }
        for d in reversed(decision_rows(scenario, now.log, lang=language))
    ]
    return Live(
        clock=when(scenario.start_clock, now.now, language),
        exposed=(figure_label(scenario.hazard.model, "exposed")(language), state.hazard.get("exposed", 0)),
        toll=f"{state.injured} / {state.dead}",
        log=pa.Table.from_pylist(rows) if rows else None,
        board=pa.Table.from_pylist(board_rows(state, language)),
    )


def board_rows(state, language: str) -> list[dict]:
    """Each department's status, when it was notified and arrived, and how many of its tasks are under way."""
    board = []
    for d in scenario.departments:
        ds = state.departments.get(d.id)
        board.append(
            {
                tr("col_dept"): d.name,
                tr("col_status"): name_of(DEPARTMENT_STATUS, ds.status if ds else "idle", language),
                tr("col_notified"): when(scenario.start_clock, ds.notified_at, language)
                if ds and ds.notified_at is not None
                else "",
                tr("col_arrived"): when(scenario.start_clock, ds.arrived_at, language)
                if ds and ds.arrived_at is not None
                else "",
                tr("col_tasks_running"): len(ds.tasks_running) if ds else 0,
            }
        )
    return board


def decision_log(log: pa.Table | None) -> None:
    st.subheader(tr("decision_log"))
    if log is None:
        st.caption(tr("no_decisions"))
        return
    st.dataframe(log, hide_index=True, height=min(12, log.num_rows) * 35 + 38, key="decision_log")


def department_board(board: pa.Table) -> None:
    st.subheader(tr("status_board"))
    # every department in view at once (13 rows and the header): nothing to scroll on a projector
    st.dataframe(board, hide_index=True, height=(board.num_rows + 1) * 35 + 3, width="stretch", key="board")


def seen_text(seconds: float) -> str:
    return tr("seen_now") if seconds < ONLINE_SECONDS else tr("seen_minutes", n=int(seconds // 60))


def roster(drill_id: int) -> None:
    """Who holds which seat, and when each was last seen; then every join, take-over and leave."""
    st.subheader(tr("roster"))
    now = time.time()
    holders = sessions().roster(drill_id, now)
    if not holders:
        st.caption(tr("roster_empty"))
    else:
        st.dataframe(
            pa.Table.from_pylist(
                [
                    {
                        tr("col_seat"): names.get(h.dept, h.dept),
                        tr("col_person"): h.person or tr("someone"),
                        tr("col_last_seen"): seen_text(now - h.last_seen),  # when each joined: the changes below
                    }
                    for h in holders
                ]
            ),
            hide_index=True,
            key="roster",
        )
    changes = sessions().seat_events(drill_id)
    if changes:
        lines = [
            tr(
                f"seat_event_{c.kind}",
                time=clock_of(c.at),
                person=plain(c.person) or tr("someone"),
                seat=plain(names.get(c.dept, c.dept)),
            )
            for c in reversed(changes[-8:])
        ]
        st.caption(tr("seat_events") + tr("colon") + tr("list_sep").join(lines))


def clock_of(epoch: float) -> str:
    """A wall-clock moment of the room (joins, last seen) as the room's clock shows it: 08:55:12."""
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """The clock, the decision log, the board and the roster, redrawn from the store every few seconds: the drill
    and what is drawn of it made once per change (``ui.common.shared``); the roster read each time."""
    fresh = shared()
    if fresh is None:
        return
    language = lang()
    shown = fresh.memo(("console", language), lambda: live_of(fresh.record, fresh.drill, language))
    head = st.columns([2, 1, 1, 1])  # the clock the widest: T+120（10:10） whole on a 1024×768 projector
    head[0].metric(tr("clock"), shown.clock)
    head[1].metric(tr("drill_code"), fresh.record.code)
    head[2].metric(*shown.exposed)
    head[3].metric(f"{tr('injured')} / {tr('dead')}", shown.toll)
    left, right = st.columns([3, 2])
    with left:
        decision_log(shown.log)
    with right:
        roster(fresh.record.id)
    department_board(shown.board)  # the full width: every column of every department readable at 1024×768


def clock_controls() -> None:
    """Run the clock; 结束推演 asks first, and can be undone for a short while after."""
    if drill.finished:
        st.success(tr("finished"))
        cols = st.columns([2, 2, 5])
        if store().undo_left(record.id) > 0 and cols[0].button(
            tr("undo_end"), key="undo_end", help=tr("undo_hint", seconds=int(UNDO_SECONDS))
        ):
            reopened = reopen_drill(record.id)
            flash(reopened, tr("reopened") if reopened else tr("undo_late"))
            st.rerun()
        if cols[1].button(tr("new_drill"), key="new_drill"):
            leave_drill()  # back to the door, still signed in
            st.rerun()
        return
    if drill.now >= drill.end:  # the clock stops at the last minute; the drill ends with 结束推演
        st.info(tr("at_last_minute"))
    # the clock's buttons move the stored clock in on_click, before the page is drawn: one run shows the new clock
    # (a rerun after drawing the page with the old one made every click cost two runs)
    controls = st.columns([2, 2, 2, 1, 2])
    upcoming = drill.next_inject_at()
    controls[0].button(
        tr("next_inject"), disabled=upcoming is None, key="next_inject", width="stretch", on_click=advance,
        args=(upcoming,),
    )  # fmt: skip
    controls[1].button(tr("plus5"), key="plus5", width="stretch", on_click=advance, args=(drill.now + 5,))
    earliest = min(math.ceil(drill.now), int(scenario.duration))  # whole minutes: the clock is read in minutes
    controls[2].number_input(
        tr("advance_to"),
        min_value=earliest,
        max_value=int(scenario.duration),
        value=earliest,
        step=5,
        key="advance_target",
        label_visibility="collapsed",
    )
    controls[3].button(
        tr("go"), key="advance_go", width="stretch", on_click=lambda: advance(st.session_state["advance_target"])
    )
    if controls[4].button(tr("end_drill"), type="primary", key="end_drill", width="stretch"):
        st.session_state["confirm_end"] = True
        st.rerun()
    if st.session_state.get("confirm_end"):
        st.warning(tr("end_confirm", seconds=int(UNDO_SECONDS)))
        yes, no, _ = st.columns([2, 2, 5])
        if yes.button(tr("end_confirm_yes"), type="primary", key="end_confirm"):
            st.session_state.pop("confirm_end")
            finish_drill(record, entry, drill)  # the score, the team's 整改 items, then the end
            st.rerun()
        if no.button(tr("cancel"), key="end_cancel"):
            st.session_state.pop("confirm_end")
            st.rerun()


def inject_status(board: dict, inject) -> str:
    """Where an inject stands in this drill (read off the log): released when, held, cancelled by 导调组, not
    triggered, pending."""
    status = board[inject.id]
    if status.status == "released":
        return tr("inject_released_at", at=moment(scenario, status.released_at))
    label = name_of(INJECT_STATUS, status.status, lang())
    if status.condition is not None:  # 待触发: a ``when`` inject, with the condition it waits on
        return f"{label}：{status.condition(lang())}" if lang() == "zh" else f"{label}: {status.condition(lang())}"
    return label


def control(decision: dict) -> None:
    """One of exercise control's actions, taken as a decision through the store (so a replay is exact)."""
    event = take(record, entry, DECISION.validate_python({**decision, "by": CONTROL, "at": drill.now}))
    label = name_of(CONTROL_ACTIONS, decision["action"], lang())
    if event.kind in ACCEPTED:
        flash(True, tr("control_done", action=label))
        clear_fields("message_")  # a sent message's form starts blank
    else:
        flash(False, tr("control_refused", reason=plain(reason_text(event["reason"], lang()))))
    st.rerun()


def inject_control() -> None:
    """The MSEL on a timeline with its state, and exercise control: release now, hold, skip, an ad-hoc message."""
    st.subheader(tr("inject_control"))
    timeline = sorted(scenario.injects, key=lambda i: (i.at is None, i.at or 0))
    board = {s.inject: s for s in inject_board(scenario, drill.log, drill.now)}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_time"): planned_text(scenario, i, lang()),
                    tr("col_title"): i.title,
                    tr("col_status"): inject_status(board, i),
                    tr("col_to"): names[i.to],  # last: at 1024×768 what is cut off is the least needed
                }
                for i in timeline
            ]
        ),
        hide_index=True,
        key="msel",
    )
    if drill.finished:
        return
    open_injects = [i.id for i in timeline if board[i.id].status not in ("released", "cancelled")]
    if not open_injects:
        st.caption(tr("no_injects_left"))
    else:
        # the labels are made now: a widget's format function may be called outside this run (see ui.common)
        labels = {i: f"{planned_text(scenario, injects[i], lang())} {injects[i].title}" for i in open_injects}
        chosen = st.selectbox(tr("inject_pick"), open_injects, format_func=labels.get, key="inject_pick")
        cols = st.columns(3)
        for col, (action, label) in zip(
            cols,
            (("release_inject", "inject_release"), ("hold_inject", "inject_hold"), ("skip_inject", "inject_skip")),
            strict=True,
        ):
            if col.button(tr(label), key=action, width="stretch"):
                control({"action": action, "inject": chosen})
    with st.form("control_message", clear_on_submit=True):
        st.markdown(f"**{tr('control_message')}**")
        seats = [d.id for d in scenario.departments if d.kind != "higher_level"]
        to = st.multiselect(tr("message_to"), seats, format_func=names.get, key="message_to", placeholder=tr("choose"))
        title = st.text_input(tr("message_heading"), max_chars=100, key="message_title")
        text = st.text_area(tr("message_body"), max_chars=2000, key="message_text")
        if st.form_submit_button(tr("message_send")):
            try:
                control({"action": "message", "to": to, "title": title.strip(), "text": text.strip()})
            except ValidationError as exc:
                lines = (f"- {plain(line)}" for line in validation_messages(exc))
                st.error(tr("form_wrong") + "\n\n" + "\n\n".join(lines))


injects = {i.id: i for i in scenario.injects}
# room for the console at 1024×768: Streamlit's wide layout keeps 5rem of padding each side (our own CSS, no user text)
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-left:1.5rem;padding-right:1.5rem;padding-top:2.5rem}</style>"
)
st.markdown(
    f"**{plain(scenario.title)}** · {plain(record.team) or tr('unnamed_team')} · {tr('scenario_number')} {record.seed}",
    help=tr("scenario_number_help"),
)
live()
shown = st.session_state.pop("console_flash", None)
if shown:
    (st.success if shown[0] else st.error)(shown[1])
clock_controls()

left, right = st.columns([5, 6])
with left:
    decision_panel(record, entry, drill)
    quick_entry(record, entry, drill)
    st.subheader(tr("inject_feed"))
    feed = [e for e in drill.log if e.kind in ("inject_released", "info_received", "decision_rejected")]
    for e in reversed(feed[-30:]):
        at = moment(scenario, e.t)
        if e.kind == "inject_released":
            st.info(f"**{at} 【{plain(e['title'])}】** → {plain(names[e['to']])}  \n{plain(e['text'])}")
        elif e.kind == "info_received":
            reply = tr("reply_from", dept=plain(names[e["from"]]), topic=plain(e["topic"]))
            st.info(f"**{at} {reply}**  \n{plain(e['text'])}")
        else:
            by = plain(names.get(e["by"], ""))
            rejected = tr("rejected_by", action=name_of(ACTIONS, e["action"], lang()), dept=by)
            st.warning(f"**{at} {rejected}**  \n{plain(reason_text(e['reason'], lang()))}")

with right:
    inject_control()
    state = state_at(drill.log, drill.now)
    st.subheader(tr("network"))
    channels = {c.id: f"{names[c.from_]} — {names[c.to]}" for c in scenario.channels}
    cut = tr("list_sep").join(plain(channels[c]) for c in sorted(state.channels_cut) if c in channels) or tr("none")
    st.caption(tr("in_flight_and_cut", count=len(state.in_flight), cut=cut))
    st.plotly_chart(network_figure(scenario, state, height=380, lang=lang()), key="console_network")
    st.subheader(tr("live_score"))
    on_screen = store().get_flag(record.id, "big_screen_grade", False)
    if st.toggle(tr("grade_on_screen"), value=on_screen, key="grade_on_screen") != on_screen:
        store().set_flag(record.id, "big_screen_grade", not on_screen)
    if st.toggle(tr("show_live_score"), value=False, key="show_live_score"):
        live_score = experiment(entry, record.seed, drill, record.id).score
        cols = st.columns(2)
        cols[0].metric(tr("total"), f"{live_score['total']:.1f}")
        cols[1].metric(tr("grade"), name_of(GRADES, live_score["grade"], lang()))
        st.plotly_chart(radar_figure(live_score, lang=lang()), key="console_radar")

with st.expander(tr("answer_key")):
    key = scenario.answer_key
    sep = tr("list_sep")
    st.markdown(
        f"- {tr('key_type_level', event_type=plain(key.event_type), level=name_of(LEVEL_SHORT, key.level, lang()))}\n"
        f"- {tr('key_departments')}{tr('colon')}{sep.join(plain(names[d]) for d in key.required_departments)}\n"
        f"- {tr('key_groups')}{tr('colon')}{sep.join(plain(g) for g in key.working_groups) or '—'}"
    )
    measure_names = {m.id: m.name for m in scenario.measures}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_measure"): measure_names.get(m.measure, ""),
                    tr("col_departments"): sep.join(names[d] for d in m.departments),
                    tr("col_params"): describe_key_params(scenario, m, lang()),
                    tr("col_latest"): when(scenario.start_clock, m.by, lang()) if m.by is not None else "—",
                }
                for m in key.measures
            ]
        ),
        hide_index=True,
    )

st.download_button(
    tr("export_drill"),
    yaml.safe_dump(record.as_plan().to_yaml_data(), allow_unicode=True, sort_keys=False),
    file_name=f"{tr('drill_file_stem')}_{record.code}.yaml",
    mime="application/x-yaml",
    key="export_drill",
)
pack_download(record, entry)  # 推演资料包: cards, script, evaluation and sign-in sheets, made when clicked
