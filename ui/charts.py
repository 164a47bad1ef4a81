"""Plotly figure builders for the pages. They read the scenario, the event log and the score; no Streamlit."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from simulator.engine.events import KINDS, EventLog
from simulator.engine.state import STATUS_NAMES, WorldState
from simulator.formats.durations import clock_text
from simulator.formats.scenario import KIND_NAMES, MEDIUM_NAMES, Scenario

KEYWORDS = ("迅速", "有序", "精准", "提升")
KIND_COLOURS = {
    "coordinator": "#c0392b",
    "responder": "#2471a3",
    "higher_level": "#7d3c98",
    "enterprise": "#b9770e",
    "support": "#229954",
    "command_post": "#e67e22",
}
STATUS_COLOURS = {
    "idle": "#bfc9ca",
    "notified": "#f4d03f",
    "mobilised": "#eb984e",
    "on_scene": "#58d68d",
    "working": "#1e8449",
}
FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif")


def layout_positions(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Fixed positions on three rings: coordinators inside, responders and the enterprise around them, support
    and the higher level outside (the same on every rerun, so the eye learns where each department is)."""
    rings = [
        [d.id for d in scenario.departments if d.kind == "coordinator"],
        [d.id for d in scenario.departments if d.kind in ("responder", "enterprise")],
        [d.id for d in scenario.departments if d.kind in ("support", "higher_level")],
    ]
    pos: dict[str, tuple[float, float]] = {"command_post": (0.0, 0.0)}
    for radius, offset, ring in zip((0.45, 1.0, 1.5), (0.5, 0.0, 0.25), rings, strict=True):
        for i, dept in enumerate(ring):
            angle = 2 * math.pi * (i + offset) / max(len(ring), 1) + math.pi / 2
            pos[dept] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def network_figure(scenario: Scenario, state: WorldState | None = None, height: int = 460) -> go.Figure:
    """Departments by kind, channels with their mean delay, cut channels in red, messages in flight as arrows."""
    pos = layout_positions(scenario)
    names = {d.id: d.name for d in scenario.departments} | {"command_post": "现场指挥部"}
    cut = state.channels_cut if state else set()
    fig = go.Figure()
    for ch in scenario.channels:
        (x0, y0), (x1, y1) = pos[ch.from_], pos[ch.to]
        is_cut = ch.id in cut
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                hoverinfo="text",
                line=dict(color="#e74c3c" if is_cut else "#aab7b8", width=1.5, dash="dash" if is_cut else "solid"),
                text=f"{names[ch.from_]} — {names[ch.to]}<br>{MEDIUM_NAMES[ch.medium]}，平均 {ch.delay.mean:.1f} 分钟，"
                f"可靠性 {ch.reliability:.0%}{'（中断）' if is_cut else ''}",
                showlegend=False,
            )
        )
    nodes = list(scenario.departments)
    has_post = state is not None and state.command_post is not None
    if has_post:
        for d in scenario.departments:
            if d.kind == "higher_level":
                continue
            (x0, y0), (x1, y1) = pos["command_post"], pos[d.id]
            fig.add_trace(
                go.Scatter(
                    x=[x0, x1],
                    y=[y0, y1],
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    line=dict(color="#f5b041", width=1, dash="dot"),
                )
            )
    if state is not None:
        for sent in state.in_flight.values():
            path = sent["path"]
            if len(path) < 2:
                continue
            (x0, y0), (x1, y1) = pos[path[0]], pos[path[1]]
            fig.add_annotation(
                x=(x0 + x1) / 2,
                y=(y0 + y1) / 2,
                ax=x0,
                ay=y0,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowsize=1.5,
                arrowcolor="#1f618d",
            )
    for kind in KIND_COLOURS:
        members = [d for d in nodes if d.kind == kind]
        if kind == "command_post" and has_post:
            x, y = pos["command_post"]
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=[y],
                    mode="markers+text",
                    text=["现场指挥部"],
                    textposition="bottom center",
                    marker=dict(size=22, color=KIND_COLOURS[kind], symbol="star"),
                    name="现场指挥部",
                )
            )
        if not members:
            continue
        status = [state.departments[d.id].status if state and d.id in state.departments else "idle" for d in members]
        fig.add_trace(
            go.Scatter(
                x=[pos[d.id][0] for d in members],
                y=[pos[d.id][1] for d in members],
                mode="markers+text",
                text=[d.name for d in members],
                textposition="top center",
                name=KIND_NAMES[kind],
                hovertext=[
                    f"{d.name}（{KIND_NAMES[d.kind]}）<br>状态：{STATUS_NAMES[s]}"
                    for d, s in zip(members, status, strict=True)
                ],
                hoverinfo="text",
                marker=dict(
                    size=18, color=KIND_COLOURS[kind], line=dict(width=4, color=[STATUS_COLOURS[s] for s in status])
                ),
            )
        )
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        font=FONT,
        xaxis=dict(visible=False, range=[-2.0, 2.0]),
        yaxis=dict(visible=False, range=[-1.75, 1.85]),
        legend=dict(orientation="v", x=1.0, y=0.5),
        plot_bgcolor="white",
    )
    return fig


