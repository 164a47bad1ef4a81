"""应急处置桌面推演模拟器 — the Streamlit entry point: page config, language switch, and navigation by role.

Anyone sees the scenario library (without the MSEL), the real cases (案例推演), the console's door (join a seat)
and the sign-in page. A signed-in organiser or facilitator (``simulator.store.accounts``) sees every page; an
evaluator the pages that read drills (replay, evaluation, report, items) but not the console; a trainee sees only
their department's seat.
A reload keeps all of that: the sign-in lives in the store under a token the browser keeps in a cookie.
"""

from __future__ import annotations

# imported whole before any page runs: plotly finds pandas in sys.modules without waiting for its import, so a big
# screen drawn while another browser's first page was still importing pandas failed on a half-made module (two
# servers' cold start, tests/test_two_servers.py); every session's first run now waits here until pandas is whole
import pandas  # noqa: F401
import streamlit as st

from ui.common import EVALUATOR, FACILITATOR, TRAINEE, account, announce_setup, keep_cookie, restore, role, sign_out
from ui.errors import guarded
from ui.i18n import LANGS, t
from ui.text import plain

st.set_page_config(page_title=t("app_title", st.session_state.get("lang", "zh")), page_icon="🚨", layout="wide")

#: the switch names each language in itself (中文 / English), whichever is chosen
lang = st.sidebar.radio(t("language"), list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)

library_page = st.Page(
    "views/scenarios.py",
    url_path="scenarios",
    title=t("page_scenarios", lang),
    icon=":material/library_books:",
    default=True,
)
console_page = st.Page(
    "views/console.py", url_path="console", title=t("page_console", lang), icon=":material/play_circle:"
)
cases_page = st.Page("views/cases.py", url_path="cases", title=t("page_cases", lang), icon=":material/gavel:")
public = [library_page, cases_page, console_page]  # open to everyone; every other page is the facilitator's
pages = [
    library_page,
    cases_page,
    console_page,
    st.Page("views/bigscreen.py", url_path="bigscreen", title=t("page_bigscreen", lang), icon=":material/tv:"),
    st.Page("views/replay.py", url_path="replay", title=t("page_replay", lang), icon=":material/replay:"),
    st.Page("views/evaluation.py", url_path="evaluation", title=t("page_evaluation", lang), icon=":material/radar:"),
    st.Page("views/report.py", url_path="report", title=t("page_report", lang), icon=":material/description:"),
    st.Page("views/items.py", url_path="items", title=t("page_items", lang), icon=":material/checklist:"),
    st.Page("views/batch.py", url_path="batch", title=t("page_batch", lang), icon=":material/stacked_bar_chart:"),
    st.Page("views/authoring.py", url_path="authoring", title=t("page_authoring", lang), icon=":material/edit_note:"),
]
accounts_page = st.Page(
    "views/accounts.py", url_path="accounts", title=t("page_accounts", lang), icon=":material/account_circle:"
)
#: an evaluator reads drills and writes reviews and items; the console (the clock), batch runs and authoring are not its
reads = {"scenarios", "cases", "replay", "evaluation", "report", "items"}
evaluator_pages = [*(page for page in pages if page.url_path in reads), accounts_page]
seat = st.Page("views/seat.py", url_path="seat", title=t("page_seat", lang), icon=":material/badge:")

restore()  # a reload (F5) keeps the role, the drill and the seat: the sign-in is found again from its cookie
keep_cookie()
announce_setup()  # on an empty database: the one-time setup token goes to the server's log
notice = st.session_state.pop("notice", None)
if notice:
    st.warning(t(notice, lang))
current_role = role()
if current_role == TRAINEE:
    visible = [seat]
elif current_role == FACILITATOR:
    visible = [*pages, accounts_page]
elif current_role == EVALUATOR:
    visible = evaluator_pages
else:
    visible = [*public, accounts_page]
st.sidebar.caption(t("app_title", lang))
if current_role is not None:
    signed = account() if current_role != TRAINEE else None
    if signed is not None:  # the account by its name, role and organisation
        name, role_name = plain(signed.name), t("role_" + signed.role, lang)
        st.sidebar.caption(t("signed_in_account", lang).format(name=name, role=role_name))
        st.sidebar.caption(plain(signed.org_name))
    else:
        st.sidebar.caption(t("signed_in_" + current_role, lang))
    if st.sidebar.button(t("sign_out", lang), key="sign_out"):
        sign_out()
        st.rerun()
page = st.navigation(visible)
guarded(page.run, page.url_path)  # an unexpected error: logged with an id, shown as one line (ui/errors.py)
