"""推演资料包: the printed drill pack, from a scenario and (optionally) a drill of the console.

* ``rows``        the MSEL as printed: numbered injects, times ``T+8（08:08）``, sender, seat; expected actions in words
* ``cards``       情景卡片: per seat, one boxed card per inject it receives, cut lines between (never the answer key)
* ``script``      导调脚本: the MSEL with expected actions and evaluation points, and the answer key (导调组专用)
* ``evaluation``  评估表: each keyword's indicators from the rubric, with points and room for marks and notes
* ``signin``      参演人员签到表: seat by seat, then the 导调组 and the 评估组
* ``model``       Pack (scenario, rubric, drill) and DrillInfo (a stored drill's team, code, date, facts)
* ``layout``      PackDoc: the report's GB/T 9704 page plus covers, ruled tables, cards and cut lines
* ``document``    the parts as .docx (and PDF through LibreOffice), written atomically, or as one .zip
* ``command``     ``python -m simulator pack`` (declared in ``simulator/cli.py``)

Nothing here imports Streamlit.
"""

from __future__ import annotations

from simulator.pack.document import PARTS, pack_files, pack_zip, summary, write_pack
from simulator.pack.model import DrillInfo, Pack, drill_info, drill_of

__all__ = ["PARTS", "DrillInfo", "Pack", "drill_info", "drill_of", "pack_files", "pack_zip", "summary", "write_pack"]
