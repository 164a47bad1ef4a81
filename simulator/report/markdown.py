"""The report as Markdown: for a quick preview (the UI, a code review) and for pasting into a chat or an editor.

It renders the same blocks as the .docx, so the two never say different things. Charts are not pictures here
(Markdown text has nowhere to keep them): the radar's numbers are in the table beside it, and the task chart
is summarised by the 台账 in 附件3. ``images`` may map a chart name to a file path to link it instead.

Every text from the drill (the scenario's names and injects, the trainees' review, the drill's facts) is made inert
(``inert``): a review written as ``![](http://…)`` or ``<img …>`` shows as those characters in the app's preview and
in any Markdown viewer, never as an image loaded from elsewhere, a link or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from simulator.report.blocks import Figure, Paragraph, Report, Section, SubHeading, Table

#: what could turn text into an image, a link, HTML or a formula: a backslash-escaped one is shown as itself
_ACTIVE = re.compile(r"([\\\[\]<>$`])")


def inert(text: str) -> str:
    """Text shown as written: the characters that start an image, a link, HTML, code or a formula escaped."""
    return _ACTIVE.sub(r"\\\1", text)


def _cell(text: str) -> str:
    """A table cell: inert, pipes escaped, line breaks flattened (a Markdown row is one line)."""
    return inert(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _table(block: Table) -> list[str]:
    lines = [
        "| " + " | ".join(_cell(c) for c in block.columns) + " |",
        "|" + "|".join(" --- " for _ in block.columns) + "|",
    ]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows)
    return [*lines, ""]


def _blocks(section: Section, images: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, SubHeading):
            out += [f"### {inert(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [inert(block.text), ""]
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Figure):
            if block.chart in images:
                out += [f"![{block.caption}]({images[block.chart]})", ""]
            out += [f"*{inert(block.caption)}*" + ("" if block.chart in images else "（图见 Word 版）"), ""]
    return out


def render_markdown(report: Report, images: Mapping[str, str] | None = None) -> str:
    """The whole report (title, seven sections, 附件) as Markdown text ending in one newline."""
    images = images or {}
    lines = [f"# {inert(report.title)}", ""]
    for section in report.sections:
        lines += [f"## {inert(section.heading)}", ""]
        lines += _blocks(section, images)
    lines += ["附件：" + "；".join(f"{i}．{t}" for i, t in enumerate(report.attachment_titles, start=1)), ""]
    # a hard line break between 署名 and 日期 (no HTML: previews escape it)
    lines += ["  \n".join(inert(line) for line in report.closing), ""]
    for number, section in enumerate(report.attachments, start=1):
        lines += ["---", "", f"## 附件{number}　{report.attachment_titles[number - 1]}", ""]
        lines += _blocks(section, images)
    return "\n".join(lines).rstrip("\n") + "\n"
