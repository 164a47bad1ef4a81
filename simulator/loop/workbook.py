"""The team's 整改台账 as an Excel workbook: the report's 问题整改台账 columns, then 编号 and 备注.

Why a second, hidden sheet: a facilitator edits the first sheet (owner, measure, deadline, status, notes) in Excel;
what the next drill's check needs (the problem's kind and subject, the drill it came from, the checks so far) is not
for editing, so it travels as one JSON line per 编号 on the hidden sheet 检验数据. A bad cell of the first sheet is
reported with the file, the sheet, the row and the column, so it can be fixed in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from simulator.errors import FileFormatError, Problem
from simulator.loop.items import STATUSES, Item
from simulator.report._util import stable_zip
from simulator.report.blocks import RECTIFICATION_COLUMNS
from simulator.report.ledger import COLUMNS as LEDGER_COLUMNS
from simulator.vocabulary import KEYWORDS

SHEET = "问题整改台账"
DATA_SHEET = "检验数据"
COLUMNS: tuple[tuple[str, float], ...] = (*LEDGER_COLUMNS, ("编号", 10), ("备注", 30))
HEADERS: tuple[str, ...] = tuple(h for h, _ in COLUMNS)
#: the first sheet's columns an edit may change, and the item field each is read into
EDITABLE = {
    "问题": "problem",
    "依据（时间/事件）": "basis",
    "关键词": "keyword",
    "责任单位": "owner",
    "整改措施": "measure",
    "完成时限": "due",
    "验收方式": "acceptance",
    "状态": "status",
    "备注": "notes",
}
assert set(RECTIFICATION_COLUMNS) <= set(HEADERS)
_DATE = re.compile(r"^\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*$")


def _date_text(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d is not None else ""


def items_workbook(items: list[Item]) -> bytes:
    """The .xlsx bytes of a team's items (equal items give equal bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name="宋体", size=11, bold=True)
    for c, (header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    data = wb.create_sheet(DATA_SHEET)
    data.append(["编号", "数据"])
    for r, item in enumerate(items, start=2):
        row = (
            r - 1,
            item.problem,
            item.basis,
            item.keyword,
            item.owner,
            item.measure,
            _date_text(item.due),
            item.acceptance,
            item.status,
            item.id,
            item.notes,
        )
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).alignment = Alignment(vertical="center", wrap_text=True)
        hidden = item.model_dump(mode="json", exclude=set(EDITABLE.values()))
        data.append([item.id, json.dumps(hidden, ensure_ascii=False, sort_keys=True)])
    data.sheet_state = "hidden"
    if items:
        col = get_column_letter(HEADERS.index("状态") + 1)
        status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False)
        status.add(f"{col}2:{col}{len(items) + 1}")
        ws.add_data_validation(status)
    ws.freeze_panes = "A2"
    wb.properties.creator = "应急处置桌面推演模拟器"
    wb.properties.lastModifiedBy = "应急处置桌面推演模拟器"
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _due(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value))
    if m is None:
        raise ValueError(f"完成时限“{value}”不是日期，应写作如 2026年12月28日")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"完成时限“{value}”不是有效日期") from None


def read_items(data: bytes, name: str) -> list[Item]:
    """The items of a workbook written by :func:`items_workbook` and edited in Excel.

    Raises FileFormatError naming the file, the sheet, the row and the column of every bad cell."""
    problems: list[Problem] = []

    def bad(sheet: str, row: int | None, column: str, message: str) -> None:
        problems.append(Problem(name, row, f"{sheet}{'!' + column if column else ''}", message))

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileFormatError([Problem(name, None, "", "不是有效的 Excel 工作簿（.xlsx）")]) from None
    if SHEET not in wb.sheetnames:
        raise FileFormatError([Problem(name, None, "", f"缺少工作表“{SHEET}”")])
    ws = wb[SHEET]
    header = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))]
    where = {h: i for i, h in enumerate(header) if h}
    missing = [h for h in (*EDITABLE, "编号") if h not in where]
    if missing:
        raise FileFormatError([Problem(name, 1, SHEET, f"缺少列：{'、'.join(missing)}")])
    hidden: dict[str, dict[str, Any]] = {}
    if DATA_SHEET in wb.sheetnames:
        for r, (ident, blob) in enumerate(wb[DATA_SHEET].iter_rows(min_row=2, max_col=2, values_only=True), start=2):
            if not ident:
                continue
            try:
                hidden[_text(ident)] = json.loads(str(blob))
            except (TypeError, ValueError):
                bad(DATA_SHEET, r, "B", "检验数据已损坏，请勿手工修改此工作表")
    items: list[Item] = []
    seen: set[str] = set()
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {h: row[i] if i < len(row) else None for h, i in where.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue

        def col(h: str) -> str:
            return f"{get_column_letter(where[h] + 1)}列（{h}）"

        ident = _text(cells["编号"])
        if not ident:
            bad(SHEET, r, col("编号"), "编号为空")
            continue
        if ident in seen:
            bad(SHEET, r, col("编号"), f"编号“{ident}”重复")
            continue
        seen.add(ident)
        base = hidden.get(ident)
        if base is None:
            bad(SHEET, r, col("编号"), f"编号“{ident}”没有对应的检验数据（请从本系统导出的台账上修改）")
            continue
        fields: dict[str, Any] = {}
        for h, field in EDITABLE.items():
            value = cells[h]
            if field == "due":
                try:
                    fields[field] = _due(value)
                except ValueError as e:
                    bad(SHEET, r, col(h), str(e))
            else:
                fields[field] = _text(value)
        if fields.get("status") not in STATUSES:
            bad(SHEET, r, col("状态"), f"状态“{fields.get('status')}”不在 {'、'.join(STATUSES)} 之中")
        if fields.get("keyword") not in KEYWORDS:
            bad(SHEET, r, col("关键词"), f"关键词“{fields.get('keyword')}”不在 {'、'.join(KEYWORDS)} 之中")
        if not fields.get("problem"):
            bad(SHEET, r, col("问题"), "问题为空")
        if problems:
            continue
        try:
            items.append(Item.model_validate({**base, **fields, "id": ident}))
        except ValueError as e:
            bad(DATA_SHEET, r, "", f"检验数据无效：{str(e).splitlines()[0]}")
    if problems:
        raise FileFormatError(problems)
    return items


__all__ = ["COLUMNS", "DATA_SHEET", "HEADERS", "SHEET", "items_workbook", "read_items"]
