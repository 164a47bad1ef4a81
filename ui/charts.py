"""Plotly figure builders for the pages. They read the scenario, the event log and the score; no Streamlit.

Every builder takes ``lang``: axis titles, legends and hover texts come from ``simulator.vocabulary`` and
``ui.i18n``; what a figure shows of the scenario (department names, task names) is scenario data, shown as written.
Data frames are built with ASCII column keys and labelled per language, so the colours never depend on the words.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from simulator.engine.events import EventLog
from simulator.engine.state import WorldState
from simulator.formats.scenario import Scenario
from simulator.hazards import figure_label, figure_unit
from simulator.narrator import Narrator
from simulator.vocabulary import (
    COMMAND_POST,
    DEPARTMENT_KINDS,
    DEPARTMENT_STATUS,
    EVENT_KINDS,
    KEYWORD_LABELS,
    KEYWORDS,
    MEDIA,
    TASK_STATUS,
    clock_text,
    name_of,
    span,
    t_text,
    when,
)
from ui.i18n import t as tr

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
#: the two runs a comparison chart shows, and their colours
RUN_COLOURS = {"this_drill": "#c0392b", "reference": "#2471a3"}
PHASE_COLOURS = {"ordered": "#f8c471", "started": "#5dade2", "finished": "#52be80"}
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


#: the longest label a node carries on the graph (the full name is on hover)
SHORT_NAME = 8
_PARENTHESIS = re.compile(r"[（(][^（）()]*[）)]\s*$")


def short_name(name: str) -> str:
    """A department's name as its node's label: without the trailing parenthesis (``区卫健委（120急救中心）`` →
    ``区卫健委``) and cut to ``SHORT_NAME`` characters, so thirteen labels do not run into each other."""
    short = _PARENTHESIS.sub("", name).strip() or name
    return short if len(short) <= SHORT_NAME else short[: SHORT_NAME - 1] + "…"


def label_side(x: float, y: float) -> str:
    """Where a node's label goes: away from the centre (above a node in the upper part, to the right of one on the
    right …), so labels of the same ring spread out instead of stacking above their nodes."""
    if abs(x) < 0.35 * max(abs(y), 1e-9) or (abs(x) < 0.05 and abs(y) < 0.05):
        return "top center" if y >= 0 else "bottom center"
    vertical = "top" if y > 0.25 else "bottom" if y < -0.25 else "middle"
    return f"{vertical} {'right' if x > 0 else 'left'}"


def channel_text(scenario: Scenario, channel, cut: bool, lang: str = "zh") -> str:
    """A channel as a person reads it: both ends, the medium, the mean delay in whole minutes, the reliability."""
    names = {d.id: d.name for d in scenario.departments}
    return tr("channel_hover", lang).format(
        ends=f"{names[channel.from_]} — {names[channel.to]}",
        medium=name_of(MEDIA, channel.medium, lang),
        delay=span(channel.delay.mean, lang),
        reliability=f"{channel.reliability:.0%}",
        cut=tr("channel_cut_mark", lang) if cut else "",
    )


def network_figure(
    scenario: Scenario, state: WorldState | None = None, height: int = 460, lang: str = "zh"
) -> go.Figure:
    """Departments by kind, channels with their mean delay, cut channels in red, messages in flight as arrows."""
    pos = layout_positions(scenario)
    post = COMMAND_POST(lang)
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
                text=channel_text(scenario, ch, is_cut, lang),
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
                    text=[post],
                    textposition="bottom center",
                    marker=dict(size=22, color=KIND_COLOURS[kind], symbol="star"),
                    name=post,
                )
            )
        if not members:
            continue
        status = [state.departments[d.id].status if state and d.id in state.departments else "idle" for d in members]
        kind_name = name_of(DEPARTMENT_KINDS, kind, lang)
        fig.add_trace(
            go.Scatter(
                x=[pos[d.id][0] for d in members],
                y=[pos[d.id][1] for d in members],
                mode="markers+text",
                text=[short_name(d.name) for d in members],
                textposition=[label_side(*pos[d.id]) for d in members],
                textfont=dict(size=11),
                name=kind_name,
                hovertext=[
                    tr("node_hover", lang).format(
                        name=d.name, kind=kind_name, status=name_of(DEPARTMENT_STATUS, s, lang)
                    )
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
        xaxis=dict(visible=False, range=[-2.7, 2.7]),
        yaxis=dict(visible=False, range=[-1.8, 1.9]),
        legend=dict(orientation="h", x=0.0, y=-0.02, yanchor="top"),
        plot_bgcolor="white",
    )
    return fig


def minute_ticks(scenario: Scenario, low: float, high: float, lang: str = "zh") -> dict[str, list]:
    """Axis ticks in whole T+ minutes with the wall clock under each (``T+30<br>08:40``), every 15, 30 or 60
    minutes so that about eight fit: a time axis reads as the drill's clock, never as a calendar date."""
    width = max(high - low, 1.0)
    step = next((s for s in (5, 10, 15, 30, 60, 120) if width / s <= 8), 240)
    first = int(math.floor(max(low, 0) / step) * step)
    values = list(range(first, math.ceil(high) + 1, step))
    texts = [f"{t_text(v)}<br>{clock_text(scenario.start_clock, v, lang)}" for v in values]
    return dict(tickvals=values, ticktext=texts)


