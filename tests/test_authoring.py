"""场景编写: the upload handling (called directly: AppTest cannot drive a file uploader), saving to the user
library, the library's catalogue with user scenarios, and the page itself under AppTest."""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from simulator import library, load_scenario
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.formats.msel import dump_xlsx
from tests.accounts import sign_in_here
from tests.conftest import FIXTURES, ROOT, SCENARIOS
from views.authoring import PASTED, handle_upload, save, timeline_figure, timeline_rows

TIMEOUT = 60
FLOOD_TEXT = (FIXTURES / "flood_min.yaml").read_text(encoding="utf-8")


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    directory = tmp_path / "scenarios"
    monkeypatch.setenv("DRILL_SCENARIO_DIR", str(directory))
    monkeypatch.setenv("DRILL_DB_URL", f"sqlite:///{tmp_path / 'drills.db'}")
    return directory


# -- the upload handling -------------------------------------------------------------------------------------------
def test_a_valid_yaml_upload_keeps_the_authors_text():
    loaded = handle_upload("flood.yaml", FLOOD_TEXT.encode())
    assert loaded.problems == [] and loaded.scenario.id == "flood_min"
    assert loaded.yaml_text == FLOOD_TEXT  # comments and all


def test_a_broken_yaml_upload_lists_located_problems():
    text = FLOOD_TEXT.replace("at: 30m", "at: 半小时").replace("to: metro", "to: subway")
    loaded = handle_upload("flood.yaml", text.encode())
    assert loaded.scenario is None
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if "半小时" in s)
    assert any(p.startswith(f"flood.yaml:{line}: injects[1].at: 无法识别的时间") for p in loaded.problems), loaded


def test_an_xlsx_upload_is_read_and_given_a_yaml_text(hazchem):
    loaded = handle_upload("演练脚本.xlsx", dump_xlsx(hazchem))
    assert loaded.scenario == hazchem
    assert load_scenario("again.yaml", loaded.yaml_text.encode()) == hazchem
    assert loaded.yaml_text.startswith("# 由 演练脚本.xlsx 导入")


def test_a_broken_xlsx_upload_lists_sheet_row_and_column(hazchem):
    def upload(edit) -> list[str]:
        wb = openpyxl.load_workbook(io.BytesIO(dump_xlsx(hazchem)))
        edit(wb)
        buffer = io.BytesIO()
        wb.save(buffer)
        loaded = handle_upload("脚本.xlsx", buffer.getvalue())
        assert loaded.scenario is None
        return loaded.problems

    problems = upload(lambda wb: wb["部门"].cell(3, 3).__setattr__("value", "救援队"))
    assert problems[0].startswith("脚本.xlsx:部门!R3C3: 类别: 取值无效 '救援队'")
    problems = upload(lambda wb: wb.remove(wb["信道"]))
    assert problems[0].startswith("脚本.xlsx: 工作表 信道: 缺少工作表")


