"""场景库: the bundled scenarios, their coordination network and (for the facilitator) the inject timeline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator.vocabulary import DEPARTMENT_KINDS, MEDIA, name_of, resource_text, span
from ui.charts import network_figure
from ui.common import STAFF, catalog, dept_names, lang, role, scenario_metrics, tr
from ui.text import plain
from ui.timeline import condition_text, planned_text

st.title(tr("page_scenarios"))
entries = catalog()
if not entries:
    st.stop()
choice = st.selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key="scenario_pick")
scenario = choice.scenario
language = lang()
names = dept_names(scenario)

st.subheader(plain(scenario.title))
st.markdown(plain(scenario.summary))
scenario_metrics(scenario)

st.markdown(f"#### {tr('network')}")
st.plotly_chart(network_figure(scenario, lang=language), key="scenario_network")

left, right = st.columns(2)
with left:
    st.markdown(f"#### {tr('departments')}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_name"): d.name,
                    tr("col_kind"): name_of(DEPARTMENT_KINDS, d.kind, language),
                    tr("col_goes_to_scene"): tr("yes") if d.goes_to_scene else tr("no"),
                    tr("col_resources"): resource_text(d.resources, language),
                    tr("col_mobilise"): span(d.mobilise.mean, language),
                    tr("col_travel"): span(d.travel.mean, language),
                }
                for d in scenario.departments
            ]
        ),
        hide_index=True,
    )
with right:
    st.markdown(f"#### {tr('channels')}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_ends"): f"{names[c.from_]} — {names[c.to]}",
                    tr("col_medium"): name_of(MEDIA, c.medium, language),
                    tr("col_delay"): span(c.delay.mean, language),
                    tr("col_reliability"): f"{c.reliability:.0%}",
                }
                for c in scenario.channels
            ]
        ),
        hide_index=True,
    )

if role() not in STAFF:
    st.stop()  # the MSEL is for signed-in accounts: trainees must not read the injects before they happen
st.markdown(f"#### {tr('inject_timeline')}")
with st.expander(tr("inject_timeline"), expanded=False):
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_time"): planned_text(scenario, inject, language),
                    tr("col_condition"): condition_text(scenario, inject, language),
                    tr("col_to"): names[inject.to],
                    tr("col_source"): inject.source,
                    tr("col_title"): inject.title,
                    tr("col_text"): inject.text,
                }
                for inject in scenario.injects
            ]
        ),
        hide_index=True,
    )
