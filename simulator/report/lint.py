"""Checks a draft must pass before an office would accept it: plain official language and the length limit.

Why in the library and not only in tests: the page and the benchmarks can run them too, and the rules are the
issue's, stated once — no ASCII identifiers, seeds or parameter dumps in the body; whole minutes; no sentence said
twice; no paragraph that recurs word for word in another scenario's report (a template, not a report); the main
text within six A4 pages of GB/T 9704 (28 characters × 22 lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from simulator.report.blocks import Paragraph, Report, SubHeading, Table
from simulator.report.paging import main_text_lines

LINES_PER_PAGE = 22
MAX_PAGES = 6
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


def within_pages(report: Report, pages: int = MAX_PAGES) -> bool:
    """Whether the main text ends within ``pages`` pages as LibreOffice lays it out (``paging``)."""
    return main_text_lines(report) <= pages * LINES_PER_PAGE


__all__ = ["body_paragraphs", "main_text_lines", "problems", "shared_paragraphs", "within_pages"]
