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
