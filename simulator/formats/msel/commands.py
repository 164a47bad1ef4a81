"""The command-line handlers of ``export-xlsx`` and ``import-xlsx``. Their arguments are declared in
``simulator/cli.py``, the one place that registers subcommands:

* ``export-xlsx``: positional ``scenario`` (``type=Path``) and ``--out`` (``type=Path``, default None: the file is
  ``<scenario id>.xlsx``); handler :func:`export_xlsx_command`.
* ``import-xlsx``: positional ``workbook`` (``type=Path``) and ``--out`` (``type=Path``, default None: the file is
  ``<scenario id>.yaml``); handler :func:`import_xlsx_command`.

Both return the exit code (0, or 1 when the export does not read back equal) and raise
:class:`~simulator.errors.FileFormatError` for a user's mistake, which the CLI prints as located problems (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.errors import FileFormatError, Problem
from simulator.files import write_bytes
from simulator.formats import load_scenario
from simulator.formats.msel.files import scenario_to_yaml
from simulator.formats.msel.reader import load_xlsx
from simulator.formats.msel.writer import dump_xlsx


def export_xlsx_command(args: argparse.Namespace) -> int:
    """``export-xlsx SCENARIO [--out FILE.xlsx]``: write the workbook, then read it back to prove nothing was lost."""
    scenario = load_scenario(args.scenario)
    data = dump_xlsx(scenario, str(args.scenario))
    out = args.out or Path(f"{scenario.id}.xlsx")
    _write(out, data)
    try:
        same = load_xlsx(out, data) == scenario
    except FileFormatError as exc:
        same = False
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    if not same:
        print(
            f"{out}: 导出的工作簿不能完全还原场景，请报告此问题 (the workbook does not read back equal)",
            file=sys.stderr,
        )
        return 1
    print(f"{args.scenario} → {out}（{len(scenario.injects)} 条情景注入，{len(scenario.departments)} 个部门）")
    return 0


def import_xlsx_command(args: argparse.Namespace) -> int:
    """``import-xlsx WORKBOOK [--out SCENARIO.yaml]``: the workbook as a scenario YAML (located errors raise)."""
    scenario = load_xlsx(args.workbook)
    out = args.out or Path(f"{scenario.id}.yaml")
    text = scenario_to_yaml(scenario, f"由 {args.workbook.name} 导入 (imported from an Excel MSEL)")
    _write(out, text.encode("utf-8"))
    print(f"{args.workbook} → {out}（{len(scenario.injects)} 条情景注入，{len(scenario.departments)} 个部门）")
    return 0


def _write(out: Path, data: bytes) -> None:
    """Atomically (a temporary file beside ``out``, then a rename): an interrupted run never leaves half a file."""
    try:
        write_bytes(out, data)
    except OSError as exc:
        raise FileFormatError([Problem(str(out), None, "--out", f"无法写入 (cannot write): {exc.strerror}")]) from None
