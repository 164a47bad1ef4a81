"""Errors a user can cause, located so they can be fixed without reading code.

Every problem in a file the user wrote is reported as ``file:line: field: message``; the CLI prints these and
exits 1, the app shows them. Nothing here ever carries a traceback to the user.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a user file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field or '(文件)'}: {self.message}"


class FileFormatError(Exception):
    """A user file (scenario, plan, rubric, log) could not be read; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
