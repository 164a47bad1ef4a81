"""评估: the four keywords against the reference plan, every indicator with its evidence, and the team's trend."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui.charts import KEYWORDS, radar_figure, trend_figure
from ui.common import pick_drill, reference_score, score_log, store, tr

st.title(tr("page_evaluation"))
picked = pick_drill("evaluation")
if picked is None:
    st.stop()
result = score_log(picked.entry, picked.seed, picked.log, picked.record.id if picked.record else None)
if result is None:
    st.warning("评分模块不可用。")
    st.stop()
reference = reference_score(picked.entry, picked.seed)

cols = st.columns(6)
cols[0].metric(tr("total"), f"{result['total']:.1f}")
cols[1].metric(tr("grade"), result["grade"])
for col, keyword in zip(cols[2:], KEYWORDS, strict=True):
    ref = reference["keywords"][keyword]["score"] if reference else None
    delta = f"{result['keywords'][keyword]['score'] - ref:+.1f} 对比参考" if ref is not None else None
    col.metric(keyword, f"{result['keywords'][keyword]['score']:.1f}", delta)

left, right = st.columns([2, 3])
with left:
    st.markdown(f"#### {tr('radar')}")
    st.plotly_chart(radar_figure(result, reference), key="evaluation_radar")
with right:
    st.markdown(f"#### {tr('indicators')}")
    for keyword in KEYWORDS:
        block = result["keywords"][keyword]
        with st.expander(f"{keyword} — {block['score']:.1f} 分", expanded=keyword == "迅速"):
            rows = []
            for ind in block["indicators"]:
                evidence = "\n".join(f"#{e['event_id']} {e['text']}" for e in ind["evidence"])
                rows.append(
                    {"指标": ind["name"], "得分": round(ind["points"], 1), "满分": ind["max"], "依据": evidence}
                )
            st.dataframe(
                pd.DataFrame(rows), hide_index=True, column_config={"依据": st.column_config.TextColumn(width="large")}
            )

st.download_button(
    f"{tr('download')} score.json",
    json.dumps(result, ensure_ascii=False, indent=2),
    file_name="score.json",
    mime="application/json",
    key="evaluation_score_json",
)

st.markdown(f"#### {tr('trend')}")
team = picked.record.team if picked.record else ""
if not team:
    st.caption("为推演填写队伍名称后，可查看该队伍历次推演的趋势。")
else:
    past = [r for r in reversed(store().history(team=team, scenario_id=picked.entry.id)) if r.finished and r.score]
    st.plotly_chart(
        trend_figure([{"created_at": r.created_at, "score": r.score} for r in past]), key="evaluation_trend"
    )
