"""One end-to-end run in a real headless browser: Debian's Chromium driven by Playwright (no browser download).

Starts ``streamlit run app.py`` on a free localhost port with its own SQLite file (and the fixture case as its case
library); a visitor reads a case's official findings on 案例推演 and a facilitator creates a drill of it from there,
advances the clock and takes decisions; the server is killed with SIGKILL mid-drill and started again; the drill
is resumed exactly where it was, ended, and the score, the radar chart and the report's comparison with the official
investigation appear. Screenshots are saved.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.accounts import sign_in_page
from tests.conftest import ROOT
from ui.common import COOKIE

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "runs" / "screenshots"
PASSCODE = "drill-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real ``streamlit run app.py`` process on localhost, which the test may kill and start again."""

    def __init__(self, db_url: str, script: Path = ROOT / "app.py", log: Path | None = None):
        self.env = {**os.environ, "DRILL_DB_URL": db_url}
        self.script = script  # the app; bench_app also serves a bare page with the same settings
        self.log = log  # the server's output goes there (a long load fills a pipe nobody reads); else to a pipe
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self, port: int | None = None) -> str:
        """Start the server (on ``port``, e.g. the one it had before it was killed; else a free one)."""
        port = port or _free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(self.script),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab") if self.log else subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self.url
            except OSError:
                time.sleep(0.3)
        self.proc.kill()
        said = self.log.read_bytes() if self.log else self.proc.stdout.read()
        pytest.fail("streamlit did not start: " + said.decode(errors="replace")[-2000:])

    def kill(self) -> None:
        """SIGKILL, as when the machine loses power: no shutdown hook runs."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def reload_signed_in(page, timeout_s: float = 20.0) -> None:
    """F5, as a person presses it: once the page has kept its sign-in. The cookie is written by a script in the
    page a moment after the page shows; a reload within those milliseconds would race it, which no person does."""
    deadline = time.monotonic() + timeout_s
    while not any(c["name"] == COOKIE for c in page.context.cookies()):
        if time.monotonic() > deadline:
            pytest.fail("the page never kept its sign-in cookie")
        page.wait_for_timeout(100)
    page.reload()


@pytest.fixture
def server(tmp_path):
    srv = Server(f"sqlite:///{tmp_path / 'drills.db'}")
    srv.env["DRILL_CASE_DIR"] = str(ROOT / "tests" / "fixtures" / "cases")
    srv.start()
    yield srv
    srv.stop()


def test_a_drill_in_a_real_browser_survives_a_killed_server(server):
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (apt-get install chromium); .ci/run installs it"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.set_default_timeout(60_000)
        expect.set_options(timeout=30_000)  # the machine is shared: a rerun may take a few seconds
        sign_in_page(page, server)  # only a signed-in facilitator creates a drill
        page.goto(f"{server.url}/cases")  # 案例推演, open to everyone: the case and its official findings
        expect(page.get_by_role("heading", name="案例推演")).to_be_visible()
        expect(page.get_by_text("泄漏点尚未得到有效控制，即通知疏散群众返回")).to_be_visible()
        expect(page.get_by_text("出处：测试用虚构调查报告，第三部分 应急处置评估").first).to_be_visible()
        page.get_by_role("button", name="在推演控制台推演此案例").click()  # the console, with the case chosen
        expect(page.get_by_role("heading", name="推演控制台")).to_be_visible()
        page.get_by_label("参演队伍").fill("浏览器测试组")
        page.get_by_label("导调口令", exact=True).first.fill(PASSCODE)
        page.get_by_label("再次输入口令").fill(PASSCODE)
        page.get_by_role("button", name="开始推演").click()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+0（07:10）")
        code = page.get_by_test_id("stMetricValue").nth(1).inner_text().strip()  # the drill code, large
        assert re.fullmatch(r"[A-Z2-9]{6}", code), code
        reload_signed_in(page)  # F5: still the facilitator, on the same drill, the console where it was
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+0（07:10）")
        expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text(code)

        page.get_by_role("button", name="+5 分钟").click()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+5（07:15）")
        page.get_by_role("button", name="到下一注入").click()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+6（07:16）")
        expect(page.get_by_text("夜间施工可能碰伤燃气管道").first).to_be_visible()
        page.get_by_role("button", name="提交").click()  # an assessment with no event type: a shown form error
        expect(page.get_by_text("表单填写有误")).to_be_visible()
        page.get_by_label("事件类型").fill("燃气泄漏")
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_text("决策已受理")).to_be_visible()
        page.get_by_text("显示实时评分", exact=True).click()  # the live score only on request: not on a projector
        expect(page.get_by_test_id("stMetricLabel").filter(has_text="总分")).to_be_visible()
        page.screenshot(path=str(SHOTS / "console.png"), full_page=True)

        server.kill()  # mid-drill
        server.start()
        page.goto(f"{server.url}/console")  # the same browser: its sign-in outlived the server
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+6（07:16）", timeout=60_000)  # a cold start
        page.close()
        page = browser.new_page(viewport={"width": 1500, "height": 1100})  # another browser: code and passcode
        page.set_default_timeout(60_000)
        sign_in_page(page, server)
        page.goto(f"{server.url}/console")
        page.get_by_role("tab", name="导调员：继续推演").click()
        page.get_by_label("推演码").first.fill(code)
        page.get_by_label("导调口令").nth(1).fill(PASSCODE)
        page.get_by_role("button", name="打开").click()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("T+6（07:16）")  # where it was
        expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text(code)

        page.get_by_role("button", name="结束推演").click()
        page.get_by_role("button", name="确认结束").click()
        expect(page.get_by_text("推演已结束")).to_be_visible()
        page.get_by_role("link", name="评估").click()
        expect(page.get_by_text("总分").first).to_be_visible()
        expect(page.locator(".js-plotly-plot .polarlayer").first).to_be_attached()  # the radar chart
        page.screenshot(path=str(SHOTS / "evaluation.png"), full_page=True)
        page.get_by_role("link", name="调研报告").click()  # a case drill's report sets it beside the investigation
        expect(page.get_by_text("与真实事件调查结论对照").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
        browser.close()
