"""The workbook's shape, declared once: its sheets, each sheet's columns (header, field, codec, the other names a
column may go by, width) and the rows of the key–value sheets. The writer lays the workbook out from these tables
and the reader finds its columns by them, so a column is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.formats.msel.cells import cell_text, inject_ref
from simulator.formats.msel.codecs import (
    NO,
    Boolean,
    Choice,
    Clock,
    Codec,
    Deadlines,
    Dept,
    Ident,
    Idents,
    InjectId,
    LevelCell,
    Minutes,
    Names,
    Number,
    Text,
    WarrantedLevels,
)
from simulator.formats.msel.compound import CONDITION_KINDS, Conditions, Dist, Effects, KeyParams, Pairs, Reveals
from simulator.vocabulary import DEPARTMENT_KINDS, MEDIA

INJECTS, INFO, DEPTS, CHANNELS, MEASURES, FACTS = "情景注入", "基本信息", "部门", "信道", "措施", "信息"
HAZARD, HAZARD_TABLE, KEY, KEY_MEASURES, RESPONSES, README = (
    "灾害参数",
    "灾害-",
    "答案",
    "答案措施",
    "注入应对",
    "填写说明",
)
SEE_SHEET = "见工作表"  # a hazard parameter whose objects are on a sheet of their own
IGNORED_HEADERS = ("备注", "说明", "注释")  # free notes a drill office keeps beside the script

#: trailing words of an inject's ``source`` that say how it arrives (注入方式); the rest is the sender (发送单位)
SOURCE_MEDIA = ("来电", "电话", "短信", "传真", "邮件", "微信", "视频", "书面", "口头", "对讲", "电台", "通报")


# -- the shape of each sheet ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the field of the row's object (its alias), e.g. "from"
    codec: Codec
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14
    omit: Any = NO  # a value written as a blank cell (a default that reads back by itself)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


@dataclass(frozen=True)
class Table:
    sheet: str
    path: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False


@dataclass(frozen=True)
class Item:
    """A row of a key–value sheet."""

    label: str
    path: tuple[str, ...]
    codec: Codec
    note: str = ""
    omit: Any = NO


TEXT, IDENT, DEPT, DIST, MINUTES, NUMBER, BOOL = Text(), Ident(), Dept(), Dist(), Minutes(), Number(), Boolean()

DEPT_TABLE = Table(
    DEPTS,
    ("departments",),
    (
        Column("编号", "id", IDENT, ("部门编号",), required=True, width=14),
        Column("名称", "name", TEXT, ("部门名称",), required=True, width=26),
        Column("类别", "kind", Choice(DEPARTMENT_KINDS), required=True, width=10),
        Column("到场", "goes_to_scene", BOOL, ("是否到场",), width=8),
        Column("力量", "resources", Pairs(), ("资源",), width=24),
        Column("出动用时", "mobilise", DIST, width=22),
        Column("途中用时", "travel", DIST, width=22),
    ),
    required=True,
)
CHANNEL_TABLE = Table(
    CHANNELS,
    ("channels",),
    (
        Column("编号", "id", IDENT, ("信道编号",), required=True, width=18),
        Column("起点", "from", DEPT, ("发送方",), required=True),
        Column("终点", "to", DEPT, ("接收方",), required=True),
        Column("方式", "medium", Choice(MEDIA), ("通信方式",), required=True, width=10),
        Column("时延", "delay", DIST, ("时延（分钟）",), required=True, width=22),
        Column("可靠性", "reliability", NUMBER, width=8),
        Column("双向", "both_ways", BOOL, width=8),
    ),
    required=True,
)
MEASURE_TABLE = Table(
    MEASURES,
    ("measures",),
    (
        Column("编号", "id", IDENT, ("措施编号",), required=True, width=20),
        Column("名称", "name", TEXT, ("措施名称",), required=True, width=24),
        Column("执行部门", "departments", Idents("dept"), width=20),
        Column("用时", "duration", DIST, width=22),
        Column("需到场", "on_scene", BOOL, width=8),
    ),
)
FACT_TABLE = Table(
    FACTS,
    ("facts",),
    (
        Column("主题", "topic", TEXT, required=True, width=14),
        Column("掌握部门", "held_by", DEPT, required=True, width=14),
        Column("内容", "text", TEXT, required=True, width=70),
    ),
)
KEY_MEASURE_TABLE = Table(
    KEY_MEASURES,
    ("answer_key", "measures"),
    (
        Column("措施", "measure", IDENT, ("措施编号",), required=True, width=20),
        Column("执行部门", "departments", Idents("dept"), width=22),
        Column("参数", "params", KeyParams(), width=26),
        Column("下达时限", "by", MINUTES, width=14),
        Column("地点", "sites", Idents(), ("作用地点",), width=20, omit=[]),
    ),
)
RESPONSE_TABLE = Table(
    RESPONSES,
    ("answer_key", "inject_responses"),
    (
        Column("注入", "inject", InjectId(), ("序号",), required=True, width=10),
        Column("预期行动", "expect", Idents("expected", "动作或措施编号，逗号分隔"), required=True, width=30),
        Column("时限", "within", MINUTES, ("响应时限",), width=14),
    ),
)


class TriggerOn(Codec):
    """A trigger's ``on``: today only an inject (``i03``); the cell reads back as ``{inject: i03}``."""

    note = "触发注入编号，如 i03（该注入发布时起算）"

    def write(self, value, ctx):
        if not isinstance(value, dict) or set(value) != {"inject"}:
            return NO
        return value["inject"]

    def read(self, cell, ctx):
        return {"inject": inject_ref(cell_text(cell))}


