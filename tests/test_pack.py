"""The printed drill pack (推演资料包, issue 21 point 3), as a room receives it: for every bundled scenario the four
documents open in python-docx with their sections — cards for every seat that receives injects, the script, the
evaluation sheet, the sign-in sheet —; a seat's cards hold exactly that seat's injects and never the answer key;
times read T+N（HH:MM）; no ids on paper. With a drill, its team, code, date and facts are on the covers and the
sign-in sheet; the CLI writes the files and says so in Chinese; the console offers the pack to the facilitator.

Each scenario's pack is built once for the module (about a second each).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import zipfile

import docx
import pytest
import streamlit as st

from simulator.cli import main
from simulator.library import catalog
from simulator.pack import Pack
from simulator.pack.document import PARTS, documents
from simulator.pack.rows import msel_rows
from simulator.report.facts import DrillFacts, Participant
from simulator.scoring.rubric import default_rubric
from simulator.store import DrillStore
from simulator.store.facts import save_facts
from simulator.vocabulary import KEYWORDS, when
from tests.test_app import db, facilitator  # noqa: F401  (fixtures)

SCENARIOS = {entry.id: entry.scenario for entry in catalog()[0] if not entry.user}
TIME = re.compile(r"T\+\d+（(?:次日|第\d+日)?\d{2}:\d{2}）")  # past midnight: T+45（次日00:05）
FILES = {
    "cards": "情景卡片.docx",
    "script": "导调脚本.docx",
    "evaluation": "评估表.docx",
    "signin": "参演人员签到表.docx",
}


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _texts(doc) -> list[str]:
    """Every piece of text a reader sees: paragraphs, table cells, page headers."""
    out = [p.text for p in doc.paragraphs]
    out += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    out += [
        p.text for section in doc.sections for p in (*section.header.paragraphs, *section.even_page_header.paragraphs)
    ]
    return out


def _headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def _cards(doc) -> list[dict[str, str]]:
    """Each card (a one-cell table) as its labelled lines: {"接收单位": …, "注入时间": …, …}."""
    cards = []
    for table in doc.tables:
        if len(table.rows) == 1 and len(table.columns) == 1:
            lines = [p.text for p in table.rows[0].cells[0].paragraphs]
            card = {"": lines[0], "全文": "\n".join(lines)}
            card.update(line.split("：", 1) for line in lines[1:] if "：" in line)
            cards.append(card)
    return cards


@pytest.fixture(scope="module")
def packs() -> dict[str, dict[str, docx.document.Document]]:
    """Every bundled scenario's pack, without a drill, each part opened in python-docx."""
    return {sid: {key: _open(data) for key, data in documents(Pack.of(s)).items()} for sid, s in SCENARIOS.items()}


def test_the_bundled_library_is_all_here():
    assert len(SCENARIOS) == 5


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_every_part_opens_with_its_sections(packs, sid):
    scenario, pack = SCENARIOS[sid], packs[sid]
    assert set(pack) == {part.key for part in PARTS}
    names = {d.id: d.name for d in scenario.departments}
    receiving = {names[i.to] for i in scenario.injects}
    seat_headings = {h.split("（第")[0] for h in _headings(pack["cards"])}
    assert seat_headings == receiving  # a page of cards for every seat that receives injects, and no other

    script = pack["script"]
    [msel] = [t for t in script.tables if t.rows[0].cells[0].text == "序号"]
    assert [c.text for c in msel.rows[0].cells] == [
        *("序号", "时间", "注入方式", "发送单位", "接收单位", "情景内容", "预期行动", "评估要点")
    ]
    assert len(msel.rows) == 1 + len(scenario.injects)
    assert "导调组专用" in script.sections[0].header.paragraphs[0].text  # on every page
    assert "二、答案要点" in _headings(script)

    evaluation = "\n".join(_texts(pack["evaluation"]))
    heads = _headings(pack["evaluation"])
    for keyword in KEYWORDS:
        assert any(h.endswith(f"{keyword}（权重25%）") for h in heads)
    for _, keyword in default_rubric().keywords.items():
        for indicator in keyword.indicators:
            assert indicator.name in evaluation
    assert "（场景答案中的）" not in evaluation and "（）" not in evaluation  # file fields cut out whole, not half

    signin = pack["signin"]
    assert _headings(signin) == ["一、参演人员", "二、导调组", "三、评估组"]
    people = signin.tables[1]  # after the drill's facts
    assert [c.text for c in people.rows[0].cells] == ["序号", "部门", "席位", "姓名", "职务", "联系电话", "签名"]
    listed = [row.cells[1].text for row in people.rows[1:]]
    seats = [d.name for d in scenario.departments if d.kind != "higher_level"]
    assert listed[: len(seats)] == seats


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_a_seats_cards_hold_exactly_its_injects_and_never_the_answer_key(packs, sid):
    scenario = SCENARIOS[sid]
    cards = _cards(packs[sid]["cards"])
    names = {d.id: d.name for d in scenario.departments}
    for dept in {i.to for i in scenario.injects}:
        mine = [c["标　　题"] for c in cards if c["接收单位"].startswith(names[dept] + "（")]
        expected = [r.inject.title for r in msel_rows(scenario) if r.inject.to == dept]  # in the order handed out
        assert mine == expected
    assert len(cards) == len(scenario.injects)
    secrets = {"预期行动", "评估要点", "答案", "视情注入", "接到注入后"}
    for row in msel_rows(scenario):
        secrets |= set(row.expected) | set(row.points) | ({row.condition} if row.condition else set())
    for card in cards:
        assert not [s for s in secrets if s in card["全文"]], card["全文"]


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_times_read_t_plus_minutes_and_the_clock(packs, sid):
    scenario = SCENARIOS[sid]
    by_number = {f"情景卡片　第{r.number}号": r for r in msel_rows(scenario)}
    for card in _cards(packs[sid]["cards"]):
        row = by_number[card[""]]
        if row.minute is None:  # released when the hazard says so: the 导调组 writes the time in
            assert card["注入时间"] == "T+＿＿＿（＿＿:＿＿）"
        else:
            assert TIME.fullmatch(card["注入时间"]) and card["注入时间"] == when(scenario.start_clock, row.minute)
    [msel] = [t for t in packs[sid]["script"].tables if t.rows[0].cells[0].text == "序号"]
    for row, inject_row in zip(msel.rows[1:], msel_rows(scenario), strict=True):
        first = row.cells[1].text.split("\n")[0]
        assert TIME.fullmatch(first) if inject_row.minute is not None else first.endswith("时")


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_no_ids_or_english_on_paper(packs, sid):
    scenario = SCENARIOS[sid]
    own = " ".join([*(i.text + i.title + i.source for i in scenario.injects), *(d.name for d in scenario.departments)])
    allowed = set(re.findall(r"[A-Za-z_]{2,}", own))  # the scenario's own words (SCADA) are data
    for part, doc in packs[sid].items():
        words = set(re.findall(r"[A-Za-z_]{2,}", "\n".join(_texts(doc))))
        assert words <= allowed, (part, words - allowed)


