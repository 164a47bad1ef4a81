"""The report's two pictures, drawn with matplotlib (Agg): a radar of the four keywords and a task Gantt chart.

Why matplotlib and not the UI's Plotly: the library must never import the UI's stack, and a static PNG needs
no browser. Chinese labels need a CJK font; the first one found is used (Debian's fonts-noto-cjk gives
"Noto Sans CJK SC"). Without one the charts are still drawn, with a single warning, since a report with boxed
labels beats no report.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from functools import cache
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot's import
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.transforms import ScaledTranslation

from simulator.report.bounds import MAX_CHART_TASKS
from simulator.vocabulary import clock_text, t_text

if TYPE_CHECKING:
    from simulator.report.blocks import Report

#: tried in order; the first installed one draws the Chinese labels
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
_CJK_FILE = re.compile(r"(cjk|wqy|wenquanyi|sourcehan|droidsansfallback|simhei|msyh|pingfang|uming|ukai)", re.I)
DPI = 200  # dots per inch of the PNGs: sharp when printed at the report's 150 mm width
INK = "#1f3b73"  # this drill
REF = "#b22222"  # the reference plan
_warned = False


def _font_names() -> set[str]:
    """Family names matplotlib knows (a function, so a test can pretend none is CJK)."""
    return {f.name for f in font_manager.fontManager.ttflist}


@cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None (after one warning) when there is none.

    matplotlib's font cache may predate the fonts' installation, so system font files whose names look CJK
    are added before giving up.
    """
    global _warned
    names = _font_names()
    found = next((n for n in PREFERRED_FONTS if n in names), None)
    if found is None:
        for path in sorted(font_manager.findSystemFonts()):
            if _CJK_FILE.search(path):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = _font_names()
        found = next((n for n in PREFERRED_FONTS if n in names), None)
        found = found or next((n for n in sorted(names) if re.search(r"CJK|Han|Hei|Song|Kai|Ming", n)), None)
    if found is None and not _warned:
        _warned = True
        warnings.warn(
            "未找到中文字体，图表中的中文可能显示为方框 (no CJK font found; install fonts-noto-cjk)",
            RuntimeWarning,
            stacklevel=2,
        )
    return found


def _style() -> dict[str, object]:
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {"font.family": families, "axes.unicode_minus": False, "font.size": 10, "svg.hashsalt": "report"}


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return buf.getvalue()


def radar_png(report: Report) -> bytes:
    """Four axes (迅速、有序、精准、提升), 0–100, this drill filled; the reference plan outlined when given.

    Each axis is labelled with its keyword and its score (and the reference's), rather than numbers placed at
    the polygon's corners, where they overprinted one another and the radial ticks when scores were low; the
    legend sits under the chart, clear of the labels.
    """
    keywords = list(report.keywords)
    mine = [k.score or 0.0 for k in keywords]
    ref = [k.reference for k in keywords]
    has_ref = any(r is not None for r in ref)
    labels = []
    for k, value, r in zip(keywords, mine, ref, strict=True):
        line = f"{fmt_score(value)}分" + (f"（参考{fmt_score(r)}）" if r is not None else "")
        labels.append(f"{k.keyword}\n{line}")
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    with plt.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        fig = plt.figure(figsize=(4.6, 4.4))
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)  # 迅速 at the top, then clockwise in the doctrine's order
        ax.set_theta_direction(-1)
        closed = [*angles, angles[0]]
        if has_ref:
            values = [r or 0.0 for r in ref]
            ax.plot(closed, [*values, values[0]], color=REF, linewidth=1.4, linestyle="--", label="专家参考方案")
        ax.plot(closed, [*mine, mine[0]], color=INK, linewidth=2, marker="o", markersize=3.5, label="本次推演")
        ax.fill(closed, [*mine, mine[0]], color=INK, alpha=0.18)
        ax.set_xticks(angles)
        ax.set_xticklabels(labels, fontsize=10.5, linespacing=1.3)
        ax.tick_params(axis="x", pad=10)
        for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
            side = math.sin(angle)  # clockwise from the top: > 0 right of centre, < 0 left
            label.set_horizontalalignment("left" if side > 0.3 else "right" if side < -0.3 else "center")
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100])
        ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=7, color="#888888")
        ax.set_rlabel_position(135)  # radial ticks between 有序 and 精准, away from the labels
        ax.grid(color="#bbbbbb", linewidth=0.6)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9, frameon=False)
        return _png(fig)


