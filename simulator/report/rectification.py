"""七、整改措施 and the 问题整改台账: one measure per problem, with 责任单位, 完成时限 and 验收方式.

Why per problem and not per indicator: the doctrine's 整改 is 针对发现的问题 … 逐项破解, and a ledger a district
office can track needs one row per problem it found, naming who answers for it and by when. Each measure quotes this
drill's own facts (the departments, measures, parameters and deadlines of the scenario), so no two scenarios get the
same sentence, and the responsible unit is a department of the scenario (the one the problem is about, the leading
department of the answer key, or the coordinating duty office), or the district government office.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.formats.scenario import Scenario
from simulator.report.blocks import TODO, Problem, Rectification
from simulator.report.facts import DrillFacts, date_text
from simulator.vocabulary import LEVEL_SHORT, name_of

#: the unit that answers when no department of the scenario is the natural owner
OFFICE = "区政府办公室"


class Owners:
    """The scenario's departments as owners of a rectification."""

    def __init__(self, s: Scenario):
        self.s = s
        key = s.answer_key
        self.coordinator = next((d.name for d in s.departments if d.kind == "coordinator"), OFFICE)
        lead = s.department(key.commander_department) if key.commander_department else None
        self.lead = lead.name if lead is not None else OFFICE

    def of(self, dept_ids: tuple[str, ...], fallback: str) -> str:
        d = next((d for i in dept_ids if (d := self.s.department(i)) is not None and d.kind != "higher_level"), None)
        return d.name if d is not None else fallback


Measure = Callable[[Scenario, Problem, Owners], tuple[str, str, str]]  # (措施, 责任单位, 验收方式)


def _title(s: Scenario) -> str:
    return s.title.strip().removesuffix("事件")


def _measures(s: Scenario, missing_only: bool = False) -> str:
    return "、".join(f"“{m.name}”" for k in s.answer_key.measures[:3] if (m := s.measure(k.measure)) is not None)


def _closed_early(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"修订{s.answer_key.event_type}专项处置方案的响应终止条件，须经现场指挥部确认险情已控制、伤员全部转运后"
        "方可宣布终止应急响应",
        o.lead,
        "审核修订后的方案，下次推演检查终止时机",
    )


def _uncontrolled(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"重新核定{_measures(s)}等关键措施的力量编成和到位时限，形成“{_title(s)}”处置力量调度表",
        o.lead,
        "查验调度表，下次推演中险情在参考时间内得到控制",
    )


