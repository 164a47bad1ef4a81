"""Issue 19, findings 7 and 10 (deliver 6): bounded work and no tracebacks for users.

The server's settings (2 MB uploads, no error details in the browser), an unexpected page error shown as one line
with an id (the traceback in the server's log), and caps: decisions per plan and per stored drill, and a report
whose size stays bounded however many decisions a drill had.
"""

from __future__ import annotations

import logging
import re
import tomllib

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

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
    door.switch_page("views/console.py").run()
    assert [u.proto.max_upload_size_mb for u in door.get("file_uploader")] == [2]
