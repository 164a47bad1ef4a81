"""UI strings: Simplified Chinese first, English on the switch. Pure data; no Streamlit here."""

from __future__ import annotations

LANGS = {"zh": "中文", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh": "应急处置桌面推演模拟器", "en": "Emergency-response tabletop drills"},
    "page_scenarios": {"zh": "场景库", "en": "Scenarios"},
    "page_console": {"zh": "推演控制台", "en": "Drill console"},
    "page_replay": {"zh": "回放", "en": "Replay"},
    "page_evaluation": {"zh": "评估", "en": "Evaluation"},
    "page_report": {"zh": "调研报告", "en": "Report"},
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "scenario": {"zh": "场景", "en": "Scenario"},
    "summary": {"zh": "事件概要", "en": "Summary"},
    "departments": {"zh": "参演部门", "en": "Departments"},
    "channels": {"zh": "通信信道", "en": "Channels"},
    "injects": {"zh": "情景注入", "en": "Injects"},
    "inject_timeline": {"zh": "情景注入时间线（仅导调员可见）", "en": "Inject timeline (facilitator only)"},
    "measures": {"zh": "可下达措施", "en": "Measures"},
    "network": {"zh": "协调网络", "en": "Coordination network"},
    "broken_scenarios": {"zh": "以下场景文件有错误，未载入：", "en": "These scenario files have errors:"},
    "team": {"zh": "参演队伍", "en": "Team"},
    "seed": {"zh": "随机种子", "en": "Seed"},
    "start_drill": {"zh": "开始推演", "en": "Start drill"},
    "resume_drill": {"zh": "继续已有推演", "en": "Resume a drill"},
    "clock": {"zh": "推演时间", "en": "Drill clock"},
    "next_inject": {"zh": "到下一注入", "en": "Next inject"},
    "plus5": {"zh": "+5 分钟", "en": "+5 min"},
    "advance_to": {"zh": "前进到（分钟）", "en": "Advance to (min)"},
    "go": {"zh": "前进", "en": "Go"},
    "end_drill": {"zh": "结束推演", "en": "End drill"},
    "new_drill": {"zh": "新推演", "en": "New drill"},
    "inject_feed": {"zh": "情景注入（已送达）", "en": "Injects received"},
    "decision": {"zh": "下达决策", "en": "Take a decision"},
    "submit": {"zh": "提交", "en": "Submit"},
    "accepted": {"zh": "决策已受理", "en": "Decision accepted"},
    "rejected": {"zh": "决策被拒", "en": "Decision rejected"},
    "status_board": {"zh": "部门状态", "en": "Department status"},
    "hazard": {"zh": "态势", "en": "Hazard"},
    "exposed": {"zh": "暴露人数", "en": "Exposed"},
    "injured": {"zh": "受伤", "en": "Injured"},
    "dead": {"zh": "死亡", "en": "Dead"},
    "live_score": {"zh": "实时评分", "en": "Live score"},
    "total": {"zh": "总分", "en": "Total"},
    "grade": {"zh": "等级", "en": "Grade"},
    "finished": {"zh": "推演已结束", "en": "The drill has ended"},
    "no_drill": {
        "zh": "尚未选择推演。请在推演控制台开始或继续一场推演。",
        "en": "No drill yet: start one in the console.",
    },
    "source": {"zh": "回放来源", "en": "Source"},
    "from_store": {"zh": "已保存的推演", "en": "A saved drill"},
    "from_plan": {"zh": "运行方案文件", "en": "Run a plan file"},
    "plan": {"zh": "方案", "en": "Plan"},
    "upload_plan": {"zh": "或上传方案 YAML", "en": "Or upload a plan (YAML)"},
    "time": {"zh": "时间（分钟）", "en": "Time (min)"},
    "play": {"zh": "▶ 播放", "en": "▶ Play"},
    "pause": {"zh": "⏸ 暂停", "en": "⏸ Pause"},
    "tasks_gantt": {"zh": "各部门任务甘特图", "en": "Department tasks"},
    "event_table": {"zh": "事件表", "en": "Events"},
    "filter_dept": {"zh": "按部门筛选", "en": "Department"},
    "filter_kind": {"zh": "按事件类型筛选", "en": "Event kind"},
    "scores_over_time": {"zh": "四个关键词得分随时间变化", "en": "Scores over time"},
    "vs_reference": {"zh": "与专家参考方案对比（同一随机种子）", "en": "Against the reference plan (same seed)"},
    "radar": {"zh": "四个关键词雷达图", "en": "The four keywords"},
    "indicators": {"zh": "评分指标与依据", "en": "Indicators and evidence"},
    "trend": {"zh": "队伍历次推演趋势", "en": "The team's trend"},
    "report_draft": {"zh": "调研报告草稿", "en": "Report draft"},
    "edit_review": {"zh": "编辑复盘内容", "en": "Edit the review"},
    "save_review": {"zh": "保存复盘", "en": "Save the review"},
    "download": {"zh": "下载", "en": "Download"},
    "this_drill": {"zh": "本次推演", "en": "This drill"},
    "reference": {"zh": "参考方案", "en": "Reference"},
    "outcome": {"zh": "处置结果", "en": "Outcome"},
}


def t(key: str, lang: str = "zh") -> str:
    """The string for ``key`` in ``lang``; Chinese when a translation is missing, the key if both are."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["zh"]
