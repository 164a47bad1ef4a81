"""One narrator: an event of the log as the sentence a person reads, in Chinese (default) or English.

Why one: the 调研报告's timeline, the replay page's event table and the live feeds all tell the same events, and
each used to tell them its own way (one with ids and ``key=value`` dumps). Here every event is told once, from
the log and the scenario it was run from:

    narrator = Narrator(scenario, log)            # or Narrator(scenario, log, lang="en")
    told = narrator.tell(event)                   # Told | None
    if told is not None:
        print(narrator.name(told.node), told.text)

``tell`` returns ``None`` for the machinery people do not read in a report (messages in transit, hazard samples,
skipped conditional injects, parameter changes already told by their inject, decisions told by the events they
cause); ``tell(event, everything=True)`` tells those too, for an event table that lists the whole log.

What a sentence may contain: department, channel and place names from the scenario, the trainees' own words
(inject texts, locations, persons, topics) and whole numbers. Never an id, a decimal minute, a ``key=value``
dump, or English in Chinese mode (the engine's bilingual reasons are read through ``vocabulary.reason_text``);
measure parameters are put in words by ``simulator.hazards.describe_params``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.engine.events import ACCEPTED, DECISION_EVENTS, Event
from simulator.engine.network import HUB
from simulator.formats.plan import CONTROL
from simulator.formats.scenario import Scenario
from simulator.hazards import describe_params, places
from simulator.hazards.describe import floor_label
from simulator.vocabulary import (
    ACTIONS,
    ADVICE_AUDIENCES,
    ADVICE_KINDS,
    COMMAND_POST,
    CONTROL_ACTIONS,
    HAZARD_EVENTS,
    LEVELS,
    MEDIA,
    MESSAGE_KINDS,
    NO_OWNER,
    REPORT_MODES,
    Label,
    elapsed,
    level_change_text,
    name_of,
    reason_text,
    span,
    toll_text,
)
from simulator.vocabulary import CONTROL as CONTROL_LABEL


@dataclass(frozen=True, slots=True)
class Told:
    """An event told: the node it happened at (a department id, the command post, or None for the scene), a short
    sentence (timeline, feeds), the full one (with the inject's text, the note of a notice …) and whether it is a
    key moment (the report's body table; a feed may highlight it)."""

    node: str | None
    text: str
    detail: str
    key: bool


class Narrator:
    """Tells the events of one drill. ``events`` is the log (or any prefix of it: a live drill's log so far)."""

    def __init__(self, scenario: Scenario, events: Iterable[Event], lang: str = "zh"):
        self.scenario = scenario
        self.lang = "en" if lang == "en" else "zh"
        self.decisions: dict[str, Event] = {}
        self.messages: dict[str, Event] = {}
        self.tasks: dict[str, Event] = {}
        self.inject_titles = {i.id: i.title for i in scenario.injects}
        self.channels = {c.id: c for c in scenario.channels}
        for e in events:
            self.index(e)

    def index(self, e: Event) -> None:
        """Learn one more event (a live drill's narrator follows the log as it grows)."""
        if e.kind in DECISION_EVENTS:
            self.decisions[e["decision"]] = e
        elif e.kind == "message_sent":
            self.messages.setdefault(e["msg"], e)
        elif e.kind == "task_ordered":
            self.tasks[e["task"]] = e

    # names ------------------------------------------------------------------------------------------------
    def _(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def name(self, node: str | None) -> str:
        """A node of the log as people call it: the department's name, 现场指挥部, or ``—`` for none."""
        if node is None:
            return "—"
        d = self.scenario.department(node)
        if d is not None:
            return d.name
        if node == HUB:
            return COMMAND_POST(self.lang)
        if node == CONTROL:
            return CONTROL_LABEL(self.lang)
        return str(node)

    def names(self, nodes: Iterable[str]) -> str:
        return self._("、", ", ").join(self.name(n) for n in nodes)

    def _label(self, table: dict[str, Label], key) -> str:
        return name_of(table, key, self.lang)

    def _tell_hazard_event(self, e: Event) -> str:
        """``积水超过警戒深度（建设路下穿隧道）``; a power loss names the sites left dark."""
        names = places(self.scenario.hazard.params)
        text = self._label(HAZARD_EVENTS, e["event"])
        site = str(e.get("site") or "")
        site = floor_label(int(site))(self.lang) if site.isdigit() else names.get(site)  # a tower's floor: 3层
        if site:
            text += f"（{site}）" if self.lang == "zh" else f" ({site})"
        reached = [names[s] for s in e.get("sites") or () if s in names]
        if reached:
            text += self._(f"，影响{'、'.join(reached)}", f", affecting {', '.join(reached)}")
        return text

    def decision_by(self, decision: str | None) -> str | None:
        """Who took the decision behind an event (the node a commander's appointment is told at)."""
        e = self.decisions.get(decision) if decision else None
        return e["by"] if e is not None else None

    def params(self, measure: str | None, params: dict | None) -> str:
        """A measure's parameters in words (``半径（米）1500``); empty when there are none to tell."""
        if not params:
            return ""
        return describe_params(self.scenario.hazard, measure, params, lang=self.lang)

    # telling ----------------------------------------------------------------------------------------------
    def tell(self, e: Event, *, everything: bool = False) -> Told | None:
        """The event as a sentence, or None for the machinery a report leaves out (unless ``everything``)."""
        told = self._tell(e)
        if told is None and everything:
            told = self._trace(e)
        if told is None:
            return None
        node, text, detail, key = told
        return Told(node, text, detail or text, key)

    def _tell(self, e: Event) -> tuple[str | None, str, str, bool] | None:
        _ = self._
        k = e.kind
        if k == "inject_released":
            source = e.get("source") or _("现场", "on scene")
            if e.get("inject") is None and e.get("decision"):  # a message of 导调组, released like an inject
                source = CONTROL_LABEL(self.lang)
            head = _(f"{e['title']}（{source}）", f"{e['title']} ({source})")
            return e["to"], head, _(f"{head}：{e['text']}", f"{head}: {e['text']}"), True
        if k == "decision_accepted":
            return self._tell_decision(e)
        if k == "decision_rejected":
            what = self._label(ACTIONS, e["action"])
            why = reason_text(e["reason"], self.lang)
            return e["by"], _(f"决策未被受理（{what}）：{why}", f"Decision rejected ({what}): {why}"), "", True
        if k == "control_accepted":
            return self._tell_control(e)
        if k == "control_rejected":
            what = self._label(CONTROL_ACTIONS, e["action"])
            why = reason_text(e["reason"], self.lang)
            return CONTROL, _(f"导调指令未执行（{what}）：{why}", f"Control action refused ({what}): {why}"), "", False
        if k == "office_report_received":
            src = self.name(e["from"])
            head = _(f"收到{src}的情况报告", f"Situation report from {src}")
            return e["to"], head, _(f"{head}：{e['text']}", f"{head}: {e['text']}"), False
        if k == "assessment":
            level = self._label(LEVELS, e["level"])
            text = _(f"初步研判为{e['event_type']}，响应级别{level}", f"Assessed as {e['event_type']}, {level}")
            return e["by"], text, "", True
        if k == "department_notified":
            alarm = e.get("msg") in self.inject_titles
            return e["dept"], _("接到报警", "Alerted") if alarm else _("接到通知", "Notified"), "", False
        if k == "department_mobilised":
            return e["dept"], _("出动", "Set out"), "", False
        if k == "department_arrived":
            return e["dept"], _("到达现场", "Arrived on scene"), "", False
        if k == "commander_appointed":
            dept = self.name(e["dept"])
            text = _(f"任命{dept}{e['person']}为现场总指挥", f"Appointed {e['person']} ({dept}) on-site commander")
            return self.decision_by(e.get("decision")), text, "", True
        if k == "command_post_established":
            return self._tell_command_post(e)
        if k == "report_received":
            mode = self._label(REPORT_MODES, e["mode"])
            src = self.name(e["from"])
            head = _(f"收到{src}{mode}报告", f"Received a {mode} report from {src}")
            toll = toll_text(e.get("figures") or {}, self.lang)  # 死亡2人、受伤15人
            return e["to"], head + (_(f"（{toll}）", f" ({toll})") if toll else ""), "", True
        if k == "info_received":
            src = self.name(e["from"])
            head = _(f"收到{src}关于“{e['topic']}”的回复", f"Reply from {src} on “{e['topic']}”")
            return e["to"], head, _(f"{head}：{e['text']}", f"{head}: {e['text']}"), False
        if k == "task_ordered":
            return self._tell_task(e)
        if k in ("task_started", "task_finished"):
            ordered = self.tasks.get(e["task"])
            name = ordered["name"] if ordered is not None else _("任务", "a task")
            if k == "task_started":
                return e["dept"], _(f"开始执行“{name}”", f"Started “{name}”"), "", False
            return e["dept"], _(f"完成“{name}”", f"Finished “{name}”"), "", True
        if k == "message_lost":
            what = self._message(self.messages.get(e["msg"]))
            reason = reason_text(str(e.get("reason") or ""), self.lang) or _("信道故障", "channel failure")
            n = e["attempt"]
            text = _(f"{what}第{n}次发送失败（{reason}）", f"{what}: attempt {n} failed ({reason})")
            return e.get("at_node"), text, "", False
        if k == "message_undelivered":
            what = self._message(e)
            why = reason_text(e["reason"], self.lang)
            return e["from"], _(f"{what}未能送达（{why}）", f"{what} was not delivered ({why})"), "", True
        if k in ("channel_cut", "channel_restored"):
            cut = k == "channel_cut"
            text = self._channel(e["channel"]) + (_("中断", " was cut") if cut else _("恢复", " was restored"))
            return None, text, "", False
        if k == "casualties":
            return None, self._tell_casualties(e), "", bool(e["dead"])
        if k == "hazard_contained":
            return None, _("险情得到控制", "Hazard under control"), "", True
        if k == "hazard_event":
            return None, self._tell_hazard_event(e), "", True
        if k == "response_closed":
            return self.decision_by(e.get("decision")), _("宣布终止应急响应", "Response closed"), "", True
        if k == "response_level_set" and e["change"] != "end":  # an end is told by its response_closed
            return e["by"], self._level_set(e), "", True
        if k == "advice_given":
            return self._tell_advice(e)
        if k == "review_submitted":
            n = sum(bool(str(v).strip()) for v in (e["sections"] or {}).values())
            text = _(f"提交复盘总结（{n}个方面）", f"Review submitted ({n} sections)")
            return self.decision_by(e.get("decision")), text, "", True
        if k == "drill_started":
            return None, _("推演开始", "Drill started"), "", False
        if k == "drill_ended":
            out = e["outcome"] or {}
            hurt, dead = out.get("injured", 0), out.get("dead", 0)
            text = _(f"推演结束（累计受伤{hurt}人、死亡{dead}人）", f"Drill ended ({hurt} injured, {dead} dead in all)")
            return None, text, "", False
        return None  # samples, sent/delivered messages, skipped injects, parameter changes told by their inject

    def _tell_decision(self, e: Event) -> tuple[str | None, str, str, bool] | None:
        _ = self._
        detail = e.get("detail") or {}
        action = e["action"]
        if action == "notify":
            text = _(f"通知{self.names(detail.get('to', []))}", f"Notified {self.names(detail.get('to', []))}")
            text += self._due(detail.get("due"), e.t)
            return e["by"], text, self._noted(text, detail.get("text")), True
        if action == "establish_command_post":
            where = detail.get("location") or _("现场", "the scene")
            text = _(f"决定在{where}设立现场指挥部", f"Decided to set up the command post at {where}")
            return e["by"], text, "", True
        if action == "request_info":
            who, topic = self.name(detail.get("to")), detail.get("topic", "")
            return e["by"], _(f"向{who}询问“{topic}”", f"Asked {who} about “{topic}”"), "", False
        if action == "report_up":
            target = self.name(detail.get("to") or (self.scenario.higher_level or [None])[0])
            mode = self._label(REPORT_MODES, detail.get("mode")) if detail.get("mode") in REPORT_MODES else ""
            level = detail.get("level")
            en = f"{mode.capitalize()} report to {target}" if mode else f"Report to {target}"
            text = _(f"向{target}{mode}报告", en)
            said = [self._label(LEVELS, level)] if level else []
            said += [toll] if (toll := toll_text(detail, self.lang)) else []  # 死亡1人、受伤15人
            if said:
                text += _(f"（{'；'.join(said)}）", f" ({'; '.join(said)})")
            return e["by"], text, self._noted(text, detail.get("text")), True
        if action == "report_office":
            target = self.name(detail.get("to") or self._office())
            text = _(f"向{target}报告情况", f"Reported to {target}")
            note = detail.get("text")
            return e["by"], text, _(f"向{target}报告：{note}", f"{text}: {note}") if note else "", True
        return None  # assess, appoint, order, assign, adjust, close, review: told by the events they cause

    def _level_set(self, e: Event) -> str:
        """启动Ⅲ级应急响应, 将应急响应提升至Ⅱ级, 将应急响应降至Ⅳ级, 终止Ⅲ级应急响应."""
        return level_change_text(e["change"], e["level"], self.lang)

    def _tell_advice(self, e: Event) -> tuple[str | None, str, str, bool]:
        """An advice as its audience heard it: 向社会公众发布“群众可返回”：…"""
        _ = self._
        what, to = self._label(ADVICE_KINDS, e["advice"]), self._label(ADVICE_AUDIENCES, e["to"])
        text = _(f"向{to}发布“{what}”", f"{what} ({to})")
        return e["by"], text, self._noted(text, e.get("text") or None), True

    def _office(self) -> str | None:
        """Where a report_office goes when it names no one: the scenario's first coordinator (the duty office)."""
        return next((d.id for d in self.scenario.departments if d.kind == "coordinator"), None)

    def _tell_control(self, e: Event) -> tuple[str | None, str, str, bool]:
        """导调组's steering of the MSEL; the inject or message it releases is told by its own event."""
        _ = self._
        detail = e.get("detail") or {}
        action = e["action"]
        if action == "message":
            to, title = self.names(detail.get("to", [])), detail.get("title", "")
            text = _(f"向{to}发送导调消息“{title}”", f"Sent the control message “{title}” to {to}")
            return CONTROL, text, self._noted(text, detail.get("text")), False
        title = self.inject_titles.get(detail.get("inject"), _("情景注入", "an inject"))
        verb = {
            "release_inject": _("立即注入", "Released now: "),
            "hold_inject": _("暂缓注入", "Held: "),
            "skip_inject": _("取消注入", "Skipped: "),
        }.get(action, self._label(CONTROL_ACTIONS, action))
        return CONTROL, f"{verb}“{title}”", "", False

    def _noted(self, text: str, note: str | None) -> str:
        return self._(f"{text}：{note}", f"{text}: {note}") if note else text

    def _tell_command_post(self, e: Event) -> tuple[str | None, str, str, bool]:
        _ = self._
        groups = e["groups"] or []
        where = e["location"]
        head = _(
            f"现场指挥部在{where}开设，下设{len(groups)}个工作组",
            f"Command post set up at {where} with {len(groups)} working groups",
        )
        listed = _("、", "; ").join(
            _(
                f"{g['name']}（{self.name(g['lead'])}，{g.get('owner') or NO_OWNER.zh}）",
                f"{g['name']} ({self.name(g['lead'])}, {g.get('owner') or NO_OWNER.en})",
            )
            for g in groups
        )
        return self.decision_by(e.get("decision")), head, self._noted(head, listed or None), True

    def _tell_task(self, e: Event) -> tuple[str | None, str, str, bool]:
        _ = self._
        decision = self.decisions.get(e.get("decision"))
        params = self.params(e.get("measure"), e.get("params"))
        dept, name = self.name(e["dept"]), e["name"]
        if decision is not None and decision["action"] == "adjust":
            text = _(f"调整“{name}”措施", f"Adjusted “{name}”")
            text += _(f"为{params}", f" to {params}") if params else ""
            text += _(f"，由{dept}执行", f", carried out by {dept}")
            reason = (decision.get("detail") or {}).get("reason")
            return e.get("by"), text, _(f"{text}。理由：{reason}", f"{text}. Reason: {reason}") if reason else "", True
        owner = e.get("owner")
        if e.get("by") == e["dept"]:  # a department that sets itself a task (the gas company's own repair crew)
            text = _(f"组织本单位实施“{name}”", f"Set its own people to “{name}”")
        else:
            text = _(f"向{dept}下达“{name}”任务", f"Ordered {dept} to carry out “{name}”")
        text += _(f"（{params}）", f" ({params})") if params else ""
        if owner:
            text += _(f"，责任人{owner}", f", owner {owner}")
        else:
            text += _("，未明确责任人", ", no owner named")
        text += self._due(e.get("due"), e.t)
        return e.get("by"), text, "", True

    def _due(self, due: float | None, now: float) -> str:
        """``，限50分钟内完成`` for an order or notice with a deadline (a sentence carries no clock: the table
        beside it does), else nothing."""
        if due is None:
            return ""
        within = span(due - now, self.lang)
        return self._(f"，限{within}内完成", f", to be done within {within}")

    def _tell_casualties(self, e: Event) -> str:
        _ = self._
        parts = []
        if e["injured"]:
            parts.append(_(f"受伤{e['injured']}人", f"{e['injured']} injured"))
        if e["dead"]:
            parts.append(_(f"死亡{e['dead']}人", f"{e['dead']} dead"))
        where = e.get("where") or ""
        if self.lang == "en":
            text = f"New casualties: {', '.join(parts) or 'casualties'}" + (f" ({where})" if where else "")
            return text + f"; {e['total_injured']} injured and {e['total_dead']} dead in all"
        text = f"新增{'、'.join(parts) or '伤亡'}" + (f"（{where}）" if where else "")
        return text + f"，累计受伤{e['total_injured']}人、死亡{e['total_dead']}人"

    def _message(self, sent: Event | None) -> str:
        """``发往区消防救援大队的通知`` / ``The notice to …`` for a message of the log."""
        if sent is None:
            return self._("消息", "A message")
        kind, to = self._label(MESSAGE_KINDS, sent["msg_kind"]), self.name(sent["to"])
        return self._(f"发往{to}的{kind}", f"The {kind} to {to}")

    def _channel(self, channel: str) -> str:
        ch = self.channels.get(channel)
        if ch is None:
            return self._("一条信道", "A channel")
        medium = self._label(MEDIA, ch.medium)
        a, b = self.name(ch.from_), self.name(ch.to)
        return self._(f"{a}—{b}{medium}信道", f"The {medium} channel {a}–{b}")

    # the machinery, for tables that list the whole log ---------------------------------------------------
    def _trace(self, e: Event) -> tuple[str | None, str, str, bool] | None:
        _ = self._
        k = e.kind
        if k == "message_sent":
            kind, to = self._label(MESSAGE_KINDS, e["msg_kind"]), self.name(e["to"])
            text = _(f"向{to}发出{kind}", f"Sent a {kind} to {to}")
            if e["attempt"] > 1:
                text += _(f"（第{e['attempt']}次）", f" (attempt {e['attempt']})")
            return e["from"], text, "", False
        if k == "message_delivered":
            kind, src = self._label(MESSAGE_KINDS, e["msg_kind"]), self.name(e["from"])
            took = elapsed(e["sent_t"], e.t, self.lang)
            text = _(f"收到{src}的{kind}（传递用时{took}）", f"{kind.capitalize()} from {src} in {took}")
            return e["to"], text, "", False
        if k == "response_level_set":
            return e["by"], self._level_set(e), "", False
        if k == "inject_skipped":
            title = self.inject_titles.get(e["inject"], _("条件注入", "conditional inject"))
            if e.get("decision"):
                return CONTROL, _(f"情景注入“{title}”已取消", f"Inject “{title}” skipped"), "", False
            return None, _(f"条件注入“{title}”未触发", f"Conditional inject “{title}” not triggered"), "", False
        if k == "hazard_changed":
            title = self.inject_titles.get(e.get("inject") or "")
            if title:
                return None, _(f"“{title}”使态势发生变化", f"“{title}” changed the hazard"), "", False
            return None, _("态势发生变化", "The hazard changed"), "", False
        if k == "hazard_sample":
            exposed = (e["figures"] or {}).get("exposed")
            if exposed is None:
                return None, _("态势更新", "Hazard update"), "", False
            n = round(float(exposed))
            return None, _(f"态势更新：暴露人员{n}人", f"Hazard update: {n} people exposed"), "", False
        if k in ACCEPTED:
            what = self._label(CONTROL_ACTIONS if k == "control_accepted" else ACTIONS, e["action"])
            return e["by"], _(f"决策受理：{what}", f"Decision accepted: {what}"), "", False
        return None
