"""Broken scenario files, generated: whatever a user (or an attacker) uploads, the answer is a scenario or a clear,
located error — never a traceback, never a hang.

YAML: wrong types, missing fields, cycles of ``after``, unknown department ids, huge numbers, empty files, deep
nesting, alias bombs, non-UTF-8. XLSX: any cell set to anything (text, huge numbers, dates, formulas), sheets
missing or renamed, merged cells, rows inserted and deleted, corrupt or truncated zips, zip bombs.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from simulator import FileFormatError, load_scenario
from simulator.formats.msel import MAX_UNZIPPED_BYTES, dump_xlsx, load_any, load_xlsx
from tests.conftest import SCENARIOS

SCENARIO_TEXT = (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8")
LINES = SCENARIO_TEXT.splitlines(keepends=True)
VALUE_LINES = [i for i, line in enumerate(LINES) if ": " in line and not line.lstrip().startswith("#")]
XLSX = dump_xlsx(load_scenario(SCENARIOS / "hazchem_leak.yaml"))
SHEETS = openpyxl.load_workbook(io.BytesIO(XLSX)).sheetnames
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _clear_or_scenario(name: str, data: bytes, loader=load_any) -> None:
    """The property: a scenario, or FileFormatError whose every problem names the file and says something."""
    try:
        loader(name, data)
    except FileFormatError as exc:
        assert exc.problems
        for problem in exc.problems:
            text = str(problem)
            assert text.startswith(name), text
            assert problem.message.strip(), text
            assert "Traceback" not in text


# -- YAML ----------------------------------------------------------------------------------------------------------
JUNK = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "[",
            "]",
            "{",
            "- ",
            ": ",
            "&a x",
            "*a",
            "*nowhere",
            "!!python/object/apply:os.system ['echo hi']",
            "!!binary aGk=",
            "~",
            "null",
            "'",
            '"\\x07"',
            "\t",
            "---",
            "...",
            "[[[[[[[[",
            "{a: {b: {c: [",
            "1e999",
            "-1",
            "0x10",
            "yes",
            "2024-01-01",
            "nowhere_dept",
            "[fire, nowhere]",
            "{dist: triangular, low: 9, mode: 1, high: 5}",
            "99999999999999999999999999",
        ]
    ),
)
PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
TOP_KEYS = ["id", "title", "duration", "departments", "channels", "hazard", "measures", "injects", "answer_key"]


@st.composite
def broken_yaml(draw) -> bytes:
    kind = draw(st.sampled_from(["value", "delete", "insert", "truncate", "type", "bytes", "nest", "encoding"]))
    lines = list(LINES)
    if kind == "value":
        i = draw(st.sampled_from(VALUE_LINES))
        head = lines[i].split(": ", 1)[0]
        lines[i] = f"{head}: {draw(JUNK)}\n"
    elif kind == "delete":
        start = draw(st.integers(0, len(lines) - 1))
        del lines[start : start + draw(st.integers(1, 20))]
    elif kind == "insert":
        lines.insert(draw(st.integers(0, len(lines))), " " * draw(st.integers(0, 6)) + draw(JUNK) + "\n")
    elif kind == "truncate":
        return SCENARIO_TEXT.encode()[: draw(st.integers(0, len(SCENARIO_TEXT.encode())))]
    elif kind == "type":
        data = yaml.safe_load(SCENARIO_TEXT)
        data[draw(st.sampled_from(TOP_KEYS))] = draw(PLAIN)
        return yaml.safe_dump(data, allow_unicode=True).encode()
    elif kind == "bytes":
        return draw(st.binary(max_size=300))
    elif kind == "nest":
        depth = draw(st.integers(1, 3000))
        opener = draw(st.sampled_from(["[", "{a: ", "- ", "a:\n  "]))
        return ("injects: " + opener * depth + "x").encode()
    else:
        return SCENARIO_TEXT.encode(draw(st.sampled_from(["gbk", "utf-16", "big5"])), errors="replace")
    return "".join(lines).encode()


@SETTINGS
@given(broken_yaml())
def test_broken_yaml_gives_a_located_error(data):
    _clear_or_scenario("broken.yaml", data)


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("to: publicity", "to: nobody"), "未知的部门 'nobody'"),
        (("release_rate_kg_min: 20", "release_rate_kg_min: 1e400"), "release_rate_kg_min"),
        (("population: 600}", "population: 99999999999999999999999}"), "population"),
        (("    after: i09", "    after: i14"), "注入条件形成循环"),
        (("level: III", "level: [3]"), "level"),
        (("title: 临港化工园区液氯储罐泄漏事件\n", ""), "title: 缺少必填字段"),
    ],
)
def test_typical_mistakes_name_line_and_field(replace, expected):
    text = SCENARIO_TEXT.replace(*replace, 1)
    assert text != SCENARIO_TEXT
    with pytest.raises(FileFormatError) as caught:
        load_any("s.yaml", text.encode())
    assert any(expected in str(p) and str(p).startswith("s.yaml:") for p in caught.value.problems), caught.value


def test_empty_huge_and_non_utf8_files():
    for data, expected in (
        (b"", "文件为空"),
        (b"   \n# only a comment\n", "文件为空"),
        (b"x" * (3 * 1024 * 1024), "文件过大"),
        ("标题: 测试".encode("gbk"), "UTF-8"),
    ):
        with pytest.raises(FileFormatError) as caught:
            load_any("s.yaml", data)
        assert expected in str(caught.value)


def test_an_alias_bomb_is_refused_quickly():
    bomb = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)
    )
    started = time.perf_counter()
    with pytest.raises(FileFormatError) as caught:
        load_any("bomb.yaml", bomb.encode())
    assert time.perf_counter() - started < 2
    assert "别名" in str(caught.value)


def test_deep_nesting_is_refused():
    for depth in (50, 5000, 100_000):
        with pytest.raises(FileFormatError) as caught:
            load_any("deep.yaml", ("a: " + "[" * depth).encode())
        assert "deep.yaml" in str(caught.value)


def test_the_yaml_loader_itself_survives_deep_nesting():
    """``load_scenario`` (used by the CLI and the library) on very deep nesting; load_any guards against it."""
    with pytest.raises(FileFormatError):
        load_scenario("deep.yaml", ("a: " + "[" * 100_000).encode())


# -- XLSX ----------------------------------------------------------------------------------------------------------
LEGAL_TEXT = st.text(max_size=40).filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s))
CELL = st.one_of(
    st.none(),
    LEGAL_TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.sampled_from(
        [
            "=1/0",
            "=A1",
            '=HYPERLINK("http://example.com")',
            "{a: [",
            "[" * 5000,
            "{at: 5, after: i01}",
            "i01 后",
            "i99 后 5分钟",
            "T+",
            "25:99",
            "triangular(1, 2)",
            "lognormal(0, 1)",
            "除非已下达",
            "灾害参数 {x: [",
            "灾害参数 wind_from_deg=1e999",
            "新增伤员 -5",
            "直接通知",
            "Ⅴ级",
            "是否",
            '""',
            "nowhere",
            "a*a*a*a",
        ]
    ),
)
ROW = st.integers(1, 25)
COL = st.integers(1, 14)
SHEET = st.sampled_from(SHEETS)
OPS = st.one_of(
    st.tuples(st.just("set"), SHEET, ROW, COL, CELL),
    st.tuples(st.just("set"), SHEET, ROW, COL, CELL),
    st.tuples(st.just("set"), SHEET, ROW, COL, CELL),
    st.tuples(st.just("delete_sheet"), SHEET),
    st.tuples(st.just("merge"), SHEET, ROW, COL, st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("delete_rows"), SHEET, ROW, st.integers(1, 5)),
    st.tuples(st.just("insert_rows"), SHEET, ROW, st.integers(1, 3)),
    st.tuples(st.just("delete_cols"), SHEET, COL),
    st.tuples(st.just("rename"), SHEET, st.sampled_from(["Sheet1", "情景 注入", "灾害-zone", "部门2", "答案措施"])),
    st.tuples(st.just("far_cell"), SHEET, st.integers(100, 30_000), st.integers(1, 200)),
)


def _apply(wb: openpyxl.Workbook, op: tuple) -> None:
    kind, sheet, *args = op
    if sheet not in wb.sheetnames:
        return
    ws = wb[sheet]
    if kind == "set":
        row, col, value = args
        if type(ws.cell(row, col)).__name__ == "MergedCell":
            return
        ws.cell(row, col).value = value
    elif kind == "delete_sheet":
        if len(wb.sheetnames) > 1:
            del wb[sheet]
    elif kind == "merge":
        row, col, dr, dc = args
        if dr or dc:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + dr, end_column=col + dc)
    elif kind == "delete_rows":
        ws.delete_rows(*args)
    elif kind == "insert_rows":
        ws.insert_rows(*args)
    elif kind == "delete_cols":
        ws.delete_cols(*args)
    elif kind == "rename":
        if args[0] not in wb.sheetnames:
            ws.title = args[0]
    elif kind == "far_cell":
        ws.cell(args[0], args[1]).value = "far away"


@SETTINGS
@given(st.lists(OPS, min_size=1, max_size=4))
def test_edited_workbooks_give_a_located_error(ops):
    wb = openpyxl.load_workbook(io.BytesIO(XLSX))
    for op in ops:
        try:
            _apply(wb, op)
        except (ValueError, TypeError):  # openpyxl refusing the edit itself (an overlapping merge …)
            continue
    buffer = io.BytesIO()
    wb.save(buffer)
    started = time.perf_counter()
    _clear_or_scenario("edited.xlsx", buffer.getvalue())
    assert time.perf_counter() - started < 10


@SETTINGS
@given(st.data())
def test_corrupt_workbooks_give_a_located_error(data):
    kind = data.draw(st.sampled_from(["truncate", "flip", "random", "zip_of_junk"]))
    if kind == "truncate":
        blob = XLSX[: data.draw(st.integers(0, len(XLSX) - 1))]
    elif kind == "flip":
        blob = bytearray(XLSX)
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(blob) - 1))
            blob[i] ^= data.draw(st.integers(1, 255))
        blob = bytes(blob)
    elif kind == "random":
        blob = b"PK\x03\x04" + data.draw(st.binary(max_size=500))
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in data.draw(
                st.lists(
                    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "_rels/.rels", "x.txt"]),
                    max_size=4,
                    unique=True,
                )
            ):
                archive.writestr(name, data.draw(st.binary(max_size=200)))
        blob = buffer.getvalue()
    _clear_or_scenario("corrupt.xlsx", blob, load_xlsx)


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet9.xml", b"\0" * (MAX_UNZIPPED_BYTES + 1))
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(FileFormatError) as caught:
        load_xlsx("bomb.xlsx", buffer.getvalue())
    assert "解压后过大" in str(caught.value)


def test_a_sheet_with_a_cell_far_away_is_refused_quickly():
    wb = openpyxl.load_workbook(io.BytesIO(XLSX))
    wb["部门"].cell(1_000_000, 16_000).value = "far"
    buffer = io.BytesIO()
    wb.save(buffer)
    started = time.perf_counter()
    with pytest.raises(FileFormatError) as caught:
        load_xlsx("far.xlsx", buffer.getvalue())
    assert time.perf_counter() - started < 5
    assert "far.xlsx:部门: (工作表): 行数过多" in str(caught.value)
