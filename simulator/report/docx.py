"""The report as a Word document laid out as a Chinese official document (GB/T 9704-2012 《党政机关公文格式》).

Why this layout: the draft goes straight into the office's own document flow; if it does not look like an
official document, someone retypes it. What the standard fixes and this module sets:

* A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (the 156 × 225 mm type area).
* Title 2号 (22 pt) 方正小标宋简体, centred, one blank line below it.
* Body 3号 (16 pt) 仿宋_GB2312, 22 lines a page (exact line spacing 28.95 pt), first line indented two characters.
* Level-one headings (一、) 黑体, level-two headings (（一）) 楷体_GB2312, both 3号.
* Page numbers 4号 (14 pt) 宋体 as "— 1 —", 7 mm below the type area: odd pages right, even pages left, each
  one character in from the edge.
* A document grid of 28 characters × 22 lines (``w:docGrid w:type="linesAndChars"``): without it a 3号 line holds
  only 27 characters, since 156 mm is 27.6 characters of 16 pt; the grid narrows the pitch to 156 mm / 28.
* East Asian language zh-CN everywhere a language is named (defaults, styles, settings), so line breaking and
  font fallback follow Chinese rules, not Japanese ones.
* 落款 of a document without a seal: organiser right-spaced two characters one blank line below the text, the date
  on the next line starting two characters right of the organiser (the organiser moves right when the date is
  longer).
* Tables: rows never split across pages, the header row repeats, and a leading cell repeated in consecutive rows
  (附件1's keyword) is one cell merged down its rows.

Chinese fonts are set through ``w:rFonts/@w:eastAsia`` (Word picks the East Asian font from there, not from
the Latin one) and the template's theme-font attributes are removed, since those override explicit names.
The charts are embedded as PNGs; tables stay real Word tables, so the director can edit them.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from simulator.report import charts, sitemap
from simulator.report._util import stable_zip, write_bytes
from simulator.report.blocks import Figure, Paragraph, Report, Section, SubHeading, Table

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
SIZE_TABLE = Pt(12)  # 小4号, body tables
SIZE_TABLE_SMALL = Pt(10.5)  # 5号, the attachments' wide tables
SIZE_CAPTION = Pt(14)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_WIDTH = Mm(156)  # 210 - 28 - 26
LINE = Pt(28.95)  # 225 mm type area / 22 lines
TITLE_LINE = Pt(35)  # the title's two lines, a little apart
INDENT = Pt(32)  # two characters of 16 pt
FOOTER_DISTANCE = Mm(23)  # number line's top 7 mm under the type area: 35 - 7 - one 14 pt line
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BLACK = RGBColor(0, 0, 0)
#: a fallback Word may substitute on machines without the _GB2312 fonts (most Windows installations have these)
FONT_ALTERNATES = {FONT_BODY: "仿宋", FONT_H2: "楷体", FONT_TITLE: "宋体"}
CELL_MARGIN = Mm(1.2)  # left and right padding inside table cells

STYLE_BODY = "公文正文"
STYLE_TITLE = "公文标题"
STYLE_TABLE = "表格文字"
STYLE_CAPTION = "图表题注"


# -- fonts ------------------------------------------------------------------------------------------------
def set_fonts(element, name: str) -> None:
    """Name one font for Latin, East Asian and complex scripts on a style's or run's ``w:rPr``.

    ``element`` is a ``CT_Style`` or ``CT_R``; theme attributes are dropped since Word prefers them to names.
    """
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _run(
    paragraph: DocxParagraph, text: str, font: str | None = None, size: Pt | None = None, bold: bool | None = None
):
    run = paragraph.add_run(text)
    if font:
        set_fonts(run._r, font)
    if size:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    return run


def _para_style(doc, name: str, font: str, size: Pt, *, base: str = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)  # 1: paragraph
    if name != base:
        style.base_style = styles[base]
    set_fonts(style.element, font)
    style.font.size = size
    style.font.color.rgb = BLACK
    style.font.bold = False
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def _lang(rpr) -> None:
    """Name the languages on a ``w:rPr``: Latin en-US, East Asian zh-CN (the template says ja-JP / en-US)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _defaults(doc) -> None:
    """Document defaults: the body font and size, zh-CN, no space after paragraphs; the theme's fonts and
    languages (Japanese in python-docx's template) are dropped so nothing falls back to them."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_BODY)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))
    _lang(rpr)
    spacing = styles.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    _font_table(doc)


def _font_table(doc) -> None:
    """Declare the Chinese fonts in the font table as GB2312 fonts with a common alternate name, so Word on a
    machine without 仿宋_GB2312 substitutes 仿宋 (not a Latin font); the Latin fonts of the template stay."""
    part = next((p for p in doc.part.package.parts if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    named = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in (FONT_BODY, FONT_H1, FONT_H2, FONT_TITLE, FONT_PAGE_NUMBER):
        if name in named:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if name in FONT_ALTERNATES:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), FONT_ALTERNATES[name])
            font.append(alt)
        for tag, value in (("w:charset", "86"), ("w:family", "modern" if name == FONT_H1 else "roman")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _off_grid(element) -> None:
    """Let a style's (or paragraph's) text keep its own pitch instead of the 28-character grid: text smaller than
    3号 (tables, captions, page numbers) would be spread one character per cell, the 2号 title two cells each."""
    ppr = element.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        off = OxmlElement("w:snapToGrid")
        off.set(qn("w:val"), "0")
        ppr.insert_element_before(off, *_AFTER_SNAP_TO_GRID)


#: the ``w:pPr`` children that follow ``w:snapToGrid`` in the schema's sequence
_AFTER_SNAP_TO_GRID = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _styles(doc) -> None:
    """The document's styles: Normal is the body; headings keep Word's outline levels (navigation pane)."""
    _defaults(doc)
    normal = _para_style(doc, "Normal", FONT_BODY, SIZE_BODY)
    _lang(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = True

    body = _para_style(doc, STYLE_BODY, FONT_BODY, SIZE_BODY)
    body.paragraph_format.first_line_indent = INDENT

    for name, font in (("Heading 1", FONT_H1), ("Heading 2", FONT_H2)):
        h = _para_style(doc, name, font, SIZE_BODY)
        h.font.italic = False
        h.paragraph_format.first_line_indent = INDENT
        h.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        h.paragraph_format.line_spacing = LINE
        h.paragraph_format.keep_with_next = True

    title = _para_style(doc, STYLE_TITLE, FONT_TITLE, SIZE_TITLE)
    _off_grid(title.element)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = TITLE_LINE
    title.paragraph_format.space_after = LINE  # 标题下空一行

    table = _para_style(doc, STYLE_TABLE, FONT_BODY, SIZE_TABLE)
    _off_grid(table.element)
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    caption = _para_style(doc, STYLE_CAPTION, FONT_BODY, SIZE_CAPTION)
    _off_grid(caption.element)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption.paragraph_format.space_after = Pt(8)
    caption.paragraph_format.keep_with_next = False


# -- page ----------------------------------------------------------------------------------------------------
def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    doc.settings.odd_and_even_pages_header_footer = True
    _grid(section)
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def char_pitch(section) -> float:
    """The width of one character on the grid, in points: the type area's width over 28 (in whole twips, as
    Word reads the section)."""
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    return width / 20 / CHARS_PER_LINE


def _grid(section) -> None:
    """28 characters × 22 lines: ``linePitch`` is the type area's height over 22 (twips); ``charSpace`` is how
    much narrower than the Normal font (16 pt) each character's pitch is, in 1/4096 pt, as Word stores it."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(height // LINES_PER_PAGE))
    # rounded down: a pitch a hair too wide would fit only 27 characters
    grid.set(qn("w:charSpace"), str(math.floor((char_pitch(section) - SIZE_BODY.pt) * 4096)))


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A Word field (``PAGE``) as begin / instruction / separate / cached text / end runs."""

    def char(kind: str):
        run = _run(paragraph, "", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    run = _run(paragraph, "", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    _run(paragraph, placeholder, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    char("end")


def _page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    """— 1 —: odd pages on the right, even pages on the left, one character (14 pt) in from the edge."""
    _off_grid(paragraph._p)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Pt(0)
    if odd:
        fmt.right_indent = SIZE_PAGE_NUMBER
    else:
        fmt.left_indent = SIZE_PAGE_NUMBER
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = SIZE_PAGE_NUMBER
    _run(paragraph, "— ", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    _field(paragraph, "PAGE", "1")
    _run(paragraph, " —", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)


# -- blocks ----------------------------------------------------------------------------------------------
class _Writer:
    def __init__(self, report: Report):
        self.report = report
        self.doc = docx.Document()
        _styles(self.doc)
        _page(self.doc)
        self._images: dict[str, bytes] = {}
        self._style_ids: dict[str, str] = {}
        props = self.doc.core_properties
        props.title = report.title
        props.author = "应急处置桌面推演模拟器"
        props.last_modified_by = "应急处置桌面推演模拟器"
        props.subject = f"{report.scenario_title}桌面推演调研报告（草稿）"
        props.keywords = "应急处置；桌面推演；调研报告；迅速；有序；精准；提升"
        props.comments = ""
        props.revision = 1

    def para(self, style: str, container=None) -> DocxParagraph:
        """A new paragraph of ``style`` (by name), in the body or in ``container`` (a cell).

        The style id is written straight into ``w:pStyle``: python-docx's own lookup scans every style per
        call, which made a long timeline take seconds.
        """
        style_id = self._style_ids.get(style)
        if style_id is None:
            style_id = self._style_ids[style] = self.doc.styles[style].style_id
        p = (container or self.doc).add_paragraph()
        p._p.style = style_id
        return p

    def build(self) -> docx.document.Document:
        doc = self.doc
        body = doc.paragraphs[0] if doc.paragraphs else self.para(STYLE_TITLE)
        body._p.style = doc.styles[STYLE_TITLE].style_id
        _run(body, self.report.title, FONT_TITLE, SIZE_TITLE)
        for section in self.report.sections:
            self.section(section)
        last = self.doc.element.body.xpath("./w:p")[-1]  # the text's last paragraph: the 落款 never stands alone
        DocxParagraph(last, self.doc._body).paragraph_format.keep_with_next = True
        self.attachment_list()
        self.closing()
        for number, section in enumerate(self.report.attachments, start=1):
            self.attachment(number, section)
        return doc

    def section(self, section: Section) -> None:
        heading = self.para("Heading 1")
        _run(heading, section.heading, FONT_H1, SIZE_BODY)
        for block in section.blocks:
            self.block(block)

    def block(self, block) -> None:
        if isinstance(block, SubHeading):
            p = self.para("Heading 2")
            _run(p, block.text, FONT_H2, SIZE_BODY)
        elif isinstance(block, Paragraph):
            style = STYLE_BODY if block.style == "body" else "Normal"
            _run(self.para(style), block.text)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)

    def table(self, block: Table) -> DocxTable:
        doc = self.doc
        size = SIZE_TABLE_SMALL if block.small else SIZE_TABLE
        table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        total = sum(block.widths) or 1
        widths = [Emu(int(TYPE_WIDTH * w / total)) for w in block.widths]
        # short columns (times, figures, statuses) read better centred
        centred = [all(len(line) <= 8 for v in col for line in v.split("\n")) for col in zip(*block.rows, strict=True)]
        centred = centred or [False] * len(block.columns)
        fixed_width(table, widths)
        table_style = doc.styles[STYLE_TABLE].style_id
        merge = _group_merges([row[0] for row in block.rows]) if block.rows else []
        for r, (row, values) in enumerate(zip(table.rows, (block.columns, *block.rows), strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))  # a row never splits across pages
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header row on every page
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p._p.style = table_style
                if r == 0 or centred[c]:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if r == 0:
                    _run(p, value, FONT_H1, size)
                    continue
                if c == 0 and merge[r - 1] is not None:
                    cell._tc.get_or_add_tcPr().vMerge_val = merge[r - 1]
                    if merge[r - 1] == "continue":
                        continue  # the merged cell shows the value once, in its first row
                _run(p, value, None, size)
        self.para("Normal").paragraph_format.line_spacing = Pt(12)  # air below the table
        return table

    def figure(self, block: Figure) -> None:
        if block.chart == "map":
            png = sitemap.render(block.site_map, self.report.start_clock)
        else:
            if block.chart not in self._images:
                self._images[block.chart] = charts.render(self.report, block.chart)
            png = self._images[block.chart]
        p = self.para(STYLE_CAPTION)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(0)
        width = Mm(110) if block.chart in ("radar", "map") else Mm(154)
        p.add_run().add_picture(io.BytesIO(png), width=width)
        caption = self.para(STYLE_CAPTION)
        _run(caption, block.caption)

    def attachment_list(self) -> None:
        """附件说明: "附件：1．…", the further items aligned under the first one's text."""
        self.para("Normal").paragraph_format.keep_with_next = True
        for i, title in enumerate(self.report.attachment_titles, start=1):
            p = self.para(STYLE_BODY)
            p.paragraph_format.keep_with_next = True  # 附件说明 and 落款 stay on one page
            if i == 1:
                _run(p, f"附件：{i}．{title}")
            else:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.left_indent = INDENT + SIZE_BODY * 3  # under the text after "附件："
                _run(p, f"{i}．{title}")

    def closing(self) -> None:
        """落款 without a seal (GB/T 9704-2012 7.3.5.2): one blank line below the 附件说明, the organiser right-spaced
        two characters, the date on the next line starting two characters right of the organiser's first one;
        when the date is the longer, the organiser moves right so the date keeps its two-character right space."""
        self.para("Normal").paragraph_format.keep_with_next = True
        pitch = Pt(char_pitch(self.doc.sections[0]))
        lines = self.report.closing
        for n, (line, right) in enumerate(zip(lines, closing_indents(lines), strict=True), start=1):
            p = self.para("Normal")
            p.paragraph_format.keep_with_next = n < len(lines)
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.right_indent = Emu(int(pitch * right))
            _run(p, line)

    def attachment(self, number: int, section: Section) -> None:
        """Each attachment on a new page: "附件N" in 黑体 at the top left, then its title like the report's."""
        p = self.para("Normal")
        p.paragraph_format.page_break_before = True
        _run(p, f"附件{number}", FONT_H1, SIZE_BODY)
        title = self.para(STYLE_TITLE)
        _run(title, self.report.attachment_titles[number - 1], FONT_TITLE, SIZE_TITLE)
        for block in section.blocks:
            self.block(block)


