"""Scenario and user text made inert before it reaches Markdown: what was written is what is shown, nothing more.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, ``st.info``/``warning``/``error``/``success``,
headers, expander and widget labels. A scenario's inject text, a department's name, a person's name, a 整改 item or
a review written as ``![](http://tracker/p.gif)`` or ``<img src=…>`` would otherwise load an external image in
every trainee's browser (a tracking pixel), and ``[点此](http://…)`` would become a link. ``plain`` backslash-escapes
what can start an image, a link, HTML, code, emphasis or a formula anywhere (CommonMark: an escaped ASCII
punctuation character is shown as itself), and what starts a heading, a quote or a list at the start of a line, so
``![](…)``, ``<img …>``, ``[…](…)``, ``:red[…]`` and ``$…$`` come out as the literal characters. Punctuation that is
only text where it stands (``T+60（09:10）``, ``1.5 km``, ``2,000``) is left alone, so the Markdown source still
reads as the text; line breaks stay line breaks.

Use it on every value from a scenario, a plan, a workbook or a person that goes into one of those calls; the page's
own words (``ui.i18n``) and the report's layout (``simulator.report.markdown``, which makes its own text inert) do
not need it. Places that show plain text anyway (``st.dataframe``, ``st.text``, a selectbox's options, a code span)
must not use it, or the backslashes would show.
"""

from __future__ import annotations

import re

#: active anywhere: images and links ([ ]), HTML and autolinks (< >), code (`), emphasis (* _ ~), formulas ($),
#: entities (&), tables (|) and the escape itself
#: (an underscore inside a word, as in my_leak.yaml, never makes emphasis: left as it is)
_ANYWHERE = re.compile(r"([\\`*~\[\]<>$&|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
#: active at the start of a line: headings, quotes, lists, setext underlines, numbered lists ("1." "1)")
_LINE_START = re.compile(r"^([ \t]*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker[:-1]}\\{marker[-1]}" if marker[0].isdigit() else f"{indent}\\{marker}"


def plain(text: object) -> str:
    """``text`` as Markdown that shows exactly its characters (None is empty); a line break stays one."""
    if text is None:
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n")
    escaped = _LINE_START.sub(_escape_line_start, _ANYWHERE.sub(r"\\\1", lines))
    return escaped.replace("\n", "  \n")


__all__ = ["plain"]
