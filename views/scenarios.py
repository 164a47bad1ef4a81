"""场景库: the bundled scenarios, their coordination network and (for the facilitator) the inject timeline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator.formats.durations import format_minutes
from simulator.formats.scenario import KIND_NAMES, MEDIUM_NAMES
from ui.charts import network_figure
from ui.common import FACILITATOR, catalog, role, tr

st.title(tr("page_scenarios"))
entries = catalog()
if not entries:
    st.stop()
choice = st.selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key="scenario_pick")
scenario = choice.scenario

st.subheader(scenario.title)
st.write(scenario.summary)
cols = st.columns(5)
cols[0].metric(tr("departments"), len(scenario.departments))
cols[1].metric(tr("channels"), len(scenario.channels))
cols[2].metric(tr("injects"), len(scenario.injects))
cols[3].metric(tr("measures"), len(scenario.measures))
cols[4].metric("时长", f"{scenario.duration:g} 分钟")

st.markdown(f"#### {tr('network')}")
st.plotly_chart(network_figure(scenario), key="scenario_network")

left, right = st.columns(2)
with left:
    st.markdown(f"#### {tr('departments')}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "编号": d.id,
                    "名称": d.name,
                    "类别": KIND_NAMES[d.kind],
                    "到场": "是" if d.goes_to_scene else "否",
                    "力量": "、".join(f"{k}×{v}" for k, v in d.resources.items()),
                    "出动（均值，分钟）": round(d.mobilise.mean, 1),
                    "途中（均值，分钟）": round(d.travel.mean, 1),
                }
                for d in scenario.departments
            ]
        ),
        hide_index=True,
    )
with right:
    st.markdown(f"#### {tr('channels')}")
    names = {d.id: d.name for d in scenario.departments}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "信道": c.id,
                    "两端": f"{names[c.from_]} — {names[c.to]}",
                    "方式": MEDIUM_NAMES[c.medium],
                    "平均时延（分钟）": round(c.delay.mean, 1),
                    "可靠性": f"{c.reliability:.0%}",
                }
                for c in scenario.channels
            ]
        ),
        hide_index=True,
    )

if role() != FACILITATOR:
    st.stop()  # the MSEL is the facilitator's: trainees must not read the injects before they happen
st.markdown(f"#### {tr('inject_timeline')}")
with st.expander(tr("inject_timeline"), expanded=False):
    rows = []
    for inject in scenario.injects:
        when = (
            format_minutes(inject.at) if inject.at is not None else f"{inject.after} 后 {format_minutes(inject.delay)}"
        )
        condition = ""
        if inject.unless:
            condition = f"除非已 {inject.unless.model_dump(exclude_none=True)}"
        elif inject.only_if:
            condition = f"仅当已 {inject.only_if.model_dump(exclude_none=True)}"
        rows.append(
            {
                "编号": inject.id,
                "时间": str(when),
                "条件": condition,
                "接收": names[inject.to],
                "来源": inject.source,
                "标题": inject.title,
                "内容": inject.text,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
