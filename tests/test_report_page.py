"""The 调研报告 page, driven with AppTest: the facilitator records the drill's own facts (演练基本信息), the draft
shows them and they are still there on the next visit; a trainee never reaches the page; a bad entry is refused by
name and what was typed stays; the English switch reaches the form; Word and PDF files are made on demand."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from simulator.report.facts import DrillFacts
from simulator.store.facts import drill_facts, save_facts
from tests.accounts import sign_in_here
from tests.conftest import ROOT
from tests.test_app import (  # noqa: F401  (db: the app's store fixture)
    PASSCODE,
    TIMEOUT,
    _chinese_outside,
    _library_words,
    _shown,
    db,
)

VENUE = "区应急指挥中心三楼会议室"
ORGANISER = "临港区人民政府办公室"


@pytest.fixture
def drill(request):
    """A stored drill of team 第一组, in the app's own store (test_app's ``db`` fixture, the app's DRILL_DB_URL)."""
    store = request.getfixturevalue("db")
    return store, store.create("hazchem_leak", "1", 1, "第一组", PASSCODE)


def _session(drill_id: int, role: str = "facilitator", lang: str = "zh", dept: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": drill_id, "role": role, "dept": dept, "lang": lang}.items():
        at.session_state[key] = value
    if role == "facilitator":
        sign_in_here(at, name="Facilitator A", org="Test district")  # names are data, English for English tests
    at.run()
    assert not at.exception, at.exception
    return at


def _report_page(at: AppTest) -> AppTest:
    at.switch_page("views/report.py").run()
    assert not at.exception, at.exception
    return at


def _field(at: AppTest, name: str):
    """A widget of the facts form (its key carries the drill and a digest of the stored facts)."""
    for widget in (*at.text_input, *at.text_area, *at.date_input, *at.number_input, *at.selectbox):
        if str(widget.key).startswith(f"facts_{name}_"):
            return widget
    raise KeyError(name)


def _save(at: AppTest) -> AppTest:
    button = next(b for b in at.button if str(b.proto.form_id).startswith("facts_form"))
    button.click().run()
    assert not at.exception, at.exception
    return at


def _draft(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown if "基本情况" in m.value)


def test_the_facts_typed_on_the_report_page_reach_the_draft_and_stay_with_the_drill(drill):
    store, record = drill
    at = _report_page(_session(record.id))
    created = dt.datetime.fromisoformat(record.created_at)
    assert _field(at, "date").value == created.astimezone().date()  # the drill record's day, in local time
    _field(at, "venue").set_value(VENUE)
    _field(at, "organiser").set_value(ORGANISER)
    _field(at, "director").set_value("区应急管理局\n区政府总值班室")
    _field(at, "objectives").set_value("检验液氯泄漏先期处置\n检验部门间信息报送")
    _save(at)
    assert at.success and not at.error
    assert VENUE in _draft(at) and ORGANISER in _draft(at)  # 一、基本情况 of the draft, in the same run

    stored = drill_facts(store, record.id)
    assert stored.venue == VENUE and stored.director == ("区应急管理局", "区政府总值班室")
    assert [p.unit for p in stored.participants] == ["第一组"]  # the team, from the drill record

    again = _report_page(_session(record.id))  # another visit (a new browser session)
    assert _field(again, "venue").value == VENUE and _field(again, "organiser").value == ORGANISER
    assert VENUE in _draft(again) and ORGANISER in _draft(again)


def test_an_over_long_entry_is_refused_by_name_and_what_was_typed_stays(drill):
    store, record = drill
    at = _report_page(_session(record.id))
    _field(at, "venue").set_value(VENUE)
    _field(at, "director").set_value("区应急管理局\n" + "区" * 61)
    _save(at)
    assert [e.value for e in at.error] == ["演练基本信息有误，未保存：\n\n- 导调组第2项不能超过60个字"]
    assert drill_facts(store, record.id) is None  # nothing stored
    assert _field(at, "venue").value == VENUE  # the form keeps what was typed
    assert _field(at, "director").value.endswith("区" * 61)


def test_a_trainee_cannot_reach_the_report_page_nor_write_facts(drill):
    store, record = drill
    at = _session(record.id, role="trainee", dept="duty_office")
    with pytest.raises(ValueError):
        at.switch_page("views/report.py")
    with pytest.raises(PermissionError):
        save_facts(store, record.id, DrillFacts(venue=VENUE), role="duty_office")
    assert drill_facts(store, record.id) is None


def test_the_form_and_downloads_in_english_while_the_draft_stays_chinese(drill):
    store, record = drill
    save_facts(store, record.id, DrillFacts(venue=VENUE))
    at = _report_page(_session(record.id, lang="en"))
    assert _field(at, "venue").label == "Venue" and _field(at, "deadline").label == "Days allowed for rectification"
    assert _field(at, "title").options == ["Survey report", "Drill summary and evaluation report"]
    labels = [b.label for b in at.get("download_button")]
    assert labels[:3] == ["Download .docx", "Download .md", "Download rectification ledger .xlsx"]
    assert VENUE in _draft(at)  # the draft is the office's Chinese document
    assert _chinese_outside(_shown(at), [*_library_words(), VENUE, "第一组"]) == []  # the rest is English


@pytest.mark.parametrize("libreoffice", [True, False])
def test_word_and_pdf_are_made_on_demand_and_pdf_is_offered_where_libreoffice_is(drill, monkeypatch, libreoffice):
    """The .docx (charts) and the PDF (LibreOffice) are deferred downloads: a page run builds neither. Without
    LibreOffice the page says how the server gets it."""
    import simulator.report.docx as docx
    import simulator.report.pdf as pdf

    _, record = drill
    calls = []
    monkeypatch.setattr(docx, "docx_bytes", lambda *a, **k: calls.append("docx") or b"")
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda *a, **k: calls.append("pdf") or b"")
    monkeypatch.setattr(pdf, "pdf_available", lambda: libreoffice)
    at = _report_page(_session(record.id))
    _field(at, "venue").set_value(VENUE)
    _save(at)
    assert calls == []
    labels = [b.label for b in at.get("download_button")]
    hint = [c.value for c in at.caption if "apt-get install libreoffice-writer-nogui" in c.value]
    if libreoffice:
        assert labels[-1] == "下载 .pdf" and hint == []
    else:
        assert "下载 .pdf" not in labels and hint


def test_a_refusal_names_the_row_and_the_field_of_the_participants_table():
    """The data editor's rows reach the model as typed (3人 is 3; names split at 、 or spaces); what the model
    refuses is named as the form shows it."""
    import pandas as pd
    from pydantic import ValidationError

    from ui.facts_form import messages, participants_of

    table = {"unit": ["区消防救援大队", "", None], "people": ["3人", "5", None], "names": ["张三、李四 王五", "", None]}
    rows = participants_of(pd.DataFrame(table))
    assert rows[0] == {"unit": "区消防救援大队", "people": 3, "names": ("张三", "李四", "王五")}
    assert len(rows) == 2  # the wholly empty row is dropped
    with pytest.raises(ValidationError) as refused:
        DrillFacts(participants=[*rows, {"unit": "区卫健委", "people": "三个"}], objectives=["检验"] * 11)
    assert messages(refused.value) == [
        "参演单位和人员第2行的单位不能为空",
        "参演单位和人员第3行的人数填写有误",
        "演练目标最多填写10项",
    ]
