"""大屏: the facilitator's drill on the room's projector — the drill code with a join QR code, the clock, every
department's status, the messages in transit and the site map. Refreshes itself every few seconds.

Shown to the whole room, so it carries nothing the trainees may not see: no answer key, no MSEL, no inject text,
and no live grade unless the facilitator turned it on (the store's ``big_screen_grade`` flag). The QR code holds
the app's address and the drill code only — never a session token or the passcode.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import plotly.graph_objects as go
import pyarrow as pa
import segno
import streamlit as st

from simulator.engine import Drill
from simulator.engine.state import state_at
from simulator.sitemap import live_map
from simulator.vocabulary import DEPARTMENT_STATUS, GRADES, MESSAGE_KINDS, name_of, when
from ui.common import FACILITATOR, current, dept_names, experiment, lang, role, shared, store, tr
from ui.sitemap import site_map_figure
from ui.text import plain

REFRESH_SECONDS = 4
#: the board's colour of each department status (Streamlit's coloured text)
STATUS_COLOURS = {"idle": "gray", "notified": "orange", "mobilised": "blue", "on_scene": "green", "working": "green"}


def join_url(code: str) -> str:
    """The console's address with the drill code: what the QR code holds (scheme, host and path; no session)."""
    base = ""
    try:
        parts = urlsplit(st.context.url or "")
        if parts.scheme and parts.netloc:
            base = f"{parts.scheme}://{parts.netloc}"
    except AttributeError:  # an older Streamlit, or no browser (AppTest)
        base = ""
    return f"{base or 'http://localhost:8501'}/console?{urlencode({'code': code})}"


@functools.lru_cache(maxsize=256)
def qr_png(text: str) -> bytes:
    """The join link as a QR code (PNG), made once per link: the same on every refresh."""
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


def grade_shown(drill_id: int) -> bool:
    """Whether the facilitator switched the live grade on for the big screen (off by default)."""
    get_flag = getattr(store(), "get_flag", None)
    return bool(get_flag(drill_id, "big_screen_grade", False)) if get_flag is not None else False


# a projector shows the room, not the app's navigation: the sidebar starts folded (it can still be opened)
st.set_page_config(initial_sidebar_state="collapsed")
active = current() if role() == FACILITATOR else None
if active is None:
    st.info(tr("bigscreen_no_drill"))
    st.stop()


@dataclass(frozen=True)
class Screen:
    """What the screen draws for one state of the drill in one language: made once and shared by every session
    showing it (``Rebuilt.memo``), so a refresh that finds nothing new only draws it."""

    clock: str
    toll: str
    site_map: go.Figure  # never changed once made: Streamlit reads it (to_dict) to send it
    board: str  # one short line a department
    flight: pa.Table | None  # the messages in transit (Arrow: drawn without a pandas frame each time)


def screen_of(drill: Drill, language: str) -> Screen:
    scenario = drill.scenario
    state = state_at(drill.log, drill.now)
    names = dept_names(scenario)
    clock = when(scenario.start_clock, drill.now, language)
    lines = []  # one short line a department: all of them fit a 1024×768 projector, where a table would not
    for d in scenario.departments:
        ds = state.departments.get(d.id)
        status = ds.status if ds else "idle"
        arrived = f" {when(scenario.start_clock, ds.arrived_at, language)}" if ds and ds.arrived_at is not None else ""
        colour = STATUS_COLOURS.get(status, "gray")
        lines.append(f"{plain(d.name)} · :{colour}[{name_of(DEPARTMENT_STATUS, status, language)}{arrived}]")
    flight = [
        {
            tr("col_sent_at"): when(scenario.start_clock, e.t, language),
            tr("col_kind"): name_of(MESSAGE_KINDS, e["msg_kind"], language),
            tr("col_from_to"): f"{names.get(e['from'], '')} → {names.get(e['to'], '')}",
        }
        for e in sorted(state.in_flight.values(), key=lambda e: e.t)
    ]
    return Screen(
        clock=clock,
        toll=f"{state.injured} / {state.dead}",
        site_map=site_map_figure(live_map(drill), f"{tr('site_map')} · {clock}", language, height=480),
        board="  \n".join(lines),
        flight=pa.Table.from_pylist(flight) if flight else None,
    )


@st.fragment(run_every=REFRESH_SECONDS)
def screen() -> None:
    """The whole screen, redrawn from the store every few seconds (a seat's decision shows within seconds): the
    drill and what is drawn of it made once per change (``ui.common.shared``)."""
    fresh = shared()
    if fresh is None:
        return
    record, entry, drill = fresh.record, fresh.entry, fresh.drill
    scenario, language = entry.scenario, lang()
    shown = fresh.memo(("bigscreen", language), lambda: screen_of(drill, language))

    head = st.columns([3, 1, 3, 2], vertical_alignment="center")
    head[0].caption(f"{plain(scenario.title)} · {tr('drill_code')}")
    head[0].markdown(f"# {record.code}")
    head[0].caption(tr("bigscreen_join"))
    head[1].image(qr_png(join_url(record.code)), width=110)
    head[2].caption(tr("clock"))
    head[2].markdown(f"## {shown.clock}")  # a heading wraps where a metric would cut it short
    head[3].caption(f"{tr('injured')} / {tr('dead')}")
    head[3].markdown(f"## {shown.toll}")
    if grade_shown(record.id):  # scored once per state of the drill for every screen showing it, like the rest
        live = fresh.memo("grade", lambda: experiment(entry, record.seed, drill, record.id).score)
        head[3].metric(tr("bigscreen_grade"), f"{live['total']:.1f} · {name_of(GRADES, live['grade'], language)}")

    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(shown.site_map, key="bigscreen_map")
    with right:
        st.markdown(f"##### {tr('bigscreen_board')}")
        st.markdown(shown.board)
        st.markdown(f"##### {tr('bigscreen_flight')}")
        if shown.flight is not None:
            st.dataframe(shown.flight, hide_index=True, width="stretch")
        else:
            st.caption(tr("bigscreen_none_in_flight"))


screen()
