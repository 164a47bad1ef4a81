"""The pack's Word documents: the 调研报告's GB/T 9704 page (A4, 仿宋/黑体, — 1 — page numbers, zh-CN; see
``simulator.report.docx``) with what paper for a room needs besides — a cover, ruled tables to fill in by hand,
boxed cards with cut lines, a landscape page for the wide script, and a running header on every page of a
document trainees must not see.

Why the report's styles are reused rather than copied: the pack and the report leave the same office, and a
second set of fonts and margins would drift from the first.
"""

from __future__ import annotations

import io
from functools import cache

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from simulator.pack.model import Pack
from simulator.report._util import stable_zip
from simulator.report.docx import (
    FONT_BODY,
    FONT_H1,
    FONT_TITLE,
    SIZE_BODY,
    SIZE_TABLE,
    SIZE_TITLE,
    STYLE_TABLE,
    STYLE_TITLE,
    TYPE_WIDTH,
    _page,
    _run,
    _styles,
    fixed_width,
)
from simulator.report.facts import date_text

#: a blank to fill in by hand
BLANK = "＿＿＿＿＿＿＿＿＿＿"
SIZE_CARD = Pt(14)  # 4号: read across a table
SIZE_SMALL = Pt(10.5)  # 5号
MARGIN_LANDSCAPE = Mm(20)
AUTHOR = "应急处置桌面推演模拟器"


