"""The site map at a minute as a PNG for the 调研报告 (matplotlib, no browser): the same ``simulator.sitemap.SiteMap``
the 大屏 and replay draw with plotly, so the report's map and the room's map agree.

``render_map(scenario, log, t)`` is what the report's content places at its key moments (the first report, the
inject that changed the picture, containment); ``render(site_map, start_clock)`` draws a map already built.
"""

from __future__ import annotations

import math
import textwrap
import warnings

import matplotlib.pyplot as plt  # charts.py has chosen the Agg backend
from matplotlib.patches import Circle, Polygon, Rectangle

from simulator.engine.events import EventLog
from simulator.formats.scenario import Scenario
from simulator.report.charts import _png, _style
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
    map_at,
    ring_colour,
    sector,
    unit_lines,
)
from simulator.vocabulary import COMMAND_POST, when


def render_map(scenario: Scenario, log: EventLog, t: float, lang: str = "zh") -> bytes:
    """The site map of a logged drill at minute ``t``, as PNG bytes."""
    return render(map_at(scenario, log, t), scenario.start_clock, lang)


def render(site_map: SiteMap, start_clock: str, lang: str = "zh") -> bytes:
    """Draw ``site_map``: a plan (places, plume, rings, units) or a tower in elevation (floors, units at its foot)."""
    with plt.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        fig, ax = plt.subplots(figsize=(6.4, 6.0))
        if site_map.elevation:
            _tower(ax, site_map, lang)
        else:
            _plan(ax, site_map, lang)
        _units(ax, site_map, lang)
        title = f"{site_map.scene} · {when(start_clock, site_map.t, lang)}"
        ax.set_title(title, fontsize=11)
        notes = [h(lang) for h in site_map.headline]
        if site_map.schematic:
            notes.append(SCHEMATIC(lang))
        if notes:
            ax.text(
                0.01,
                0.01,
                "；".join(notes) if lang == "zh" else "; ".join(notes),
                transform=ax.transAxes,
                fontsize=8,
                color="#333333",
                va="bottom",
            )
        ax.set_xticks([])
        ax.set_yticks([])
        return _png(fig)


def _plan(ax, site_map: SiteMap, lang: str) -> None:
    r = site_map.extent_m
    ax.set_xlim(-r, r)
    ax.set_ylim(-r, r)
    ax.set_aspect("equal")
    ax.set_facecolor("#fafafa")
    if site_map.plume is not None:
        reach = min(site_map.plume.length_m, r * 1.5)
        ax.add_patch(Polygon(sector(site_map.plume, reach), closed=True, color=PLUME_COLOUR, alpha=0.35, lw=0))
        danger = min(site_map.plume.danger_m, r * 1.5)
        ax.add_patch(Polygon(sector(site_map.plume, danger), closed=True, color=DANGER_COLOUR, alpha=0.3, lw=0))
    for ring in site_map.rings:
        style = "-" if ring.state == "finished" else "--"
        colour = ring_colour(site_map, ring)
        ax.add_patch(Circle((0, 0), ring.radius_m, fill=False, ec=colour, ls=style, lw=1.6))
        ax.text(
            0,
            ring.radius_m,
            f"{ring.label(lang)}（{RING_STATES[ring.state](lang)}）"
            if lang == "zh"
            else f"{ring.label(lang)} ({RING_STATES[ring.state](lang)})",
            color=colour,
            fontsize=7.5,
            ha="center",
            va="bottom",
        )
    ax.plot([0], [0], marker="*", markersize=16, color=DANGER_COLOUR, zorder=5)
    ax.text(0, r * 0.04, site_map.scene, ha="center", va="bottom", fontsize=8, zorder=5, color=DANGER_COLOUR)
    for mark in site_map.marks:
        ax.plot(
            [mark.x],
            [mark.y],
            marker="s" if mark.enclosed else "o",
            markersize=11,
            color=level_colour(mark.level),
            mec="#222222",
            zorder=6,
        )
        ax.text(mark.x, mark.y + r * 0.035, mark.name, ha="center", va="bottom", fontsize=8, zorder=7)
        ax.text(mark.x, mark.y - r * 0.035, mark.note(lang), ha="center", va="top", fontsize=6.5, color="#444444")
    if site_map.wind is not None:
        _wind(ax, site_map, lang)
    if site_map.command_post is not None:
        x, y = site_map.command_post
        ax.plot([x], [y], marker="^", markersize=12, color="#283593", zorder=6)
        ax.text(x, y - r * 0.04, COMMAND_POST(lang), ha="center", va="top", fontsize=7.5, color="#283593")


def _wind(ax, site_map: SiteMap, lang: str) -> None:
    """An arrow in the top-right corner, pointing where the wind blows to."""
    r = site_map.extent_m
    to = math.radians(site_map.wind.from_deg + 180.0)
    cx, cy, length = r * 0.78, r * 0.78, r * 0.12
    dx, dy = length * math.sin(to), length * math.cos(to)
    ax.annotate(
        "",
        xy=(cx + dx, cy + dy),
        xytext=(cx - dx, cy - dy),
        arrowprops={"arrowstyle": "-|>", "color": "#1565c0", "lw": 2},
    )
    ax.text(cx, cy - length * 1.5, site_map.wind.label(lang), ha="center", va="top", fontsize=8, color="#1565c0")
    ax.text(r * 0.93, r * 0.93, "N↑" if lang == "en" else "北↑", ha="center", va="center", fontsize=9)


def _tower(ax, site_map: SiteMap, lang: str) -> None:
    n = len(site_map.floors)
    width = site_map.extent_m * 0.3
    ax.set_xlim(-site_map.extent_m, site_map.extent_m)
    ax.set_ylim(-8, n + 2)
    for floor in site_map.floors:
        state = floor_state(floor)
        ax.add_patch(Rectangle((-width / 2, floor.number - 1), width, 0.92, color=FLOOR_COLOURS[state]))
        if n <= 40 or floor.number % 5 == 0 or state == "fire":
            ax.text(-width / 2 - 0.4, floor.number - 0.55, f"{floor.number}", ha="right", va="center", fontsize=6)
    ax.plot([-site_map.extent_m, site_map.extent_m], [0, 0], color="#5d4037", lw=1.5)
    for i, (state, word) in enumerate(FLOOR_WORDS.items()):
        y = n * 0.55 - i * max(1.5, n / 15)
        ax.add_patch(Rectangle((width / 2 + 1.0, y - 0.8), 1.2, 0.8, color=FLOOR_COLOURS[state]))
        ax.text(width / 2 + 2.6, y - 0.4, word(lang), va="center", fontsize=7.5)
    if site_map.command_post is not None:
        x, y = site_map.command_post
        ax.plot([x], [y], marker="^", markersize=12, color="#283593")
        ax.text(x, y - 0.8, COMMAND_POST(lang), ha="center", va="top", fontsize=7.5, color="#283593")


def _units(ax, site_map: SiteMap, lang: str) -> None:
    """The units as marks (on scene solid, en route faded), named in a panel at the top left."""
    for unit in site_map.units:
        colour = UNIT_COLOURS[unit.en_route]
        ax.plot([unit.x], [unit.y], marker="D", markersize=6, color=colour, alpha=0.5 if unit.en_route else 1.0)
    lines = unit_lines(site_map, lang)
    if lines:
        panel = {"fc": "white", "ec": "#cccccc", "alpha": 0.85}
        text = "\n".join(textwrap.fill(line, 34) for line in lines)
        ax.text(0.01, 0.99, text, transform=ax.transAxes, fontsize=7, va="top", color=UNIT_COLOURS[False], bbox=panel)
