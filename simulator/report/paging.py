"""How many grid lines the main text of a report takes when LibreOffice lays the .docx out: a small typesetter.

Why a typesetter and not characters ÷ 28: counting characters missed what a reader of the PDF sees — a line
cannot end before a closing mark or start after an opening one, and a run of digits such as ``T+158`` cannot be
broken, so lines end early and are spread; Latin text falls back to a Latin font whose digits are wider than half
a character; table cells wrap in their own narrow columns and rows are shorter than a grid line; and the page
breaks waste lines (a heading keeps with two lines of its paragraph, a paragraph leaves no single line behind
or ahead, table rows never split, and the last paragraph, the 附件说明 and the 落款 stay on one page). Calibrated
against LibreOffice's PDFs of the ten golden cases (``python -m simulator run … --format docx,pdf``), where
Latin text falls back to DejaVu Sans and Chinese to Noto Sans CJK, as on the CI and a Linux server. In Word with
仿宋_GB2312 digits are half a character, so there the estimate errs on the long side.

Everything is in points; the result is in grid lines (28.99 pt) from the top of the first page, pages counted
whole but the last.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from simulator.report.blocks import Figure, Paragraph, Report, Section, SubHeading, Table

TYPE_WIDTH = 156 / 25.4 * 72  # the type area, 156 mm
PAGE = 225 / 25.4 * 72  # 225 mm: 22 lines
LINE = PAGE / 22  # a body line: 28.95 pt exact, laid on the page's grid of 22 (28.99 pt)
BODY, TITLE, TABLE, TABLE_SMALL = 16.0, 22.0, 12.0, 10.5
TITLE_LINE = 35.0
INDENT = 32.0  # two characters of 16 pt
CONDENSE = 0.25  # the copy for LibreOffice condenses every character by 0.25 pt (``pdf.for_libreoffice``)
CELL_PADDING = 2 * 1.2 / 25.4 * 72  # 1.2 mm each side
CELL_LINE = 1.448  # a table line: Noto Sans CJK's single line height, in ems
ROW_EXTRA = 0.6  # borders and padding of a table row, pt
AIR = 28.1  # the 12 pt paragraph under a table, with the table's bottom border: it takes its grid line
FIGURE_LINES = {"radar": 11, "gantt": 12}
#: Latin advance widths (ems) of DejaVu Sans, LibreOffice's fallback for Latin text in 仿宋_GB2312
LATIN = dict(zip("0123456789", [0.636] * 10, strict=True)) | {
    " ": 0.318, "+": 0.838, "-": 0.361, ":": 0.337, ".": 0.318, ",": 0.318, "/": 0.337, "%": 0.95, "(": 0.39,
    ")": 0.39, "D": 0.77, "N": 0.748, "T": 0.611, "I": 0.295, "V": 0.684, "X": 0.685,
}  # fmt: skip
LATIN_DEFAULT = 0.65
AUTOSPACE = 0.22  # ems between an ideograph and a Latin letter or digit
#: marks a line may not start with (they cling to what precedes) and may not end with (they cling to what follows)
NO_START = frozenset("，。、；：？！）》」』”’…—％·")
NO_END = frozenset("（《「『“‘")


def _ideograph(ch: str) -> bool:
    return ord(ch) >= 0x2E80 and not (0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF)


def _advances(text: str, size: float) -> list[float]:
    """Each character's advance, with the space LibreOffice puts between an ideograph and a Latin letter or digit
    (its "autospace", about a fifth of an em) added to the Latin side."""
    out = []
    for i, ch in enumerate(text):
        if ord(ch) >= 128:
            out.append(size - CONDENSE)
            continue
        w = LATIN.get(ch, LATIN_DEFAULT) * size - CONDENSE
        if ch.isalnum():
            w += AUTOSPACE * size * sum(0 <= j < len(text) and _ideograph(text[j]) for j in (i - 1, i + 1))
        out.append(w)
    return out


def _tokens(text: str) -> Iterator[tuple[int, int]]:
    """The pieces a line may break between, as index ranges: a run of ASCII, or one other character, with closing
    marks joined to what precedes them and opening marks to what follows."""
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text):
            prev, ch = text[i - 1], text[i]
            if (ord(ch) < 128 and ord(prev) < 128) or ch in NO_START or prev in NO_END:
                continue  # digits, Latin and their marks don't break; the marks cling
        yield start, i
        start = i


def lines_of(text: str, width: float, size: float = BODY, indent: float = 0.0) -> int:
    """Lines ``text`` takes set in ``size`` pt across ``width`` pt, the first line indented by ``indent`` pt."""
    advances = _advances(text, size)
    lines, used, room = 1, 0.0, width - indent
    for a, b in _tokens(text):
        w = sum(advances[a:b])
        if used + w > room + 0.01 and used > 0:
            lines, used, room = lines + 1, 0.0, width
        used += w
        while used > room + 0.01:  # longer than a line: breaks by force
            lines, used = lines + 1, used - room
            room = width
    return lines


# -- blocks as heights ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Lines:
    """A paragraph of ``n`` lines of ``pitch`` pt; it splits across pages leaving two lines on either side."""

    n: int
    pitch: float = LINE
    keep: bool = False  # keep with the next block (headings; the end of the text with the 落款)
    whole: bool = False  # never split (a paragraph kept with the 落款 moves whole)


@dataclass(frozen=True, slots=True)
class Rows:
    """A table: its header row and body rows (pt); rows never split, the header repeats on a new page."""

    header: float
    rows: tuple[float, ...]


def _table(table: Table) -> Rows:
    size = TABLE_SMALL if table.small else TABLE
    total = sum(table.widths) or 1
    widths = [TYPE_WIDTH * w / total - CELL_PADDING for w in table.widths]

    def height(row: tuple[str, ...]) -> float:
        n = max(sum(lines_of(part, w, size) for part in cell.split("\n")) for cell, w in zip(row, widths, strict=True))
        return n * CELL_LINE * size + ROW_EXTRA

    return Rows(height(table.columns), tuple(height(r) for r in table.rows))


def _blocks(section: Section) -> Iterator[Lines | Rows]:
    yield Lines(lines_of(section.heading, TYPE_WIDTH, indent=INDENT), keep=True)
    for b in section.blocks:
        if isinstance(b, SubHeading):
            yield Lines(lines_of(b.text, TYPE_WIDTH, indent=INDENT), keep=True)
        elif isinstance(b, Paragraph):
            yield Lines(lines_of(b.text, TYPE_WIDTH, indent=INDENT if b.style == "body" else 0.0))
        elif isinstance(b, Table):
            yield _table(b)
            yield Lines(1, AIR, whole=True)
        elif isinstance(b, Figure):
            yield Lines(FIGURE_LINES.get(b.chart, 12), whole=True)


# -- pages ----------------------------------------------------------------------------------------------------
class _Pages:
    """Blocks poured onto pages of ``PAGE`` pt, as LibreOffice breaks them."""

    def __init__(self) -> None:
        self.page, self.y = 0, 0.0

    def room(self) -> float:
        """Space left on the page. After a table or the title the position is not a whole number of lines, and a
        line ending within a point of the bottom went to the next page in LibreOffice: err on that side."""
        whole = abs(self.y / LINE - round(self.y / LINE)) < 1e-6
        return PAGE - self.y + (0.01 if whole else -1.0)

    def new_page(self) -> None:
        self.page, self.y = self.page + 1, 0.0

    @staticmethod
    def first(block: Lines | Rows) -> float:
        """The least of a block that must stand on a page: two lines, a whole unsplittable block, or the header
        and the first row."""
        if isinstance(block, Rows):
            return block.header + (block.rows[0] if block.rows else 0.0)
        if block.whole or block.n < 4:
            return block.n * block.pitch
        return 2 * block.pitch

    def pour(self, blocks: list[Lines | Rows]) -> None:
        for i, block in enumerate(blocks):
            # a heading (or the end of the text) takes the least of what follows with it
            if isinstance(block, Lines) and block.keep:
                chain = [block]
                for nxt in blocks[i + 1 :]:
                    chain.append(nxt)
                    if not (isinstance(nxt, Lines) and nxt.keep):
                        break
                need = sum(b.n * b.pitch for b in chain[:-1]) + self.first(chain[-1])
                if need > self.room() and self.y > 0:
                    self.new_page()
            if isinstance(block, Rows):
                self.table(block)
            else:
                self.lines(block)

    def lines(self, block: Lines) -> None:
        left = block.n
        while True:
            fits = int(self.room() // block.pitch)
            if fits >= left:
                self.y += left * block.pitch
                return
            if self.y == 0:
                take = max(1, fits)  # taller than a page
            elif block.whole or block.keep or left < 4:
                take = 0
            else:  # a split leaves two lines on either side
                take = min(fits, left - 2)
                take = take if take >= 2 else 0
            self.y += take * block.pitch
            left -= take
            self.new_page()

    def table(self, block: Rows) -> None:
        if self.y > 0 and block.header + (block.rows[0] if block.rows else 0) > self.room():
            self.new_page()
        self.y += block.header
        for row in block.rows:
            if row > self.room() and self.y > block.header:
                self.new_page()
                self.y = block.header
            self.y += row

    def lines_used(self) -> float:
        return self.page * 22 + self.y / LINE


def main_text_blocks(title: str, sections: Iterable[Section], closing: Sequence[str]) -> list[Lines | Rows]:
    """The main text as blocks: the title, the seven sections, the 附件说明 and the 落款, kept together with the
    text's last paragraph (``docx``'s keep-with-next chain)."""
    blocks: list[Lines | Rows] = [Lines(1, lines_of(title, TYPE_WIDTH, TITLE) * TITLE_LINE + LINE, whole=True)]
    for section in sections:
        blocks.extend(_blocks(section))
    if isinstance(blocks[-1], Lines):
        blocks[-1] = Lines(blocks[-1].n, blocks[-1].pitch, keep=True, whole=True)
    tail = 1 + 3 + 1 + len(closing)  # blank, 附件：1．2．3．, blank, 署名 and 日期
    blocks.append(Lines(tail, whole=True))
    return blocks


def text_lines(title: str, sections: Iterable[Section], closing: Sequence[str]) -> int:
    """Grid lines from the top of the first page to the 落款's date, the pages before the last counted whole; for
    a draft not yet a ``Report`` (``model.fit`` trims with it)."""
    pages = _Pages()
    pages.pour(main_text_blocks(title, sections, closing))
    return math.ceil(pages.lines_used() - 1e-6)


def main_text_lines(report: Report) -> int:
    """Grid lines the report's main text takes, as ``text_lines``."""
    return text_lines(report.title, report.sections, report.closing)


__all__ = ["lines_of", "main_text_blocks", "main_text_lines", "text_lines"]
