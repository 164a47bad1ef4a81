"""The report as Markdown: for a quick preview (the UI, a code review) and for pasting into a chat or an editor.

It renders the same blocks as the .docx, so the two never say different things. Charts are not pictures here
(Markdown text has nowhere to keep them): the radar's numbers are in the table beside it, and the task chart
is summarised by the 台账 in 附件3. ``images`` may map a chart name to a file path to link it instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.report.blocks import Figure, Paragraph, Report, Section, SubHeading, Table


def _cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks flattened (a Markdown row is one line)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


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
            out += [f"### {block.text}", ""]
        elif isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Figure):
            if block.chart in images:
                out += [f"![{block.caption}]({images[block.chart]})", ""]
            out += [f"*{block.caption}*" + ("" if block.chart in images else "（图见 Word 版）"), ""]
    return out


def render_markdown(report: Report, images: Mapping[str, str] | None = None) -> str:
    """The whole report (title, seven sections, 附件) as Markdown text ending in one newline."""
    images = images or {}
    lines = [f"# {report.title}", ""]
    for section in report.sections:
        lines += [f"## {section.heading}", ""]
        lines += _blocks(section, images)
    lines += ["附件：" + "；".join(f"{i}．{t}" for i, t in enumerate(report.attachment_titles, start=1)), ""]
    lines += ["  \n".join(report.closing), ""]  # a hard line break between 署名 and 日期 (no HTML: previews escape it)
    for number, section in enumerate(report.attachments, start=1):
        lines += ["---", "", f"## 附件{number}　{report.attachment_titles[number - 1]}", ""]
        lines += _blocks(section, images)
    return "\n".join(lines).rstrip("\n") + "\n"