def gantt_figure(scenario: Scenario, state: WorldState, lang: str = "zh") -> go.Figure:
    """Every task as a bar from the order to its end (waiting for the crew or the scene, then doing it), one row a
    task named by the task and its department, on an axis of T+ minutes with the clock under each tick."""
    names = {d.id: d.name for d in scenario.departments}
    phases = {key: TASK_STATUS[key](lang) for key in PHASE_COLOURS}
    bars: dict[str, list[dict[str, Any]]] = {key: [] for key in PHASE_COLOURS}
    rows: list[str] = []
    for task in sorted(state.tasks.values(), key=lambda item: item["ordered_at"]):
        row = f"{task['name']} · {short_name(names.get(task['dept'], task['dept']))}"
        rows.append(row)
        ordered = task["ordered_at"]
        start = task["started_at"] if task["started_at"] is not None else state.t
        end = task["finished_at"] if task["finished_at"] is not None else state.t
        bars["ordered"].append({"row": row, "from": ordered, "to": max(start, ordered), "task": task, "name": row})
        if task["started_at"] is not None:
            phase = "started" if task["finished_at"] is None else "finished"
            bars[phase].append({"row": row, "from": start, "to": max(end, start), "task": task, "name": row})
    if not rows:
        return _empty(tr("no_tasks", lang))
    fig = go.Figure()
    for phase, items in bars.items():
        if not items:
            continue
        fig.add_trace(
            go.Bar(
                y=[b["row"] for b in items],
                base=[b["from"] for b in items],
                x=[max(b["to"] - b["from"], 0.5) for b in items],  # a bar of no length would not be seen
                orientation="h",
                name=phases[phase],
                marker_color=PHASE_COLOURS[phase],
                hovertext=[
                    f"{b['task']['name']}<br>{names.get(b['task']['dept'], b['task']['dept'])}<br>{phases[phase]}"
                    f"{tr('colon', lang)}{when(scenario.start_clock, b['from'], lang)} – "
                    f"{when(scenario.start_clock, b['to'], lang)}"
                    for b in items
                ],
                hoverinfo="text",
            )
        )
    high = max(state.t, max((b["to"] for items in bars.values() for b in items), default=0)) + 2
    low = min(b["from"] for items in bars.values() for b in items)
    fig.update_layout(
        barmode="overlay",
        height=110 + 26 * len(rows),
        margin=dict(l=10, r=10, t=10, b=10),
        font=FONT,
        legend=dict(orientation="h", y=-0.12 if len(rows) > 4 else -0.3, yanchor="top"),
        xaxis=dict(title=None, range=[max(low - 2, 0), high], **minute_ticks(scenario, low, high, lang)),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=rows, automargin=True),
    )
    return fig


def hazard_figure(
    scenario: Scenario,
    log: EventLog,
    compare: EventLog | None = None,
    until: float | None = None,
    lang: str = "zh",
    figure: str = "exposed",
) -> go.Figure:
    """One hazard figure over time (people exposed, by default), and the reference plan's under the same seed; its
    label and unit are the hazard model's own (``simulator.hazards.figure_label``)."""
    label = figure_label(scenario.hazard.model, figure)(lang)
    unit = figure_unit(scenario.hazard.model, figure)(lang)
    fig = go.Figure()
    for run, source in (("this_drill", log), ("reference", compare)):
        if source is None:
            continue
        samples = [e for e in source.of("hazard_sample") if until is None or e.t <= until]
        fig.add_trace(
            go.Scatter(
                x=[e.t for e in samples],
                y=[e["figures"].get(figure, 0) for e in samples],
                mode="lines",
                name=f"{tr(run, lang)}{tr('colon', lang)}{label}",
                line=dict(color=RUN_COLOURS[run]),
            )
        )
    fig.update_layout(
        height=300,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        xaxis=dict(title=tr("axis_minutes", lang), **minute_ticks(scenario, 0, until or scenario.duration, lang)),
        yaxis_title=f"{label} ({unit})" if unit else label,
        legend=dict(orientation="h", y=1.15),
    )
    return fig


