"""场景编写: bring a scenario in (YAML, the Excel MSEL, pasted text, or a library scenario to start from), see every
problem located, preview its network and inject timeline, download it as YAML or Excel, save it to the library.

The page logic that touches user input is in plain functions (``handle_upload``, ``save``) so the tests can call
them directly (AppTest cannot drive a file uploader); the page itself runs only under Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from simulator import FileFormatError, library
from simulator.formats import Scenario
from simulator.formats.durations import format_minutes
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.formats.msel import XLSX_SUFFIXES, YAML_SUFFIXES, dump_xlsx, inject_times, load_any, scenario_to_yaml
from ui.charts import network_figure
from ui.common import FACILITATOR, role, tr

PASTED = "粘贴的场景.yaml"


@dataclass
class Loaded:
    """One scenario brought into the page: the scenario and its YAML text, or the located problems."""

    name: str
    scenario: Scenario | None = None
    yaml_text: str | None = None
    problems: list[str] = field(default_factory=list)


def handle_upload(name: str, data: bytes) -> Loaded:
    """Read an upload (or pasted text) as a scenario; every problem located, never an exception."""
    if len(data) > MAX_FILE_BYTES:
        return too_large(name, len(data))
    try:
        scenario = load_any(name, data)
    except FileFormatError as exc:
        return Loaded(name, problems=[str(p) for p in exc.problems])
    if Path(name).suffix.lower() in YAML_SUFFIXES:
        text = data.decode("utf-8-sig")  # the author's own file, comments and all
    else:
        text = scenario_to_yaml(scenario, f"由 {name} 导入 (imported from an Excel MSEL)")
    return Loaded(name, scenario, text)


def too_large(name: str, size: int) -> Loaded:
    """Refused before reading: the same limit as every scenario file."""
    return Loaded(name, problems=[f"{name}: (文件): 文件过大（{size} 字节），上限 {MAX_FILE_BYTES} 字节 (too large)"])


def from_library(entry: library.Entry) -> Loaded:
    try:
        text = entry.path.read_text(encoding="utf-8")
    except OSError:
        text = scenario_to_yaml(entry.scenario)
    return Loaded(entry.path.name, entry.scenario, text)


def save(loaded: Loaded, new_id: str, overwrite: bool) -> tuple[Path | None, list[str]]:
    """Save to the user library under ``new_id``: (path, []) or (None, the reasons)."""
    scenario = loaded.scenario
    if scenario is None:
        return None, ["没有可保存的场景 (nothing to save)"]
    text = loaded.yaml_text or scenario_to_yaml(scenario)
    new_id = new_id.strip()
    if new_id != scenario.id:
        try:
            scenario = Scenario.model_validate({**scenario.model_dump(by_alias=True), "id": new_id})
        except ValidationError as exc:
            return None, [
                f"场景编号：{e['msg'].removeprefix('Value error, ')}（应以英文字母开头，如 my_drill）"
                for e in exc.errors()
            ]
        problems = scenario.reference_problems()
        if problems:
            return None, [message for _, message in problems]
        text = scenario_to_yaml(scenario, f"由 {loaded.scenario.id} 另存 (saved as a copy)")
    try:
        return library.save_user_scenario(scenario, text, overwrite=overwrite), []
    except FileFormatError as exc:
        return None, [str(p) for p in exc.problems]


def xlsx_bytes(loaded: Loaded) -> tuple[bytes | None, list[str]]:
    try:
        return dump_xlsx(loaded.scenario, loaded.name), []
    except FileFormatError as exc:
        return None, [str(p) for p in exc.problems]


def timeline_rows(scenario: Scenario) -> list[dict[str, object]]:
    """The MSEL as the facilitator reads it: when, to whom, from whom, under which condition."""
    names = {d.id: d.name for d in scenario.departments}
    times = inject_times(scenario)
    rows = []
    for inj in scenario.injects:
        when = format_minutes(inj.at) if inj.at is not None else f"{inj.after} 后 {format_minutes(inj.delay)}"
        condition = ""
        if inj.unless:
            condition = "除非已 " + "、".join(f"{k}={v}" for k, v in inj.unless.model_dump(exclude_none=True).items())
        if inj.only_if:
            condition = "仅当已 " + "、".join(f"{k}={v}" for k, v in inj.only_if.model_dump(exclude_none=True).items())
        rows.append(
            {
                "序号": inj.id,
                "时间": str(when),
                "T+分钟": times.get(inj.id),
                "接收单位": names.get(inj.to, inj.to),
                "发送单位": inj.source,
                "标题": inj.title,
                "条件": condition,
                "效果": len(inj.effects),
            }
        )
    return rows


def timeline_figure(scenario: Scenario) -> go.Figure:
    """Each inject as a point at its minute on its receiver's line; conditional ones hollow."""
    rows = [r for r in timeline_rows(scenario) if r["T+分钟"] is not None]
    fig = go.Figure()
    for conditional, symbol in ((False, "circle"), (True, "diamond-open")):
        part = [r for r in rows if bool(r["条件"]) == conditional]
        if not part:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r["T+分钟"] for r in part],
                y=[r["接收单位"] for r in part],
                mode="markers+text",
                text=[r["序号"] for r in part],
                textposition="top center",
                marker=dict(size=12, symbol=symbol, color="#c0392b" if conditional else "#2471a3"),
                hovertext=[f"{r['序号']} · {r['标题']}<br>{r['发送单位']} → {r['接收单位']} {r['条件']}" for r in part],
                hoverinfo="text",
                name="有条件的注入" if conditional else "定时注入",
            )
        )
    receivers = {r["接收单位"] for r in rows}
    fig.update_layout(
        height=140 + 40 * len(receivers),
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title="推演时间（T+分钟）",
        xaxis=dict(range=[-5, max(scenario.duration, *(r["T+分钟"] for r in rows), 0) + 5]),
        legend=dict(orientation="h", y=-0.25),
        font=dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"),
    )
    return fig