class PackDoc:
    """One Word document of the pack, built block by block; ``bytes()`` gives the same bytes for the same pack."""

    def __init__(self, title: str, *, landscape: bool = False, header: str = "") -> None:
        self.doc = docx.Document(io.BytesIO(_template()))
        self._style_ids: dict[str, str] = {}
        self._new_page = False
        section = self.doc.sections[0]
        self.width = TYPE_WIDTH
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
            for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
                setattr(section, side, MARGIN_LANDSCAPE)
            section.footer_distance = Mm(10)
            self.width = Emu(section.page_width - 2 * MARGIN_LANDSCAPE)
            grid = section._sectPr.find(qn("w:docGrid"))
            if grid is not None:  # the 28-character grid is the portrait body's; tables keep their own pitch
                grid.set(qn("w:type"), "lines")
                grid.attrib.pop(qn("w:charSpace"), None)
        if header:
            for part in (section.header, section.even_page_header):
                p = part.paragraphs[0]
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(p, header, FONT_H1, SIZE_SMALL)
        props = self.doc.core_properties
        props.title = title
        props.author = AUTHOR
        props.last_modified_by = AUTHOR
        props.comments = ""
        props.revision = 1

    # -- paragraphs -------------------------------------------------------------------------------------------
    def style_id(self, name: str) -> str:
        """A style's id, looked up once: python-docx scans every style on each ``p.style = …`` (seconds a pack)."""
        found = self._style_ids.get(name)
        if found is None:
            found = self._style_ids[name] = self.doc.styles[name].style_id
        return found

    def style(self, paragraph, name: str) -> None:
        paragraph._p.style = self.style_id(name)

    def para(self, text: str = "", *, style: str = "Normal", font: str | None = None, size=None, bold=None,
             align=None, indent: bool = False, container=None):  # fmt: skip
        p = (container or self.doc).add_paragraph()
        self.style(p, style)
        if container is None and self._new_page:  # the first paragraph after the cover starts a page
            p.paragraph_format.page_break_before = True
            self._new_page = False
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        if align is not None:
            p.paragraph_format.alignment = align
        if text:
            _run(p, text, font, size, bold)
        return p

    def title(self, text: str, *, page_break: bool = False) -> None:
        p = self.para(style=STYLE_TITLE)
        if page_break:
            p.paragraph_format.page_break_before = True
        _run(p, text, FONT_TITLE, SIZE_TITLE)

    def heading(self, text: str, *, page_break: bool = False) -> None:
        p = self.para(text, style="Heading 1", font=FONT_H1, size=SIZE_BODY)
        p.paragraph_format.first_line_indent = Pt(0)
        if page_break:
            p.paragraph_format.page_break_before = True

    def note(self, text: str, *, size=SIZE_TABLE) -> None:
        p = self.para(text, style=STYLE_TABLE, size=size)
        p.paragraph_format.space_after = Pt(6)

    # -- the cover --------------------------------------------------------------------------------------------
    def cover(self, pack: Pack, part: str, warning: str = "") -> None:
        """The first page: the drill's name and the part's, then the drill's own facts (blanks without a drill)."""
        for _ in range(3):
            self.para()
        self.title(pack.scenario.title)  # a long title wraps at its own end, not inside 桌面推演
        self.title(f"桌面推演{part}")
        if warning:
            self.para(warning, font=FONT_H1, size=SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para()
        self.facts_table(pack, size=SIZE_BODY)
        self._new_page = True

    def facts_table(self, pack: Pack, *, size=SIZE_TABLE) -> None:
        """The drill's team, code, date, venue, organiser, 导调组 and 评估组 (blanks to fill in without a drill)."""
        facts, drill = pack.facts, pack.drill
        lines = [("参演队伍", drill.team if drill is not None and drill.team else "")]
        if drill is not None:
            lines.append(("推演码", drill.code))
        date = drill.date if drill is not None else None
        lines += [
            ("演练日期", date_text(date, "")),
            ("演练地点", facts.venue),
            ("组织单位", facts.organiser),
            ("导调组", "、".join(facts.director)),
            ("评估组", "、".join(facts.evaluators)),
        ]
        rows = [(label, value or BLANK) for label, value in lines]
        self.table(["项目", "内容"], rows, [30, 90], size=size, header=False, width=Mm(120))

    # -- tables -----------------------------------------------------------------------------------------------
    def table(self, headers: list[str], rows: list, widths: list[float], *, size=SIZE_TABLE, header: bool = True,
              height=None, width=None, bold_first: bool = False):  # fmt: skip
        """A ruled table: a repeated header row (unless ``header`` is False), rows never split across pages,
        ``widths`` relative, ``height`` a row's least height (room to write by hand)."""
        data = ([headers] if header else []) + [list(r) for r in rows]
        table = self.doc.add_table(rows=len(data), cols=len(widths))
        table._tbl.tblPr.style = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        total = sum(widths)
        full = width or self.width
        emus = [Emu(int(full * w / total)) for w in widths]
        fixed_width(table, emus)
        for r, (row, values) in enumerate(zip(table.rows, data, strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if header and r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            if height is not None and not (header and r == 0):
                row.height = height
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = emus[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                lines = str(value).split("\n")
                for n, line in enumerate(lines):
                    p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                    self.style(p, STYLE_TABLE)
                    if header and r == 0:
                        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    bold = (header and r == 0) or (bold_first and c == 0) or None
                    if line:
                        _run(p, line, FONT_H1 if bold else None, size, None)
        self.para(style=STYLE_TABLE).paragraph_format.space_after = Pt(4)
        return table

    def box(self, lines: list[tuple[str, str]], *, size=SIZE_CARD, blank_lines: int = 0, footer: str = "") -> None:
        """A card: one bordered cell holding ``(label, text)`` lines, ruled lines to write on and a ``footer``
        line (who wrote it, when); never split across pages."""
        table = self.doc.add_table(rows=1, cols=1)
        table._tbl.tblPr.style = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        fixed_width(table, [self.width])
        row = table.rows[0]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cell = row.cells[0]
        cell.width = self.width
        for n, (label, text) in enumerate(lines):
            p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            self.style(p, STYLE_TABLE)
            p.paragraph_format.space_after = Pt(2)
            if label:
                _run(p, f"{label}：", FONT_H1, size)
            _run(p, text, FONT_BODY, size)
        for _ in range(blank_lines):  # ruled lines: a bottom border, and between consecutive ones
            p = cell.add_paragraph()
            self.style(p, STYLE_TABLE)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(24)
            _border(p, "bottom", "single", color="808080")
            _border(p, "between", "single", color="808080")
            _run(p, " ", FONT_BODY, size)
        if footer:
            p = cell.add_paragraph()
            self.style(p, STYLE_TABLE)
            p.paragraph_format.space_before = Pt(4)
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(p, footer, FONT_BODY, SIZE_TABLE)

    def cut_line(self) -> None:
        """A dashed line across the page between two cards, with 沿虚线剪开 beneath it."""
        p = self.para(style=STYLE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(8)
        _border(p, "top", "dashed", color="000000")
        _run(p, "沿虚线剪开", FONT_BODY, Pt(9))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return stable_zip(buffer.getvalue())


@cache
def _template() -> bytes:
    """The report's styled, empty A4 document, made once: styling a fresh document is most of a part's time."""
    doc = docx.Document()
    _styles(doc)
    _page(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _border(paragraph, side: str, kind: str, color: str) -> None:
    """A paragraph border on one side (``w:pBdr``), e.g. the dashed cut line or a ruled writing line."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_BORDERS)  # the schema's order, or Word calls the file corrupt
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), kind)
    line.set(qn("w:sz"), "6")
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), color)
    borders.append(line)


#: the ``w:pPr`` children that follow ``w:pBdr`` in the schema's sequence
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


__all__ = ["BLANK", "SIZE_CARD", "SIZE_SMALL", "PackDoc"]
