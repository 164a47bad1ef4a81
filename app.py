"""应急处置桌面推演模拟器 — the Streamlit entry point: page config, language switch, navigation."""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGS, t

st.set_page_config(page_title="应急处置桌面推演模拟器", page_icon="🚨", layout="wide")

lang = st.sidebar.radio("语言 / Language", list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)

pages = [
    st.Page(
        "views/scenarios.py",
        url_path="scenarios",
        title=t("page_scenarios", lang),
        icon=":material/library_books:",
        default=True,
    ),
    st.Page("views/console.py", url_path="console", title=t("page_console", lang), icon=":material/play_circle:"),
    st.Page("views/replay.py", url_path="replay", title=t("page_replay", lang), icon=":material/replay:"),
    st.Page("views/evaluation.py", url_path="evaluation", title=t("page_evaluation", lang), icon=":material/radar:"),
    st.Page("views/report.py", url_path="report", title=t("page_report", lang), icon=":material/description:"),
]
st.sidebar.caption(t("app_title", lang))
st.navigation(pages).run()
