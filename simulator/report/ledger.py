"""The 任务台账 (task ledger) as an Excel workbook, and reading it back.

Why a spreadsheet beside the report: the doctrine's 综合管控 keeps tasks in a 台账 that is sorted, filtered and
ticked off (动态销号管理) — work done in Excel, not in Word. Each row is a task as the log tells it: what was
ordered, to which department, the named owner, when it was ordered, started and finished, and its status.

Times are written twice: as numbers (sim minutes, ``T+``) so they sort and compute, and as the wall clock.
``read_ledger_xlsx`` returns the same ``LedgerRow``s that were written (the round trip the tests check).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from simulator.report._util import stable_zip, write_bytes
from simulator.report.blocks import LedgerRow, Report
from simulator.vocabulary import NO_OWNER

SHEET = "任务台账"
#: (header, LedgerRow field, column width in characters, number format or None)
COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("序号", "seq", 6, "0"),
    ("任务编号", "task", 9, None),
    ("任务", "name", 22, None),
    ("责任部门", "dept", 22, None),
    ("部门代码", "dept_id", 11, None),
    ("责任人", "owner", 10, None),
    ("下达时间（T+分钟）", "ordered_at", 11, "0.0"),
    ("下达时刻", "ordered_clock", 9, None),
    ("开始执行（T+分钟）", "started_at", 11, "0.0"),
    ("开始时刻", "started_clock", 9, None),
    ("完成时间（T+分钟）", "finished_at", 11, "0.0"),
    ("完成时刻", "finished_clock", 9, None),
    ("状态", "status", 8, None),
    ("备注", "note", 36, None),
)
FONT = "宋体"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FLOATS = {"ordered_at", "started_at", "finished_at"}


def _rows(report_or_rows: Report | Iterable[LedgerRow]) -> tuple[str, list[LedgerRow]]:
    if isinstance(report_or_rows, Report):
        return f"任务台账 — {report_or_rows.scenario_title}", list(report_or_rows.ledger)
    return "任务台账", list(report_or_rows)


def _cell_value(row: LedgerRow, field: str) -> Any:
    value = getattr(row, field)
    if field == "owner" and value is None:
        return NO_OWNER.zh  # a missing owner is itself a finding; say so rather than leave the cell blank
    if value == "":
        return None
    return value


def ledger_bytes(report_or_rows: Report | Iterable[LedgerRow]) -> bytes:
    """The .xlsx bytes of the ledger (equal rows give equal bytes)."""
    title, rows = _rows(report_or_rows)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ncols = len(COLUMNS)
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 24
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for c, (header, _, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=c, value=header)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = header_fill
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 30
    body_font = Font(name=FONT, size=11)
    for r, row in enumerate(rows, start=3):
        for c, (_, field, _, number_format) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(row, field))
            cell.font = body_font
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=field in ("name", "dept", "note"))
            if number_format:
                cell.number_format = number_format
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{max(2, len(rows) + 2)}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "应急处置桌面推演模拟器"
    wb.properties.lastModifiedBy = "应急处置桌面推演模拟器"
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def write_ledger_xlsx(report_or_rows: Report | Iterable[LedgerRow], path: str | Path) -> Path:
    """Write the 任务台账 (from a report or from ledger rows) as an .xlsx; return the path written."""
    return write_bytes(path, ledger_bytes(report_or_rows))


def read_ledger_xlsx(path: str | Path) -> list[LedgerRow]:
    """Read a ledger written by ``write_ledger_xlsx`` back into rows (found by its header row, 序号 …).

    Raises ValueError if the workbook has no such header.
    """
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        headers = [c[0] for c in COLUMNS]
        for values in rows:
            if values and values[0] == headers[0]:
                index = {h: i for i, h in enumerate(values) if h in headers}
                break
        else:
            raise ValueError(f"{path}: 未找到台账表头“序号” (no ledger header row)")
        missing = [h for h in headers if h not in index]
        if missing:
            raise ValueError(f"{path}: 台账缺少列 {'、'.join(missing)} (missing columns)")
        out = []
        for values in rows:
            if not values or all(v is None for v in values):
                continue
            out.append(LedgerRow(**{field: _parse(field, values[index[header]]) for header, field, _, _ in COLUMNS}))
        return out
    finally:
        wb.close()


def _parse(field: str, value: Any) -> Any:
    if field == "seq":
        return int(value)
    if field in _FLOATS:
        return None if value is None else float(value)
    if field == "owner":
        return None if value in (None, NO_OWNER.zh) else str(value)
    if field in ("started_clock", "finished_clock"):
        return None if value is None else str(value)
    return "" if value is None else str(value)
