"""Excel MSEL (情景注入表): a scenario as the workbook a district office edits, and back again, losslessly.

Export then import gives a Scenario equal to the original (``model_dump`` equality). Each cell is written in the
form people write by hand (``T+8分钟``, ``triangular(5, 8, 12)``, ``除非已下达 evacuate``) when that form reads
back to the same value; otherwise as a YAML flow value (``{at: 5, delay: 3}``), which every structured cell also
accepts. Import locates every problem as ``file.xlsx:情景注入!R5C3: 时间: message`` and then runs the same checks
as a YAML scenario (pydantic, then ``Scenario.reference_problems``).

Sheets (``*`` required on import; the others may be left out):

* 情景注入*  the MSEL, one inject a row: 序号 时间 注入方式 发送单位 接收单位 标题 情景内容 预期行动 评估要点 条件
  效果 揭示信息 (预期行动 and 评估要点 are the answer key's inject responses, one response a line)
* 基本信息*  id, title, clock, durations, command post and network rules (项目 | 值 | 说明)
* 部门*, 信道*, 措施, 信息  one department, channel, measure, fact a row
* 灾害参数*  the hazard model and its parameters (参数 | 值 | 说明); a list of objects (zones, sites …) has its own
  sheet ``灾害-<parameter>`` with one object a row
* 答案*  the answer key (项目 | 值); 答案措施 its fitting measures; 注入应对 inject responses kept apart from the MSEL
  (only written when the answer key lists them in another order than the injects)
* 填写说明  how each column is written; ignored on import

The modules, by concept: ``cells`` (cell values, limits, guarded YAML), ``codecs`` and ``compound`` (how each kind
of value is written in a cell), ``columns`` (the sheets and their columns, declared once), ``fields`` (what the
scenario models say about a field), ``injects`` (the MSEL row's compound cells), ``writer``, ``workbook`` (opening
an upload safely) and ``reader``, ``files`` (either format in, YAML out) and ``commands`` (the CLI handlers, which
``simulator/cli.py`` registers). Nothing here imports Streamlit.
"""

from __future__ import annotations

from simulator.formats.msel.columns import INJECT_COLUMNS
from simulator.formats.msel.commands import export_xlsx_command, import_xlsx_command
from simulator.formats.msel.files import XLSX_SUFFIXES, YAML_SUFFIXES, inject_times, load_any, scenario_to_yaml
from simulator.formats.msel.reader import CellProblem, load_xlsx
from simulator.formats.msel.workbook import MAX_UNZIPPED_BYTES
from simulator.formats.msel.writer import dump_xlsx

__all__ = [
    "INJECT_COLUMNS",
    "MAX_UNZIPPED_BYTES",
    "XLSX_SUFFIXES",
    "YAML_SUFFIXES",
    "CellProblem",
    "dump_xlsx",
    "export_xlsx_command",
    "import_xlsx_command",
    "inject_times",
    "load_any",
    "load_xlsx",
    "scenario_to_yaml",
]
