"""Workbook → scenario. Every problem is located as ``file.xlsx:情景注入!R5C3: 时间: message``; then the same
checks as a YAML scenario run (pydantic, then ``Scenario.reference_problems``), their errors located on the cell the
field came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import openpyxl
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from simulator.errors import FileFormatError, Problem
from simulator.formats.loader import _is_union_tag, _message, field_path, read_bytes
from simulator.formats.msel.cells import OMIT, Cell, Context, cell_text, unique_names
from simulator.formats.msel.codecs import Codec, InjectId, read_cell
from simulator.formats.msel.columns import (
    CHANNEL_TABLE,
    DEPT,
    DEPT_TABLE,
    FACT_TABLE,
    HAZARD,
    HAZARD_TABLE,
    IDENT,
    IGNORED_HEADERS,
    INFO,
    INFO_ITEMS,
    INJECT_COLUMNS,
    INJECTS,
    KEY,
    KEY_ITEMS,
    KEY_MEASURE_TABLE,
    MEASURE_TABLE,
    RESPONSE_TABLE,
    RESPONSES,
    SEE_SHEET,
    TEXT,
    TRIGGER_TABLE,
    Column,
    Item,
    Table,
)
from simulator.formats.msel.compound import CONDITION_KINDS, AnyValue, Conditions, Effects, Reveals
from simulator.formats.msel.fields import param_kind, set_path, strip_annotated
from simulator.formats.msel.injects import WindowError, first_clause, read_responses, read_source, read_time
from simulator.formats.msel.workbook import CELL_TYPES, MAX_COLS, Grid, open_workbook
from simulator.formats.scenario import Scenario
from simulator.hazards import REGISTRY


# -- located problems ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CellProblem(Problem):
    """A problem in a workbook: ``line`` is the row; ``sheet`` and ``column`` say where on it.

    Printed as ``file.xlsx:情景注入!R5C3: 时间: message`` (R/C are Excel's 1-based row and column numbers).
    """

    sheet: str = ""
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.line is not None:
                where += f"!R{self.line}" + (f"C{self.column}" if self.column else "")
        elif self.line is not None:
            where += f":{self.line}"
        blank = "(行)" if self.sheet and self.line is not None else "(工作表)" if self.sheet else "(文件)"
        return f"{where}: {self.field or blank}: {self.message}"


@dataclass(frozen=True)
class Where:
    """A place in the workbook a field of the scenario came from (row and column may be unknown)."""

    sheet: str
    row: int | None = None
    column: int | None = None
    label: str = ""


class Reader:
    def __init__(self, name: str, data: bytes, wb: openpyxl.Workbook):
        self.name = name
        self.data = data
        self.wb = wb
        self._cached_wb: openpyxl.Workbook | None = None
        self.problems: list[Problem] = []
        self.structural = False  # a sheet or column is missing: validating the rest would only add noise
        self.where: dict[tuple[Any, ...], Where] = {}
        self.failed: set[tuple[Any, ...]] = set()
        self.ctx = Context()
        self.grids: dict[str, Grid] = {}

    # problems
    def sheet_problem(self, sheet: str, message: str, field: str = "", row: int | None = None) -> None:
        self.structural = True
        self.problems.append(CellProblem(self.name, row, field, message, sheet=sheet))

    def cell_problem(self, where: Where, message: str, rest: tuple[Any, ...] = ()) -> None:
        label = where.label + (" " + _sub_path(rest) if rest else "")
        self.problems.append(CellProblem(self.name, where.row, label.strip(), message, where.sheet, where.column))

    def cached(self, sheet: str, row: int, column: int) -> Cell:
        if self._cached_wb is None:
            self._cached_wb = open_workbook(self.name, self.data, data_only=True)
        value = self._cached_wb[sheet].cell(row, column).value
        return value if isinstance(value, CELL_TYPES) else None

    # sheets
    def grid(self, title: str, required: bool) -> Grid | None:
        if title not in self.wb.sheetnames:
            if required:
                present = "、".join(self.wb.sheetnames)
                self.problems.append(
                    Problem(
                        self.name, None, f"工作表 {title}", f"缺少工作表 (missing sheet; the workbook has: {present})"
                    )
                )
                self.structural = True
            return None
        if title not in self.grids:
            self.grids[title] = Grid(self, title)
        grid = self.grids[title]
        return None if grid.too_big else grid

    def header(
        self, grid: Grid, names: dict[str, Any], first: tuple[str, ...], expected: list[str]
    ) -> tuple[int, dict[int, Any]] | None:
        """The header row (the first of the top 10 rows naming one of ``first``) and its columns."""
        for row in range(1, 11):
            texts = {
                c: cell_text(grid.get(row, c)).strip() for c in range(1, MAX_COLS + 1) if grid.get(row, c) is not None
            }
            if any(t in first for t in texts.values()):
                break
        else:
            self.sheet_problem(
                grid.title, f"找不到表头：前 10 行中应有一行写明列名 {'、'.join(expected)} (no header row)"
            )
            return None
        columns: dict[int, Any] = {}
        seen: dict[Any, int] = {}
        for c, text in texts.items():
            spec = names.get(text) or names.get(text.lower())
            if spec is None:
                if text and not text.startswith(IGNORED_HEADERS):
                    self.problems.append(
                        CellProblem(
                            self.name,
                            row,
                            text,
                            f"未知的列，可能是拼写错误；应为 {'、'.join(expected)} 之一 (unknown column)",
                            grid.title,
                            c,
                        )
                    )
                    self.structural = True
                continue
            if id(spec) in seen:
                self.problems.append(CellProblem(self.name, row, text, "重复的列 (duplicate column)", grid.title, c))
                self.structural = True
                continue
            seen[id(spec)] = c
            columns[c] = spec
        return row, columns

    def check_across(self, grid: Grid, from_row: int, columns: dict[int, Any]) -> None:
        for r0, c0, r1, c1 in grid.across:
            if r1 >= from_row and any(c0 <= c <= c1 for c in columns):
                self.problems.append(
                    CellProblem(
                        self.name,
                        r0,
                        getattr(columns.get(c0), "header", ""),
                        f"合并单元格跨越多列（{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}），请取消合并 "
                        "(cells merged across columns)",
                        grid.title,
                        c0,
                    )
                )

    def rows(self, grid: Grid, header_row: int, columns: dict[int, Any]):
        for r in range(header_row + 1, grid.max_row + 1):
            cells = {c: grid.get(r, c) for c in columns}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue
            yield r, cells

    def decode(self, codec: Codec, cell: Cell, where: Where, loc: tuple[Any, ...]) -> Any:
        self.where[loc] = where
        try:
            return read_cell(codec, cell, self.ctx)
        except ValueError as exc:
            self.cell_problem(where, str(exc))
            self.failed.add(loc)
            return cell

    def table(self, table: Table, raw: dict[str, Any], start: int = 0) -> list[dict[str, Any]]:
        grid = self.grid(table.sheet, table.required)
        set_path(raw, table.path, [])
        self.where[table.path] = Where(table.sheet)
        if grid is None:
            return []
        names = _names(table.columns)
        found = self.header(grid, names, table.columns[0].names, [c.header for c in table.columns])
        if found is None:
            return []
        header_row, columns = found
        self._missing_columns(grid, header_row, columns, table.columns)
        self.check_across(grid, header_row + 1, columns)
        items = []
        for r, cells in self.rows(grid, header_row, columns):
            loc = (*table.path, start + len(items))
            self.where[loc] = Where(table.sheet, r, None, "")
            item: dict[str, Any] = {}
            for column in table.columns:
                c = next((c for c, spec in columns.items() if spec is column), None)
                if c is None:
                    self.where[(*loc, column.key)] = Where(table.sheet, r, None, column.header)
                    continue
                value = self.decode(column.codec, cells[c], Where(table.sheet, r, c, column.header), (*loc, column.key))
                if value is not OMIT:
                    item[column.key] = value
            items.append(item)
        set_path(raw, table.path, items)
        return items

    def _missing_columns(self, grid: Grid, header_row: int, found: dict[int, Any], columns) -> None:
        for column in columns:
            if column.required and not any(spec is column for spec in found.values()):
                self.sheet_problem(grid.title, "缺少必填列 (missing column)", column.header, header_row)

    def items(self, sheet: str, items: tuple[Item, ...], raw: dict[str, Any], first=("项目",)) -> None:
        grid = self.grid(sheet, required=True)
        for item in items:
            self.where[item.path] = Where(sheet, None, None, item.label)
        if grid is None:
            return
        rows = self._kv_rows(grid, first)
        by_label = {}
        for item in items:
            by_label[item.label] = item
            by_label[".".join(item.path[1:] if item.path[0] == "answer_key" else item.path)] = item
        for r, label, (value, c) in rows:
            item = by_label.get(label)
            if item is None:
                self.problems.append(
                    CellProblem(
                        self.name,
                        r,
                        label,
                        f"未知的项目；应为 {'、'.join(i.label for i in items)} 之一 (unknown item)",
                        sheet,
                        1,
                    )
                )
                continue
            decoded = self.decode(item.codec, value, Where(sheet, r, c, item.label), item.path)
            if decoded is not OMIT:
                set_path(raw, item.path, decoded)

    def _kv_rows(self, grid: Grid, first: tuple[str, ...]) -> list[tuple[int, str, tuple[Cell, int]]]:
        names = {"项目": "label", "参数": "label", "值": "value", "取值": "value", "说明": "note"}
        found = self.header(grid, names, first, [first[0], "值", "说明"])
        if found is None:
            return []
        header_row, columns = found
        label_col = next((c for c, s in columns.items() if s == "label"), None)
        value_col = next((c for c, s in columns.items() if s == "value"), None)
        if value_col is None:
            self.sheet_problem(grid.title, "缺少必填列 (missing column)", "值", header_row)
            return []
        self.check_across(grid, header_row + 1, {label_col: 0, value_col: 0})
        out, seen = [], {}
        for r in range(header_row + 1, grid.max_row + 1):
            label = cell_text(grid.get(r, label_col)).strip() if grid.get(r, label_col) is not None else ""
            value = grid.get(r, value_col)
            if not label:
                if value is not None and cell_text(value).strip():
                    self.problems.append(
                        CellProblem(
                            self.name, r, "", "有值却没有项目名 (a value without a name)", grid.title, label_col
                        )
                    )
                continue
            if label in seen:
                self.problems.append(
                    CellProblem(self.name, r, label, f"重复的项目（第 {seen[label]} 行已有）(duplicate)", grid.title, 1)
                )
                continue
            seen[label] = r
            out.append((r, label, (value, value_col)))
        return out

    def hazard(self, raw: dict[str, Any]) -> None:
        self.where[("hazard",)] = Where(HAZARD)
        grid = self.grid(HAZARD, required=True)
        if grid is None:
            return
        hazard: dict[str, Any] = {}
        params: dict[str, Any] = {}
        raw["hazard"] = hazard
        rows = self._kv_rows(grid, ("参数", "项目"))
        model_name = next(
            (cell_text(v).strip() for _, label, (v, _) in rows if label in ("灾害模型", "model") and v), None
        )
        model = REGISTRY.get(model_name or "")
        fields = model.Params.model_fields if model else {}
        for r, label, (value, c) in rows:
            where = Where(HAZARD, r, c, label)
            if label in ("灾害模型", "model"):
                decoded = self.decode(IDENT, value, where, ("hazard", "model"))
                self.where[("hazard",)] = where  # a wrong model name is reported on the hazard itself
                if decoded is not OMIT:
                    hazard["model"] = decoded
                continue
            loc = ("hazard", "params", label)
            info = fields.get(label)
            kind = param_kind(info.annotation) if info else "scalar"
            sheet = f"{HAZARD_TABLE}{label}"
            self.where[loc] = where
            if sheet in self.wb.sheetnames:
                params[label] = self._hazard_table(sheet, info, loc)
                continue
            if isinstance(value, str) and value.startswith(SEE_SHEET):
                self.cell_problem(where, f"缺少工作表 {sheet} (missing sheet)")
                self.failed.add(loc)
                continue
            decoded = self.decode(AnyValue("structured" if kind == "table" else kind), value, where, loc)
            if decoded is not OMIT:
                params[label] = decoded
        hazard["params"] = params
        self.where[("hazard", "params")] = Where(HAZARD)

    def _hazard_table(self, sheet: str, info, path: tuple[Any, ...]) -> list[dict[str, Any]]:
        item_model = (
            get_args(strip_annotated(info.annotation))[0] if info and param_kind(info.annotation) == "table" else None
        )
        fields = {(f.alias or n): f for n, f in item_model.model_fields.items()} if item_model else {}
        grid = self.grid(sheet, required=True)
        if grid is None:
            return []
        top = {cell_text(grid.get(1, c)).strip() for c in range(1, MAX_COLS + 1) if grid.get(1, c) is not None}
        names = {n: n for n in (fields or top)}
        found = self.header(grid, names, tuple(names) or ("id",), list(names))
        if found is None:
            return []
        header_row, columns = found
        self.check_across(grid, header_row + 1, columns)
        items = []
        for r, cells in self.rows(grid, header_row, columns):
            loc = (*path, len(items))
            self.where[loc] = Where(sheet, r, None, "")
            item = {}
            for c, key in columns.items():
                kind = param_kind(fields[key].annotation) if key in fields else "scalar"
                value = self.decode(AnyValue(kind), cells[c], Where(sheet, r, c, key), (*loc, key))
                if value is not OMIT:
                    item[key] = value
            items.append(item)
        return items

    def injects(self, raw: dict[str, Any], responses: list[tuple[dict[str, Any], Where, Where, Where]]) -> None:
        raw["injects"] = []
        self.where[("injects",)] = Where(INJECTS)
        grid = self.grid(INJECTS, required=True)
        if grid is None:
            return
        names = _names(INJECT_COLUMNS)
        found = self.header(grid, names, INJECT_COLUMNS[0].names, [c.header for c in INJECT_COLUMNS])
        if found is None:
            return
        header_row, columns = found
        self._missing_columns(grid, header_row, columns, INJECT_COLUMNS)
        self.check_across(grid, header_row + 1, columns)
        at = {spec.key: c for c, spec in columns.items()}
        for r, cells in self.rows(grid, header_row, columns):
            i = len(raw["injects"])
            loc = ("injects", i)

            def cell(key: str, _cells=cells) -> Cell:
                return _cells.get(at[key]) if key in at else None

            def where(key: str, _r=r) -> Where:
                spec = next(s for s in INJECT_COLUMNS if s.key == key)
                return Where(INJECTS, _r, at.get(key), spec.header)

            inject: dict[str, Any] = {}
            for key, codec, field_name in (
                ("id", InjectId(), "id"),
                ("to", DEPT, "to"),
                ("title", TEXT, "title"),
                ("text", TEXT, "text"),
                ("effects", Effects(), "effects"),
                ("reveals", Reveals(), "reveals"),
            ):
                value = self.decode(codec, cell(key), where(key), (*loc, field_name))
                if value is not OMIT:
                    inject[field_name] = value
            self.where[loc] = where("time")
            for name in ("at", "after", "delay"):
                self.where[(*loc, name)] = where("time")
            if not Codec().blank(cell("time")):
                try:
                    inject.update(read_time(cell("time"), self.ctx))
                except ValueError as exc:
                    self.cell_problem(where("time"), str(exc))
                    self.failed.add((*loc, "at"))
                    inject["at"] = cell("time")
            self.where[(*loc, "source")] = where("sender") if "sender" in at else where("medium")
            try:
                source = read_source(cell("medium"), cell("sender"))
            except ValueError as exc:
                self.cell_problem(self.where[(*loc, "source")], str(exc))
                source = None
            if source is not None:
                inject["source"] = source
            conditions = self.decode(Conditions(), cell("conditions"), where("conditions"), (*loc, "conditions"))
            for kind in CONDITION_KINDS:
                self.where[(*loc, kind)] = where("conditions")
            if isinstance(conditions, dict):
                inject.update(conditions)
            elif conditions is not OMIT:
                inject["unless"] = conditions
                self.failed.add((*loc, "unless"))
            if "title" not in inject and isinstance(inject.get("text"), str) and (*loc, "text") not in self.failed:
                title = first_clause(inject["text"])
                if title:
                    inject["title"] = title
            self._inject_responses(inject.get("id", ""), cell("expect"), cell("within"), where, responses)
            raw["injects"].append(inject)

    def _inject_responses(self, inject_id, expect, within, where, responses) -> None:
        blank = Codec()
        if blank.blank(expect) and blank.blank(within):
            return
        if blank.blank(expect):
            self.cell_problem(where("within"), "评估要点需对应一条预期行动 (a window without an expected response)")
            return
        try:
            found = read_responses(inject_id, expect, None if blank.blank(within) else within, self.ctx)
        except ValueError as exc:
            self.cell_problem(where("within" if isinstance(exc, WindowError) else "expect"), str(exc))
            self.failed.add(("answer_key", "inject_responses"))
            return
        for response in found:
            responses.append((response, where("expect"), where("within"), where("id")))

    def read(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        self.items(INFO, INFO_ITEMS, raw)
        if isinstance(raw.get("start_clock"), str):
            self.ctx.start_clock = raw["start_clock"]
        named = [d for d in self.table(DEPT_TABLE, raw) if isinstance(d.get("id"), str)]
        self.ctx.dept_ids = {d["id"] for d in named}
        self.ctx.dept_by_name = unique_names((d["name"], d["id"]) for d in named if isinstance(d.get("name"), str))
        named = [m for m in self.table(MEASURE_TABLE, raw) if isinstance(m.get("id"), str)]
        self.ctx.measure_ids = {m["id"] for m in named}
        self.ctx.measure_by_name = unique_names((m["name"], m["id"]) for m in named if isinstance(m.get("name"), str))
        self.table(CHANNEL_TABLE, raw)
        self.table(FACT_TABLE, raw)
        self.hazard(raw)
        responses: list[tuple[dict[str, Any], Where, Where, Where]] = []
        self.injects(raw, responses)
        raw.setdefault("answer_key", {})
        self.where[("answer_key",)] = Where(KEY)
        self.items(KEY, KEY_ITEMS, raw)
        self.table(KEY_MEASURE_TABLE, raw)
        in_msel = []
        for j, (response, expect_at, within_at, id_at) in enumerate(responses):
            loc = ("answer_key", "inject_responses", j)
            self.where[loc] = self.where[(*loc, "expect")] = expect_at
            self.where[(*loc, "within")] = within_at
            self.where[(*loc, "inject")] = id_at
            in_msel.append(response)
        apart = self.table(RESPONSE_TABLE, {}, start=len(in_msel)) if RESPONSES in self.wb.sheetnames else []
        self.where[("answer_key", "inject_responses")] = Where(INJECTS, None, None, "预期行动")
        raw["answer_key"]["inject_responses"] = in_msel + apart
        self.table(TRIGGER_TABLE, raw)
        return raw

    # locating a validation error
    def locate(self, loc: tuple[Any, ...], message: str) -> Problem:
        loc = tuple(p for p in loc if not _is_union_tag(p))
        for k in range(len(loc), -1, -1):
            where = self.where.get(loc[:k])
            if where is not None:
                label = " ".join(x for x in (where.label, _sub_path(loc[k:])) if x)
                return CellProblem(self.name, where.row, label, message, where.sheet, where.column)
        return Problem(self.name, None, field_path(loc), message)


def _sub_path(parts: tuple[Any, ...]) -> str:
    return " ".join(f"第{p + 1}条" if isinstance(p, int) else str(p) for p in parts if not _is_union_tag(p))


def _names(columns: tuple[Column, ...]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in columns:
        for name in column.names:
            out[name] = column
            out[name.lower()] = column
    return out


def load_xlsx(path: str | Path, data: bytes | None = None) -> Scenario:
    """Read a workbook (or the given bytes, named ``path``) as a scenario; FileFormatError with located problems."""
    name = str(path)
    data = read_bytes(path, data)
    if not data:
        raise FileFormatError([Problem(name, None, "", "文件为空 (the file is empty)")])
    reader = Reader(name, data, open_workbook(name, data))
    try:
        raw = reader.read()
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None
    if reader.structural:
        raise FileFormatError(_unique(reader.problems))
    problems = list(reader.problems)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
            if any(loc[: len(f)] == f for f in reader.failed):
                continue
            problems.append(reader.locate(loc, _message(err)))
        raise FileFormatError(_unique(problems)) from None
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None
    if problems:
        raise FileFormatError(_unique(problems))
    problems = [reader.locate(loc, message) for loc, message in scenario.reference_problems()]
    if problems:
        raise FileFormatError(_unique(problems))
    return scenario


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out
