"""The decision forms of the console: one set of fields per action, returning raw data for the plan model.

Validation is not written here: the raw dict goes through the same pydantic model as a plan file, and the
drill then checks it against the state. The form only offers choices that exist (departments, measures, sites).
"""

from __future__ import annotations

import typing
from typing import Any

import streamlit as st
from pydantic import BaseModel

from simulator.engine import Drill
from simulator.formats.common import LEVEL_NAMES
from simulator.formats.plan import ACTION_NAMES, REVIEW_SECTIONS
from simulator.hazards import REGISTRY

#: the decision form's choices: the actions' names, with a hint where the form asks for more
ACTION_LABELS = ACTION_NAMES | {"assess": "初步研判（事件类型与级别）", "assign": "交办任务（明确责任人）"}


def decision_fields(drill: Drill, action: str, key: str, by: str | None = None) -> dict[str, Any]:
    """Render the fields of ``action`` and return what was entered; ``by`` fixes the deciding department."""
    scenario = drill.scenario
    names = {d.id: d.name for d in scenario.departments}
    depts = list(names)
    coordinators = [d.id for d in scenario.departments if d.kind == "coordinator"] or depts
    raw: dict[str, Any] = {"action": action}
    if by is not None:
        raw["by"] = by
    else:
        raw["by"] = st.selectbox(
            "决策部门", depts, index=depts.index(coordinators[0]), format_func=names.get, key=f"{key}_by"
        )
    if action == "assess":
        raw["event_type"] = st.text_input("事件类型", placeholder="根据已掌握的信息判断", key=f"{key}_type")
        raw["level"] = st.selectbox(
            "响应级别", list(LEVEL_NAMES), format_func=LEVEL_NAMES.get, index=2, key=f"{key}_level"
        )
    elif action == "notify":
        raw["to"] = st.multiselect("通知部门", depts, format_func=names.get, key=f"{key}_to")
        raw["text"] = st.text_input("通知内容（可选）", key=f"{key}_text")
    elif action == "appoint_commander":
        raw["person"] = st.text_input("现场指挥（姓名）", key=f"{key}_person")
        raw["department"] = st.selectbox("所在部门", depts, format_func=names.get, key=f"{key}_dept")
    elif action == "establish_command_post":
        raw["location"] = st.text_input("指挥部位置", value="现场", key=f"{key}_loc")
        groups = st.data_editor(
            [{"name": "", "lead": coordinators[0], "owner": ""}],
            num_rows="dynamic",
            key=f"{key}_groups",
            column_config={
                "name": st.column_config.TextColumn("工作组名称", required=True),
                "lead": st.column_config.SelectboxColumn("牵头部门", options=depts, required=True),
                "owner": st.column_config.TextColumn("负责人", required=True),
            },
        )
        raw["groups"] = [g for g in groups if g.get("name")]
    elif action == "assign":
        raw["task"] = st.text_input("任务", key=f"{key}_task")
        raw["department"] = st.selectbox("承办部门", depts, format_func=names.get, key=f"{key}_dept")
        raw["owner"] = st.text_input("责任人", key=f"{key}_owner") or None
    elif action in ("order", "adjust"):
        measures = [m.id for m in scenario.measures] if action == "order" else list(drill.ordered)
        if not measures:
            st.info("尚无可调整的措施" if action == "adjust" else "本场景没有可下达的措施")
            return raw
        mnames = {m.id: m.name for m in scenario.measures}
        raw["measure"] = st.selectbox("措施", measures, format_func=lambda m: mnames.get(m, m), key=f"{key}_measure")
        if action == "order":
            measure = scenario.measure(raw["measure"])
            raw["department"] = st.selectbox("执行部门", measure.departments, format_func=names.get, key=f"{key}_dept")
            raw["owner"] = st.text_input("责任人", key=f"{key}_owner") or None
        else:
            st.caption("调整后的参数取代该措施此前的设置；新设置完全生效前，原设置继续执行。")
            raw["reason"] = st.text_input("调整理由", key=f"{key}_reason")
        raw["params"] = measure_params(drill, raw["measure"], key)
    elif action == "request_info":
        raw["to"] = st.selectbox("询问部门", depts, format_func=names.get, key=f"{key}_to")
        topics = sorted({f.topic for f in scenario.facts}) or ["现场情况"]
        raw["topic"] = st.selectbox("询问内容", topics, key=f"{key}_topic")
    elif action == "report_up":
        raw["mode"] = st.radio(
            "方式",
            ["phone", "written"],
            format_func={"phone": "电话报告", "written": "书面报告"}.get,
            horizontal=True,
            key=f"{key}_mode",
        )
        higher = scenario.higher_level
        raw["to"] = st.selectbox("报告对象", higher, format_func=names.get, key=f"{key}_to")
        raw["level"] = st.selectbox(
            "报告级别", list(LEVEL_NAMES), format_func=LEVEL_NAMES.get, index=2, key=f"{key}_level"
        )
        raw["text"] = st.text_area("报告内容", key=f"{key}_text")
    elif action == "close":
        st.caption("结束应急响应后，除复盘外不能再下达决策。")
    elif action == "review":
        raw["sections"] = {s: st.text_area(s, key=f"{key}_{s}") for s in REVIEW_SECTIONS}
        raw["sections"] = {k: v for k, v in raw["sections"].items() if v.strip()}
    return raw


def measure_params(drill: Drill, measure: str, key: str) -> dict[str, Any]:
    """Fields for the measure's parameters, read from the hazard model's parameter model."""
    model: type[BaseModel] | None = REGISTRY[drill.scenario.hazard.model].measures.get(measure)
    if model is None:
        return {}
    sites = [s.id for s in getattr(drill.scenario.hazard.params, "sites", [])]
    params: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        label = field.description or name
        annotation = field.annotation
        if annotation in (float, int):
            default = field.default if isinstance(field.default, int | float) else 0
            params[name] = st.number_input(label, value=annotation(default), key=f"{key}_{name}")
        elif typing.get_origin(annotation) is list:
            params[name] = st.multiselect(label, sites, key=f"{key}_{name}")
        elif name == "site" and sites:
            params[name] = st.selectbox(label, sites, key=f"{key}_{name}")
        else:
            params[name] = st.text_input(label, key=f"{key}_{name}")
    return params