def clock_time(scenario: Scenario, minute: float) -> dt.datetime:
    """Sim minutes as a wall-clock time on a fixed day (for Plotly's timeline, which wants datetimes)."""
    hours, minutes = map(int, scenario.start_clock.split(":"))
    return dt.datetime(2000, 1, 1, hours, minutes) + dt.timedelta(minutes=minute)


def gantt_figure(scenario: Scenario, state: WorldState) -> go.Figure:
    """Every task as a bar from the order to its end (waiting for the crew or the scene, then doing it)."""
    names = {d.id: d.name for d in scenario.departments}
    rows = []
    for task in state.tasks.values():
        start = task["started_at"] if task["started_at"] is not None else state.t
        end = task["finished_at"] if task["finished_at"] is not None else state.t
        rows.append(
            {
                "部门": names.get(task["dept"], task["dept"]),
                "任务": task["name"],
                "阶段": "待执行",
                "开始": clock_time(scenario, task["ordered_at"]),
                "结束": clock_time(scenario, max(start, task["ordered_at"] + 0.01)),
            }
        )
        if task["started_at"] is not None:
            rows.append(
                {
                    "部门": names.get(task["dept"], task["dept"]),
                    "任务": task["name"],
                    "阶段": "执行中" if task["finished_at"] is None else "已完成",
                    "开始": clock_time(scenario, start),
                    "结束": clock_time(scenario, max(end, start + 0.01)),
                }
            )
    if not rows:
        return _empty("尚无任务")
    frame = pd.DataFrame(rows)
    fig = px.timeline(
        frame,
        x_start="开始",
        x_end="结束",
        y="部门",
        color="阶段",
        hover_data=["任务"],
        color_discrete_map={"待执行": "#f8c471", "执行中": "#5dade2", "已完成": "#52be80"},
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=80 + 32 * frame["部门"].nunique(), margin=dict(l=10, r=10, t=10, b=10), font=FONT)
    return fig


def hazard_figure(log: EventLog, compare: EventLog | None = None, until: float | None = None) -> go.Figure:
    """Exposed people over time (and the reference plan's, when given)."""
    fig = go.Figure()
    for name, source, colour in (("本次推演", log, "#c0392b"), ("参考方案", compare, "#2471a3")):
        if source is None:
            continue
        samples = [e for e in source.of("hazard_sample") if until is None or e.t <= until]
        fig.add_trace(
            go.Scatter(
                x=[e.t for e in samples],
                y=[e["figures"].get("exposed", 0) for e in samples],
                mode="lines",
                name=f"{name}：暴露人数",
                line=dict(color=colour),
            )
        )
    fig.update_layout(
        height=300,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        xaxis_title="T+分钟",
        yaxis_title="人",
        legend=dict(orientation="h", y=1.15),
    )
    return fig


def radar_figure(score: dict[str, Any], reference: dict[str, Any] | None = None) -> go.Figure:
    """The four keywords, 0–100, this drill against the reference plan."""
    rows = [{"关键词": k, "得分": score["keywords"][k]["score"], "方案": "本次推演"} for k in KEYWORDS]
    if reference:
        rows += [{"关键词": k, "得分": reference["keywords"][k]["score"], "方案": "参考方案"} for k in KEYWORDS]
    fig = px.line_polar(
        pd.DataFrame(rows),
        r="得分",
        theta="关键词",
        color="方案",
        line_close=True,
        range_r=[0, 100],
        color_discrete_map={"本次推演": "#c0392b", "参考方案": "#2471a3"},
    )
    fig.update_traces(fill="toself", opacity=0.6)
    fig.update_layout(height=360, margin=dict(l=40, r=40, t=30, b=30), font=FONT, legend=dict(orientation="h"))
    return fig


