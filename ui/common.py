"""Helpers every page shares: language, the drill store, the current drill rebuilt from the store, and the one
way a page gets a score (``experiment``: the drill against the library's cached reference under the same seed).

No domain work here: scoring is ``simulator.experiment``, the team's history and the passcode rule are the store's,
the words are ``simulator.vocabulary``'s and ``ui.i18n``'s.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date

import streamlit as st
from pydantic import ValidationError

from simulator import EventLog, FileFormatError, library, load_plan
from simulator.engine import Drill, replay, run_plan
from simulator.experiment import Experiment, evaluate
from simulator.formats.loader import MAX_FILE_BYTES, MAX_FILE_MB
from simulator.formats.scenario import Scenario
from simulator.store import FACILITATOR, DrillRecord, DrillStore, default_url
from simulator.store import scenarios as snapshots
from simulator.store.accounts import Account, Accounts
from simulator.store.items import close_drill, items_before, undo_drill
from simulator.store.pulse import pulse
from simulator.store.rebuilt import Rebuilt, RebuiltDrills
from simulator.store.sessions import SEEN_EVERY, SESSION_SECONDS, TAKEN_OVER, Sessions
from simulator.vocabulary import reason_text, span, when
from ui.i18n import t
from ui.text import plain

#: the bundled plans' names (any other plan file is shown by its own name)
PLAN_KEYS = {"reference": "plan_reference", "poor": "plan_poor", "actual": "plan_actual"}
TRAINEE = "trainee"
#: an account that reads scores, reports and answer keys and writes reviews, but never runs a drill's clock
EVALUATOR = "evaluator"
#: the roles of accounts (those who may read answer keys, MSELs, reference plans and the organisation's drills)
STAFF = (FACILITATOR, EVALUATOR)
#: the cookie that keeps a browser's sign-in over a reload (its value is the token; the store keeps only its hash)
COOKIE = "drill_session"


def lang() -> str:
    return st.session_state.get("lang", "zh")


def tr(key: str, **values) -> str:
    """The UI string ``key`` in the session's language, with ``{placeholders}`` filled from ``values``."""
    text = t(key, lang())
    return text.format(**values) if values else text


def moment(scenario: Scenario, t_min: float) -> str:
    """A sim time as every page writes it: ``T+45（08:55）`` (whole minutes and the wall clock)."""
    return when(scenario.start_clock, t_min, lang())


def dept_names(scenario: Scenario) -> dict[str, str]:
    """Department id → name (scenario data: shown as written, in either language)."""
    return {d.id: d.name for d in scenario.departments}


def plan_name(name: str) -> str:
    return tr(PLAN_KEYS[name]) if name in PLAN_KEYS else name


def scenario_metrics(scenario: Scenario) -> None:
    """A scenario at a glance: departments, channels, injects, measures and its duration."""
    cols = st.columns(5)
    cols[0].metric(tr("departments"), len(scenario.departments))
    cols[1].metric(tr("channels"), len(scenario.channels))
    cols[2].metric(tr("injects"), len(scenario.injects))
    cols[3].metric(tr("measures"), len(scenario.measures))
    cols[4].metric(tr("duration"), span(scenario.duration, lang()))


def store() -> DrillStore:
    """One store per database and server process (a SQLite file by default; see ``simulator.store.default_url``)."""
    return _store(default_url())


@st.cache_resource
def _store(url: str) -> DrillStore:
    return DrillStore(url)


def catalog() -> list[library.Entry]:
    entries, errors = library.catalog()
    for error in errors:
        st.warning(tr("broken_scenarios") + "\n\n" + "\n\n".join(f"`{p}`" for p in error.problems))
    return entries


def role() -> str | None:
    """``trainee`` (joined a seat with the drill code), else the signed-in account's: ``facilitator`` (组织者 and
    导调员: run drills) or ``evaluator`` (评估员); None for anyone else. Nothing but a signed-in account makes a
    session staff: a drill created or opened in this browser does not (``simulator.store.accounts``)."""
    if st.session_state.get("role") == TRAINEE:
        return TRAINEE
    signed = account()
    if signed is None:
        return None
    return FACILITATOR if signed.runs_drills else EVALUATOR


