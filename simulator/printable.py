"""What a file's strings and numbers may hold, so that whatever validates also runs, scores and writes every report.

Why here, once: every string of a scenario, a plan or a case sheet ends up in a report (.docx and the 台账 .xlsx are
XML, and XML 1.0 has no place for most control characters: python-docx and openpyxl raise on them), in the .md
file, on a page or on a seat. A name carrying ``\\x01`` used to pass ``validate`` and crash the report later. So the
models refuse it where it is written, located like any other mistake. Both bases of the file models
(``formats.common.Strict`` and ``hazards.base.Strict``) call :func:`checked` on every field; a field whose text may
run over several lines (an inject's text, a review section, a note) carries the ``MULTILINE`` mark in its type and
may hold line breaks and tabs, every other one (a name, a title, an id) is one line.

Numbers: NaN and ±infinity are refused in every float, including those in free-form tables (a measure's
``params``, an inject's ``set_hazard``): no drill can do anything sensible with them, and they compare false with
everything, so a check of ``x >= 0`` lets them through.

This module imports nothing of the package, so the format models and the hazard models can both use it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, get_args, get_origin

#: the mark of a str type whose text may hold line breaks and tabs (``Annotated[str, MULTILINE]``)
MULTILINE = "multiline"

#: characters no string may hold: C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone
#: surrogates (not text at all: they cannot be written as UTF-8); U+FFFE and U+FFFF (not characters, refused by XML)
_NEVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: and in a one-line string (a name, a title): no line break or tab either, nor the Unicode line and paragraph
#: separators, which break a table's row in the .md report as a line feed does
_NOT_IN_A_LINE = re.compile(r"[\t\n\r\x85\u2028\u2029]")


def char_name(char: str) -> str:
    """``U+0001`` and, where Unicode names it, its name: what the message shows of an invisible character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def text_problem(text: str, *, multiline: bool) -> str | None:
    """Why ``text`` cannot stand in a report (in Chinese, with the English after it), or None."""
    found = _NEVER.search(text)
    if found is not None:
        where = f"第 {found.start() + 1} 个字符" if found.start() else "开头"
        return (
            f"含有不可打印的控制字符（{where}，{char_name(found.group())}），报告和页面无法显示，请删除"
            " (a control character no report can hold)"
        )
    if not multiline:
        found = _NOT_IN_A_LINE.search(text)
        if found is not None:
            what = "制表符" if found.group() == "\t" else "换行"
            return f"此处应为一行文字，不能含有{what}（{char_name(found.group())}） (expected one line)"
    return None


def number_problem(value: float) -> str | None:
    """Why ``value`` cannot stand in a file (NaN, ±infinity), or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"应为有限的数值，而不是 {value!r} (expected a finite number, not NaN or infinity)"
    return None


def checked(value: Any, *, multiline: bool) -> Any:
    """``value`` unchanged, or ValueError naming the first string or number in it (a dict's keys and values, a
    list's items, however nested) that no report can hold. Nested models are left to their own validators."""
    problem = _first_problem(value, multiline, 0)
    if problem is not None:
        raise ValueError(problem)
    return value


def _first_problem(value: Any, multiline: bool, depth: int) -> str | None:
    if isinstance(value, str):
        return text_problem(value, multiline=multiline)
    if isinstance(value, float):
        return number_problem(value)
    if depth > 50:  # the loaders refuse deeper nesting long before this
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _first_problem(key, False, depth + 1) or _first_problem(item, multiline, depth + 1)
            if problem is not None:
                return f"{key}: {problem}" if isinstance(key, str) and not _NEVER.search(key) else problem
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            problem = _first_problem(item, multiline, depth + 1)
            if problem is not None:
                return problem
    return None


def is_multiline(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> bool:
    """Whether a field's type (or its metadata) carries the ``MULTILINE`` mark, looking inside Optional, lists and
    dicts (``dict[str, Text]``)."""
    if MULTILINE in metadata:
        return True
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        return MULTILINE in args[1:] or is_multiline(args[0])
    return any(is_multiline(arg) for arg in get_args(annotation))
