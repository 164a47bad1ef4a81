"""The .docx of the 调研报告 as an office receives it, for every golden case (five scenarios × reference, poor).

Checks what GB/T 9704-2012 fixes and what a reader sees: A4 and its margins, 仿宋/黑体/楷体 in 3号, the 28 × 22
grid, zh-CN as the East Asian language, the 落款 right-aligned without a seal, — 1 — page numbers, 附件1's
keyword merged down its indicator rows, table rows that never split across pages and repeated header rows; the
same report gives the same bytes. Where LibreOffice is installed, every case is rendered to PDF (once, in one
LibreOffice start) and the main text — everything before 附件1 — must fit in six pages, with 28 characters a
line, and the content's own estimate (``lint.main_text_lines``) is never below the real count, at most a page above.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from simulator.experiment import single_run
from simulator.formats import load_plan, load_scenario
from simulator.library import reference_plan_path
from simulator.report import build_report_of
from simulator.report.docx import closing_indents, docx_bytes
from simulator.report.pdf import docx_to_pdf_many, for_libreoffice, pdf_available
from tests.golden import SCENARIOS, SEED, cases

ROOT = Path(__file__).resolve().parents[1]
CASES = [f"{scenario}.{plan}" for scenario, plan in cases()]
MAX_MAIN_PAGES = 6


@pytest.fixture(scope="session")
def golden_reports():
    """The report of every golden case, built as the CLI builds it (seed 3, the reference under the same seed)."""
    out = {}
    for scenario_id, plan in cases():
        scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
        reference = load_plan(reference_plan_path(SCENARIOS / f"{scenario_id}.yaml"))
        result = single_run(scenario, load_plan(SCENARIOS / f"{scenario_id}.{plan}.yaml"), SEED, reference=reference)
        out[f"{scenario_id}.{plan}"] = build_report_of(result)
    return out


@pytest.fixture(scope="session")
def golden_docx(golden_reports):
    return {name: docx_bytes(report) for name, report in golden_reports.items()}


@pytest.fixture(scope="session")
def golden_pdf(golden_docx):
    """Every case as LibreOffice lays it out (one conversion for all ten); skipped without LibreOffice."""
    if not pdf_available() or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) and poppler-utils are needed to count pages")
    return docx_to_pdf_many(golden_docx)


def _document(data: bytes):
    return docx.Document(io.BytesIO(data))


def _pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")


def _main_text_pages(pages: list[str]) -> int:
    """How many pages come before the one that starts 附件1 (the attachment's own first line, not 附件说明)."""
    for number, page in enumerate(pages):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if lines and lines[0].replace(" ", "") == "附件1":
            return number
    raise AssertionError("no page starts with 附件1")


# -- layout -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_page_margins_fonts_grid_and_language(golden_docx, name):
    document = _document(golden_docx[name])
    section = document.sections[0]
    for actual, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(actual.mm - mm) <= 0.1, (actual.mm, mm)

    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    type_height = (section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips) / 20
    type_width = (section.page_width.twips - section.left_margin.twips - section.right_margin.twips) / 20
    assert int(type_height / (int(grid.get(qn("w:linePitch"))) / 20)) == 22  # 22 lines a page
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # Word: the Normal font's size plus charSpace
    assert int(type_width / pitch + 1e-6) == 28  # 28 characters a line

    styles = document.styles
    for style, font, size in (
        ("Normal", "仿宋_GB2312", 16),
        ("公文正文", "仿宋_GB2312", 16),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体_GB2312", 16),
        ("公文标题", "方正小标宋简体", 22),
    ):
        fonts = styles[style].element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, style
        assert styles[style].font.size == Pt(size), style

    with zipfile.ZipFile(io.BytesIO(golden_docx[name])) as package:
        xml = {n: package.read(n).decode("utf-8") for n in ("word/styles.xml", "word/settings.xml")}
    assert 'w:eastAsia="ja-JP"' not in xml["word/styles.xml"] + xml["word/settings.xml"]
    defaults = styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert styles["Normal"].element.find(qn("w:rPr") + "/" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("name", CASES)
def test_page_numbers_in_the_footer(golden_docx, name):
    document = _document(golden_docx[name])
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # odd pages right, even left
        p = footer.paragraphs[0]
        assert "PAGE" in p._p.xml and 'w:fldCharType="begin"' in p._p.xml
        assert p.text.startswith("— ") and p.text.endswith(" —") and p.alignment == align


@pytest.mark.parametrize("name", CASES)
def test_closing_is_right_aligned_without_a_seal(golden_docx, golden_reports, name):
    """落款: organiser and date right-aligned, the date two characters right of the organiser's first one."""
    report = golden_reports[name]
    paragraphs = _document(golden_docx[name]).paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == report.closing[0])
    organiser, date = paragraphs[at], paragraphs[at + 1]
    assert date.text == report.closing[1]
    assert paragraphs[at - 1].text == ""  # one blank line below the 附件说明
    assert organiser.alignment == date.alignment == 2  # right
    right_organiser, right_date = organiser.paragraph_format.right_indent, date.paragraph_format.right_indent
    assert min(right_organiser, right_date) >= Pt(31)  # at least two characters of right space


def test_closing_indents_follow_the_standard():
    # organiser longer than date + 2: organiser right-spaced two characters, the date further in
    assert closing_indents(("××区人民政府办公室", "2025年3月4日")) == [2.0, 3.0]  # 9 and 6 characters wide
    # date longer: the date keeps two characters, the organiser moves right so the date starts two right of it
    assert closing_indents(("区应急局", "2025年12月31日")) == [7.0, 2.0]  # 4 and 7 characters wide


@pytest.mark.parametrize("name", CASES)
def test_attachment_1_merges_the_keyword_and_keeps_rows_whole(golden_docx, golden_reports, name):
    document = _document(golden_docx[name])
    tables = document.tables
    assert tables
    for table in tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None  # the header repeats on every page
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    score_table = next(t for t in tables if t.rows[0].cells[0].text == "关键词")
    keywords = [tr.tc_lst[0] for tr in score_table._tbl.tr_lst[1:]]
    merges = [tc.tcPr.vMerge_val if tc.tcPr is not None else None for tc in keywords]
    indicators = len(golden_reports[name].indicators)
    assert len(keywords) >= indicators
    assert merges.count("restart") >= 2  # each keyword heads its indicator rows once …
    texts = [tc.xpath("string(.)") for tc in keywords]
    assert all(text == "" for text, merge in zip(texts, merges, strict=True) if merge == "continue")  # … once only
    shown = [t for t, m in zip(texts, merges, strict=True) if m != "continue"]
    assert len(shown) == len(set(shown))  # no keyword written twice


def test_same_report_same_bytes(golden_reports):
    report = golden_reports["hazchem_leak.poor"]
    assert docx_bytes(report) == docx_bytes(report)


# -- rendered by LibreOffice --------------------------------------------------------------------------------------
def test_the_copy_for_libreoffice_keeps_22_lines_and_condenses_to_28_characters(golden_docx):
    with zipfile.ZipFile(io.BytesIO(for_libreoffice(golden_docx["urban_flood.poor"]))) as package:
        document = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    assert 'w:type="lines"' in document and "linesAndChars" not in document
    assert '<w:spacing w:val="-5"/>' in styles  # 16 pt − 0.25 pt ≤ 156 mm / 28


@pytest.mark.parametrize("name", CASES)
def test_main_text_fits_six_pages_of_28_characters(golden_pdf, golden_reports, name):
    pages = _pages(golden_pdf[name])
    main = _main_text_pages(pages)
    assert 1 <= main <= MAX_MAIN_PAGES, f"{name}: main text takes {main} pages"
    longest = max(
        sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in line.replace(" ", ""))
        for line in pages[0].splitlines()
        if "—" not in line  # not the page number
    )
    assert 26 <= longest <= 28.5, f"{name}: a line of {longest} characters"
    try:
        from simulator.report.lint import main_text_lines
    except ImportError:
        return
    estimate = main_text_lines(golden_reports[name]) / 22
    # never fewer pages than LibreOffice lays out, at most one more
    assert main <= math.ceil(estimate) <= main + 1, f"{name}: estimated {estimate:.1f} pages, rendered {main}"


# -- the command line ---------------------------------------------------------------------------------------------
def _run_cli(out, env=None) -> subprocess.CompletedProcess:
    argv = ["run", SCENARIOS / "hazchem_leak.yaml", "--plan", SCENARIOS / "hazchem_leak.poor.yaml", "--seed", "3"]
    command = [sys.executable, "-m", "simulator", *map(str, argv), "--out", str(out), "--format", "md,pdf"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_cli_writes_the_pdf(tmp_path):
    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    done = _run_cli(tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_cli_without_libreoffice_says_how_to_install_it(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path / "empty")}  # no soffice on this PATH
    done = _run_cli(tmp_path / "run", env)
    assert done.returncode == 1
    assert "apt-get install libreoffice-writer-nogui" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "run" / "report.pdf").exists()
