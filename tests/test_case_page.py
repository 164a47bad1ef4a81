"""The 案例推演 page, driven with AppTest on the fixture case: anyone reads the case (summary, sources, official
findings, assumptions) and opens the console with the case chosen; after a drill of the case the facilitator sees
each official finding marked reproduced or avoided, and the team's decisions beside what was actually done."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator.formats import load_plan
from tests.accounts import sign_in_here
from tests.conftest import ROOT
from tests.test_app import (  # noqa: F401  (db: the app's store fixture, by name)
    PASSCODE,
    TIMEOUT,
    _chinese_outside,
    _library_words,
    _shown,
    db,
)
from tests.test_cases import FIXTURE_DIR

TITLE = "测试用案例：东风路农贸市场燃气管道泄漏事件（虚构）"
SCENARIO_TITLE = "东风路农贸市场燃气管道泄漏事件"


@pytest.fixture(autouse=True)
def cases(monkeypatch):
    monkeypatch.setenv("DRILL_CASE_DIR", str(FIXTURE_DIR))


@pytest.fixture
def drills(request):
    """The app's own store (test_app's ``db`` fixture: the app's DRILL_DB_URL)."""
    return request.getfixturevalue("db")


def _drill_of(drills, plan_file: str, team: str) -> int:
    """A finished drill of the fixture case whose decisions are those of ``plan_file``, under seed 3."""
    plan = load_plan(FIXTURE_DIR / plan_file)
    done = plan.model_copy(update={"seed": 3, "team": team, "finished": True, "clock": 180.0})
    return drills.import_plan(done, "1", PASSCODE).id


def _case_page(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    if state.get("role") == "facilitator":
        sign_in_here(at, name="Facilitator A", org="Test district")  # names are data, English for English tests
    at.run()
    at.switch_page("views/cases.py").run()
    assert not at.exception, at.exception
    return at


def test_anyone_reads_the_case_and_opens_the_console_with_it_chosen(drills):
    at = _case_page()
    assert at.title[0].value == "案例推演"
    assert TITLE in [s.value for s in at.subheader]
    shown = "\n".join(m.value for m in at.markdown)
    assert "> 泄漏点尚未得到有效控制，即通知疏散群众返回" in shown  # the finding, verbatim
    assert "出处：测试用虚构调查报告，第三部分 应急处置评估" in shown and "（精准）" in shown
    assert "本案例全部内容为测试用虚构数据（假定）" in shown  # the assumptions
    sources = at.dataframe[0].value
    assert list(sources["发布单位"]) == ["测试数据"] and list(sources["日期"]) == ["2020年2月1日"]
    assert "本次推演与真实事件调查结论对照" not in shown  # no drill yet, and not for an anonymous visitor

    sign_in_here(at)  # the console creates a drill for a signed-in facilitator only
    at.button(key="drill_this_case").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "推演控制台"
    assert at.selectbox(key="new_scenario").value.id == "fixture_gas_leak"
    assert "案例：" + SCENARIO_TITLE in at.selectbox(key="new_scenario").options


def test_after_a_drill_of_the_case_the_facilitator_sees_the_findings_reproduced_and_both_responses(drills):
    actual = load_plan(FIXTURE_DIR / "fixture_gas_leak.actual.yaml")
    at = _case_page(drill_id=_drill_of(drills, "fixture_gas_leak.actual.yaml", "一组"), role="facilitator")
    shown = "\n".join(m.value for m in at.markdown)
    assert "#### 本次推演与真实事件调查结论对照" in shown
    assert [m.value for m in at.metric][:2] == ["3", "0"]  # reproduced, avoided: the team did what was done
    assert any("险情未排除即通知群众返回" in e.value and "T+30（07:40）" in e.value for e in at.error)
    team, happened = at.dataframe[1].value, at.dataframe[2].value  # after the sources
    assert len(team) == len(happened) == len(actual.decisions)
    assert happened["来源"].str.contains("来源：T1").all()
    assert "启动Ⅳ级应急响应" in list(team["决策"])


def test_a_drill_that_avoids_the_mistakes_is_told_so_and_in_english_only_the_case_is_chinese(drills):
    drill_id = _drill_of(drills, "fixture_gas_leak.reference.yaml", "二组")
    at = _case_page(drill_id=drill_id, role="facilitator", lang="en")
    assert at.title[0].value == "Real cases"
    assert [m.value for m in at.metric][:2] == ["0", "3"]
    assert len(at.success) == 3 and not at.error
    assert _chinese_outside(_shown(at), _library_words()) == []


def test_the_report_page_of_a_case_drill_has_the_comparison_with_the_official_findings(drills):
    at = _case_page(drill_id=_drill_of(drills, "fixture_gas_leak.actual.yaml", "三组"), role="facilitator")
    at.switch_page("views/report.py").run()
    assert not at.exception, at.exception
    draft = "\n".join(m.value for m in at.markdown)
    assert "## 附件4　与真实事件调查结论对照" in draft and "本次推演重现了其中3条" in draft