def _show_problems(title: str, problems: list[str]) -> None:
    st.error(f"{title}（{len(problems)} 处）")
    st.code("\n".join(problems), language=None, wrap_lines=True)


def render() -> None:
    st.title(tr("page_authoring"))
    if role() != FACILITATOR:
        st.info("场景编写含答案，仅导调员可用。")
        st.stop()
    st.caption(
        "上传场景 YAML 或 Excel 情景注入表（.xlsx），或粘贴 YAML，或从场景库选一个场景作为起点。"
        "每一处错误都标明文件、行（或工作表、行、列）和字段；通过检查后可预览、下载为 YAML 或 Excel、保存到场景库。"
    )
    sources = {"upload": "上传文件", "paste": "粘贴 YAML", "library": "从场景库开始"}
    source = st.radio("来源", list(sources), format_func=sources.get, horizontal=True, key="author_source")

    loaded: Loaded | None = None
    if source == "upload":
        upload = st.file_uploader(
            f"场景文件（.yaml、.yml 或 .xlsx，不超过 {MAX_FILE_BYTES // 1024 // 1024} MB）",
            type=[s.lstrip(".") for s in (*YAML_SUFFIXES, *XLSX_SUFFIXES)],
            key="author_file",
        )
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                loaded = too_large(upload.name, upload.size)
            else:
                loaded = handle_upload(upload.name, upload.getvalue())
        else:
            st.info("请上传场景文件。可先在“从场景库开始”中下载一个场景的 Excel 作为模板。")
    elif source == "paste":
        text = st.text_area("场景 YAML", key="author_text", height=320, max_chars=MAX_FILE_BYTES)
        if text.strip():
            loaded = handle_upload(PASTED, text.encode("utf-8"))
        else:
            st.info("请粘贴场景 YAML。")
    else:
        entries = library.catalog()[0]
        if entries:
            entry = st.selectbox(
                "场景",
                entries,
                format_func=lambda e: f"{e.scenario.title}（{e.id}{'，我的场景' if e.user else ''}）",
                key="author_entry",
            )
            loaded = from_library(entry)

    if loaded is not None and loaded.problems:
        _show_problems(f"{loaded.name} 有错误，未载入", loaded.problems)
    elif loaded is not None and loaded.scenario is not None:
        _show(loaded)

    saved = st.session_state.get("author_saved")
    if saved:
        st.success(f"已保存到场景库：{saved}")
    _user_library()


def _show(loaded: Loaded) -> None:
    scenario = loaded.scenario
    st.success(f"{loaded.name} 通过检查：{scenario.title}（{scenario.id}）")
    cols = st.columns(5)
    cols[0].metric("参演部门", len(scenario.departments))
    cols[1].metric("通信信道", len(scenario.channels))
    cols[2].metric("情景注入", len(scenario.injects))
    cols[3].metric("可下达措施", len(scenario.measures))
    cols[4].metric("时长", f"{scenario.duration:g} 分钟")

    st.markdown("#### 协调网络")
    st.plotly_chart(network_figure(scenario), key="author_network")
    st.markdown("#### 情景注入时间线（含答案，仅导调员可见）")
    st.plotly_chart(timeline_figure(scenario), key="author_timeline")
    st.dataframe(pd.DataFrame(timeline_rows(scenario)), hide_index=True, key="author_injects")

    st.markdown("#### 下载")
    left, right = st.columns(2)
    left.download_button(
        f"{scenario.id}.yaml",
        loaded.yaml_text or scenario_to_yaml(scenario),
        file_name=f"{scenario.id}.yaml",
        mime="application/x-yaml",
        key="author_download_yaml",
    )
    data, problems = xlsx_bytes(loaded)
    if data is not None:
        right.download_button(
            f"{scenario.id}.xlsx（Excel 情景注入表）",
            data,
            file_name=f"{scenario.id}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="author_download_xlsx",
        )
    else:
        with right:
            _show_problems("无法导出为 Excel", problems)

    st.markdown("#### 保存到场景库")
    with st.form("author_save_form"):
        new_id = st.text_input("场景编号（另存为新编号时修改）", value=scenario.id, key="author_save_id")
        overwrite = st.checkbox("覆盖场景库中同编号的我的场景", key="author_overwrite")
        submitted = st.form_submit_button("保存到场景库")
    if submitted:
        path, problems = save(loaded, new_id, overwrite)
        if path is None:
            _show_problems("未保存", problems)
        else:
            st.session_state["author_saved"] = f"{path.stem} → {path}"


def _user_library() -> None:
    entries, errors = library.catalog()
    mine = [e for e in entries if e.user]
    st.markdown(f"#### 我的场景（{library.user_dir()}）")
    if errors:
        _show_problems(tr("broken_scenarios"), [str(p) for error in errors for p in error.problems])
    if not mine:
        st.caption("尚无保存的场景。")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {"编号": e.id, "标题": e.scenario.title, "注入": len(e.scenario.injects), "文件": str(e.path)}
                for e in mine
            ]
        ),
        hide_index=True,
        key="author_mine",
    )


if __name__ == "__main__":  # Streamlit runs a page as __main__; importing it (the tests) only defines the functions
    render()
