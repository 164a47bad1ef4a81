"""The room in a real browser (Debian's Chromium through Playwright): a reload keeps a facilitator on the console
and a trainee on their seat, a second browser takes a seat over and the first is told, and the console is readable
at 1440×900 and on a 1024×768 projector (screenshots saved under runs/screenshots)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from simulator.store import DrillStore
from tests.accounts import sign_in_page
from tests.test_browser import CHROMIUM, SHOTS, reload_signed_in, server  # noqa: F401  (fixture)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"]


def test_reloads_keep_role_drill_and_seat_and_a_seat_is_held_by_one_browser(server):  # noqa: F811
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (apt-get install chromium)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    db = DrillStore(server.env["DRILL_DB_URL"])
    record = db.create("hazchem_leak", "1", 3, "浏览器测试组", "room-2026")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        expect.set_options(timeout=30_000)

        def seat(name: str):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{server.url}/console")
            page.get_by_role("tab", name="参演人员：加入推演").click()
            code = page.locator("input[aria-label='推演码']:visible")  # the join tab's (the resume tab's is hidden)
            code.fill(record.code)
            code.press("Enter")
            page.get_by_label("姓名（可选）").fill(name)
            page.get_by_label("姓名（可选）").press("Enter")
            return page

        first = seat("张三")
        first.get_by_role("button", name="加入", exact=True).click()
        expect(first.get_by_role("heading", name="参演席位")).to_be_visible()
        reload_signed_in(first)  # F5: still on the seat, not on the library
        expect(first.get_by_role("heading", name="参演席位")).to_be_visible()
        expect(first.get_by_text(record.code).first).to_be_visible()

        second = seat("李四")
        second.get_by_role("button", name="加入", exact=True).click()
        expect(second.get_by_text("该席位已由另一浏览器使用，是否接管？")).to_be_visible()
        second.get_by_role("button", name="接管席位").click()
        expect(second.get_by_role("heading", name="参演席位")).to_be_visible()
        expect(first.get_by_text("本席位已由另一浏览器接管")).to_be_visible()  # its next refresh says so
        first.reload()
        expect(first.get_by_role("heading", name="场景库")).to_be_visible()  # the taken-over cookie opens nothing

        console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        console.set_default_timeout(60_000)
        sign_in_page(console, server)
        console.goto(f"{server.url}/console")
        console.get_by_role("tab", name="导调员：继续推演").click()
        console.get_by_label("推演码").first.fill(record.code)
        console.get_by_label("导调口令").nth(1).fill("room-2026")
        console.get_by_role("button", name="打开").click()
        expect(console.get_by_test_id("stMetricValue").nth(1)).to_have_text(record.code)
        expect(console.get_by_text("李四 接管")).to_be_visible()
        reload_signed_in(console)
        expect(console.get_by_test_id("stMetricValue").nth(1)).to_have_text(record.code)
        console.screenshot(path=str(SHOTS / "console_1440x900.png"))
        console.set_viewport_size({"width": 1024, "height": 768})
        console.wait_for_timeout(1000)
        console.screenshot(path=str(SHOTS / "console_1024x768.png"))
        console.mouse.wheel(0, 700)
        console.wait_for_timeout(500)
        console.screenshot(path=str(SHOTS / "console_1024x768_controls.png"))
        browser.close()
