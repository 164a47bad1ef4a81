"""调研报告: the draft written from the drill and its own facts (演练基本信息, stored with the drill); the review
sections edited here; downloads of .md, the 问题整改台账 .xlsx, .docx and (where LibreOffice is installed) .pdf.

The draft is an official Chinese document and stays Chinese under the English switch; the page around it does not.
The forms are drawn before the draft is built, so a save shows in the same run. The Word, PDF and Excel files are
made only when their button is clicked (deferred downloads): drawing charts and running LibreOffice on every rerun
would make every keystroke in the forms wait for them.
"""

from __future__ import annotations

import threading

import streamlit as st

from simulator.formats import plan as p
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.report import build_report_of, render_markdown
from simulator.report.docx import docx_bytes
from simulator.report.ledger import ledger_bytes
from simulator.report.pdf import INSTALL_HINT, docx_to_pdf, pdf_available
from simulator.store.drills import TooManyDecisions
from simulator.store.facts import drill_facts
from simulator.vocabulary import REVIEW_SECTION_LABELS, name_of, reason_text
from ui.common import STAFF, account, lang, pick_drill, role, store, tr
from ui.facts_form import facts_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title(tr("page_report"))
if role() not in STAFF:  # the navigation shows this page to signed-in accounts only; this is the second line
    st.stop()
picked = pick_drill("report")
if picked is None:
    st.stop()
record = picked.record

downloads_box = st.container()
editor, preview = st.columns([5, 6])
with editor:
    facts = facts_form(record, drill_facts(store(), record.id) if record is not None else None)

    st.markdown(f"#### {tr('edit_review')}")
    reviews = picked.log.of("review_submitted")
    current_sections = reviews[-1]["sections"] if reviews else {}
    if record is None:
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
        saved = st.form_submit_button(tr("save_review"), disabled=record is None, type="primary")
    if saved and record is not None and record.org_id == account().org_id:  # only a drill of its organisation
        by = next(
            (d.id for d in picked.entry.scenario.departments if d.kind == "coordinator"),
            picked.entry.scenario.departments[0].id,
        )
        at = picked.entry.scenario.duration if record.finished else record.clock  # never moves the clock
        review = p.Review(action="review", at=at, by=by, sections={k: v for k, v in sections.items() if v.strip()})
        try:
            store().append_decision(record.id, review)
        except TooManyDecisions as exc:  # the drill's cap, reviews' room included (plan.MAX_DECISIONS)
            st.error(reason_text(exc.reason, lang()))
        else:
            st.success(tr("review_saved"))
            st.rerun()

report = build_report_of(picked.experiment(), facts=facts, case=picked.entry.case)  # 案例推演: one more 附件
markdown = render_markdown(report)


class _Documents:
    """The files of this run's draft, made when a download is clicked (on the server's download thread, so no
    Streamlit calls here); the .docx is made once and shared by its own download and the PDF's."""

    def __init__(self, draft) -> None:
        self._draft = draft
        self._docx: bytes | None = None
        self._lock = threading.Lock()

    def docx(self) -> bytes:
        with self._lock:
            if self._docx is None:
                self._docx = docx_bytes(self._draft)
            return self._docx

    def pdf(self) -> bytes:
        return docx_to_pdf(self.docx())

    def xlsx(self) -> bytes:
        return ledger_bytes(self._draft)


documents = _Documents(report)
with downloads_box:
    stem = tr("report_file")
    buttons = (
        (f"{tr('download')} .docx", documents.docx, f"{stem}.docx", DOCX, "report_docx"),
        (f"{tr('download')} .md", markdown, f"{stem}.md", "text/markdown", "report_md"),
        (
            f"{tr('download')} {tr('report_ledger')} .xlsx",
            documents.xlsx,
            f"{tr('report_ledger_file')}.xlsx",
            XLSX,
            "report_xlsx",
        ),
    )
    if pdf_available():
        buttons += ((f"{tr('download')} .pdf", documents.pdf, f"{stem}.pdf", "application/pdf", "report_pdf"),)
    with st.container(horizontal=True):
        for label, data, name, mime, key in buttons:
            st.download_button(label, data, file_name=name, mime=mime, key=key, on_click="ignore")
    st.caption(tr("report_on_demand"))
    if not pdf_available():
        st.caption(tr("report_pdf_needs_libreoffice", hint=INSTALL_HINT))
with preview:
    st.markdown(f"#### {tr('report_draft')}")
    with st.container(height=700, key="report_draft"):
        st.markdown(markdown)
