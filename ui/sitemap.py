"""The site map as a plotly figure, for the 大屏 and replay: the same ``simulator.sitemap.SiteMap`` the report draws
with matplotlib. A drawn schematic from the scenario's own geometry — no internet tiles."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

from simulator.sitemap import (
    DANGER_COLOUR,
    FLOOR_COLOURS,
    FLOOR_WORDS,
    PLUME_COLOUR,
    RING_STATES,
    SCHEMATIC,
    UNIT_COLOURS,
    SiteMap,
    floor_state,
    level_colour,
    ring_colour,
    sector,
    unit_lines,
)
from simulator.vocabulary import COMMAND_POST


def site_map_figure(site_map: SiteMap, title: str, lang: str = "zh", height: int = 520) -> go.Figure:
    """A plan (places, plume, rings, wind, units) or a tower in elevation, with the headline and units beneath."""
    fig = go.Figure()
    if site_map.elevation:
        _tower(fig, site_map, lang)
    else:
        _plan(fig, site_map, lang)
    if site_map.command_post is not None:
        x, y = site_map.command_post
        fig.add_trace(
            go.Scatter(
                x=[x],
                y=[y],
                mode="markers+text",
                marker={"symbol": "triangle-up", "size": 18, "color": "#283593"},
                text=[COMMAND_POST(lang)],
                textposition="bottom center",
                hoverinfo="skip",
            )
        )
    for en_route in (False, True):
        units = [u for u in site_map.units if u.en_route == en_route]
        if units:
            fig.add_trace(
                go.Scatter(
                    x=[u.x for u in units],
                    y=[u.y for u in units],
                    mode="markers",
                    marker={"symbol": "diamond", "size": 11, "color": UNIT_COLOURS[en_route]},
                    opacity=0.55 if en_route else 1.0,
                    hovertext=[u.name for u in units],
                    hoverinfo="text",
                    showlegend=False,
                )
            )
    notes = [h(lang) for h in site_map.headline] + ([SCHEMATIC(lang)] if site_map.schematic else [])
    sep = "; " if lang == "en" else "；"
    lines = [sep.join(notes), *(textwrap.fill(line, 44 if lang != "en" else 90) for line in unit_lines(site_map, lang))]
    caption = "<br>".join(lines).replace("\n", "<br>")  # plotly's annotations do not wrap by themselves
    fig.add_annotation(
        text=caption,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.02,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 13},
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 20}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 110},
        plot_bgcolor="#fafafa",
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig


def _plan(fig: go.Figure, site_map: SiteMap, lang: str) -> None:
    r = site_map.extent_m
    if site_map.plume is not None:
        for length, colour, opacity in (
            (site_map.plume.length_m, PLUME_COLOUR, 0.4),
            (site_map.plume.danger_m, DANGER_COLOUR, 0.35),
        ):
            pts = sector(site_map.plume, min(length, r * 1.5))
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in pts],
                    y=[p[1] for p in pts],
                    fill="toself",
                    fillcolor=colour,
                    opacity=opacity,
                    line={"width": 0},
                    mode="lines",
                    hoverinfo="skip",
                )
            )
    for ring in site_map.rings:
        colour = ring_colour(site_map, ring)
        dash = "solid" if ring.state == "finished" else "dash"
        fig.add_shape(
            type="circle",
            x0=-ring.radius_m,
            y0=-ring.radius_m,
            x1=ring.radius_m,
            y1=ring.radius_m,
            line={"color": colour, "dash": dash, "width": 2},
        )
        state = RING_STATES[ring.state](lang)
        text = f"{ring.label(lang)} ({state})" if lang == "en" else f"{ring.label(lang)}（{state}）"
        fig.add_annotation(x=0, y=ring.radius_m, text=text, showarrow=False, yshift=10, font={"color": colour})
    fig.add_trace(
        go.Scatter(
            x=[0],
            y=[0],
            mode="markers+text",
            marker={"symbol": "star", "size": 22, "color": DANGER_COLOUR},
            text=[site_map.scene],
            textposition="top center",
            hoverinfo="skip",
        )
    )
    marks = site_map.marks
    if marks:
        fig.add_trace(
            go.Scatter(
                x=[m.x for m in marks],
                y=[m.y for m in marks],
                mode="markers+text",
                marker={
                    "size": 18,
                    "color": [level_colour(m.level) for m in marks],
                    "symbol": ["square" if m.enclosed else "circle" for m in marks],
                    "line": {"width": 1, "color": "#222222"},
                },
                text=[f"<b>{m.name}</b><br>{m.note(lang)}" for m in marks],
                textposition="bottom center",
                textfont={"size": 13},
                hoverinfo="skip",
            )
        )
    if site_map.wind is not None:
        to = math.radians(site_map.wind.from_deg + 180.0)
        cx, cy, length = r * 0.8, r * 0.8, r * 0.12
        fig.add_annotation(
            x=cx + length * math.sin(to),
            y=cy + length * math.cos(to),
            ax=cx - length * math.sin(to),
            ay=cy - length * math.cos(to),
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowwidth=3,
            arrowcolor="#1565c0",
            text="",
        )
        fig.add_annotation(
            x=cx,
            y=cy - length * 1.6,
            text=site_map.wind.label(lang),
            showarrow=False,
            font={"color": "#1565c0", "size": 14},
        )
    fig.add_annotation(x=r * 0.95, y=r * 0.95, text="N ↑" if lang == "en" else "北 ↑", showarrow=False)
    fig.update_xaxes(range=[-r, r])
    fig.update_yaxes(range=[-r, r], scaleanchor="x", scaleratio=1)


def _tower(fig: go.Figure, site_map: SiteMap, lang: str) -> None:
    width = site_map.extent_m * 0.3
    floors = site_map.floors
    for floor in floors:
        fig.add_shape(
            type="rect",
            x0=-width / 2,
            x1=width / 2,
            y0=floor.number - 1,
            y1=floor.number - 0.08,
            fillcolor=FLOOR_COLOURS[floor_state(floor)],
            line={"width": 0},
        )
    step = 1 if len(floors) <= 40 else 5
    fig.add_trace(
        go.Scatter(
            x=[-width / 2 - 1] * len(floors[::step]),
            y=[f.number - 0.5 for f in floors[::step]],
            text=[str(f.number) for f in floors[::step]],
            mode="text",
            textposition="middle left",
            hoverinfo="skip",
        )
    )
    for i, (state, word) in enumerate(FLOOR_WORDS.items()):
        y = len(floors) * 0.9 - i * max(1.5, len(floors) / 15)
        fig.add_trace(
            go.Scatter(
                x=[width / 2 + 2],
                y=[y],
                mode="markers+text",
                marker={"symbol": "square", "size": 14, "color": FLOOR_COLOURS[state]},
                text=[word(lang)],
                textposition="middle right",
                hoverinfo="skip",
            )
        )
    fig.add_shape(type="line", x0=-site_map.extent_m, x1=site_map.extent_m, y0=0, y1=0, line={"color": "#5d4037"})
    fig.update_xaxes(range=[-site_map.extent_m, site_map.extent_m])
    fig.update_yaxes(range=[-8, len(floors) + 2])
