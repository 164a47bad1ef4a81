"""场景编写: bring a scenario in (YAML, the Excel MSEL, pasted text, or a library scenario to start from), see every
problem located, preview its network and inject timeline, download it as YAML or Excel, save it to the library.

The page logic that touches user input is in plain functions (``handle_upload``, ``save``) so the tests can call
them directly (AppTest cannot drive a file uploader); the page itself runs only under Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from simulator import FileFormatError, library
from simulator.errors import Problem
from simulator.formats import Scenario
from simulator.formats.loader import MAX_FILE_BYTES, MAX_FILE_MB
from simulator.formats.msel import XLSX_SUFFIXES, YAML_SUFFIXES, dump_xlsx, inject_times, load_any, scenario_to_yaml
from simulator.store import scenarios as snapshots
from simulator.vocabulary import minute_of
from ui.charts import FONT, network_figure
from ui.common import FACILITATOR, lang, role, scenario_metrics, store, tr
from ui.i18n import t
from ui.text import plain
from ui.timeline import condition_text, planned_text

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
        return library.save_user_scenario(scenario, text, overwrite=overwrite, guard=in_use_by_drills), []
    except FileFormatError as exc:
        return None, [named(p) for p in exc.problems]


def in_use_by_drills(scenario: Scenario) -> str | None:
    """Why the scenario may not be saved: drills were run with other content under its id and version (they keep
    their own copy; a changed scenario needs a new version). The user scenario it replaces is kept first as the
    copy of the drills stored before copies were kept."""
    before = library.find(scenario.id)
    return snapshots.refusal(store(), scenario, before.scenario if before is not None and before.user else None)


def xlsx_bytes(loaded: Loaded) -> tuple[bytes | None, list[str]]:
    try:
        return dump_xlsx(loaded.scenario, loaded.name), []
    except FileFormatError as exc:
        return None, [named(p) for p in exc.problems]


#: the MSEL table's columns (keys of ``ui.i18n``): the inject's number (the author's own id, as in the Excel 序号),
#: when, the whole sim minute, receiver, sender, title, condition, number of effects
TIMELINE_COLUMNS = (
    "col_no",
    "col_time",
    "col_minute",
    "col_to",
    "col_from",
    "col_title",
    "col_condition",
    "col_effects",
)


def timeline_rows(scenario: Scenario, lang: str = "zh") -> list[dict[str, object]]:
    """The MSEL as the facilitator reads it: when, to whom, from whom, under which condition (columns in ``lang``)."""
    names = {d.id: d.name for d in scenario.departments}
    times = inject_times(scenario)
    rows = []
    for inj in scenario.injects:
        minute = times.get(inj.id)
        values = (
            inj.id,
            planned_text(scenario, inj, lang),
            minute_of(minute) if minute is not None else None,
            names.get(inj.to, inj.to),
            inj.source,
            inj.title,
            condition_text(scenario, inj, lang),
            len(inj.effects),
        )
        rows.append({t(key, lang): value for key, value in zip(TIMELINE_COLUMNS, values, strict=True)})
    return rows


def timeline_figure(scenario: Scenario, lang: str = "zh") -> go.Figure:
    """Each inject as a point at its minute on its receiver's line; conditional ones hollow."""
    no, minute, to, sender, title, cond = (
        t(k, lang) for k in ("col_no", "col_minute", "col_to", "col_from", "col_title", "col_condition")
    )
    rows = [r for r in timeline_rows(scenario, lang) if r[minute] is not None]
    fig = go.Figure()
    for conditional, symbol in ((False, "circle"), (True, "diamond-open")):
        part = [r for r in rows if bool(r[cond]) == conditional]
        if not part:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r[minute] for r in part],
                y=[r[to] for r in part],
                mode="markers+text",
                text=[r[no] for r in part],
                textposition="top center",
                marker=dict(size=12, symbol=symbol, color="#c0392b" if conditional else "#2471a3"),
                hovertext=[f"{r[no]} · {r[title]}<br>{r[sender]} → {r[to]} {r[cond]}" for r in part],
                hoverinfo="text",
                name=t("conditional_injects" if conditional else "timed_injects", lang),
            )
        )
    receivers = {r[to] for r in rows}
    fig.update_layout(
        height=140 + 40 * len(receivers),
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title=t("axis_minutes", lang),
        xaxis=dict(range=[-5, max(scenario.duration, *(r[minute] for r in rows), 0) + 5]),
        legend=dict(orientation="h", y=-0.25),
        font=FONT,
    )
    return fig


def named(problem: Problem) -> str:
    """A problem of a library file as ``file.yaml:12: field: message``: the file's name, never the server's path."""
    return str(replace(problem, file=Path(problem.file).name))


