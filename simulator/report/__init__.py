"""The post-incident 调研报告 draft, its 任务台账 and their exports, all derived from the drill's event log.

    report = build_report(scenario, log, score, reference_outcome=reference_drill.outcome())
    write_all(report, out_dir)            # report.docx, report.md, ledger.xlsx

``model`` drafts the content once; ``docx``, ``markdown`` and ``ledger`` only lay it out, so the three files
always agree. The library never imports the UI (no streamlit, no plotly): charts are matplotlib PNGs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from simulator.report._util import write_bytes
from simulator.report.docx import docx_bytes, write_docx
from simulator.report.facts import DrillFacts, Participant
from simulator.report.ledger import write_ledger_xlsx
from simulator.report.markdown import render_markdown
from simulator.report.model import (
    HEADINGS,
    KEYWORDS,
    TODO,
    LedgerRow,
    Problem,
    Rectification,
    Report,
    build_report,
    build_report_of,
)
from simulator.report.pdf import PdfUnavailable, pdf_available, write_pdf

#: file name per format written by ``write_all`` by default
FILES = {"docx": "report.docx", "md": "report.md", "xlsx": "ledger.xlsx"}
#: formats written only when asked for: the PDF needs LibreOffice (``simulator.report.pdf``)
OPTIONAL_FILES = {"pdf": "report.pdf"}


def write_all(report: Report, out_dir: str | Path, formats: Iterable[str] = ("docx", "md", "xlsx")) -> list[Path]:
    """Write the report in each of ``formats`` (docx, md, xlsx, pdf) into ``out_dir``.

    Returns the paths written, always in the order docx, md, xlsx, pdf (so callers can unpack them). Asking for a
    PDF without LibreOffice raises ``PdfUnavailable`` before any file is written.
    """
    wanted = list(dict.fromkeys(formats))
    known = {**FILES, **OPTIONAL_FILES}
    unknown = [f for f in wanted if f not in known]
    if unknown:
        raise ValueError(f"未知的报告格式 {unknown}，可选：{'、'.join(known)} (unknown report format)")
    if "pdf" in wanted and not pdf_available():
        raise PdfUnavailable()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    document = docx_bytes(report) if {"docx", "pdf"} & set(wanted) else b""
    for fmt in known:  # a fixed order, whatever order the caller gave
        if fmt not in wanted:
            continue
        path = out / known[fmt]
        if fmt == "docx":
            write_bytes(path, document)
        elif fmt == "md":
            write_bytes(path, render_markdown(report).encode("utf-8"))
        elif fmt == "xlsx":
            write_ledger_xlsx(report, path)
        else:
            write_pdf(report, path, document)
        paths.append(path)
    return paths


__all__ = [
    "FILES",
    "HEADINGS",
    "KEYWORDS",
    "OPTIONAL_FILES",
    "TODO",
    "DrillFacts",
    "LedgerRow",
    "Participant",
    "PdfUnavailable",
    "Problem",
    "Rectification",
    "Report",
    "build_report",
    "build_report_of",
    "render_markdown",
    "write_all",
    "write_docx",
    "write_ledger_xlsx",
    "write_pdf",
]
