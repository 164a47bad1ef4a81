"""The words people read (simulator/vocabulary.py): one time format, whole minutes, both languages."""

from __future__ import annotations

import re

from simulator import vocabulary as v


def test_a_moment_is_whole_minutes_with_the_clock():
    assert v.when("08:10", 45) == "T+45（08:55）"
    assert v.when("08:10", 4.529) == "T+4（08:14）"  # the minute it falls in, as a wall clock shows it
    assert v.when("23:30", 45) == "T+45（次日00:15）"
    assert v.when("23:30", 45, "en") == "T+45 (00:15 (+1d))"
    assert v.span(7.5) == "8分钟" and v.span(12, "en") == "12 min"


def test_outcome_figures_read_as_people_write_them():
    assert v.figure_text("dead", 6) == "6人"
    assert v.figure_text("exposed_person_minutes", 358700.0) == "358,700人·分钟"
    assert v.figure_text("contained_at", 167.0, "08:10") == "T+167（10:57）"
    assert v.figure_text("contained_at", None) == "未控制"
    assert v.figure_text("contained_at", None, lang="en") == "not controlled"


def test_every_label_has_both_languages_and_english_has_no_chinese():
    cjk = re.compile(r"[\u3400-\u9fff]")
    tables = [v.KEYWORD_LABELS, v.LEVELS, v.LEVEL_SHORT, v.ACTIONS, v.MESSAGE_KINDS, v.REPORT_MODES, v.MEDIA]
    tables += [v.DEPARTMENT_KINDS, v.DEPARTMENT_STATUS, v.EVENT_KINDS, v.TASK_STATUS, v.GRADES]
    for table in tables:
        for label in table.values():
            assert cjk.search(label.zh) and label.en and not cjk.search(label.en)
    for fig in v.OUTCOMES.values():
        assert cjk.search(fig.label.zh) and not cjk.search(fig.label.en)


def test_an_engine_reason_is_read_in_one_language():
    reason = "区卫健委尚未接到通知，请先通知再下达任务 (health was never notified)"
    assert v.reason_text(reason) == "区卫健委尚未接到通知，请先通知再下达任务"
    assert v.reason_text(reason, "en") == "health was never notified"


def test_durations_beside_clock_times_add_up_as_a_reader_counts_them():
    """A notice delivered at T+40.8 is printed as T+40: "用时40分钟，超过10分钟时限30分钟" (not 41 and 31, which a
    reader subtracting the printed times finds wrong)."""
    assert v.t_text(40.808) == "T+40"
    assert v.elapsed(0, 40.808) == "40分钟" and v.span(40.808) == "41分钟"
    assert v.elapsed(12.9, 39.1) == "27分钟"  # T+12 to T+39
    assert v.overdue(40.808 - 10) == "30分钟"
    assert v.overdue(0.7) == "不足1分钟" and v.overdue(0.7, "en") == "less than 1 min"
    assert v.elapsed(5.2, 5.9) == "0分钟" and v.elapsed(9, 3) == "0分钟"


def test_the_golden_evidence_counts_notice_times_from_the_printed_minute():
    import json

    from tests.conftest import ROOT

    checked = 0
    for path in (ROOT / "tests" / "golden").glob("*/score.json"):
        for keyword in json.loads(path.read_text(encoding="utf-8"))["keywords"].values():
            for ind in keyword["indicators"]:
                for ev in ind["evidence"]:
                    found = re.search(r"收到通知，用时(\d+)分钟(?:，超过10分钟时限(\d+)分钟)?", ev["text"])
                    if found and ev["t"] is not None and "urban_flood" not in str(path):  # flood: clock from i03
                        assert int(found[1]) == v.minute_of(ev["t"]), ev
                        if found[2]:
                            assert int(found[2]) == v.minute_of(ev["t"]) - 10, ev
                        checked += 1
    assert checked > 20


def test_more_harm_than_the_reference_is_said_in_deaths_and_injuries():
    """The outcome comparison says how many more died and were hurt, then the weighed total; never "死亡按5人计，
    多65人" (which reads as if 65 more people died)."""
    from tests.conftest import ROOT

    report = (ROOT / "tests" / "golden" / "crowd_crush.poor" / "report.md").read_text(encoding="utf-8")
    assert "参考方案无人员伤亡；比参考方案多死亡8人、多受伤25人（按死亡1人折合受伤5人计，合计多65人）" in report
    assert "死亡按" not in report
