"""From a point lost to a concrete improvement: the 改进方向和措施建议 of the report.

A suggestion is chosen from the scorer's structure, never from its words: first by the indicator's id
(``BY_ID``), then by the ``facts.kind`` of the evidence that counts against the team (``BY_KIND``, so a new
indicator whose evidence is of a known kind still gets the right advice), and otherwise built from the
indicator's name. Suggestions may quote the scenario (deadlines, the working groups, the departments the answer
key requires) and name the departments the evidence is about (``facts.depts``): after the drill the answer key is
no longer secret, and advice that names the departments is advice a director can act on.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.formats.scenario import Scenario
from simulator.report.blocks import IndicatorResult
from simulator.vocabulary import LEVELS

Depts = tuple[str, ...]
#: a suggestion: from the scenario and the department ids the evidence against the team is about
Suggest = Callable[[Scenario, Depts], str]


def _names(scenario: Scenario, ids: list[str]) -> str:
    return "、".join(d.name for i in ids if (d := scenario.department(i)) is not None)


def _higher(scenario: Scenario) -> str:
    return _names(scenario, scenario.higher_level[:1]) or "上级政府总值班室"


def _report_up(s: Scenario, depts: Depts = ()) -> str:
    key = s.answer_key
    phone = key.report_deadlines.phone.get(key.level, 30)
    written = key.report_deadlines.written.get(key.level, 60)
    return (
        f"严格落实突发事件信息报告制度，接报后{phone:g}分钟内电话报告、{written:g}分钟内书面报告{_higher(s)}，"
        "情况变化及时续报；值班室预置信息报告模板和上报流程卡，明确值班长为信息报送第一责任人，"
        "做到边核实、边处置、边报告，不得迟报、漏报。"
    )


def _command_post(s: Scenario, depts: Depts = ()) -> str:
    return (
        "接报后第一时间在事发地附近的安全区域设立现场指挥部，统一调度各方力量；"
        "处置指令经指挥部统一下达，指挥部开设后以对讲机组网联络各工作组，减少信息层层转达。"
    )


def _groups(s: Scenario, depts: Depts = ()) -> str:
    groups = "、".join(s.answer_key.working_groups)
    listed = f"按照预案成立{groups}等工作组，" if groups else "按照预案成立工作组，"
    return listed + "每个工作组明确牵头部门和具体责任人，做到分工明确、各司其职。"


def _commander(s: Scenario, depts: Depts = ()) -> str:
    dept = _names(s, [s.answer_key.commander_department] if s.answer_key.commander_department else [])
    who = f"由{dept}主要负责同志担任" if dept else "由牵头部门主要负责同志担任"
    return f"接报研判后立即明确现场总指挥，{who}，统一指挥现场处置，避免多头指挥、无人负总责。"


def _owner(s: Scenario, depts: Depts = ()) -> str:
    return (
        "每项处置任务明确到具体责任人和完成时限，纳入任务台账，实行“交办—执行—反馈—销号”动态管理，"
        "指挥部定期对照台账调度进度。"
    )


def _assess(s: Scenario, depts: Depts = ()) -> str:
    key = s.answer_key
    return (
        f"完善接报研判清单，接报后第一时间核实事件类型、影响范围、人员伤亡和危险源情况，对照分级标准确定响应级别"
        f"（本次事件应为{key.event_type}，{LEVELS[key.level].zh}），情况变化时及时调整响应级别。"
    )


def _notify(s: Scenario, depts: Depts = ()) -> str:
    depts = _names(s, list(depts) or s.answer_key.required_departments)
    return (
        f"对照预案建立分类通知清单，接报研判后一次性通知{depts}等处置部门，"
        "避免漏通知、迟通知，也避免通知与处置无关的部门分散力量。"
    )


def _conflict(s: Scenario, depts: Depts = ()) -> str:
    return "处置指令统一由指挥部下达，下达前核对任务台账，避免重复、冲突的指令。"


def _adjust(s: Scenario, depts: Depts = ()) -> str:
    return (
        "建立现场信息滚动研判机制，对风向、伤亡、舆情等情况变化逐条研判，及时调整疏散范围等处置措施，"
        "调整情况同步通报各工作组。"
    )


def _measure(s: Scenario, depts: Depts = ()) -> str:
    return (
        "根据危险源特性、气象条件和周边人员分布科学确定处置措施及其参数（如疏散范围），"
        "按照时限要求尽早下达，并跟踪措施落实到位。"
    )


def _medical(s: Scenario, depts: Depts = ()) -> str:
    return "出现人员伤亡后立即组织医疗救治力量赶赴现场，开通绿色通道，伤员信息实行专人统计、及时报送。"


def _public(s: Scenario, depts: Depts = ()) -> str:
    return "宣传部门接报后即预置信息发布口径，在舆情发酵前发布权威信息，及时回应社会关切、澄清不实传言。"


def _channel(s: Scenario, depts: Depts = ()) -> str:
    return "为重点部门配备卫星电话、对讲机等备用通信手段，明确主、备通信渠道，通信中断时按预案切换。"


def _rejected(s: Scenario, depts: Depts = ()) -> str:
    return "加强对处置流程的熟悉，先通知部门再下达任务，下达指令前核对对象和参数，避免无效指令延误处置。"


def _review(s: Scenario, depts: Depts = ()) -> str:
    return (
        "处置结束后及时组织复盘，从原因和特点、处置成效、存在问题、创新点、改进方向五个方面梳理总结，"
        "形成调研报告，并将整改措施纳入下一次推演的重点科目。"
    )


def _speed(s: Scenario, depts: Depts = ()) -> str:
    return "压缩接报、研判、通知、出动各环节用时，值班人员熟练掌握预案和通讯录，做到接报即研判、研判即响应。"


def _assess_time(s: Scenario, depts: Depts = ()) -> str:
    return (
        "值班人员接报后立即按研判清单核实关键信息，力争在接报后几分钟内完成初步研判，"
        "确定事件类型和响应级别，研判结论即作为通知、调度和上报的依据。"
    )


def _notify_time(s: Scenario, depts: Depts = ()) -> str:
    return (
        f"接报研判后通过电话、政务系统等多渠道同步通知{_names(s, list(depts) or s.answer_key.required_departments)}"
        "等部门，并由专人逐一确认对方已收到；主渠道不通时立即改用备用渠道。"
    )


def _first_measure(s: Scenario, depts: Depts = ()) -> str:
    return "处置力量出动的同时预先明确首批处置措施，到场即可开展先期处置，缩短从接报到现场处置的时间。"


def _inject(s: Scenario, depts: Depts = ()) -> str:
    return (
        "对现场报告、群众来电、媒体关注等新情况建立“接收—研判—处置—反馈”闭环，"
        "每条新情况明确由谁在多长时间内回应，避免情况变化后无人应对。"
    )


def _info(s: Scenario, depts: Depts = ()) -> str:
    holders = _names(s, list(dict.fromkeys(f.held_by for f in s.facts)))
    topics = "、".join(dict.fromkeys(f.topic for f in s.facts))
    if holders and topics:
        return f"研判阶段主动向{holders}了解{topics}等情况，从有限信息中找准处置突破口，做到情况明、底数清。"
    return "研判阶段主动向涉事单位和有关部门了解现场情况，从有限信息中找准处置突破口，做到情况明、底数清。"


def _outcome(s: Scenario, depts: Depts = ()) -> str:
    return (
        "坚持人民至上、生命至上，把减少人员伤亡和群众暴露作为首要目标：尽早组织受威胁群众疏散转移或就地避险，"
        "尽快控制危险源，伤员及时救治。"
    )


def _review_coverage(s: Scenario, depts: Depts = ()) -> str:
    return "复盘材料应完整覆盖原因和特点、处置成效、存在问题、创新点、改进方向五个方面，每个方面写实写细，不空泛表态。"


def _review_grounding(s: Scenario, depts: Depts = ()) -> str:
    return "复盘材料以处置记录为依据，写明关键时间节点、部门和数据，做到每一条结论都有据可查。"


def _improvement(s: Scenario, depts: Depts = ()) -> str:
    return (
        "建立推演问题整改台账，对上次推演发现的问题逐项明确整改责任人和时限，在下一次推演中检验整改成效、实行销号管理。"
    )


#: exact indicator ids of ``simulator.scoring`` (its registry INDICATORS): advice that does not depend on words
BY_ID: dict[str, Suggest] = {
    "assessment_time": _assess_time,
    "notify_time": _notify_time,
    "commander_time": _commander,
    "report_up": _report_up,
    "first_measure_time": _first_measure,
    "command_post_first": _command_post,
    "task_owners": _owner,
    "working_groups": _groups,
    "no_conflicts": _conflict,
    "adjustments": _adjust,
    "rejected_decisions": _rejected,
    "level": _assess,
    "departments": _notify,
    "measures": _measure,
    "inject_responses": _inject,
    "info_requests": _info,
    "outcome": _outcome,
    "review_submitted": _review,
    "review_coverage": _review_coverage,
    "review_grounding": _review_grounding,
    "improvement": _improvement,
}


#: ``facts.kind`` of the evidence against the team -> advice, for indicators ``BY_ID`` does not know
BY_KIND: dict[str, Suggest] = {
    "assessed_late": _assess_time,
    "not_assessed": _assess_time,
    "notified_late": _notify_time,
    "notice_failed": _channel,
    "not_notified": _notify,
    "extra_department": _notify,
    "commander_late": _commander,
    "commander_unreached": _commander,
    "commander_wrong_department": _commander,
    "no_commander": _commander,
    "report_late": _report_up,
    "report_undelivered": _report_up,
    "not_reported": _report_up,
    "report_chased": _report_up,
    "report_level_wrong": _assess,
    "measure_started_late": _first_measure,
    "no_measure": _first_measure,
    "command_post_not_established": _command_post,
    "no_command_post": _command_post,
    "task_before_command_post": _command_post,
    "task_without_owner": _owner,
    "no_tasks": _owner,
    "group_missing": _groups,
    "duplicate": _conflict,
    "conflict": _conflict,
    "not_adjusted": _adjust,
    "adjust_unmotivated": _adjust,
    "rejected": _rejected,
    "no_decisions": _speed,
    "type_wrong": _assess,
    "level_wrong": _assess,
    "type_and_level_wrong": _assess,
    "wrong_department": _measure,
    "wrong_param": _measure,
    "measure_late": _measure,
    "measure_not_started": _measure,
    "measure_missing": _measure,
    "inject_answered_late": _inject,
    "inject_unanswered": _inject,
    "request_redundant": _info,
    "request_misdirected": _info,
    "request_unanswered": _info,
    "few_requests": _info,
    "no_requests": _info,
    "outcome_worse": _outcome,
    "review_rejected": _review,
    "review_missing": _review,
    "review_section_thin": _review_coverage,
    "review_section_missing": _review_coverage,
    "review_ungrounded": _review_grounding,
    "review_grounding_short": _review_grounding,
    "not_improved": _improvement,
    "keyword_not_better": _improvement,
}


def suggest(indicator: IndicatorResult, scenario: Scenario) -> str:
    """A concrete suggestion for an indicator that lost points: by its id, else by the kind of the evidence that
    counts against the team, else generic (built from its name). Departments named come from that evidence."""
    against = [ev for ev in indicator.evidence if ev.against]
    depts = tuple(dict.fromkeys(d for ev in against for d in ev.depts))
    advice = BY_ID.get(indicator.id) or next((BY_KIND[ev.kind] for ev in against if ev.kind in BY_KIND), None)
    return advice(scenario, depts) if advice is not None else generic(indicator.name or indicator.id)


def generic(name: str) -> str:
    """The fallback: honest about being generic, but still a step the office can take."""
    return (
        f"针对“{name}”方面的不足，对照预案梳理该环节的工作流程、责任分工和时限要求，"
        "在下一次推演中作为重点科目演练，并跟踪改进效果。"
    )
