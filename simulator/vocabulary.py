"""The words people read, owned once: keywords, response levels, actions, message kinds, outcome figures and
their units, and the one way sim time is written (``T+45（08:55）``, whole minutes, never decimals).

Why one module: the CLI, the batch tables, the report, the charts, the feeds and the pages all name the same
things, and before this module each named them its own way (four outcome tables, five time formats). Every
label is a :class:`Label` with a Chinese and an English text, so the app's English switch reaches everything
that is not scenario data, and the report (an official Chinese document) simply asks for ``zh``.

This module is a leaf: it imports nothing from the rest of the package, so the engine, the formats and the
hazards can all use it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Label:
    """One thing's name in both languages: ``label("en")`` or ``label.zh``."""

    zh: str
    en: str

    def __call__(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:
        return self.zh


def name_of(table: dict, key, lang: str = "zh") -> str:
    """``table[key]`` in ``lang``, or the key itself where the table has no such entry (never raises)."""
    label = table.get(key)
    return label(lang) if label is not None else str(key)


# -- the four keywords ----------------------------------------------------------------------------------------
#: the doctrine's four keywords, in its order (the keys of a score's ``keywords``)
KEYWORDS: tuple[str, ...] = ("迅速", "有序", "精准", "提升")
KEYWORD_LABELS: dict[str, Label] = {
    "迅速": Label("迅速", "Speed"),
    "有序": Label("有序", "Order"),
    "精准": Label("精准", "Precision"),
    "提升": Label("提升", "Improvement"),
}
#: each keyword's field name in files and tables (rubric keys, batch columns)
KEYWORD_FIELDS: dict[str, str] = {"迅速": "speed", "有序": "order", "精准": "precision", "提升": "improvement"}
#: the weighted sum of the four keywords' scores (a score's ``total``)
TOTAL_SCORE = Label("总分", "Total")

#: the grade bands of the default rubric (a rubric may name its own bands; those are shown as written)
GRADES: dict[str, Label] = {
    "优秀": Label("优秀", "Excellent"),
    "良好": Label("良好", "Good"),
    "合格": Label("合格", "Pass"),
    "不合格": Label("不合格", "Fail"),
}

# -- response levels ------------------------------------------------------------------------------------------
LEVELS: dict[int, Label] = {
    1: Label("Ⅰ级（特别重大）", "Level I (especially major)"),
    2: Label("Ⅱ级（重大）", "Level II (major)"),
    3: Label("Ⅲ级（较大）", "Level III (large)"),
    4: Label("Ⅳ级（一般）", "Level IV (general)"),
}
#: the short form, as in 启动Ⅳ级应急响应
LEVEL_SHORT: dict[int, Label] = {
    1: Label("Ⅰ级", "Level I"),
    2: Label("Ⅱ级", "Level II"),
    3: Label("Ⅲ级", "Level III"),
    4: Label("Ⅳ级", "Level IV"),
}
#: how a ``set_level`` decision changes the response (``response_level_set.change``), as in 提升至Ⅱ级应急响应
LEVEL_CHANGES: dict[str, Label] = {
    "start": Label("启动", "Started"),
    "raise": Label("提升", "Raised"),
    "lower": Label("降低", "Lowered"),
    "end": Label("终止", "Ended"),
}


def level_change_text(change: str, level: int | None, lang: str = "zh") -> str:
    """A level decision as people say it: 启动Ⅲ级应急响应, 将应急响应提升至Ⅱ级, 将应急响应降至Ⅳ级, 终止Ⅲ级应急响应
    (narrator, seat and console tell it alike)."""
    short = LEVEL_SHORT[level](lang) if level in LEVEL_SHORT else ""
    verb = name_of(LEVEL_CHANGES, change, lang)
    if lang == "en":
        if change in ("start", "end"):
            return f"{verb} the {short} response".replace("  ", " ")
        return f"{verb} the response to {short}"
    if change in ("start", "end"):
        return f"{verb}{short}应急响应"
    return f"将应急响应{'提升' if change == 'raise' else '降'}至{short}"


#: the kinds of an ``advise`` decision (``advice_given.advice``); ``STAND_DOWN_ADVICE`` tell people the danger is over
ADVICE_KINDS: dict[str, Label] = {
    "advice": Label("建议", "Advice"),
    "warning": Label("预警提示", "Warning"),
    "stand_down": Label("解除警戒", "Stand-down"),
    "may_return": Label("群众可返回", "People may return"),
    "all_clear": Label("危险已排除", "Danger is over"),
}
#: advice that tells people the danger is over: a fault while the hazard is not under control
STAND_DOWN_ADVICE: tuple[str, ...] = ("stand_down", "may_return", "all_clear")
#: to whom an advice is given
ADVICE_AUDIENCES: dict[str, Label] = {
    "public": Label("社会公众", "the public"),
    "departments": Label("各有关部门", "the departments"),
    "command": Label("现场指挥部", "the command post"),
}
#: kept for the callers that only ever write Chinese (the report, the scores)
LEVEL_NAMES: dict[int, str] = {n: label.zh for n, label in LEVELS.items()}

# -- the trainees' actions ------------------------------------------------------------------------------------
ACTIONS: dict[str, Label] = {
    "assess": Label("初步研判", "Initial assessment"),
    "notify": Label("通知部门", "Notify departments"),
    "appoint_commander": Label("任命现场指挥", "Appoint the on-site commander"),
    "establish_command_post": Label("设立现场指挥部", "Set up the command post"),
    "assign": Label("交办任务", "Assign a task"),
    "order": Label("下达处置措施", "Order a measure"),
    "request_info": Label("询问情况", "Request information"),
    "report_up": Label("向上级报告", "Report to the higher level"),
    "adjust": Label("调整措施", "Adjust a measure"),
    "close": Label("结束应急响应", "Close the response"),
    "review": Label("提交复盘", "Submit the review"),
    "report_office": Label("报告情况", "Report to the duty office"),
    "set_level": Label("启动/调整/终止应急响应", "Start, change or end the response level"),
    "advise": Label("发布建议或解除警戒", "Give advice or stand down"),
}
#: each action and its Chinese name, as the report, the scores and the workbook call it
ACTION_NAMES: dict[str, str] = {key: label.zh for key, label in ACTIONS.items()}

# -- exercise control (导调组) --------------------------------------------------------------------------------
#: who takes the facilitator's decisions (plans write ``by: control``, ``simulator.formats.plan.CONTROL``)
CONTROL = Label("导调组", "Exercise control")
#: the facilitator's actions on the MSEL; logged as decisions (``control_accepted`` / ``control_rejected``) so a
#: replay is exact, but kept apart from ``ACTIONS``: they are not the trainees' and are never scored
CONTROL_ACTIONS: dict[str, Label] = {
    "release_inject": Label("立即注入", "Release an inject now"),
    "hold_inject": Label("暂缓注入", "Hold an inject"),
    "skip_inject": Label("取消注入", "Skip an inject"),
    "message": Label("发送导调消息", "Send a control message"),
}
#: where an inject of the MSEL stands (``simulator.engine.state.inject_board``)
INJECT_STATUS: dict[str, Label] = {
    "pending": Label("待注入", "pending"),
    "held": Label("已暂缓", "held"),
    "released": Label("已注入", "released"),
    "skipped": Label("条件未满足，未注入", "not triggered"),
    "cancelled": Label("已取消", "skipped"),
    "waiting": Label("待触发", "awaiting its condition"),
}
#: an order's deadline (完成时限) and its state, as a seat reads it
DUE = Label("完成时限", "Deadline")
OVERDUE = Label("已超时", "overdue")
#: the parts of a message's content on a seat (``simulator.engine.seat``)
PERSON_IN_CHARGE = Label("责任人", "Person in charge")
SETTINGS = Label("措施要求", "Settings")

# -- messages on the network ----------------------------------------------------------------------------------
MESSAGE_KINDS: dict[str, Label] = {
    "notice": Label("通知", "notice"),
    "order": Label("任务指令", "order"),
    "report": Label("报告", "report"),
    "request": Label("询问", "request"),
    "reply": Label("回复", "reply"),
    "appointment": Label("任命通知", "appointment"),
    "office_report": Label("情况报告", "situation report"),
}
REPORT_MODES: dict[str, Label] = {"phone": Label("电话", "phone"), "written": Label("书面", "written")}
#: the casualty figures a report up states (``report_up``'s fields), in the order a report gives them
REPORT_FIGURES: dict[str, Label] = {
    "dead": Label("死亡", "dead"),
    "injured": Label("受伤", "injured"),
    "missing": Label("失联", "missing"),
    "trapped": Label("被困", "trapped"),
}


def toll_text(figures: dict[str, int | None], lang: str = "zh") -> str:
    """``死亡2人、受伤15人、失联3人`` (``2 dead, 15 injured, 3 missing``): the figures a report states, in the order
    of ``REPORT_FIGURES``; a figure not stated is left out, all of them 0 is 无人员伤亡, and none at all is ""."""
    stated = [figures.get(key) for key in REPORT_FIGURES if figures.get(key) is not None]
    if stated and not any(stated):
        return "no casualties" if lang == "en" else "无人员伤亡"
    parts = []
    for key, label in REPORT_FIGURES.items():
        n = figures.get(key)
        if n is not None:
            parts.append(f"{n} {label.en}" if lang == "en" else f"{label.zh}{n}人")
    return (", " if lang == "en" else "、").join(parts)


MEDIA: dict[str, Label] = {
    "phone": Label("电话", "phone"),
    "radio": Label("对讲/电台", "radio"),
    "gov_system": Label("政务系统", "government system"),
    "on_scene": Label("现场", "on scene"),
    "runner": Label("通信员", "runner"),
}
DEPARTMENT_KINDS: dict[str, Label] = {
    "coordinator": Label("统筹协调", "coordination"),
    "responder": Label("处置力量", "responders"),
    "higher_level": Label("上级机关", "higher level"),
    "enterprise": Label("涉事企业", "enterprise involved"),
    "support": Label("保障部门", "support"),
}
#: what the network calls the command post it sets up beside the scene
COMMAND_POST = Label("现场指挥部", "command post")
#: a department's resources (``departments[].resources`` keys) as people count them; a key not here is shown as
#: written (``resource_text``), since authors may count anything
RESOURCES: dict[str, Label] = {
    "crews": Label("班组", "crews"),
    "vehicles": Label("车辆", "vehicles"),
    "beds": Label("床位", "beds"),
    "pumps": Label("泵车", "pumps"),
    "ambulances": Label("救护车", "ambulances"),
    "boats": Label("冲锋舟", "boats"),
    "engines": Label("消防车", "fire engines"),
    "staff": Label("工作人员", "staff"),
    "officers": Label("警力", "officers"),
    "teams": Label("队伍", "teams"),
    "buses": Label("转运车辆", "buses"),
    "shelters": Label("安置点", "shelters"),
    "monitors": Label("监测设备", "monitors"),
}


def resource_text(resources: dict[str, int], lang: str = "zh") -> str:
    """``班组×2、车辆×3`` (``crews×2, vehicles×3``): every count under its name, an unknown key as the author wrote
    it (the library and authoring pages showed the raw keys)."""
    sep = ", " if lang == "en" else "、"
    return sep.join(f"{name_of(RESOURCES, key, lang)}×{n}" for key, n in resources.items())


DEPARTMENT_STATUS: dict[str, Label] = {
    "idle": Label("待命", "standing by"),
    "notified": Label("已通知", "notified"),
    "mobilised": Label("出动中", "on the way"),
    "on_scene": Label("到场", "on scene"),
    "working": Label("执行任务", "at work"),
}

#: each kind of log event, as the event table and the filters name it
EVENT_KINDS: dict[str, Label] = {
    "drill_started": Label("推演开始", "drill started"),
    "inject_released": Label("情景注入", "inject"),
    "inject_skipped": Label("情景注入未发布", "inject not released"),
    "decision_accepted": Label("决策受理", "decision accepted"),
    "decision_rejected": Label("决策被拒", "decision rejected"),
    "control_accepted": Label("导调指令", "control action"),
    "control_rejected": Label("导调指令未执行", "control action refused"),
    "assessment": Label("初步研判", "assessment"),
    "message_sent": Label("消息发出", "message sent"),
    "message_lost": Label("消息丢失", "message lost"),
    "message_delivered": Label("消息送达", "message delivered"),
    "message_undelivered": Label("消息未送达", "message undelivered"),
    "department_notified": Label("部门接到通知", "department notified"),
    "department_mobilised": Label("部门出动", "department set out"),
    "department_arrived": Label("部门到达现场", "department on scene"),
    "commander_appointed": Label("任命现场指挥", "commander appointed"),
    "command_post_established": Label("现场指挥部成立", "command post set up"),
    "report_received": Label("上级收到报告", "report received"),
    "info_received": Label("收到信息", "information received"),
    "office_report_received": Label("收到情况报告", "situation report received"),
    "task_ordered": Label("任务下达", "task ordered"),
    "task_started": Label("任务开始", "task started"),
    "task_finished": Label("任务完成", "task finished"),
    "channel_cut": Label("信道中断", "channel cut"),
    "channel_restored": Label("信道恢复", "channel restored"),
    "hazard_changed": Label("态势变化", "hazard changed"),
    "hazard_sample": Label("态势采样", "hazard sample"),
    "casualties": Label("伤亡", "casualties"),
    "hazard_contained": Label("险情得到控制", "hazard under control"),
    "hazard_event": Label("险情突变", "hazard event"),
    "response_closed": Label("应急响应结束", "response closed"),
    "response_level_set": Label("应急响应级别", "response level set"),
    "advice_given": Label("发布建议", "advice given"),
    "review_submitted": Label("复盘提交", "review submitted"),
    "drill_ended": Label("推演结束", "drill ended"),
}

#: the named turns a hazard model states (``HazardModel.EVENTS``), logged as ``hazard_event`` and waited on by
#: injects (``Inject.when: {hazard: explosion}``)
HAZARD_EVENTS: dict[str, Label] = {
    "site_flooded": Label("积水超过警戒深度", "water past the danger depth"),
    "power_lost": Label("变电站进水停电", "substation flooded, power lost"),
    "explosion": Label("发生爆炸", "explosion"),
    "floor_ignited": Label("火势蔓延至新楼层", "fire spread to a new floor"),
    "crush": Label("发生拥挤踩踏", "crowd crush"),
}

# -- tasks ------------------------------------------------------------------------------------------------
TASK_STATUS: dict[str, Label] = {
    "finished": Label("已完成", "finished"),
    "started": Label("执行中", "under way"),
    "ordered": Label("未开始", "not started"),
}
NO_OWNER = Label("未明确", "not named")
#: a 整改 item's status (simulator.loop.items.STATUSES), in the order an item moves through them
ITEM_STATUSES: dict[str, Label] = {
    "待整改": Label("待整改", "to rectify"),
    "整改中": Label("整改中", "in progress"),
    "已整改待检验": Label("已整改待检验", "fixed, to verify"),
    "已销号": Label("已销号", "closed"),
    "复发": Label("复发", "recurred"),
}
#: what a later drill's check found of an item (simulator.loop.items.Check.verdict)
ITEM_VERDICTS: dict[str, Label] = {
    "fixed": Label("已整改", "fixed"),
    "recurred": Label("复发", "recurred"),
    "not_applicable": Label("本次推演不适用", "not applicable"),
}

#: the after-action review's sections (the keys of a review decision's ``sections``, in the doctrine's order)
REVIEW_SECTION_LABELS: dict[str, Label] = {
    "原因和特点": Label("原因和特点", "Causes and features"),
    "处置成效": Label("处置成效", "What the response achieved"),
    "存在问题": Label("存在问题", "Problems"),
    "创新点": Label("创新点", "Innovations"),
    "改进方向": Label("改进方向", "Improvements"),
}


# -- outcome figures ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Figure:
    """An outcome figure of ``Outcome.as_dict()``: its name, unit and how it reads. For all of them less is
    better; ``time`` figures are sim minutes (written as T+ with the clock), ``None`` meaning it never happened."""

    label: Label
    unit: Label
    time: bool = False
    never: Label | None = None


OUTCOMES: dict[str, Figure] = {
    "injured": Figure(Label("受伤人数", "Injured"), Label("人", "")),
    "dead": Figure(Label("死亡人数", "Dead"), Label("人", "")),
    "exposed_person_minutes": Figure(Label("暴露人员累计", "Exposure"), Label("人·分钟", "person-minutes")),
    "contained_at": Figure(
        Label("险情得到控制", "Hazard under control"), Label("", ""), time=True, never=Label("未控制", "not controlled")
    ),
    "decisions_rejected": Figure(Label("未被受理的决策", "Decisions rejected"), Label("项", "")),
    "messages_lost": Figure(Label("消息丢失", "Messages lost"), Label("次", "")),
    "messages_undelivered": Figure(Label("消息未送达", "Messages undelivered"), Label("条", "")),
}


def figure_text(key: str, value, start_clock: str | None = None, lang: str = "zh") -> str:
    """An outcome figure as a person reads it: ``25人``, ``T+167（10:57）``, ``未控制``, ``358,700人·分钟``."""
    fig = OUTCOMES[key]
    if value is None:
        return fig.never(lang) if fig.never is not None else "—"
    if fig.time:
        return when(start_clock, value, lang) if start_clock else t_text(value)
    number = f"{round(float(value)):,}" if float(value) >= 10_000 else f"{round(float(value))}"
    unit = fig.unit(lang)
    return f"{number} {unit}".strip() if lang == "en" else f"{number}{unit}"


# -- sim time -------------------------------------------------------------------------------------------------
def minute_of(t: float) -> int:
    """The whole minute a sim time falls in (T+42.3 is the 42nd minute, as a wall clock would show it)."""
    return math.floor(t + 1e-9)


def clock_text(start_clock: str, t: float, lang: str = "zh") -> str:
    """The wall clock at sim minute ``t`` given the clock at T+0, e.g. ``08:52``; later days say so."""
    hours, minutes = (int(x) for x in start_clock.split(":"))
    total = hours * 60 + minutes + minute_of(t)
    day, rest = divmod(total, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    if day == 0:
        return text
    if lang == "en":
        return f"{text} (+{day}d)"
    return f"次日{text}" if day == 1 else f"第{day + 1}日{text}"


def t_text(t: float) -> str:
    """``T+42``: sim time as the drill's participants speak of it (the whole minute it falls in)."""
    return f"T+{minute_of(t)}"


def when(start_clock: str, t: float, lang: str = "zh") -> str:
    """``T+42（08:52）``: both clocks, as every page, feed, evidence line and report writes a moment."""
    if lang == "en":
        return f"{t_text(t)} ({clock_text(start_clock, t, lang)})"
    return f"{t_text(t)}（{clock_text(start_clock, t)}）"


def elapsed(start: float, end: float, lang: str = "zh") -> str:
    """How long from one moment to another as a reader counts it from the two ``T+`` times printed beside it:
    T+12 to T+39 is ``27分钟`` whatever the seconds (``span`` of the raw difference may say 28, and the reader who
    subtracts finds the record wrong)."""
    return span(max(0, minute_of(end) - minute_of(start)), lang)


def overdue(minutes: float, lang: str = "zh") -> str:
    """How far past a deadline, in the whole minutes a reader counts between the two ``T+`` times (T+40 against a
    10-minute deadline is 30 minutes late, though 30.7 have passed); less than a minute is said as such, never as
    ``0分钟``."""
    if 0 < minutes < 1:
        return "less than 1 min" if lang == "en" else "不足1分钟"
    return span(math.floor(max(0.0, minutes) + 1e-9), lang)


def span(minutes: float, lang: str = "zh") -> str:
    """A duration in whole minutes, rounded: ``12分钟`` / ``12 min`` (never ``7.5分钟``); from a day on, in days and
    hours as people count a long response: ``2天2小时`` / ``2 d 2 h`` (never ``3000分钟``)."""
    whole = max(0, round(float(minutes)))
    if whole < 24 * 60:
        return f"{whole} min" if lang == "en" else f"{whole}分钟"
    days, rest = divmod(whole, 24 * 60)
    hours, rest = divmod(rest, 60)
    units = ("d", "h", "min") if lang == "en" else ("天", "小时", "分钟")
    parts = [f"{n} {u}" if lang == "en" else f"{n}{u}" for n, u in zip((days, hours, rest), units, strict=True) if n]
    return " ".join(parts) if lang == "en" else "".join(parts)


def percent(share: float) -> str:
    """A share as a whole percentage, ``35%`` (the same in both languages)."""
    return f"{round(float(share) * 100):d}%"


# -- bilingual engine messages --------------------------------------------------------------------------------
#: the engine writes a rejection or loss reason as ``中文说明 (English gloss)``, one string in the log
_GLOSS = re.compile(r"\s*\((?=[^()]*[A-Za-z])([^()（）]*)\)\s*$")


def reason_text(reason: str, lang: str = "zh") -> str:
    """One language of a bilingual engine message: the Chinese without the gloss, or the English gloss."""
    text = str(reason or "")
    match = _GLOSS.search(text)
    if lang == "en":
        return match.group(1).strip() if match else text.strip()
    return _GLOSS.sub("", text).strip()
