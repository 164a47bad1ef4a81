"""Issue 19, findings 7 and 10 (deliver 6): bounded work and no tracebacks for users.

The server's settings (2 MB uploads, no error details in the browser), an unexpected page error shown as one line
with an id (the traceback in the server's log), and caps: decisions per plan and per stored drill, and a report
whose size stays bounded however many decisions a drill had.
"""

from __future__ import annotations

import logging
import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from simulator.engine import run_plan
from simulator.errors import FileFormatError
from simulator.formats import load_plan
from simulator.formats import plan as p
from simulator.formats.plan import Plan
from simulator.report import build_report, render_markdown
from simulator.report.blocks import Table
from simulator.report.docx import docx_bytes
from simulator.scoring import score_drill
from simulator.store import DrillStore
from tests.accounts import sign_in_here
from tests.conftest import ROOT

MAX_DECISIONS = 2_000  # the cap the issue asks for (simulator.formats.plan.MAX_DECISIONS)

TIMEOUT = 60


def test_the_server_config_limits_uploads_to_2_mb_and_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 2
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"


def test_a_page_that_fails_shows_an_error_id_not_a_traceback_and_logs_it(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DRILL_DB_URL", f"sqlite:///{tmp_path / 'drills.db'}")
    monkeypatch.delenv("DRILL_RAISE_PAGE_ERRORS", raising=False)  # as in production

    def broken():
        raise RuntimeError("secret detail /srv/drills.db")

    monkeypatch.setattr("ui.common.catalog", broken)  # the scenario library, the first page, fails
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    with caplog.at_level(logging.ERROR):
        at.run()
    assert not at.exception, "a traceback reached the page"
    shown = [e.value for e in at.error]
    assert len(shown) == 1
    found = re.fullmatch(r"系统出错（编号 ([0-9a-f]{8})），请联系管理员；已录入的决策均已保存。", shown[0])
    assert found, shown
    assert "secret detail" not in " ".join(m.value for m in at.markdown)
    logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None, "the server's log has no traceback under the id"


def test_an_upload_is_refused_above_2_mb_by_the_widget_itself(tmp_path, monkeypatch):
    """Not only the server's setting (read from where ``streamlit run`` starts): the console's import carries it."""
    monkeypatch.setenv("DRILL_DB_URL", f"sqlite:///{tmp_path / 'drills.db'}")
    door = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    sign_in_here(door)  # the import tab is for an account that runs drills
    door.switch_page("views/console.py").run()
    assert [u.proto.max_upload_size_mb for u in door.get("file_uploader")] == [2]


# -- caps -------------------------------------------------------------------------------------------------------
ASSESS = "  - {at: 1m, by: duty_office, action: assess, event_type: 危险化学品泄漏, level: III}\n"


def test_a_plan_over_the_cap_is_refused_with_a_located_message():
    text = "scenario: hazchem_leak\ndecisions:\n"
    with pytest.raises(FileFormatError, match=r"^big\.plan\.yaml:3: decisions: 最多 2000 项，此处有 2001 项"):
        load_plan("big.plan.yaml", (text + ASSESS * 2_001).encode("utf-8"))
    assert len(load_plan("ok.plan.yaml", (text + ASSESS * 2_000).encode("utf-8")).decisions) == 2_000


def test_the_store_refuses_a_decision_past_the_cap_and_keeps_room_for_the_review(tmp_path, monkeypatch):
    from simulator.store import drills

    monkeypatch.setattr(drills, "MAX_DECISIONS", 6, raising=False)  # the cap's logic, on a small number
    monkeypatch.setattr(drills, "REVIEW_ROOM", 2, raising=False)
    db = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    record = db.create("hazchem_leak", "1", 1, "一组", "ab12cd")
    assess = p.Assess(action="assess", at=0, by="duty_office", event_type="危险化学品泄漏", level="III")
    review = p.Review(action="review", at=0, by="duty_office", sections={"存在问题": "通信中断。"})
    for _ in range(4):
        db.append_decision(record.id, assess)
    with pytest.raises(Exception, match="达到上限") as refused:
        db.append_decision(record.id, assess)
    assert "4" in str(refused.value)  # the message says the limit
    db.append_decision(record.id, review)
    db.append_decision(record.id, review)
    with pytest.raises(Exception, match="达到上限"):
        db.append_decision(record.id, review)
    assert len(db.load(record.id).decisions) == 6  # nothing refused was stored


def _crowded_plan(reference, n: int) -> Plan:
    """The reference plan's decisions over and over, half a minute apart each round, to ``n`` decisions."""
    base = [d for d in reference.decisions if d.action not in ("close", "review")]
    rounds = [
        base[i % len(base)].model_copy(update={"at": min(170.0, base[i % len(base)].at + (i // len(base)) * 0.5)})
        for i in range(n - 2)
    ]
    return reference.model_copy(
        update={"decisions": rounds + [d for d in reference.decisions if d.action in ("close", "review")]}
    )


def test_a_report_of_a_drill_at_the_cap_stays_small_and_says_what_it_left_out(hazchem, reference_plan):
    plan = _crowded_plan(reference_plan, MAX_DECISIONS)
    log = run_plan(hazchem, plan, 3).log
    report = build_report(hazchem, log, score_drill(hazchem, log))
    document = docx_bytes(report)
    assert len(document) < 2_000_000, f"{len(document):,} bytes"  # was 10.6 MB (an 11 MB task chart)
    markdown = render_markdown(report)
    assert len(markdown.encode("utf-8")) < 80_000  # was 154 KB
    record = report.attachments[1]
    [table] = [b for b in record.blocks if isinstance(b, Table)]
    assert len(table.rows) == 300
    assert re.search(r"注：本次推演共有记录\d+条，本附件列出前300条，其余\d+条从略；完整记录见推演事件日志", markdown)
    assert re.search(r"共\d+项任务，图中为最先下达的60项", markdown)


def test_a_seat_past_the_cap_is_told_why_its_decision_was_refused(tmp_path, monkeypatch):
    from simulator import library
    from simulator.store import drills
    from simulator.vocabulary import reason_text
    from ui.decide import take

    monkeypatch.setattr(drills, "MAX_DECISIONS", 3)
    monkeypatch.setattr(drills, "REVIEW_ROOM", 1)
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setenv("DRILL_DB_URL", url)
    record = DrillStore(url).create("hazchem_leak", "1", 1, "一组", "ab12cd")
    entry = library.find("hazchem_leak")
    ask = p.RequestInfo(action="request_info", at=0, by="fire", to="enterprise", topic="泄漏量")
    assert [take(record, entry, ask, role="fire").kind for _ in range(2)] == ["decision_accepted"] * 2
    refused = take(record, entry, ask, role="fire")
    assert refused.kind == "decision_rejected"
    assert reason_text(refused["reason"]) == "本次推演已录入 2 条决策，达到上限，不能再录入；请结束推演"