def _keyword(keyword: str, lang: str) -> str:
    return name_of(KEYWORD_LABELS, keyword, lang)


def radar_figure(score: dict[str, Any], reference: dict[str, Any] | None = None, lang: str = "zh") -> go.Figure:
    """The four keywords, 0–100, this drill against the reference plan."""
    runs = [("this_drill", score)] + ([("reference", reference)] if reference else [])
    rows = [
        {"keyword": _keyword(k, lang), "score": result["keywords"][k]["score"], "run": tr(run, lang)}
        for run, result in runs
        for k in KEYWORDS
    ]
    fig = px.line_polar(
        pd.DataFrame(rows),
        r="score",
        theta="keyword",
        color="run",
        line_close=True,
        range_r=[0, 100],
        labels={"keyword": tr("col_keyword", lang), "score": tr("col_score", lang), "run": tr("col_run", lang)},
        color_discrete_map={tr(run, lang): colour for run, colour in RUN_COLOURS.items()},
    )
    fig.update_traces(fill="toself", opacity=0.6)
    fig.update_layout(height=360, margin=dict(l=40, r=40, t=30, b=30), font=FONT, legend=dict(orientation="h"))
    return fig


def _score_lines(rows: list[dict[str, Any]], x: str, x_title: str, lang: str) -> go.Figure:
    """Scores 0–100 as one line per keyword (``rows`` keyed ``x``, ``keyword``, ``score``)."""
    fig = px.line(
        pd.DataFrame(rows),
        x=x,
        y="score",
        color="keyword",
        markers=True,
        range_y=[0, 100],
        labels={x: x_title, "score": tr("col_score", lang), "keyword": tr("col_keyword", lang)},
    )
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), font=FONT)
    return fig


def scores_over_time_figure(points: list[tuple[float, dict[str, float]]], lang: str = "zh") -> go.Figure:
    rows = [{"t": t, "keyword": _keyword(k, lang), "score": v} for t, scores in points for k, v in scores.items()]
    return _score_lines(rows, "t", tr("axis_minutes", lang), lang) if rows else _empty(tr("no_scores", lang))


def trend_figure(history: list[dict[str, Any]], lang: str = "zh") -> go.Figure:
    """A team's drills in order: the total and the four keywords."""
    rows = []
    for i, item in enumerate(history, start=1):
        label = tr("nth_drill", lang).format(n=i, date=item["created_at"][:10])
        rows.append({"drill": label, "keyword": tr("total", lang), "score": item["score"]["total"]})
        rows += [
            {"drill": label, "keyword": _keyword(k, lang), "score": item["score"]["keywords"][k]["score"]}
            for k in KEYWORDS
        ]
    return _score_lines(rows, "drill", tr("col_drill", lang), lang) if rows else _empty(tr("no_history", lang))


#: the event table's columns, in order (``kind`` is kept for the filter, then dropped before display)
EVENT_COLUMNS = ("id", "when", "kind_name", "dept", "text")


def event_frame(scenario: Scenario, log: EventLog, until: float | None = None, lang: str = "zh") -> pd.DataFrame:
    """The log as a table a person can read: number, moment, kind, where it happened and the narrator's sentence.

    Columns are keyed in ASCII (``EVENT_COLUMNS`` and ``kind``); ``event_columns(lang)`` names them for display.
    """
    narrator = Narrator(scenario, log, lang)
    rows = []
    for e in log:
        if until is not None and e.t > until:
            break
        told = narrator.tell(e, everything=True)
        rows.append(
            {
                "id": e.id,
                "when": when(scenario.start_clock, e.t, lang),
                "kind_name": name_of(EVENT_KINDS, e.kind, lang),
                "kind": e.kind,
                "dept": narrator.name(told.node) if told is not None and told.node else "",
                "text": told.detail if told is not None else "",
            }
        )
    return pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "kind"])


def event_columns(lang: str = "zh") -> dict[str, str]:
    return {key: tr(f"col_{key}", lang) for key in EVENT_COLUMNS}


def _empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=16))
    fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False), font=FONT)
    return fig