TRIGGERS = "触发条件"
TRIGGER_TABLE = Table(
    TRIGGERS,
    ("answer_key", "triggers"),
    (
        Column("触发", "on", TriggerOn(), ("触发注入",), required=True, width=12),
        Column("措施", "measures", Idents(note="预案规定应下达的措施编号，逗号分隔"), required=True, width=36),
        Column("时限", "within", MINUTES, ("下达时限",), width=14),
        Column("名称", "name", TEXT, ("规则名称",), width=36, omit=""),
    ),
)
INFO_ITEMS = (
    Item("场景编号", ("id",), IDENT, "英文字母开头，如 hazchem_leak；也是文件名"),
    Item("版本", ("version",), TEXT),
    Item("标题", ("title",), TEXT),
    Item("事件概要", ("summary",), TEXT, omit=""),
    Item("地点", ("location",), TEXT, omit=""),
    Item("开始时刻", ("start_clock",), Clock(), "T+0 对应的钟点"),
    Item("推演时长", ("duration",), MINUTES),
    Item("采样间隔", ("sample_every",), MINUTES, "态势记入日志的间隔"),
    Item("任务用时", ("task_duration",), DIST, "分配任务的完成用时"),
    Item("指挥部开设用时", ("command_post", "setup"), DIST),
    Item("指挥部通信时延", ("command_post", "delay"), DIST),
    Item("指挥部通信可靠性", ("command_post", "reliability"), NUMBER, "0 到 1"),
    Item("重发间隔", ("network", "resend_after"), MINUTES, "无回音时多久重发"),
    Item("最多发送次数", ("network", "max_attempts"), NUMBER),
    Item("书面报告起草用时", ("network", "report_drafting"), DIST),
)
KEY_ITEMS = (
    Item("事件类型", ("answer_key", "event_type"), TEXT),
    Item("响应级别", ("answer_key", "level"), LevelCell()),
    Item("应参与部门", ("answer_key", "required_departments"), Idents("dept")),
    Item("现场指挥部门", ("answer_key", "commander_department"), DEPT),
    Item("工作组", ("answer_key", "working_groups"), Names()),
    Item("电话报告时限", ("answer_key", "report_deadlines", "phone"), Deadlines(), "各级别，分钟"),
    Item("书面报告时限", ("answer_key", "report_deadlines", "written"), Deadlines(), "各级别，分钟"),
    Item("响应计时起点", ("answer_key", "clock_from"), InjectId(), "注入编号；“迅速”各项自其发布起算，空白为接报时"),
    Item("事件节奏系数", ("answer_key", "tempo"), NUMBER, "“迅速”各项用时阈值乘以此数；空白为1（突发事故）"),
    Item("先期处置措施", ("answer_key", "first_actions"), Idents(), "措施编号，逗号分隔；指挥部设立前下达不扣分"),
    Item("先期处置时段", ("answer_key", "first_window"), MINUTES, "空白按评分细则（15分钟）"),
    Item("响应级别调整", ("answer_key", "levels"), WarrantedLevels(), WarrantedLevels.note),
    Item("控制后响应级别", ("answer_key", "after_control"), LevelCell(), "险情得到控制后应有的级别", omit=None),
    Item("续报间隔", ("answer_key", "report_deadlines", "follow_up"), MINUTES, "书面报告后每隔多久续报，空白为不要求"),
)
#: the MSEL's columns, in order; 时间, 注入方式/发送单位, 预期行动/评估要点 and 条件 map onto several fields
INJECT_COLUMNS = (
    Column("序号", "id", InjectId(), ("编号", "注入编号"), required=True, width=8),
    Column("时间", "time", Codec(), ("注入时间",), required=True, width=16),
    Column("注入方式", "medium", TEXT, width=10),
    Column("发送单位", "sender", TEXT, ("来源",), width=18),
    Column("接收单位", "to", DEPT, ("接收部门",), required=True, width=14),
    Column("标题", "title", TEXT, ("情景标题",), width=22),
    Column("情景内容", "text", TEXT, ("内容", "注入内容"), required=True, width=60),
    Column("预期行动", "expect", Idents("expected"), ("预期响应",), width=26),
    Column("评估要点", "within", Codec(), ("评估时限",), width=18),
    Column("条件", "conditions", Conditions(), width=22),
    Column("效果", "effects", Effects(), width=30),
    Column("揭示信息", "reveals", Reveals(), ("揭示",), width=26),
)
COVERED = {
    *(i.path for i in (*INFO_ITEMS, *KEY_ITEMS)),
    *(t.path for t in (DEPT_TABLE, CHANNEL_TABLE, MEASURE_TABLE, FACT_TABLE, KEY_MEASURE_TABLE, RESPONSE_TABLE)),
    TRIGGER_TABLE.path,
    ("hazard",),
    ("injects",),
}
INJECT_FIELDS = {
    *("id", "at", "after", "delay", "when", "source", "to", "title", "text", "effects", "reveals"),
    *CONDITION_KINDS,
}
NOTES = {
    "序号": InjectId.note,
    "时间": "T+8分钟、1小时30分钟、5m 或分钟数；08:18 为钟点（按开始时刻换算）；“i09 后 30分钟”表示在另一注入之后；"
    "“触发：explosion”“触发：depth@s_metro > 0.3”表示在灾害出现该事件或数值越过阈值时注入",
    "注入方式": "电话、短信、书面等；与发送单位连写即为来源，如 化工园区管委会 + 电话",
    "发送单位": "情景中的发送方，如 区气象局、12345热线；两列都空为“现场”",
    "接收单位": Dept.note,
    "标题": "空着时取情景内容的第一句",
    "预期行动": "答案：应对此注入的决策动作或措施编号，逗号分隔；多条应对各占一行",
    "评估要点": "答案：每条预期行动的时限，如“20分钟内响应”，与预期行动逐行对应；空着为 20 分钟",
}