def accounts() -> Accounts:
    return _accounts(default_url())


@st.cache_resource
def _accounts(url: str) -> Accounts:
    return Accounts(_store(url))


def account() -> Account | None:
    """The account signed in in this browser session, if any."""
    return accounts().get(st.session_state.get("account_id"))


def client() -> str:
    """Who is trying, for the throttle: the first address of X-Forwarded-For (behind a proxy), else the peer's
    address, else this browser session (AppTest has neither)."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        address = forwarded.split(",")[0].strip() or st.context.ip_address
    except Exception:  # no request context (AppTest): the session stands for the client
        address = None
    if isinstance(address, str) and address:
        return address
    return "session:" + st.session_state.setdefault("client_id", secrets.token_hex(8))


def announce_setup() -> None:
    """While no account exists, the one-time setup token is made and logged (once per server process): the first
    page anyone opens on an empty database puts it in the log of whoever started the server."""
    if "account_id" not in st.session_state:
        accounts().setup_token()


def sign_in_account(signed: Account) -> None:
    """An account signs in: whatever this browser was (a seat, another account) ends first; kept over a reload."""
    if st.session_state.get("token"):
        sessions().end(st.session_state["token"])
    _forget()
    token = sessions().start(None, signed.role, account_id=signed.id)
    st.session_state.update(account_id=signed.id, token=token, cookie=token)


def leave_drill() -> None:
    """新推演: the account leaves its drill (for the console's door) and stays signed in."""
    sessions().set_drill(st.session_state.get("token"), None)
    for key in ("drill_id", "role", "dept"):
        st.session_state.pop(key, None)


def sessions() -> Sessions:
    return _sessions(default_url())


@st.cache_resource
def _sessions(url: str) -> Sessions:
    return Sessions(_store(url))


def sign_in(drill_id: int, as_role: str, dept: str | None = None, person: str = "", take_over: bool = False) -> None:
    """Only ids go into the session: the scenario, its answer key and the world stay on the server.

    The sign-in is also kept server-side (``simulator.store.sessions``) under a random token, which the browser
    keeps in a cookie, so a reload finds it again. A trainee's seat must be free or taken over
    (``sessions.SeatHeld`` is raised otherwise, before anything changes).

    A facilitator opens a drill within its account's sign-in (the same token; refused without an account). A
    trainee's seat is a sign-in of its own: an account signed in in this browser is signed out by joining."""
    if as_role != TRAINEE:
        signed = account()
        if signed is None or not signed.runs_drills:
            raise PermissionError("only a signed-in organiser or facilitator opens a drill")
        sessions().set_drill(st.session_state.get("token"), drill_id)
        _signed_in(drill_id, as_role, dept, st.session_state.get("token"))
        return
    token = sessions().start(drill_id, as_role, dept, person, take_over=take_over)
    old = st.session_state.get("token")
    if old:
        sessions().end(old)
    _forget()
    _signed_in(drill_id, as_role, dept, token)
    st.session_state["cookie"] = token  # written by the next run's ``keep_cookie``


def _signed_in(drill_id: int, as_role: str, dept: str | None, token: str | None) -> None:
    st.session_state.update(drill_id=drill_id, role=as_role, dept=dept, token=token)


def sign_out() -> None:
    """退出: the token is revoked in the store and the cookie cleared, so a reload starts afresh."""
    sessions().end(st.session_state.get("token"))
    _forget()


def _forget() -> None:
    for key in ("drill_id", "role", "dept", "token", "account_id"):
        st.session_state.pop(key, None)
    st.session_state["cookie"] = ""


def browser_token() -> str | None:
    """The token this browser sent with the page request (read once per connection, i.e. per reload)."""
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) else None  # AppTest has no browser: its cookies are not strings


