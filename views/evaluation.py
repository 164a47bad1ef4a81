"""评估: the four keywords against the reference plan, every indicator with its evidence, and the team's trend.

Under the English switch an indicator shows ``name_en``/``finding_en`` and its evidence ``text_en`` where the
scorer gives them (the Chinese otherwise); an evidence line's moment is written from its ``t``.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.express as px
import streamlit as st

from simulator.store.items import team_items
from simulator.vocabulary import GRADES, KEYWORD_LABELS, KEYWORDS, name_of, when
from ui.charts import radar_figure
from ui.common import lang, pick_drill, store, tr

st.title(tr("page_evaluation"))
picked = pick_drill("evaluation")
if picked is None:
    st.stop()
language = lang()
found = picked.experiment()
result, reference = found.score, found.reference_score
start_clock = picked.entry.scenario.start_clock


def in_language(item: dict, field: str) -> str:
    """``item[field + "_en"]`` under the English switch when the scorer wrote it, else ``item[field]``."""
    return (language == "en" and item.get(f"{field}_en")) or item.get(field) or ""


def evidence_line(item: dict) -> str:
    moment = when(start_clock, item["t"], language) if item.get("t") is not None else ""
    return f"{moment} {in_language(item, 'text')}".strip()


cols = st.columns(6)
cols[0].metric(tr("total"), f"{result['total']:.1f}")
cols[1].metric(tr("grade"), name_of(GRADES, result["grade"], language))
for col, keyword in zip(cols[2:], KEYWORDS, strict=True):
    ref = reference["keywords"][keyword]["score"] if reference else None
    delta = (
        tr("vs_reference_delta", delta=f"{result['keywords'][keyword]['score'] - ref:+.1f}")
        if ref is not None
        else None
    )
    col.metric(name_of(KEYWORD_LABELS, keyword, language), f"{result['keywords'][keyword]['score']:.1f}", delta)

left, right = st.columns([2, 3])
with left:
    st.markdown(f"#### {tr('radar')}")
    st.plotly_chart(radar_figure(result, reference, lang=language), key="evaluation_radar")
with right:
    st.markdown(f"#### {tr('indicators')}")
    for keyword in KEYWORDS:
        block = result["keywords"][keyword]
        title = tr("keyword_points", keyword=name_of(KEYWORD_LABELS, keyword, language), points=f"{block['score']:.1f}")
        with st.expander(title, expanded=keyword == KEYWORDS[0]):
            rows = [
                {
                    tr("col_indicator"): in_language(ind, "name"),
                    tr("col_finding"): in_language(ind, "finding"),
                    tr("col_points"): None if ind["skipped"] else round(ind["points"], 1),  # not applicable: blank
                    tr("col_max"): None if ind["skipped"] else ind["max"],
                    tr("col_evidence"): "\n".join(evidence_line(e) for e in ind["evidence"]),
                }
                for ind in block["indicators"]
            ]
            st.dataframe(
                pd.DataFrame(rows),
                hide_index=True,
                column_config={tr("col_evidence"): st.column_config.TextColumn(width="large")},
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
    st.caption(tr("trend_needs_team"))
else:
    # every finished drill of the team, whatever its scenario (the loop carries items from one into the next)
    # of the drill's own organisation: another office's team of the same name is a stranger
    past = [r for r in reversed(store().history(team=team, org_id=picked.record.org_id)) if r.finished and r.score]
    labels = {r.id: tr("nth_drill", n=n, date=f"{r.code} {r.created_at[:10]}") for n, r in enumerate(past, start=1)}
    series = {tr("total"): lambda sc: sc["total"]} | {
        name_of(KEYWORD_LABELS, k, language): (lambda sc, k=k: sc["keywords"][k]["score"]) for k in KEYWORDS
    }
    scores = pd.DataFrame(
        [
            {tr("col_drill"): labels[r.id], tr("col_series"): name, tr("col_score"): round(value(r.score), 1)}
            for r in past
            for name, value in series.items()
        ],
        columns=[tr("col_drill"), tr("col_series"), tr("col_score")],
    )
    if scores.empty:
        st.caption(tr("no_history"))
    else:
        figure = px.line(
            scores,
            x=tr("col_drill"),
            y=tr("col_score"),
            color=tr("col_series"),
            markers=True,
            title=tr("trend_scores"),
            range_y=[0, 100],
        )
        st.plotly_chart(figure, key="evaluation_trend")
        items = team_items(store(), team)
        counts = []
        for r in past:
            checks = [c for item in items for c in item.checks if c.drill_id == r.id]
            counts += [
                (tr("items_opened"), sum(item.drill_id == r.id for item in items)),
                (tr("items_fixed"), sum(c.verdict == "fixed" for c in checks)),
                (tr("items_recurred"), sum(c.verdict == "recurred" for c in checks)),
            ]
        frame = pd.DataFrame(
            [
                {tr("col_drill"): labels[r.id], tr("col_series"): name, tr("col_count"): n}
                for r, (name, n) in zip([r for r in past for _ in range(3)], counts, strict=True)
            ]
        )
        bars = px.bar(
            frame,
            x=tr("col_drill"),
            y=tr("col_count"),
            color=tr("col_series"),
            barmode="group",
            title=tr("trend_items"),
        )
        st.plotly_chart(bars, key="evaluation_trend_items")
