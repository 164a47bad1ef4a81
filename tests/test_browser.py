"""One end-to-end run in a real headless browser: Debian's Chromium driven by Playwright (no browser download).

Starts ``streamlit run app.py`` on a free localhost port with its own SQLite file, starts a drill, advances the
clock, takes a decision, ends the drill, and checks the score and the radar chart appear. Saves screenshots.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "runs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {**os.environ, "DRILL_DB_URL": f"sqlite:///{tmp_path / 'drills.db'}"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
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
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_a_drill_in_a_real_browser(server):
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
        page.goto(f"{server}/console")
        expect(page.get_by_role("heading", name="推演控制台")).to_be_visible()
        page.get_by_label("参演队伍").fill("浏览器测试组")
        page.get_by_role("button", name="开始推演").click()
        expect(page.get_by_text("T+0 分")).to_be_visible()

        page.get_by_role("button", name="+5 分钟").click()
        expect(page.get_by_text("T+5 分")).to_be_visible()
        page.get_by_role("button", name="到下一注入").click()
        expect(page.get_by_text("T+8 分")).to_be_visible()
        expect(page.get_by_text("现场2人晕倒").first).to_be_visible()
        page.get_by_role("button", name="提交").click()  # an assessment with no event type: a shown form error
        expect(page.get_by_text("表单填写有误")).to_be_visible()
        page.get_by_label("事件类型").fill("危险化学品泄漏")
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_text("决策已受理")).to_be_visible()
        expect(page.get_by_text("实时评分")).to_be_visible()
        page.screenshot(path=str(SHOTS / "console.png"), full_page=True)

        page.get_by_role("button", name="结束推演").click()
        expect(page.get_by_text("推演已结束")).to_be_visible()

        page.goto(f"{server}/evaluation")
        expect(page.get_by_text("总分")).to_be_visible()
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        expect(page.locator(".js-plotly-plot .polarlayer").first).to_be_attached()  # the radar chart
        page.screenshot(path=str(SHOTS / "evaluation.png"), full_page=True)
        browser.close()