def _casualties(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    place = s.location or _title(s)
    health = next((d.name for d in s.departments if "卫健" in d.name), o.lead)
    return (
        f"针对{place}周边人员分布，细化受威胁群众疏散转移和伤员分级救治衔接方案，明确先期处置阶段的救治力量",
        health,
        "审核衔接方案并组织一次专项推演，推演情景中伤亡不多于参考方案",
    )


def _unreached(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    names = "、".join(d.name for i in p.depts[:4] if (d := s.department(i)) is not None)
    return (
        f"将{names}纳入{s.answer_key.event_type}事件分类通知清单，核对主备联络方式，接报研判后一次通知到位",
        o.coordinator,
        "抽查通知清单和通讯录，开展一次不打招呼的通知演练",
    )


def _misjudged(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    key = s.answer_key
    return (
        f"修订接报研判清单，补充{key.event_type}的识别要点和{name_of(LEVEL_SHORT, key.level)}响应的分级标准，"
        "值班人员逐条对照研判",
        o.coordinator,
        "审核研判清单，组织值班人员闭卷研判测试",
    )


def _command(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    groups = "、".join(s.answer_key.working_groups[:4])
    return (
        f"明确{s.answer_key.event_type}现场指挥部的开设位置和牵头单位，预设{groups or '各工作组'}的组成和联络方式",
        o.lead,
        "查验指挥部开设方案，下次推演中接报后首先开设指挥部",
    )


def _report(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    key = s.answer_key
    phone = key.report_deadlines.phone.get(key.level, 30)
    written = key.report_deadlines.written.get(key.level, 60)
    higher = "、".join(d.name for i in s.higher_level[:1] if (d := s.department(i)) is not None) or "上级"
    return (
        f"在值班室设置信息报送时限提示，接报后{phone:g}分钟内电话、{written:g}分钟内书面报告{higher}，预置报告模板",
        o.coordinator,
        "检查值班记录和报告模板，抽查一次报送用时",
    )


def _report_truth(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        "建立伤亡信息核报机制：现场指挥部伤员统计组每次报告前与卫生健康、公安部门逐一核对死亡、受伤、失联、被困人数，"
        "报告由主要负责人签发，杜绝迟报、漏报、瞒报",
        o.coordinator,
        "抽查报告底稿与伤员统计台账，下次推演各次报告伤亡数字与实际相符",
    )


def _slow(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"编制{_title(s)}接报处置流程卡，明确接报、研判、通知、出动各环节的用时要求和责任岗位",
        o.coordinator,
        "查验流程卡，下次推演各环节用时在时限内",
    )


def _warnings(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    obliged = [m for t in s.answer_key.triggers for i in t.measures if (m := s.measure(i)) is not None]
    measures = "、".join(dict.fromkeys(f"“{m.name}”" for m in obliged))
    return (
        f"修订{_title(s)}预警响应流程，明确预警发布后{measures or '规定措施'}的启动条件、责任单位和下达时限",
        o.lead,
        "查验预警响应流程，下次推演预警发布后规定措施均在时限内下达",
    )


def _measures_fix(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"对照{_measures(s)}等关键措施的参数和下达时限，修订处置方案附表，下达指令前逐项核对",
        o.of(p.depts, o.lead),
        "审核方案附表，下次推演关键措施全部按参数和时限下达",
    )


def _changes(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"建立{_title(s)}现场情况滚动研判机制，对新报告、新变化逐条明确回应单位和时限",
        o.lead,
        "查阅研判记录，下次推演每条情况变化均有回应",
    )


def _orders(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"推行任务交办“一事一责任人”，{_title(s)}处置任务纳入台账，交办前核对台账避免重复",
        o.coordinator,
        "抽查任务台账，每项任务均有责任人和完成情况",
    )


def _info(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    topics = "、".join(dict.fromkeys(f.topic for f in s.facts)) or "现场情况"
    return (f"编制{_title(s)}信息核实清单，研判阶段主动了解{topics}", o.coordinator, "查验核实清单和询问记录")


def _review(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"“{_title(s)}”推演结束后组织复盘，按原因和特点、处置成效、存在问题、创新点、改进方向形成材料",
        OFFICE,
        "查阅复盘材料和会议记录",
    )


def _stood_down(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"明确{s.answer_key.event_type}处置中解除警戒、群众返回的发布条件和程序：经现场指挥部确认险情已控制、"
        "检测数据达标后统一发布，各部门和企业不得自行发布",
        o.lead,
        "审核发布程序，下次推演检查解除警戒时机",
    )


def _level(s: Scenario, p: Problem, o: Owners) -> tuple[str, str, str]:
    return (
        f"修订{s.answer_key.event_type}应急预案的响应分级条件，明确启动、提升、降低、终止应急响应的决策程序和时机",
        o.coordinator,
        "审核修订后的预案，下次推演接报研判后即按级别启动应急响应",
    )


MEASURES: dict[str, Measure] = {
    "closed_early": _closed_early,
    "uncontrolled": _uncontrolled,
    "casualties": _casualties,
    "unreached": _unreached,
    "misjudged": _misjudged,
    "command": _command,
    "report": _report,
    "report_truth": _report_truth,
    "slow": _slow,
    "warnings": _warnings,
    "measures": _measures_fix,
    "changes": _changes,
    "orders": _orders,
    "info": _info,
    "review": _review,
    "stood_down": _stood_down,
    "level": _level,
}


def rectify(s: Scenario, problems: tuple[Problem, ...], facts: DrillFacts | None, when) -> tuple[Rectification, ...]:
    """One rectification per problem; ``when(t)`` writes a sim time as T+…（clock）."""
    owners = Owners(s)
    deadline = facts.deadline() if facts is not None else None
    out = []
    for p in problems:
        measure, owner, acceptance = MEASURES[p.kind](s, p, owners)
        basis = "、".join(x for x in (when(p.t) if p.t is not None else "", _events(p.event_ids)) if x) or "推演全程"
        out.append(
            Rectification(
                p.rank, p.title, basis, p.keyword, owner, measure, deadline, date_text(deadline, TODO), acceptance
            )
        )
    return tuple(out)


def _events(ids: tuple[int, ...]) -> str:
    return f"事件{'、'.join(str(i) for i in ids[:4])}{'等' if len(ids) > 4 else ''}" if ids else ""


__all__ = ["MEASURES", "OFFICE", "rectify"]
