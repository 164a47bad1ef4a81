"""调研报告: the draft written from the drill; the review sections edited here; .docx, .md and 台账 downloads."""

from __future__ import annotations

import streamlit as st

from simulator.formats import plan as p
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.report import build_report, render_markdown
from simulator.report.docx import docx_bytes
from simulator.report.ledger import ledger_bytes
from ui.common import pick_drill, reference_score, score_log, store, tr

st.title(tr("page_report"))
picked = pick_drill("report")
if picked is None:
    st.stop()
result = score_log(picked.entry, picked.seed, picked.log, picked.record.id if picked.record else None)
reference = picked.entry.reference_drill(picked.seed)
report = build_report(
    picked.entry.scenario,
    picked.log,
    result,
    reference_outcome=reference.outcome().as_dict() if reference else None,
    reference_score=reference_score(picked.entry, picked.seed),
)
markdown = render_markdown(report)


@st.cache_data(max_entries=8, show_spinner=False)
def _files(key: str, _report) -> tuple[bytes, bytes]:
    """The .docx and 台账 .xlsx bytes (cached per drill log, since charts take a moment to draw)."""
    return docx_bytes(_report), ledger_bytes(_report)


with st.spinner("正在生成文档……"):
    docx_bytes, xlsx_bytes = _files(picked.log.to_jsonl() + markdown, report)
cols = st.columns(3)
cols[0].download_button(
    f"{tr('download')} .docx",
    docx_bytes,
    file_name="调研报告.docx",
    key="report_docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
cols[1].download_button(
    f"{tr('download')} .md", markdown, file_name="调研报告.md", mime="text/markdown", key="report_md"
)
cols[2].download_button(
    f"{tr('download')} 台账 .xlsx",
    xlsx_bytes,
    file_name="任务台账.xlsx",
    key="report_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

editor, preview = st.columns([2, 3])
with editor:
    st.markdown(f"#### {tr('edit_review')}")
    reviews = picked.log.of("review_submitted")
    current_sections = reviews[-1]["sections"] if reviews else {}
    if picked.record is None:
        st.caption("复盘内容随推演保存；请从“当前推演”或“已保存的推演”打开报告后编辑。")
    with st.form("review_form"):
        sections = {
            s: st.text_area(s, value=current_sections.get(s, ""), height=110, key=f"review_{s}", max_chars=5000)
            for s in REVIEW_SECTIONS
        }
        saved = st.form_submit_button(tr("save_review"), disabled=picked.record is None, type="primary")
    if saved and picked.record is not None:
        by = next(
            (d.id for d in picked.entry.scenario.departments if d.kind == "coordinator"),
            picked.entry.scenario.departments[0].id,
        )
        at = picked.entry.scenario.duration if picked.record.finished else picked.record.clock  # never moves the clock
        review = p.Review(action="review", at=at, by=by, sections={k: v for k, v in sections.items() if v.strip()})
        store().append_decision(picked.record.id, review)
        st.success("复盘已保存，报告已更新。")
        st.rerun()
with preview:
    st.markdown(f"#### {tr('report_draft')}")
    with st.container(height=700):
        st.markdown(markdown)
