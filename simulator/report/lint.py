"""Checks a draft must pass before an office would accept it: plain official language and the length limit.

Why in the library and not only in tests: the page and the benchmarks can run them too, and the rules are the
issue's, stated once — no ASCII identifiers, seeds or parameter dumps in the body; whole minutes; no sentence said
twice; no paragraph that recurs word for word in another scenario's report (a template, not a report); the main
text within six A4 pages of GB/T 9704 (28 characters × 22 lines).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from simulator.report.blocks import Figure, Paragraph, Report, Section, SubHeading, Table

CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
MAX_PAGES = 6
#: a body table's text (小4号, 12 pt) fits this many characters per millimetre of column, less the cell padding
TABLE_CHARS_PER_MM = 1 / 4.233
CELL_PADDING_MM = 2.4
#: a figure's height in grid lines (its width on the page × its aspect, over 225 mm / 22 lines), with its caption
FIGURE_LINES = {"radar": 11, "gantt": 12}
TITLE_CHARS_PER_LINE = 20  # 2号 title
#: what may not appear in the body: ASCII words (ids, English, key=value), decimal minutes, machine words
ASCII_WORD = re.compile(r"(?!DN\d)[A-Za-z_]{2,}|\w+=")  # DN200 is how a pipe's size is written
DECIMAL_MINUTES = re.compile(r"\d+\.\d+\s*分钟|T\+\d+\.\d")
FORBIDDEN = re.compile(r"查全率|查准率|实词|人·分钟|随机种子|(?<!\d)0人(?:受伤|死亡)|(?<!\d)0项")
SENTENCE = re.compile(r"[^。；！？]+[。；！？]")


def body_paragraphs(report: Report) -> list[str]:
    """The main text's paragraphs and table cells (the title, the sections, the closing)."""
    out = [report.title]
    for section in report.sections:
        out.append(section.heading)
        for b in section.blocks:
            if isinstance(b, Paragraph | SubHeading):
                out.append(b.text)
            elif isinstance(b, Table):
                out.extend(cell for row in b.rows for cell in row)
    return out


def problems(report: Report) -> list[str]:
    """What is wrong with the main text's language (empty: nothing)."""
    found = []
    seen: dict[str, int] = {}
    for text in body_paragraphs(report):
        if m := ASCII_WORD.search(text):
            found.append(f"英文或标识符“{m.group(0)}”：{text[:40]}")
        if m := DECIMAL_MINUTES.search(text):
            found.append(f"小数分钟“{m.group(0)}”：{text[:40]}")
        found += [f"不宜出现“{m.group(0)}”：{text[:40]}" for m in FORBIDDEN.finditer(text)]
        for sentence in SENTENCE.findall(text):
            if len(sentence) >= 12:
                seen[sentence] = seen.get(sentence, 0) + 1
    found += [f"句子重复{n}次：{s[:40]}" for s, n in seen.items() if n > 1]
    return found


def shared_paragraphs(reports: Mapping[str, Iterable[Report]], min_chars: int = 20) -> list[str]:
    """Paragraphs of the main text that recur word for word in the reports of two different scenarios."""
    owners: dict[str, set[str]] = {}
    for scenario, group in reports.items():
        for report in group:
            for section in report.sections:
                for b in section.blocks:
                    if isinstance(b, Paragraph) and len(b.text) >= min_chars:
                        owners.setdefault(b.text, set()).add(scenario)
    return [text for text, where in owners.items() if len(where) > 1]


def width(text: str) -> float:
    """Characters on the grid: a Chinese character or full-width mark is one, an ASCII digit or letter half."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def _wrap(text: str, per_line: int, indent: int = 0) -> int:
    return max(1, math.ceil((width(text) + indent) / per_line))


def _table_lines(table: Table) -> int:
    total = sum(table.widths) or 1
    caps = [max(1, int((156 * w / total - CELL_PADDING_MM) * TABLE_CHARS_PER_MM)) for w in table.widths]
    lines = 0
    for row in (table.columns, *table.rows):
        lines += max(
            max(_wrap(part, cap) for part in cell.split("\n")) * len(cell.split("\n"))
            for cell, cap in zip(row, caps, strict=True)
        )
    return lines + 1  # the air below the table


def section_lines(section: Section) -> int:
    lines = _wrap(section.heading, CHARS_PER_LINE)
    for b in section.blocks:
        if isinstance(b, Paragraph):
            lines += _wrap(b.text, CHARS_PER_LINE, 2 if b.style == "body" else 0)
        elif isinstance(b, SubHeading):
            lines += _wrap(b.text, CHARS_PER_LINE, 2)
        elif isinstance(b, Table):
            lines += _table_lines(b)
        elif isinstance(b, Figure):
            lines += FIGURE_LINES.get(b.chart, 12)
    return lines


def main_text_lines(report: Report) -> int:
    """Lines the main text takes on the GB/T 9704 grid (28 × 22): the title (and the blank line under it), the
    seven sections, the attachment list and the signature block."""
    lines = _wrap(report.title, TITLE_CHARS_PER_LINE) + 1
    lines += sum(section_lines(s) for s in report.sections)
    lines += 2 + len(report.closing) + 2  # the attachment list (two lines), the blank line, 署名 and 日期
    return lines


def within_pages(report: Report, pages: int = MAX_PAGES) -> bool:
    return main_text_lines(report) <= pages * LINES_PER_PAGE


__all__ = ["body_paragraphs", "main_text_lines", "problems", "section_lines", "shared_paragraphs", "within_pages"]
