"""App speed: cold start to the first page, and the server time of each drill-console interaction.

Run: ``python -m benchmarks.bench_app``. Console interactions are timed with Streamlit's AppTest (the script
run on the server, which is what a click costs before the browser redraws), against a baseline in the same run:
the same AppTest machinery running a one-line page. Cold start is timed with a real ``streamlit run`` process
and Debian's Chromium: from launching the server to the first page's title on screen.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def console_interactions() -> dict[str, float]:
    """Median server time of each console interaction, on the bundled scenario."""
    from simulator.store import DrillStore

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    os.environ["DRILL_DB_URL"] = url
    record = DrillStore(url).create("hazchem_leak", "1", 1, "基准", "bench-pass")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.run()
    at.switch_page("views/console.py").run()
    results: dict[str, list[float]] = {"打开控制台 (rerun)": [], "+5 分钟": [], "选择决策类型": [], "提交决策": []}
    for _ in range(REPEATS):
        results["打开控制台 (rerun)"].append(timed(at.run))
        results["+5 分钟"].append(timed(lambda: at.button(key="plus5").click().run()))
        results["选择决策类型"].append(timed(lambda: at.selectbox(key="action").set_value("notify").run()))
        at.multiselect(key="f_notify_to").set_value(["fire"]).run()
        results["提交决策"].append(timed(lambda: at.button(key="submit_decision").click().run()))
    return {name: statistics.median(values) for name, values in results.items()}


def baseline() -> float:
    """AppTest's own cost: a page that writes one line."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write("import streamlit as st\nst.write('hello')\n")
    at = AppTest.from_file(script.name)
    at.run()
    return statistics.median(timed(at.run) for _ in range(REPEATS))


def cold_start() -> float | None:
    """Seconds from ``streamlit run app.py`` to the first page's title in Chromium (None without Chromium).

    The browser is started first: its own start-up is not the app's.
    """
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    from tests.test_browser import Server

    server = Server(f"sqlite:///{tempfile.mkdtemp()}/cold.db")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        page = browser.new_page()
        start = time.perf_counter()
        server.start()
        try:
            page.goto(server.url)
            page.get_by_role("heading", name="场景库").wait_for(timeout=60_000)
            elapsed = time.perf_counter() - start
        finally:
            server.stop()
            browser.close()
    return elapsed


def main() -> None:
    base = baseline()
    rows = console_interactions()
    print(f"console interactions, server time per script run (median of {REPEATS}; target < 300 ms):")
    print(f"  {'baseline: a one-line page':28}{base * 1000:8.1f} ms")
    for name, seconds in rows.items():
        print(f"  {name:28}{seconds * 1000:8.1f} ms")
    cold = cold_start()
    if cold is None:
        print("cold start: skipped (no /usr/bin/chromium)")
    else:
        print(f"cold start, server launch to the first page in Chromium: {cold:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