download_button = st.download_button
FACTS = DrillFacts(
    date=dt.date(2026, 11, 28),
    venue="区应急指挥中心三楼会议室",
    organiser="区应急管理局",
    director=("王强",),
    evaluators=("李敏", "周杰"),
    participants=(Participant(unit="区消防救援支队", people=2, names=("张伟", "刘洋")),),
)


@pytest.fixture(scope="module")
def stored_drill(tmp_path_factory):
    """A drill of hazchem_leak in its own store, with its facts recorded on the report page."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pack') / 'drills.db'}"
    store = DrillStore(url)
    record = store.create("hazchem_leak", "1", 1, "临港一队", "ab12cd")
    save_facts(store, record.id, FACTS)
    return url, store, record


def test_the_cli_writes_the_pack_and_says_what_it_wrote(stored_drill, tmp_path, monkeypatch, capsys):
    url, _, record = stored_drill
    monkeypatch.setenv("DRILL_DB_URL", url)
    assert main(["pack", "hazchem_leak", "--drill", record.code, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES.values())  # no temporary files left
    assert f"推演码 {record.code}" in out and "情景卡片：3个席位，共14张卡片" in out and "导调组专用" in out
    cover = "\n".join(_texts(_open((tmp_path / FILES["script"]).read_bytes())))
    assert "临港一队" in cover and record.code in cover and "2026年11月28日" in cover


def test_an_unknown_scenario_or_drill_exits_1_in_chinese(stored_drill, tmp_path, monkeypatch, capsys):
    assert main(["pack", "no_such_scenario", "--out", str(tmp_path)]) == 1
    assert "找不到场景“no_such_scenario”" in capsys.readouterr().err
    monkeypatch.setenv("DRILL_DB_URL", stored_drill[0])
    assert main(["pack", "hazchem_leak", "--drill", "ZZZZZZ", "--out", str(tmp_path)]) == 1
    assert "没有推演码为 ZZZZZZ 的推演" in capsys.readouterr().err
    assert main(["pack", "urban_flood", "--drill", stored_drill[2].code, "--out", str(tmp_path)]) == 1
    assert "使用的场景是 hazchem_leak" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_console_offers_the_pack_with_the_drills_facts_made_when_clicked(facilitator, db, monkeypatch):  # noqa: F811
    drill_id = facilitator.session_state["drill_id"]
    save_facts(db, drill_id, FACTS)
    monkeypatch.setattr("ui.pack.pdf_available", lambda: False)  # LibreOffice's PDFs are the report tests' to time
    offered = []  # AppTest has no server to click on: the button's deferred callable is caught as it is offered

    def spy(label, data, **options):
        offered.append((label, data, options))
        return download_button(label, data, **options)

    monkeypatch.setattr(st, "download_button", spy)
    facilitator.switch_page("views/console.py").run()
    assert not facilitator.exception, facilitator.exception
    [(label, make, options)] = [o for o in offered if o[2].get("key") == "pack_zip"]
    assert label == "下载推演资料包（.zip）" and callable(make) and options["on_click"] == "ignore"
    made: list[bytes] = []
    clicked = threading.Thread(target=lambda: made.append(make()))  # the server's download thread: no Streamlit
    clicked.start()
    clicked.join()
    code = db.load(drill_id).code
    assert options["file_name"] == f"推演资料包_{code}.zip"
    with zipfile.ZipFile(io.BytesIO(made[0])) as archive:
        assert sorted(archive.namelist()) == sorted(FILES.values())
        docs = {key: _open(archive.read(name)) for key, name in FILES.items()}
    for key, doc in docs.items():  # every cover, and the sign-in sheet's head
        text = "\n".join(_texts(doc))
        for fact in ("一组", code, "2026年11月28日", "区应急指挥中心三楼会议室", "区应急管理局", "李敏、周杰"):
            assert fact in text, (key, fact)
    rows = [[c.text for c in row.cells] for row in docs["signin"].tables[1].rows]
    assert [r[3] for r in rows if r[1] == "区消防救援支队"] == ["张伟", "刘洋"]  # named, only to sign
    assert ["1", "王强", "", "", ""] in [[c.text for c in row.cells] for row in docs["signin"].tables[2].rows]
