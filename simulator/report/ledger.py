"""The 问题整改台账 (rectification ledger) as an Excel workbook, with the 任务台账 (task ledger) as its second sheet.

Why a spreadsheet beside the report: the doctrine's 综合管控 keeps work in a 台账 that is sorted, filtered and
ticked off (动态销号管理) — work done in Excel, not in Word. What an office ticks off after a drill is its
problems: each row one measure answering one problem, with its basis in the log, the keyword, the responsible
unit, the deadline, how it will be checked and its status. The tasks the drill ordered follow on a second sheet.

Printed, it is an official attachment: landscape A4 fitted to the page width, the header row repeated on every
page, 第 1 页 共 3 页 in the footer, wrapped text with row heights that fit it (Excel does not grow a row for
wrapped text it did not lay out itself, so printed rows would overlap). Times are written as people read them,
``T+45（08:55）``, never as minutes with decimals. Equal reports give equal bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from simulator.report._util import stable_zip, write_bytes
from simulator.report.blocks import RECTIFICATION_COLUMNS, TODO, LedgerRow, Report, rectification_cells
from simulator.vocabulary import NO_OWNER, t_text, when

SHEET = "问题整改台账"
TASK_SHEET = "任务台账"
#: the columns of the 问题整改台账 (blocks.RECTIFICATION_COLUMNS) with their widths in characters of '0'
COLUMNS: tuple[tuple[str, float], ...] = tuple(
    zip(RECTIFICATION_COLUMNS, (6, 24, 20, 8, 16, 40, 15, 22, 9), strict=True)
)
#: the 任务台账's columns: what was ordered, to whom, when it was ordered, started and finished
TASK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("任务", 24),
    ("责任部门", 20),
    ("责任人", 10),
    ("下达时间", 15),
    ("开始执行", 15),
    ("完成时间", 15),
    ("状态", 9),
    ("备注", 36),
)
#: what the 状态 column of the 问题整改台账 accepts (a drop-down in Excel)
STATUSES = ("待整改", "整改中", "已完成")
FOOTER = "第 &P 页 共 &N 页"
FONT = "宋体"
FONT_SIZE = 11
LINE_PT = 14.5  # one line of 11 pt 宋体 in a row, as Excel lays it out
PAD_PT = 4.0  # air above and below a cell's text
NO_PROBLEM = "本次推演未发现需要整改的问题"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


# -- rows ------------------------------------------------------------------------------------------------------
def rectification_rows(report: Report) -> list[tuple[str, ...]]:
    """The 问题整改台账's rows: the report's rectifications; before a report carries them, its ranked problems
    (owner, deadline and acceptance to be completed); one line saying so when there is nothing to rectify."""
    if report.rectifications:
        return [rectification_cells(r) for r in report.rectifications]
    rows = []
    for n, problem in enumerate(report.problems, start=1):
        basis = when(report.start_clock, problem.t) if problem.t is not None else ""
        if problem.event_ids:
            basis += ("，" if basis else "") + "事件" + "、".join(str(i) for i in problem.event_ids)
        rows.append((str(n), problem.title, basis or "—", problem.keyword, TODO, TODO, TODO, TODO, STATUSES[0]))
    return rows or [("—", NO_PROBLEM, "—", "—", "—", "—", "—", "—", "—")]


def moment(t: float | None, clock: str | None) -> str:
    """A ledger time as ``T+45（08:55）`` (``—`` when it never happened)."""
    return f"{t_text(t)}（{clock}）" if t is not None and clock else "—"


def task_rows(rows: Sequence[LedgerRow]) -> list[tuple[str, ...]]:
    """The 任务台账's rows, every cell text: a missing owner is itself a finding and says so."""
    return [
        (
            str(r.seq),
            r.name,
            r.dept,
            r.owner or NO_OWNER.zh,
            moment(r.ordered_at, r.ordered_clock),
            moment(r.started_at, r.started_clock),
            moment(r.finished_at, r.finished_clock),
            r.status,
            r.note or "—",
        )
        for r in rows
    ]


# -- layout ----------------------------------------------------------------------------------------------------
def text_width(text: str) -> float:
    """Width in Excel's column unit (one '0'): a Chinese character takes two, ASCII one."""
    return sum(1.0 if ord(ch) < 0x2E80 else 2.0 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a margin of one kept)."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def row_height(values: Sequence[str], widths: Sequence[float]) -> float:
    """Points a row needs so its tallest wrapped cell shows whole (and prints without overlapping the next)."""
    lines = max(wrapped_lines(v, w) for v, w in zip(values, widths, strict=True))
    return round(lines * LINE_PT + PAD_PT, 1)


def _sheet(
    ws: Worksheet, title: str, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]], centred: set[int]
) -> None:
    """One printable table: a title row, a header row repeated on every printed page, then ``rows``."""
    widths = [w for _, w in columns]
    ncols = len(columns)
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 26
    headers = [h for h, _ in columns]
    for c, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=c, value=header)
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = row_height(headers, widths)
    body = Font(name=FONT, size=FONT_SIZE)
    for r, values in enumerate(rows, start=3):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = body
            cell.border = _BORDER
            cell.alignment = Alignment(
                horizontal="center" if c - 1 in centred else "left", vertical="center", wrap_text=True
            )
        ws.row_dimensions[r].height = row_height(values, widths)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{max(2, len(rows) + 2)}"
    ws.print_title_rows = "2:2"  # the header row on every printed page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10


def ledger_bytes(report: Report) -> bytes:
    """The .xlsx bytes: 问题整改台账 first, 任务台账 second (equal reports give equal bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title = f"{report.scenario_title}桌面推演问题整改台账"
    rows = rectification_rows(report)
    _sheet(ws, title, COLUMNS, rows, centred={0, 3, 6, 8})
    if report.rectifications or report.problems:
        status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        status.add(f"{get_column_letter(len(COLUMNS))}3:{get_column_letter(len(COLUMNS))}{len(rows) + 2}")
        ws.add_data_validation(status)
    tasks = wb.create_sheet(TASK_SHEET)
    _sheet(
        tasks, f"{report.scenario_title}桌面推演任务台账", TASK_COLUMNS, task_rows(report.ledger), {0, 3, 4, 5, 6, 7}
    )
    if not report.ledger:
        tasks.cell(row=3, column=2, value="推演中未下达任务")
    wb.properties.creator = "应急处置桌面推演模拟器"
    wb.properties.lastModifiedBy = "应急处置桌面推演模拟器"
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def write_ledger_xlsx(report: Report, path: str | Path) -> Path:
    """Write the 问题整改台账 (with the 任务台账) of a report as an .xlsx; return the path written."""
    return write_bytes(path, ledger_bytes(report))


__all__ = ["COLUMNS", "SHEET", "TASK_COLUMNS", "TASK_SHEET", "ledger_bytes", "rectification_rows", "write_ledger_xlsx"]