def _show_problems(title: str, problems: list[str]) -> None:
    st.error(tr("problems_count", title=plain(title), count=len(problems)))
    st.code("\n".join(problems), language=None, wrap_lines=True)


def render() -> None:
    st.title(tr("page_authoring"))
    if role() != FACILITATOR:
        st.info(tr("authoring_facilitator_only"))
        st.stop()
    st.caption(tr("authoring_intro"))
    sources = {"upload": tr("author_upload"), "paste": tr("author_paste"), "library": tr("author_library")}
    source = st.radio(tr("author_source"), list(sources), format_func=sources.get, horizontal=True, key="author_source")

    loaded: Loaded | None = None
    if source == "upload":
        upload = st.file_uploader(
            tr("author_file", mb=MAX_FILE_BYTES // 1024 // 1024),
            type=[s.lstrip(".") for s in (*YAML_SUFFIXES, *XLSX_SUFFIXES)],
            key="author_file",
            max_upload_size=MAX_FILE_MB,  # the browser refuses a larger file before sending it
        )
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                loaded = too_large(upload.name, upload.size)
            else:
                loaded = handle_upload(upload.name, upload.getvalue())
        else:
            st.info(tr("author_upload_hint"))
    elif source == "paste":
        text = st.text_area(tr("author_yaml"), key="author_text", height=320, max_chars=MAX_FILE_BYTES)
        if text.strip():
            loaded = handle_upload(PASTED, text.encode("utf-8"))
        else:
            st.info(tr("author_paste_hint"))
    else:
        entries = library.catalog()[0] + library.cases_catalog()[0]  # a real case's scenario exports like any other
        if entries:
            mine, theirs = tr("author_entry_mine"), tr("author_entry")  # now: AppTest formats without a session
            case = tr("case_prefix")
            entry = st.selectbox(
                tr("scenario"),
                entries,
                format_func=lambda e: (
                    (mine if e.user else theirs).format(title=e.scenario.title, id=e.id)
                    if e.case is None
                    else case + theirs.format(title=e.scenario.title, id=e.id)
                ),
                key="author_entry",
            )
            loaded = from_library(entry)

    if loaded is not None and loaded.problems:
        _show_problems(tr("author_not_loaded", name=loaded.name), loaded.problems)
    elif loaded is not None and loaded.scenario is not None:
        _show(loaded)

    saved = st.session_state.get("author_saved")
    if saved:
        st.success(tr("author_saved", path=saved))
    _user_library()


def _show(loaded: Loaded) -> None:
    scenario = loaded.scenario
    language = lang()
    st.success(tr("author_checked", name=plain(loaded.name), title=plain(scenario.title), id=scenario.id))
    scenario_metrics(scenario)

    st.markdown(f"#### {tr('network')}")
    st.plotly_chart(network_figure(scenario, lang=language), key="author_network")
    st.markdown(f"#### {tr('author_timeline')}")
    st.plotly_chart(timeline_figure(scenario, language), key="author_timeline")
    st.dataframe(pd.DataFrame(timeline_rows(scenario, language)), hide_index=True, key="author_injects")

    st.markdown(f"#### {tr('download')}")
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
            tr("author_xlsx", id=scenario.id),
            data,
            file_name=f"{scenario.id}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="author_download_xlsx",
        )
    else:
        with right:
            _show_problems(tr("author_no_xlsx"), problems)

    st.markdown(f"#### {tr('author_save')}")
    with st.form("author_save_form"):
        new_id = st.text_input(tr("author_save_id"), value=scenario.id, key="author_save_id")
        overwrite = st.checkbox(tr("author_overwrite"), key="author_overwrite")
        submitted = st.form_submit_button(tr("author_save"))
    if submitted:
        path, problems = save(loaded, new_id, overwrite)
        if path is None:
            _show_problems(tr("author_not_saved"), problems)
        else:
            st.session_state["author_saved"] = path.name  # the file's name only: the server's folders are not shown


def _user_library() -> None:
    entries, errors = library.catalog()
    mine = [e for e in entries if e.user]
    st.markdown(f"#### {tr('author_mine')}")
    if errors:
        _show_problems(tr("broken_scenarios"), [named(p) for error in errors for p in error.problems])
    if not mine:
        st.caption(tr("author_none_saved"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_id"): e.id,
                    tr("col_title"): e.scenario.title,
                    tr("injects"): len(e.scenario.injects),
                    tr("col_file"): e.path.name,
                }
                for e in mine
            ]
        ),
        hide_index=True,
        key="author_mine",
    )


if __name__ == "__main__":  # Streamlit runs a page as __main__; importing it (the tests) only defines the functions
    render()
