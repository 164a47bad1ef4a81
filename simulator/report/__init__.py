"""The post-incident 调研报告 draft, its 任务台账 and their exports, all derived from the drill's event log.

    report = build_report(scenario, log, score, reference_outcome=reference_drill.outcome())
    write_all(report, out_dir)            # report.docx, report.md, ledger.xlsx

``model`` drafts the content once; ``docx``, ``markdown`` and ``ledger`` only lay it out, so the three files
always agree. The library never imports the UI (no streamlit, no plotly): charts are matplotlib PNGs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from simulator.report.docx import write_docx
from simulator.report.facts import DrillFacts, Participant
from simulator.report.ledger import read_ledger_xlsx, write_ledger_xlsx
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

#: file name per format written by ``write_all``
FILES = {"docx": "report.docx", "md": "report.md", "xlsx": "ledger.xlsx"}


def write_all(report: Report, out_dir: str | Path, formats: Iterable[str] = ("docx", "md", "xlsx")) -> list[Path]:
    """Write the report in each of ``formats`` (docx, md, xlsx) into ``out_dir``.

    Returns the paths written, always in the order docx, md, xlsx (so callers can unpack them).
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FILES]
    if unknown:
        raise ValueError(f"未知的报告格式 {unknown}，可选：{'、'.join(FILES)} (unknown report format)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in FILES:  # a fixed order, whatever order the caller gave
        if fmt not in wanted:
            continue
        path = out / FILES[fmt]
        if fmt == "docx":
            write_docx(report, path)
        elif fmt == "md":
            path.write_text(render_markdown(report), encoding="utf-8")
        else:
            write_ledger_xlsx(report, path)
        paths.append(path)
    return paths


__all__ = [
    "FILES",
    "HEADINGS",
    "KEYWORDS",
    "TODO",
    "DrillFacts",
    "LedgerRow",
    "Participant",
    "Problem",
    "Rectification",
    "Report",
    "build_report",
    "build_report_of",
    "read_ledger_xlsx",
    "render_markdown",
    "write_all",
    "write_docx",
    "write_ledger_xlsx",
]
