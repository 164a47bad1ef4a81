"""What a user sees when a page fails unexpectedly: one sentence with a short error id, never a traceback.

The traceback goes to the server's log under the same id (``drill.app`` logger, ERROR), so an administrator can
find it from what the user reads out: 「系统出错（编号 ab12cd34），请联系管理员；已录入的决策均已保存。」 The second
half is true because every decision is committed to the store before the page that took it goes on
(``simulator.store.drills.DrillStore.append_decision``). ``.streamlit/config.toml`` hides the details of anything
that still escapes (``client.showErrorDetails = "none"``), e.g. in a fragment's own rerun.

Streamlit's own control flow (``st.stop``, ``st.rerun``, ``st.switch_page``) raises ``BaseException`` subclasses,
which pass through untouched. Under the tests (``DRILL_RAISE_PAGE_ERRORS=1``, set in ``tests/conftest.py``) the
exception is raised again after the message, so a page that crashes still fails its test.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable

import streamlit as st

from ui.i18n import t

LOG = logging.getLogger("drill.app")
#: set (to anything but "" or "0") to raise a page's exception after showing the message: the tests do
RAISE_ENV = "DRILL_RAISE_PAGE_ERRORS"


def error_id() -> str:
    """Eight hex characters: short enough to read out on the phone, random enough not to repeat in a log."""
    return secrets.token_hex(4)


def guarded(run: Callable[[], object], where: str = "") -> None:
    """Run a page (``st.navigation(...).run``); an unexpected exception is logged with an id and shown as one line."""
    try:
        run()
    except Exception as exc:  # not BaseException: st.stop / st.rerun must pass
        code = error_id()
        LOG.error("page error %s (%s): %s", code, where or "page", type(exc).__name__, exc_info=exc)
        st.error(t("app_error", st.session_state.get("lang", "zh")).format(code=code), icon=":material/error:")
        if os.environ.get(RAISE_ENV, "") not in ("", "0"):
            raise