def text_width(text: str) -> float:
    """A line's width in characters of the grid: full-width characters count one, ASCII (Arabic digits) a half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def closing_indents(lines: tuple[str, ...] | list[str]) -> list[float]:
    """Right indents, in characters, of the 落款's organiser and date lines (GB/T 9704-2012 7.3.5.2).

    The date starts two characters right of the organiser and both keep at least two characters of right space:
    organiser 2 + max(0, date + 2 − organiser), date 2 + max(0, organiser − date − 2). Other lines (none today)
    are right-spaced two characters.
    """
    if len(lines) < 2:
        return [2.0] * len(lines)
    name, date = text_width(lines[0]), text_width(lines[1])
    indents = [2 + max(0.0, date + 2 - name), 2 + max(0.0, name - date - 2)]
    return indents + [2.0] * (len(lines) - 2)


def _group_merges(first_column: list[str]) -> list[str | None]:
    """For each row, how its leading cell merges vertically: ``restart`` (first of a run of equal values),
    ``continue`` (the run goes on) or None (a value of its own). A leading value repeated in consecutive rows is
    a group label (附件1's keyword), written once."""
    out: list[str | None] = []
    for i, value in enumerate(first_column):
        same_as_previous = i > 0 and value != "" and value == first_column[i - 1]
        same_as_next = i + 1 < len(first_column) and value != "" and value == first_column[i + 1]
        out.append("continue" if same_as_previous else "restart" if same_as_next else None)
    return out


def build_docx(report: Report) -> docx.document.Document:
    """The report as a python-docx Document (not yet saved), for callers that add to it."""
    return _Writer(report).build()


def docx_bytes(report: Report) -> bytes:
    """The .docx file's bytes; equal reports give equal bytes (zip and core-property dates are fixed)."""
    buf = io.BytesIO()
    build_docx(report).save(buf)
    return stable_zip(buf.getvalue())


def write_docx(report: Report, path: str | Path) -> Path:
    """Write the report as a .docx laid out per GB/T 9704-2012; return the path written."""
    return write_bytes(path, docx_bytes(report))


def fixed_width(table, widths) -> None:
    """A fixed table width in twips (LibreOffice and WPS otherwise shrink the table to its text) and narrow cell
    padding."""
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
    margins = OxmlElement("w:tblCellMar")  # narrow cell padding: "已完成" fits 14 mm
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: tblCellMar comes just before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


__all__ = ["build_docx", "docx_bytes", "set_fonts", "write_docx"]
