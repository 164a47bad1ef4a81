"""调研报告: the draft written from the drill; the review sections edited here; .docx, .md and 台账 downloads.

The draft is an official Chinese document and stays Chinese under the English switch; the page around it does not.
"""

from __future__ import annotations

import streamlit as st

from simulator.formats import plan as p
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.report import build_report, render_markdown
from simulator.report.docx import docx_bytes
from simulator.report.ledger import ledger_bytes
from simulator.vocabulary import REVIEW_SECTION_LABELS, name_of
from ui.common import lang, pick_drill, store, tr

st.title(tr("page_report"))
picked = pick_drill("report")
if picked is None:
    st.stop()
found = picked.experiment()
report = build_report(
    picked.entry.scenario,
    picked.log,
    found.score,
    reference_outcome=found.reference_outcome,
    reference_score=found.reference_score,
)
markdown = render_markdown(report)


@st.cache_data(max_entries=8, show_spinner=False)
def _files(key: str, _report) -> tuple[bytes, bytes]:
    """The .docx and 台账 .xlsx bytes (cached per drill log, since charts take a moment to draw)."""
    return docx_bytes(_report), ledger_bytes(_report)


with st.spinner(tr("making_documents")):
    docx_bytes, xlsx_bytes = _files(picked.log.to_jsonl() + markdown, report)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
downloads = (
    (f"{tr('download')} .docx", docx_bytes, f"{tr('report_file')}.docx", DOCX, "report_docx"),
    (f"{tr('download')} .md", markdown, f"{tr('report_file')}.md", "text/markdown", "report_md"),
    (f"{tr('download')} {tr('ledger')} .xlsx", xlsx_bytes, f"{tr('ledger_file')}.xlsx", XLSX, "report_xlsx"),
)
for col, (label, data, name, mime, key) in zip(st.columns(len(downloads)), downloads, strict=True):
    col.download_button(label, data, file_name=name, mime=mime, key=key)

editor, preview = st.columns([2, 3])
with editor:
    st.markdown(f"#### {tr('edit_review')}")
    reviews = picked.log.of("review_submitted")
    current_sections = reviews[-1]["sections"] if reviews else {}
    if picked.record is None:
        st.caption(tr("review_needs_record"))
    with st.form("review_form"):
        sections = {
            s: st.text_area(
                name_of(REVIEW_SECTION_LABELS, s, lang()),
                value=current_sections.get(s, ""),
                height=110,
                key=f"review_{s}",
                max_chars=5000,
            )
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
        st.success(tr("review_saved"))
        st.rerun()
with preview:
    st.markdown(f"#### {tr('report_draft')}")
    with st.container(height=700, key="report_draft"):
        st.markdown(markdown)
