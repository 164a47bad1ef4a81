"""Scenario → workbook: every field in its column, in the form people write by hand when that reads back the
same; a value Excel cannot store (control characters) or a field the workbook has no place for fails loudly.
"""

from __future__ import annotations

import io
from typing import Any, get_args

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel

from simulator.errors import FileFormatError, Problem
from simulator.formats.loader import field_path
from simulator.formats.msel.cells import MAX_CELL_CHARS, NO, Cell, Context, flow_dump, number_text, same
from simulator.formats.msel.codecs import Codec, InjectId, Text, write_cell
from simulator.formats.msel.columns import (
    CHANNEL_TABLE,
    CHANNELS,
    COVERED,
    DEPT,
    DEPT_TABLE,
    DEPTS,
    FACT_TABLE,
    HAZARD,
    HAZARD_TABLE,
    INFO,
    INFO_ITEMS,
    INJECT_COLUMNS,
    INJECT_FIELDS,
    INJECTS,
    KEY,
    KEY_ITEMS,
    KEY_MEASURE_TABLE,
    MEASURE_TABLE,
    MEASURES,
    NOTES,
    README,
    RESPONSE_TABLE,
    SEE_SHEET,
    SOURCE_MEDIA,
    TEXT,
    TRIGGER_TABLE,
    Item,
    Table,
)
from simulator.formats.msel.compound import CONDITION_KINDS, AnyValue, Conditions, Effects, Reveals
from simulator.formats.msel.fields import blank_default, get_path, param_kind, strip_annotated
from simulator.formats.msel.injects import read_responses, read_source, read_time, time_text
from simulator.formats.msel.workbook import MAX_ROWS
from simulator.formats.scenario import Scenario
from simulator.hazards import REGISTRY
from simulator.vocabulary import DEPARTMENT_KINDS, MEDIA

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")