def restore() -> None:
    """After a reload (a new Streamlit session), sign the browser in again from its cookie: same role, drill and
    seat. A seat taken over by another browser meanwhile is said so, once."""
    if "role" in st.session_state or "account_id" in st.session_state or st.session_state.get("restored"):
        return
    st.session_state["restored"] = True
    token = browser_token()
    info = sessions().resume(token)
    if info is None:
        return
    if info.ended is None and info.account_id is not None:  # an account, and the drill it had open
        if accounts().get(info.account_id) is not None:
            st.session_state.update(account_id=info.account_id, token=token)
            if info.drill_id is not None:
                _signed_in(info.drill_id, FACILITATOR, None, token)
    elif info.ended is None:
        _signed_in(info.drill_id, info.role, info.dept, token)
    elif info.ended == TAKEN_OVER:
        st.session_state["notice"] = "seat_taken_over"
        st.session_state["cookie"] = ""


def keep_cookie() -> None:
    """Write (or clear) the sign-in cookie with a tiny same-origin script, once after signing in or out.

    Streamlit has no way to set a cookie from the server, so a tiny script in the page sets it. Nothing is drawn,
    and the element is gone on the next run: the token is never written on a page anyone reads."""
    token = st.session_state.pop("cookie", None)
    if token is None:
        return
    life = SESSION_SECONDS if token else 0
    cookie = f"{COOKIE}={token}; path=/; max-age={life}; SameSite=Strict"
    # the script runs as it is inserted (not in an iframe that loads later), so a rerun that follows at once (a
    # page switch after joining a seat) cannot remove it before it ran; the token is ours, never user text
    st.html(f"<script>document.cookie = {cookie!r};</script>", unsafe_allow_javascript=True)


def still_signed_in() -> bool:
    """False (and the browser signed out, with the reason kept for the next page) when this browser's sign-in has
    ended elsewhere: its seat taken over by another browser, or the sign-in expired. Marks it seen (the roster)."""
    token = st.session_state.get("token")
    if token is None:
        return True  # a session signed in by code (tests), not by a browser: nothing to check
    info = sessions().resume(token)
    if info is not None and info.ended is None:
        return True
    st.session_state["notice"] = "seat_taken_over" if info is not None and info.ended == TAKEN_OVER else "session_ended"
    _forget()
    return False


def current() -> tuple[DrillRecord, library.Entry, Drill] | None:
    """The drill this browser works on, rebuilt from its stored decisions (no engine object is kept per session;
    the rebuilt drill of each state is shared by every session showing it, see ``shared``). Read-only."""
    found = shared()
    return (found.record, found.entry, found.drill) if found is not None else None


def rebuilt_drills() -> RebuiltDrills:
    """The drills rebuilt on this server, by state: one per store and server process, shared by its sessions."""
    return _rebuilt_drills(default_url())


@st.cache_resource
def _rebuilt_drills(url: str) -> RebuiltDrills:
    return RebuiltDrills(_store(url))


def shared() -> Rebuilt | None:
    """The drill this browser works on, as every session showing it shares it (``simulator.store.rebuilt``), with
    what pages derive from it (``Rebuilt.memo``). Never change what it holds.

    A refresh that finds nothing new costs one statement (``simulator.store.pulse``): the drill's state, this
    browser's sign-in (taken over or ended elsewhere: the browser is signed out, with the reason kept for the next
    page) and, for an account, its organisation (only an account of the drill's organisation works on it). The
    sign-in is marked seen at most every ``SEEN_EVERY`` seconds, for the roster, as ``Sessions.resume`` does."""
    drill_id = st.session_state.get("drill_id")
    if drill_id is None:
        return None
    token = st.session_state.get("token")
    staff = st.session_state.get("role") != TRAINEE
    now = time.time()
    found = pulse(store(), drill_id, token, st.session_state.get("account_id") if staff else None)
    if found is None:  # no such drill (any more)
        if not still_signed_in():
            st.rerun()
        st.session_state.pop("drill_id", None)
        return None
    if found.sign_in is not None:
        lost = found.sign_in.lost(now)
        if lost is not None:
            st.session_state["notice"] = "seat_taken_over" if lost == TAKEN_OVER else "session_ended"
            _forget()
            st.rerun()  # the whole app again: the navigation follows the role this browser no longer has
        if now - found.sign_in.last_seen >= SEEN_EVERY:
            sessions().seen(found.sign_in.id, now)
    rebuilt = None
    if not staff or (found.account_org is not None and found.account_org == found.org_id):
        rebuilt = rebuilt_drills().get(found)
    if rebuilt is None:
        st.session_state.pop("drill_id", None)
    return rebuilt