def fmt_score(value: float | None) -> str:
    """A score on the chart: one decimal at most, no trailing .0."""
    if value is None:
        return "—"
    v = round(float(value), 1)
    return f"{v:.0f}" if v.is_integer() else f"{v:.1f}"


#: the Gantt's bar colours, each with the legend entry it needs (every state drawn has one)
WAITING, DONE, RUNNING = "#c9d3e6", INK, "#6f8cc4"
STATES = (
    (WAITING, "已下达、待执行"),
    (DONE, "执行并完成"),
    (RUNNING, "执行中（推演结束时未完成）"),
)


def gantt_png(report: Report) -> bytes:
    """One bar per task: waiting (ordered → started) light, carried out (started → finished) solid, still under
    way at the end lighter; the legend names every state and sits under the time axis, never over a bar.

    Milestones (研判, 上级收到报告, 指挥部开设, 险情控制 …) are drawn across, so a late command post or a late
    report shows against the tasks it should have preceded. Their labels are placed on the first of a few rows
    above the bars where they overlap no other label, and turned to the left of their line near the right edge.
    """
    rows = list(report.ledger)[:MAX_CHART_TASKS]  # bounded: the caption says how many there were (attachments)
    end = report.duration
    with plt.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        height = max(2.4, 0.36 * len(rows) + 1.6)
        fig, ax = plt.subplots(figsize=(7.2, height))
        for y, r in enumerate(rows):
            start = r.started_at
            stop = r.finished_at if r.finished_at is not None else end
            wait_until = start if start is not None else end
            ax.barh(y, wait_until - r.ordered_at, left=r.ordered_at, height=0.5, color=WAITING, edgecolor="#8a9bbd")
            if start is not None:
                colour = DONE if r.finished_at is not None else RUNNING
                ax.barh(y, stop - start, left=start, height=0.5, color=colour)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(
            [f"{r.name}{'（调整）' if '调整措施' in r.note else ''} · {r.dept}" for r in rows], fontsize=8
        )
        ax.invert_yaxis()
        ticks = list(range(0, int(end) + 1, 30 if end > 120 else 15))
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"T+{t}\n{clock_text(report.start_clock, t)}" for t in ticks], fontsize=7)
        ax.set_xlim(0, end)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        levels = _milestones(fig, ax, report, len(rows))
        ax.set_ylim(len(rows) - 0.4 if rows else 0.6, -0.8 - 0.55 * levels)
        handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for colour, _ in STATES]
        below = ax.transAxes + ScaledTranslation(0, -0.42, fig.dpi_scale_trans)  # under the two-line tick labels
        ax.legend(
            handles,
            [label for _, label in STATES],
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            bbox_transform=below,
            ncol=3,
            fontsize=7.5,
            frameon=False,
        )
        return _png(fig)


def _milestones(fig: plt.Figure, ax: plt.Axes, report: Report, nrows: int, max_levels: int = 6) -> int:
    """Draw the milestone lines and their labels; return how many label rows were used.

    A label goes on the lowest row (nearest the bars) where its drawn extent overlaps no label already placed;
    one that would run past the right edge is drawn to the left of its line.
    """
    end = report.duration
    ax.set_ylim(nrows - 0.4 if nrows else 0.6, -0.8 - 0.55 * max_levels)  # final limits are set by the caller
    renderer = fig.canvas.get_renderer()
    right_edge = ax.get_window_extent(renderer).x1
    placed: list[list] = [[] for _ in range(max_levels)]
    used = 1
    for m in sorted(report.milestones, key=lambda m: m.t):
        ax.axvline(m.t, color=REF, linestyle=":", linewidth=1)
        text = f"{m.label} {t_text(m.t)}"
        label = ax.text(m.t + end * 0.004, 0, text, fontsize=7, color=REF, ha="left", va="bottom")
        for level in range(max_levels):
            label.set_position((m.t + end * 0.004, -0.75 - 0.55 * level))
            label.set_horizontalalignment("left")
            box = label.get_window_extent(renderer)
            if box.x1 > right_edge:
                label.set_position((m.t - end * 0.004, -0.75 - 0.55 * level))
                label.set_horizontalalignment("right")
                box = label.get_window_extent(renderer)
            if not any(box.x0 < other.x1 + 2 and other.x0 < box.x1 + 2 for other in placed[level]):
                placed[level].append(box)
                used = max(used, level + 1)
                break
    return used


CHARTS = {"radar": radar_png, "gantt": gantt_png}


def render(report: Report, chart: str) -> bytes:
    """The PNG of the named chart (``radar`` or ``gantt``) for ``report``."""
    return CHARTS[chart](report)