def scores_over_time_figure(points: list[tuple[float, dict[str, float]]]) -> go.Figure:
    rows = [{"T+分钟": t, "关键词": k, "得分": v} for t, scores in points for k, v in scores.items()]
    if not rows:
        return _empty("尚无评分")
    fig = px.line(pd.DataFrame(rows), x="T+分钟", y="得分", color="关键词", markers=True, range_y=[0, 100])
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), font=FONT)
    return fig


def trend_figure(history: list[dict[str, Any]]) -> go.Figure:
    """A team's drills in order: the total and the four keywords."""
    rows = []
    for i, item in enumerate(history, start=1):
        label = f"第{i}次 {item['created_at'][:10]}"
        rows.append({"推演": label, "指标": "总分", "得分": item["score"]["total"]})
        rows += [{"推演": label, "指标": k, "得分": item["score"]["keywords"][k]["score"]} for k in KEYWORDS]
    if not rows:
        return _empty("尚无历史推演")
    fig = px.line(pd.DataFrame(rows), x="推演", y="得分", color="指标", markers=True, range_y=[0, 100])
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), font=FONT)
    return fig


def event_frame(scenario: Scenario, log: EventLog, until: float | None = None) -> pd.DataFrame:
    """The log as a table a person can read: id, time, kind, department, and a one-line description."""
    names = {d.id: d.name for d in scenario.departments}
    rows = []
    for e in log:
        if until is not None and e.t > until:
            break
        dept = e.get("dept") or e.get("by") or e.get("to") or ""
        rows.append(
            {
                "编号": e.id,
                "T+分钟": e.t,
                "时刻": clock_text(scenario.start_clock, e.t),
                "类型": KINDS[e.kind][1],
                "kind": e.kind,
                "部门": names.get(dept, dept),
                "内容": describe(e, names),
            }
        )
    return pd.DataFrame(rows)


def describe(e, names: dict[str, str]) -> str:
    """One Chinese line for an event."""
    n = lambda key: names.get(e.get(key), e.get(key) or "")  # noqa: E731
    kind = e.kind
    if kind == "inject_released":
        return f"【{e['title']}】{e['text']}"
    if kind in ("decision_accepted", "decision_rejected"):
        detail = "，".join(f"{k}={v}" for k, v in e.get("detail", {}).items() if k != "sections")
        suffix = f"；原因：{e['reason']}" if kind == "decision_rejected" else ""
        return f"{e['action']}（{detail}）{suffix}"
    if kind.startswith("message_"):
        return f"{e.get('msg_kind', '')} {n('from')} → {n('to')}（{e['msg']}）"
    if kind == "task_ordered":
        owner = f"，责任人 {e['owner']}" if e.get("owner") else "，未明确责任人"
        return f"{e['name']} → {n('dept')}{owner}"
    if kind == "casualties":
        totals = f"累计 {e['total_injured']} / {e['total_dead']}"
        return f"新增受伤 {e['injured']}、死亡 {e['dead']}（{totals}）{e.get('where', '')}"
    if kind == "hazard_sample":
        return "，".join(f"{k}={v}" for k, v in e["figures"].items())
    if kind == "assessment":
        return f"{e['event_type']}，{'ⅠⅡⅢⅣ'[e['level'] - 1]}级"
    if kind == "report_received":
        return f"{'电话' if e['mode'] == 'phone' else '书面'}报告送达 {n('to')}"
    if kind == "command_post_established":
        return f"{e['location']}，工作组 {len(e['groups'])} 个"
    if kind == "commander_appointed":
        return f"{e['person']}（{n('dept')}）任现场指挥"
    if kind == "info_received":
        return f"{e['topic']}：{e['text']}"
    if kind in ("channel_cut", "channel_restored"):
        return e["channel"]
    if kind == "hazard_changed":
        return f"{e['param']} → {e['value']}"
    return ""


def _empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=16))
    fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False), font=FONT)
    return fig