def drill_entry(record: DrillRecord) -> library.Entry | None:
    """The scenario a stored drill runs on: its own stored copy (``simulator.store.scenarios``), loaded once per
    content; the library's for a drill stored before copies were kept."""
    return snapshots.entry_of(store(), record)


def experiment(entry: library.Entry, seed: int, drill: Drill | EventLog, drill_id: int | None = None) -> Experiment:
    """The drill scored against the library's cached reference run under the same seed; a stored drill also
    against its team's previous score of the scenario and its team's open 整改 items before it (for 提升)."""
    previous = store().previous_score(drill_id) if drill_id is not None else None
    items = items_before(store(), drill_id) if drill_id is not None else None
    record = store().load_row(drill_id) if drill_id is not None else None
    held = date.fromisoformat(record.created_at[:10]) if record is not None else None  # which items were due
    return evaluate(
        entry.scenario, drill, seed, reference=entry.reference_drill(seed), previous=previous, items=items, today=held
    )


def finish_drill(record: DrillRecord, entry: library.Entry, drill: Drill) -> None:
    """结束推演: the drill scored with its team's open items, the items checked and its problems made items
    (``simulator.store.items.close_drill``), then the drill marked finished with its score. The items first: a
    server killed in between leaves the drill running, and ending it again runs the loop again from the start.

    ``drill`` is the page's, shared by every session (``shared``): the drill ended here is a replay of its own."""
    ended = replay(entry.scenario, record.seed, record.decisions, record.clock, record.finished)
    ended.finish()
    found = experiment(entry, record.seed, ended, record.id)
    close_drill(store(), record.id, found, today=date.fromisoformat(record.created_at[:10]))
    store().finish(record.id, found.score, entry.scenario.duration)


def reopen_drill(drill_id: int) -> bool:
    """撤销结束推演 within the undo window; what the end did to the team's items is undone with it."""
    reopened = store().reopen(drill_id)
    if reopened:
        undo_drill(store(), drill_id)
    return reopened


#: a decision's field as its form names it (the i18n key of the form's label)
FIELD_LABELS = {
    "event_type": "form_event_type",
    "level": "form_level",
    "to": "form_notify_to",
    "text": "form_notice_text",
    "person": "form_commander",
    "department": "form_commander_dept",
    "location": "form_post_location",
    "groups": "form_group_name",
    "name": "form_group_name",
    "lead": "form_group_lead",
    "owner": "form_owner",
    "task": "form_task",
    "measure": "form_measure",
    "topic": "form_topic",
    "mode": "form_report_mode",
    "reason": "form_adjust_reason",
}
#: pydantic's error types as a form says them
ERROR_TEXTS = {
    "string_too_short": "form_err_empty",
    "missing": "form_err_empty",
    "too_short": "form_err_choose",
    "string_too_long": "form_err_long",
    "too_long": "form_err_many",
}


def validation_messages(exc: ValidationError) -> list[str]:
    """A pydantic error as lines a trainee can act on: the field by its form label and what was expected, in the
    session's language (never the model's field path or pydantic's English)."""
    lines = []
    for err in exc.errors():
        path = [p for p in err["loc"] if not str(p).startswith(("function-", "tagged-union"))]
        names = [p for p in path if isinstance(p, str)]
        key = FIELD_LABELS.get(names[-1]) if names else None
        field = tr(key) if key else tr("form")
        rows = [p + 1 for p in path if isinstance(p, int)]
        if rows:
            field = tr("form_row").format(field=field, row=rows[0])
        if err["type"] == "value_error":  # our own validators write "中文 (English)"
            message = reason_text(err["msg"].removeprefix("Value error, "), lang())
        else:
            message = tr(ERROR_TEXTS.get(err["type"], "form_err_invalid"))
        lines.append(f"{field}{tr('colon')}{message}")
    return lines