def test_too_large_unknown_and_empty_uploads_are_refused_with_a_message():
    cases = {
        "big.yaml": (b"#" * (MAX_FILE_BYTES + 1), "文件过大"),
        "notes.txt": (b"hello", "不支持的文件类型 .txt"),
        "old.xls": (b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        "empty.xlsx": (b"", "文件为空"),
        "empty.yaml": (b"", "文件为空"),
    }
    for name, (data, expected) in cases.items():
        loaded = handle_upload(name, data)
        assert loaded.scenario is None and any(expected in p for p in loaded.problems), (name, loaded.problems)


def test_the_timeline_resolves_after_chains(hazchem):
    rows = {r["序号"]: r for r in timeline_rows(hazchem)}
    assert rows["i14"]["T+分钟"] == 75 and rows["i06"]["条件"].startswith("除非已")
    assert len(timeline_figure(hazchem).data) == 2  # timed and conditional injects


# -- saving and the catalogue --------------------------------------------------------------------------------------
def test_save_writes_to_the_user_library_and_the_catalogue_lists_it(user_dir):
    loaded = handle_upload("flood.yaml", FLOOD_TEXT.encode())
    path, problems = save(loaded, "flood_min", overwrite=False)
    assert problems == [] and path == user_dir / "flood_min.yaml"
    assert path.read_text(encoding="utf-8") == FLOOD_TEXT
    entries, errors = library.catalog()
    assert errors == []
    [mine] = [e for e in entries if e.user]
    assert mine.id == "flood_min" and library.find("flood_min").user
    assert any(e.id == "hazchem_leak" and not e.user for e in entries)
    # again: refused unless overwriting
    path, problems = save(loaded, "flood_min", overwrite=False)
    assert path is None and "已有" in problems[0]
    path, problems = save(loaded, "flood_min", overwrite=True)
    assert problems == []


def test_save_as_a_new_id_and_refusals(user_dir, hazchem):
    loaded = handle_upload("hazchem_leak.yaml", (SCENARIOS / "hazchem_leak.yaml").read_bytes())
    path, problems = save(loaded, "hazchem_leak", overwrite=True)  # never over a bundled scenario, even so
    assert path is None and "内置场景" in problems[0]
    path, problems = save(loaded, "9lives", overwrite=False)
    assert path is None and "场景编号" in problems[0]
    path, problems = save(loaded, "my_leak", overwrite=False)
    assert problems == [] and path.name == "my_leak.yaml"
    copy = load_scenario(path)
    assert copy.id == "my_leak" and copy.model_dump(exclude={"id"}) == hazchem.model_dump(exclude={"id"})
    assert not (SCENARIOS / "my_leak.yaml").exists()


def test_a_user_scenario_never_shadows_a_bundled_one(user_dir):
    user_dir.mkdir(parents=True)
    (user_dir / "clash.yaml").write_text(
        (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8").replace("title: 临港", "title: 冒名的临港"),
        encoding="utf-8",
    )
    (user_dir / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    entries, errors = library.catalog()
    [hazchem] = [e for e in entries if e.id == "hazchem_leak"]
    assert not hazchem.user and not hazchem.scenario.title.startswith("冒名")
    messages = [str(p) for error in errors for p in error.problems]
    assert any("clash.yaml" in m and "内置场景" in m for m in messages)
    assert any("broken.yaml" in m for m in messages)
    assert library.find("hazchem_leak").path.parent == SCENARIOS


def test_an_explicit_directory_lists_only_that_directory(user_dir, tmp_path):
    user_dir.mkdir(parents=True)
    (user_dir / "flood_min.yaml").write_text(FLOOD_TEXT, encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "flood_min.yaml").write_text(FLOOD_TEXT, encoding="utf-8")
    entries, errors = library.catalog(other)
    assert [e.id for e in entries] == ["flood_min"] and errors == []
    assert library.find("flood_min", other).path.parent == other


# -- the page ------------------------------------------------------------------------------------------------------
@pytest.fixture
def page(user_dir) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    sign_in_here(at)
    at.session_state["role"] = "facilitator"
    at.run()
    at.switch_page("views/authoring.py").run()
    assert not at.exception, at.exception
    return at


def test_the_page_renders_with_nothing_uploaded(page):
    assert page.title[0].value == "场景编写"
    assert any("请上传场景文件" in i.value for i in page.info)
    assert not page.error


def test_a_pasted_yaml_with_an_error_shows_the_located_message_and_the_page_keeps_working(page):
    page.radio(key="author_source").set_value("paste").run()
    broken = FLOOD_TEXT.replace("duration: 2h", "duration: 两小时")
    page.text_area(key="author_text").input(broken).run()
    assert not page.exception
    assert "有错误，未载入" in page.error[0].value
    line = next(i for i, s in enumerate(broken.splitlines(), start=1) if "两小时" in s)
    assert f"{PASTED}:{line}: duration: 无法识别的时间" in page.code[0].value
    page.text_area(key="author_text").input(FLOOD_TEXT).run()  # fixed: the same page goes on
    assert not page.exception and not page.error
    assert "通过检查" in page.success[0].value
    assert len(page.get("plotly_chart")) == 2  # the network and the inject timeline
    assert {b.label for b in page.get("download_button")} == {"flood_min.yaml", "flood_min.xlsx（Excel 情景注入表）"}


def test_saving_a_library_scenario_under_a_new_id(page, user_dir):
    page.radio(key="author_source").set_value("library").run()
    page.selectbox(key="author_entry").select_index(
        next(i for i, e in enumerate(page.selectbox(key="author_entry").options) if "hazchem_leak" in e)
    ).run()
    page.text_input(key="author_save_id").input("hazchem_leak")  # the form sends it with the click
    next(b for b in page.get("button") if "author_save_form" in (b.key or "")).click().run()
    assert not page.exception
    assert any("内置场景已使用编号" in c.value for c in page.code)  # refused, shown, the page goes on
    page.text_input(key="author_save_id").input("my_leak")
    next(b for b in page.get("button") if "author_save_form" in (b.key or "")).click().run()
    assert not page.exception
    assert (user_dir / "my_leak.yaml").is_file()
    assert any("已保存到场景库" in s.value and "my_leak" in s.value for s in page.success)
    assert "my_leak" in page.dataframe[-1].value["编号"].tolist()
    page.radio(key="author_source").set_value("paste").run()  # the saved state stays
    assert any("已保存到场景库" in s.value for s in page.success)


def test_the_page_is_for_the_facilitator_only(user_dir):
    at = AppTest.from_file(str(ROOT / "views" / "authoring.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert any("仅导调员可用" in i.value for i in at.info)
    assert not at.get("file_uploader")


def test_the_english_switch_translates_the_page_title(page):
    page.sidebar.radio[0].set_value("en").run()
    page.switch_page("views/authoring.py").run()
    assert page.title[0].value == "Scenario authoring"