class _Writer:
    def __init__(self, scenario: Scenario, name: str):
        self.scenario = scenario
        self.name = name
        self.ctx = Context.of(scenario)
        self.raw = scenario.model_dump(by_alias=True, exclude_none=True)
        self.problems: list[Problem] = []
        self.wb = openpyxl.Workbook()
        self.wb.remove(self.wb.active)

    def workbook(self) -> openpyxl.Workbook:
        responses_apart = not self._responses_follow_injects()
        self._injects(responses_apart)
        self._items(INFO, INFO_ITEMS)
        self._table(DEPT_TABLE, self.raw["departments"])
        self._table(CHANNEL_TABLE, self.raw["channels"])
        self._table(MEASURE_TABLE, self.raw["measures"])
        self._table(FACT_TABLE, self.raw["facts"])
        self._hazard()
        self._items(KEY, KEY_ITEMS)
        self._table(KEY_MEASURE_TABLE, self.raw["answer_key"]["measures"])
        if responses_apart:
            self._table(RESPONSE_TABLE, self.raw["answer_key"]["inject_responses"])
        if self.raw["answer_key"].get("triggers"):
            self._table(TRIGGER_TABLE, self.raw["answer_key"]["triggers"])
        self._readme()
        self._validations()
        self._uncovered(self.raw, ())
        if self.problems:
            raise FileFormatError(self.problems)
        return self.wb

    def _uncovered(self, data: dict[str, Any], path: tuple[str, ...]) -> None:
        """A field the workbook has no place for (a newer scenario format) must fail loudly, not vanish."""
        for key, value in data.items():
            here = (*path, key)
            if here in COVERED:
                continue
            if isinstance(value, dict) and any(c[: len(here)] == here for c in COVERED):
                self._uncovered(value, here)
            else:
                self._problem(here, "工作簿中没有此字段的位置 (no place for this field in the workbook)")

    # the inject responses sit on their inject's row when the answer key lists them in the injects' order
    def _responses_follow_injects(self) -> bool:
        index = {inj["id"]: i for i, inj in enumerate(self.raw["injects"])}
        positions = [index.get(r["inject"]) for r in self.raw["answer_key"]["inject_responses"]]
        return None not in positions and positions == sorted(positions)

    def _sheet(self, title: str, headers: list[tuple[str, int, str]]) -> Any:
        ws = self.wb.create_sheet(title)
        for c, (header, width, note) in enumerate(headers, start=1):
            cell = ws.cell(1, c, header)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(vertical="center")
            if note:
                cell.comment = Comment(note, "推演模拟器", width=320, height=110)
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        return ws

    def _put(self, ws, row: int, col: int, value: Any, loc: tuple[Any, ...]) -> None:
        if value is None:
            return
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):
                self._problem(loc, "含有 Excel 无法保存的控制字符 (control characters Excel cannot store)")
                return
            if len(value) > MAX_CELL_CHARS:
                self._problem(loc, f"超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符 (too long for a cell)")
                return
        cell = ws.cell(row, col, value)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with '=' stays text, never a formula
        cell.alignment = WRAP

    def _encode(self, codec: Codec, value: Any, loc: tuple[Any, ...], omit: Any = NO) -> Cell:
        if omit is NO:
            omit = blank_default(loc)
        if omit is not NO and same(value, omit):
            return None
        try:
            return write_cell(codec, value, self.ctx)
        except ValueError as exc:
            self._problem(loc, str(exc))
            return None

    def _problem(self, loc: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.name, None, field_path(loc), message))

    def _table(self, table: Table, items: list[dict[str, Any]]) -> Any:
        ws = self._sheet(table.sheet, [(c.header, c.width, c.codec.note) for c in table.columns])
        for i, item in enumerate(items):
            for c, column in enumerate(table.columns, start=1):
                loc = (*table.path, i, column.key)
                cell = self._encode(column.codec, item.get(column.key), loc, column.omit)
                self._put(ws, i + 2, c, cell, loc)
            for key in item:
                if key not in {c.key for c in table.columns}:
                    self._problem((*table.path, i, key), "工作表没有此字段的列 (no column for this field)")
        return ws

    def _items(self, title: str, items: tuple[Item, ...]) -> None:
        ws = self._sheet(title, [("项目", 20, ""), ("值", 60, ""), ("说明", 50, "")])
        for r, item in enumerate(items, start=2):
            value = get_path(self.raw, item.path)
            ws.cell(r, 1, item.label)
            self._put(ws, r, 2, self._encode(item.codec, value, item.path, item.omit), item.path)
            note = item.note or ("" if isinstance(item.codec, Text) else item.codec.note)
            ws.cell(r, 3, note).alignment = WRAP

    def _hazard(self) -> None:
        hazard = self.raw["hazard"]
        model = REGISTRY[hazard["model"]]
        ws = self._sheet(HAZARD, [("参数", 28, ""), ("值", 30, ""), ("说明", 70, "")])
        ws.cell(2, 1, "灾害模型")
        ws.cell(2, 2, hazard["model"])
        ws.cell(2, 3, f"可选：{'、'.join(REGISTRY)}")
        row = 3
        for name, value in hazard["params"].items():
            info = model.Params.model_fields.get(name)
            kind = param_kind(info.annotation) if info else "scalar"
            ws.cell(row, 1, name)
            ws.cell(row, 3, (info.description or "") if info else "").alignment = WRAP
            loc = ("hazard", "params", name)
            sheet = f"{HAZARD_TABLE}{name}"
            if kind == "table" and len(sheet) <= 31 and isinstance(value, list):
                ws.cell(row, 2, f"{SEE_SHEET} {sheet}")
                self._hazard_table(sheet, get_args(strip_annotated(info.annotation))[0], value, loc)
            else:
                codec = AnyValue("structured" if kind == "table" else kind)
                self._put(ws, row, 2, self._encode(codec, value, loc), loc)
            row += 1

    def _hazard_table(self, title: str, item_model: type[BaseModel], items: list[dict[str, Any]], path) -> None:
        fields = list(item_model.model_fields.items())
        ws = self._sheet(title, [(f.alias or n, 16, f.description or "") for n, f in fields])
        for i, item in enumerate(items):
            for c, (n, f) in enumerate(fields, start=1):
                key = f.alias or n
                loc = (*path, i, key)
                kind = param_kind(f.annotation)
                value = item.get(key)
                if kind == "ids" and value == []:
                    value = None  # no ids: a blank cell, read back as the field's default (none)
                self._put(ws, i + 2, c, self._encode(AnyValue(kind), value, loc), loc)

    def _injects(self, responses_apart: bool) -> None:
        ws = self._sheet(INJECTS, [(c.header, c.width, NOTES.get(c.header, c.codec.note)) for c in INJECT_COLUMNS])
        ws.sheet_properties.tabColor = "C0392B"
        cols = {c.key: i for i, c in enumerate(INJECT_COLUMNS, start=1)}
        responses: dict[str, list[dict[str, Any]]] = {}
        if not responses_apart:
            for r in self.raw["answer_key"]["inject_responses"]:
                responses.setdefault(r["inject"], []).append(r)
        for i, inj in enumerate(self.raw["injects"]):
            row = i + 2
            loc = ("injects", i)

            def put(key: str, value: Any, where: tuple[Any, ...] = (), _row: int = row, _loc=loc) -> None:
                self._put(ws, _row, cols[key], value, where or (*_loc, key))

            put("id", self._encode(InjectId(), inj["id"], (*loc, "id")))
            put("time", self._time(inj, (*loc, "at")))
            medium, sender = self._source(inj.get("source", "现场"), (*loc, "source"))
            put("medium", medium, (*loc, "source"))
            put("sender", sender, (*loc, "source"))
            put("to", self._encode(DEPT, inj["to"], (*loc, "to")))
            put("title", self._encode(TEXT, inj["title"], (*loc, "title")))
            put("text", self._encode(TEXT, inj["text"], (*loc, "text")))
            conditions = {k: inj[k] for k in CONDITION_KINDS if k in inj}
            put("conditions", self._encode(Conditions(), conditions or None, (*loc, "unless")))
            put("effects", self._encode(Effects(), inj["effects"] or None, (*loc, "effects")))
            put("reveals", self._encode(Reveals(), inj["reveals"] or None, (*loc, "reveals")))
            expect, within = self._responses(responses.get(inj["id"], []))
            put("expect", expect, ("answer_key", "inject_responses"))
            put("within", within, ("answer_key", "inject_responses"))
            for key in set(inj) - INJECT_FIELDS:
                self._problem((*loc, key), "工作表没有此字段的列 (no column for this field)")

    def _time(self, inj: dict[str, Any], loc) -> Cell:
        value = {k: inj[k] for k in ("at", "after", "delay", "when") if k in inj}
        for make in (time_text, flow_dump):
            cell = make(value)
            try:
                if cell is not None and same(read_time(cell, self.ctx), value):
                    return cell
            except ValueError:
                continue
        self._problem(loc, "无法无损写入注入时间 (cannot write this time losslessly)")
        return None

    def _source(self, source: str, loc) -> tuple[Cell, Cell]:
        medium = next((m for m in SOURCE_MEDIA if source.endswith(m)), "")
        cells = (medium or None, source[: len(source) - len(medium)] or None)
        if read_source(*cells) == source:
            return cells
        if read_source(None, '""') == source:
            return None, '""'
        cells = (None, source)
        if read_source(*cells) == source:
            return cells
        self._problem(loc, "无法无损写入来源 (cannot write this source losslessly)")
        return None, None

    def _responses(self, responses: list[dict[str, Any]]) -> tuple[Cell, Cell]:
        if not responses:
            return None, None
        expect = "\n".join(", ".join(r["expect"]) for r in responses)
        within = "\n".join(f"{number_text(r['within'])}分钟内响应" for r in responses)
        inject = responses[0]["inject"]
        try:
            back = read_responses(inject, expect, within, self.ctx)
        except ValueError:
            back = None
        if back is not None and same([dict(r) for r in back], responses):
            return expect, within
        text = flow_dump([{"expect": r["expect"], "within": r["within"]} for r in responses])
        return text, None

    def _readme(self) -> None:
        ws = self._sheet(README, [("工作表", 12, ""), ("列/项目", 18, ""), ("写法", 100, "")])
        rows: list[tuple[str, str, str]] = [
            (
                "（全部）",
                "",
                "导出的工作簿可直接编辑后导入；结构化的单元格也可写 YAML 流式值，如 {at: 5, delay: 3}。"
                "本工作簿含答案（预期行动、评估要点、答案等），只供导调员使用。",
            )
        ]
        rows += [(INJECTS, c.header, NOTES.get(c.header, c.codec.note)) for c in INJECT_COLUMNS]
        for table in (DEPT_TABLE, CHANNEL_TABLE, MEASURE_TABLE, FACT_TABLE, KEY_MEASURE_TABLE, RESPONSE_TABLE):
            rows += [(table.sheet, c.header, c.codec.note) for c in table.columns]
        rows += [(TRIGGER_TABLE.sheet, c.header, c.codec.note) for c in TRIGGER_TABLE.columns]
        rows.append((HAZARD, "值", "数字、文字或 YAML 流式值；对象列表（如 zones）见工作表 灾害-<参数名>"))
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c, value).alignment = WRAP

    def _validations(self) -> None:
        def add(sheet: str, column: int, choices: list[str]) -> None:
            ws = self.wb[sheet]
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            rule.showErrorMessage = False  # the English ids are accepted too
            letter = get_column_letter(column)
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(rule)

        add(DEPTS, 3, [label.zh for label in DEPARTMENT_KINDS.values()])
        add(DEPTS, 4, ["是", "否"])
        add(CHANNELS, 4, [label.zh for label in MEDIA.values()])
        add(CHANNELS, 7, ["是", "否"])
        add(MEASURES, 5, ["是", "否"])


def dump_xlsx(scenario: Scenario, name: str | None = None) -> bytes:
    """The scenario as an .xlsx workbook; FileFormatError if a value cannot be stored in Excel (control chars)."""
    writer = _Writer(scenario, name or f"{scenario.id}.yaml")
    buffer = io.BytesIO()
    writer.workbook().save(buffer)
    return buffer.getvalue()