@dataclass
class Picked:
    """A drill chosen for a view: its scenario, seed and log, and the stored record when it has one."""

    entry: library.Entry
    seed: int
    log: EventLog
    label: str
    record: DrillRecord | None = None

    def experiment(self) -> Experiment:
        return experiment(self.entry, self.seed, self.log, self.record.id if self.record else None)


def _record_label(record: DrillRecord, unnamed: str) -> str:
    return f"{record.code} · {record.team or unnamed}"


def pick_drill(key: str) -> Picked | None:
    """The drill a view shows: this browser's drill, a saved one, or a plan (bundled or uploaded) run headless."""
    # format functions get their words now: AppTest (and a widget redrawn outside a run) calls them without a session
    unnamed = tr("unnamed_team")
    options = ["current", "plan", "store"] if st.session_state.get("drill_id") else ["plan", "store"]
    labels = {"current": tr("current_drill"), "store": tr("from_store"), "plan": tr("from_plan")}
    source = st.radio(tr("source"), options, horizontal=True, key=f"{key}_source", format_func=labels.get)
    if source == "current":
        active = current()
        if active is None:
            return None
        record, entry, drill = active
        return Picked(entry, record.seed, drill.log, _record_label(record, unnamed), record)
    if source == "store":
        signed = account()  # the organisation's drills only; none without an account
        saved = [r for r in store().history(org_id=signed.org_id) if r.finished] if signed is not None else []
        if not saved:
            st.info(tr("no_saved_drills"))
            return None
        titles = {e.id: e.scenario.title for e in library.catalog()[0]}
        record = st.selectbox(
            tr("from_store"),
            saved,
            key=f"{key}_record",
            format_func=lambda r: " · ".join(
                (
                    _record_label(r, unnamed),
                    titles.get(r.scenario_id, r.scenario_id),
                    r.created_at[:16].replace("T", " "),
                )
            ),
        )
        entry = drill_entry(record)
        if entry is None:
            st.error(tr("scenario_missing", scenario=record.scenario_id))
            return None
        full = store().load(record.id)
        with st.spinner(tr("rebuilding")):
            drill = replay(entry.scenario, record.seed, full.decisions, entry.scenario.duration, finished=True)
        return Picked(entry, record.seed, drill.log, _record_label(record, unnamed), full)
    entries = catalog()
    if not entries:
        return None
    cols = st.columns([3, 2, 1])
    entry = cols[0].selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key=f"{key}_scenario")
    plan_names = {name: plan_name(name) for name in entry.plans}
    name = cols[1].selectbox(tr("plan"), list(entry.plans), key=f"{key}_plan", format_func=plan_names.get)
    seed = int(
        cols[2].number_input(
            tr("scenario_number"),
            min_value=0,
            max_value=2**31 - 1,
            value=1,
            key=f"{key}_seed",
            help=tr("scenario_number_help"),
        )
    )
    upload = st.file_uploader(tr("upload_plan"), type=["yaml", "yml"], key=f"{key}_upload", max_upload_size=MAX_FILE_MB)
    plan, label = None, plan_name(name) if name else ""
    if upload is not None:
        if upload.size > MAX_FILE_BYTES:
            st.error(too_large(upload.name, upload.size))
        else:
            try:
                plan, label = load_plan(upload.name, upload.getvalue(), scenario=entry.scenario), upload.name
            except FileFormatError as exc:
                st.error(tr("plan_file_wrong") + "\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
    if plan is None and name:
        plan = library.cached_plan(entry.plans[name])
    if plan is None:
        return None
    with st.spinner(tr("running")):
        log = run_plan(entry.scenario, plan, seed).log
    return Picked(entry, seed, log, label)


def too_large(name: str, size: int) -> str:
    """The refusal of a file over the size limit, in the session's language."""
    return tr("file_too_large", name=plain(name), size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}")
