"""Opening an uploaded workbook safely (a zip bomb, a damaged file or an old .xls is a located problem, never a
traceback), and one worksheet as a grid of cell values: formulas by their computed values, merged cells filled in.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import warnings
import zipfile
import zlib
from typing import TYPE_CHECKING

import openpyxl

from simulator.errors import FileFormatError, Problem
from simulator.formats.msel.cells import Bad, Cell

if TYPE_CHECKING:
    from simulator.formats.msel.reader import Reader

MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # a 2 MB workbook that inflates past this is a zip bomb, not a scenario
MAX_ZIP_MEMBERS = 500
MAX_ROWS = 21_000  # a scenario has at most 20 000 channels; more rows than that is not a scenario
MAX_COLS = 60
MAX_MERGES = 5_000
CELL_TYPES = (str, int, float, bool, dt.datetime, dt.date, dt.time, dt.timedelta)
#: what ``zipfile`` raises on a damaged archive: a byte changed in the central directory or a local header, or the
#: file cut short, gives any of these (``NotImplementedError: zip file version 12.1`` from one flipped byte of the
#: version needed to extract, ``struct.error`` from a short record, ``UnicodeDecodeError`` from a member's name …).
#: openpyxl's own parsing (lxml, ElementTree, its readers) raises still more kinds, caught whole below.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    zlib.error,
    KeyError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    OverflowError,
    struct.error,
    UnicodeDecodeError,
    OSError,
)


class Grid:
    """One worksheet's cell values by (row, column): formulas replaced by their last computed values, cells of a
    merged range filled from its top-left cell, nothing beyond the sheet's real cells created."""

    def __init__(self, reader: Reader, title: str):
        self.reader = reader
        self.title = title
        ws = reader.wb[title]
        self.values: dict[tuple[int, int], Cell] = {}
        self.across: list[tuple[int, int, int, int]] = []  # merges over several columns: (r0, c0, r1, c1)
        self.too_big = ws.max_row > MAX_ROWS
        if self.too_big:
            reader.sheet_problem(title, f"行数过多（{ws.max_row} 行），上限 {MAX_ROWS} 行 (too many rows)")
            return
        cells = getattr(ws, "_cells", None)
        source = cells.values() if isinstance(cells, dict) else (c for row in ws.iter_rows() for c in row)
        for cell in list(source):
            if cell.column > MAX_COLS or cell.value is None:
                continue
            self.values[(cell.row, cell.column)] = self._value(cell)
        ranges = list(ws.merged_cells.ranges)
        if len(ranges) > MAX_MERGES:
            reader.sheet_problem(title, f"合并单元格过多（{len(ranges)} 处）(too many merged cells)")
            ranges = []
        for rng in ranges:
            r0, c0, r1, c1 = rng.min_row, rng.min_col, min(rng.max_row, MAX_ROWS), min(rng.max_col, MAX_COLS)
            if c0 != c1:
                self.across.append((r0, c0, r1, c1))
                continue
            top = self.values.get((r0, c0))
            for r in range(r0 + 1, r1 + 1):
                if top is None:
                    self.values.pop((r, c0), None)
                else:
                    self.values[(r, c0)] = top

    def _value(self, cell) -> Cell:
        value = cell.value
        if cell.data_type == "f" or not isinstance(value, CELL_TYPES):
            cached = self.reader.cached(self.title, cell.row, cell.column)
            if cached is None:
                return Bad("公式没有计算结果：请在 Excel 中打开并保存，或改为“粘贴为数值” (formula without a value)")
            return cached
        if cell.data_type == "e":
            return Bad(f"单元格是 Excel 错误值 {value} (an Excel error value)")
        return value

    def get(self, row: int, column: int) -> Cell:
        return self.values.get((row, column))

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.values), default=0)


def open_workbook(name: str, data: bytes, data_only: bool = False) -> openpyxl.Workbook:
    """The workbook in ``data``, refusing what is not an .xlsx, inflates too far or cannot be parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ARCHIVE_ERRORS:
        hint = "（旧版 .xls 请在 Excel 中另存为 .xlsx）" if data[:4] == b"\xd0\xcf\x11\xe0" else ""
        message = f"不是有效的 Excel 工作簿，或文件已损坏{hint} (not an .xlsx file, or a damaged one)"
        raise FileFormatError([Problem(name, None, "", message)]) from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise FileFormatError(
            [Problem(name, None, "", f"工作簿解压后过大，上限 {MAX_UNZIPPED_BYTES} 字节 (too large once unzipped)")]
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False, keep_vba=False)
    except Exception as exc:  # a damaged upload can fail anywhere inside openpyxl's parsers (zip, lxml, its readers)
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FileFormatError(
            [Problem(name, None, "", f"无法读取 Excel 工作簿 (cannot read the workbook): {detail}")]
        ) from None
