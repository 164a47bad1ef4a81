"""大屏: the facilitator's drill on the room's projector — the drill code with a join QR code, the clock, every
department's status, the messages in transit and the site map. Refreshes itself every few seconds.

Shown to the whole room, so it carries nothing the trainees may not see: no answer key, no MSEL, no inject text,
and no live grade unless the facilitator turned it on (the store's ``big_screen_grade`` flag). The QR code holds
the app's address and the drill code only — never a session token or the passcode.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import pandas as pd
import segno
import streamlit as st

from simulator.engine.state import state_at
from simulator.sitemap import live_map
from simulator.vocabulary import DEPARTMENT_STATUS, GRADES, MESSAGE_KINDS, name_of
from ui.common import FACILITATOR, current, dept_names, experiment, lang, moment, role, store, tr
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


def qr_png(text: str) -> bytes:
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


@st.fragment(run_every=REFRESH_SECONDS)
def screen() -> None:
    """The whole screen, rebuilt from the store on every refresh (a seat's decision shows within seconds)."""
    found = current()
    if found is None:
        return
    record, entry, drill = found
    scenario, language = entry.scenario, lang()
    state = state_at(drill.log, drill.now)
    names = dept_names(scenario)

    head = st.columns([3, 1, 3, 2], vertical_alignment="center")
    head[0].caption(f"{plain(scenario.title)} · {tr('drill_code')}")
    head[0].markdown(f"# {record.code}")
    head[0].caption(tr("bigscreen_join"))
    head[1].image(qr_png(join_url(record.code)), width=110)
    head[2].caption(tr("clock"))
    head[2].markdown(f"## {moment(scenario, drill.now)}")  # a heading wraps where a metric would cut it short
    head[3].caption(f"{tr('injured')} / {tr('dead')}")
    head[3].markdown(f"## {state.injured} / {state.dead}")
    if grade_shown(record.id):
        live = experiment(entry, record.seed, drill, record.id).score
        head[3].metric(tr("bigscreen_grade"), f"{live['total']:.1f} · {name_of(GRADES, live['grade'], language)}")

    left, right = st.columns([3, 2])
    with left:
        site_map = live_map(drill)
        title = f"{tr('site_map')} · {moment(scenario, drill.now)}"
        st.plotly_chart(site_map_figure(site_map, title, language, height=480), key="bigscreen_map")
    with right:
        st.markdown(f"##### {tr('bigscreen_board')}")
        lines = []  # one short line a department: all of them fit a 1024×768 projector, where a table would not
        for d in scenario.departments:
            ds = state.departments.get(d.id)
            status = ds.status if ds else "idle"
            arrived = f" {moment(scenario, ds.arrived_at)}" if ds and ds.arrived_at is not None else ""
            colour = STATUS_COLOURS.get(status, "gray")
            lines.append(f"{plain(d.name)} · :{colour}[{name_of(DEPARTMENT_STATUS, status, language)}{arrived}]")
        st.markdown("  \n".join(lines))
        st.markdown(f"##### {tr('bigscreen_flight')}")
        flight = [
            {
                tr("col_sent_at"): moment(scenario, e.t),
                tr("col_kind"): name_of(MESSAGE_KINDS, e["msg_kind"], language),
                tr("col_from_to"): f"{names.get(e['from'], '')} → {names.get(e['to'], '')}",
            }
            for e in sorted(state.in_flight.values(), key=lambda e: e.t)
        ]
        if flight:
            st.dataframe(pd.DataFrame(flight), hide_index=True, width="stretch")
        else:
            st.caption(tr("bigscreen_none_in_flight"))


screen()
