"""The 问题整改台账 workbook (simulator.report.ledger) as an office prints and ticks it off.

First sheet 问题整改台账 with the nine columns in order, from the report's rectification rows; the 任务台账 second;
row heights that grow with wrapped text (printed rows must not overlap); 第 &P 页 共 &N 页 in the footer; the
header row repeated on every printed page; landscape A4 fitted to the width; times as T+45（08:55）, never floats.
"""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from openpyxl import load_workbook

from simulator.experiment import single_run
from simulator.report import build_report_of
from simulator.report.blocks import RECTIFICATION_COLUMNS, Rectification
from simulator.report.ledger import SHEET, TASK_SHEET, ledger_bytes, row_height

HEADERS = ("序号", "问题", "依据（时间/事件）", "关键词", "责任单位", "整改措施", "完成时限", "验收方式", "状态")


@pytest.fixture(scope="module")
def report(hazchem, poor_plan, reference_plan):
    return build_report_of(single_run(hazchem, poor_plan, 3, reference=reference_plan))


@pytest.fixture(scope="module")
def workbook(report):
    return load_workbook(io.BytesIO(ledger_bytes(report)))


def test_sheets_and_columns(workbook, report):
    assert workbook.sheetnames == [SHEET, TASK_SHEET] == ["问题整改台账", "任务台账"]
    ws = workbook[SHEET]
    assert tuple(c.value for c in ws[2]) == HEADERS == RECTIFICATION_COLUMNS
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=3)]
    assert rows and len(rows) == max(1, len(report.rectifications or report.problems))
    if report.rectifications:
        first = report.rectifications[0]
        assert rows[0][1] == first.problem and rows[0][4] == first.owner and rows[0][5] == first.measure
    tasks = workbook[TASK_SHEET]
    assert [c.value for c in tasks[2]][:3] == ["序号", "任务", "责任部门"]
    assert tasks.max_row - 2 == len(report.ledger)


def test_rows_grow_with_wrapped_text(workbook, report):
    for ws in workbook.worksheets:
        heights = [ws.row_dimensions[r].height for r in range(3, ws.max_row + 1)]
        assert all(h is not None and h >= 18 for h in heights)
        for r in range(3, ws.max_row + 1):
            longest = max(len(str(c.value or "")) for c in ws[r])
            if longest > 60:  # cannot fit one line of any column: the row must be taller than one line
                assert ws.row_dimensions[r].height > 30, (ws.title, r)
            assert all(c.alignment.wrap_text for c in ws[r])
    one_line = row_height(("短",), (10,))
    assert row_height(("很长的整改措施" * 12,), (10,)) > 5 * one_line


def test_printing_setup(workbook):
    for ws in workbook.worksheets:
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.print_title_rows == "$2:$2"  # the header row on every page
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_times_are_clock_text_never_floats(workbook):
    moment = re.compile(r"^(T\+\d+（(次日)?\d\d:\d\d）|—)$")
    tasks = workbook[TASK_SHEET]
    for row in tasks.iter_rows(min_row=3, values_only=True):
        for value in row[4:7]:  # 下达时间、开始执行、完成时间
            assert isinstance(value, str) and moment.match(value), value
    for ws in workbook.worksheets:
        for row in ws.iter_rows(min_row=1, values_only=True):
            assert not any(isinstance(v, float) for v in row)
            assert not any(isinstance(v, str) and re.search(r"\d+\.\d+分", v) for v in row)


def test_same_report_same_bytes_and_a_problem_free_report(report):
    assert ledger_bytes(report) == ledger_bytes(report)
    empty = dataclasses.replace(report, problems=(), rectifications=())
    ws = load_workbook(io.BytesIO(ledger_bytes(empty)))[SHEET]
    assert ws.max_row == 3 and "未发现" in ws.cell(row=3, column=2).value


def test_rectification_rows_are_written_as_given(report):
    row = Rectification(
        seq=1,
        problem="未控制险情即宣布终止应急响应",
        basis="T+120（10:10），事件88",
        keyword="精准",
        owner="区应急管理局",
        measure="修订专项预案中的响应终止条件",
        deadline=None,
        deadline_text="【待补充】",
        acceptance="审核修订后的方案文本",
    )
    ws = load_workbook(io.BytesIO(ledger_bytes(dataclasses.replace(report, rectifications=(row,)))))[SHEET]
    assert tuple(c.value for c in ws[3]) == (
        "1",
        "未控制险情即宣布终止应急响应",
        "T+120（10:10），事件88",
        "精准",
        "区应急管理局",
        "修订专项预案中的响应终止条件",
        "【待补充】",
        "审核修订后的方案文本",
        "待整改",
    )
