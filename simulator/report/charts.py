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
    """Four axes (迅速、有序、精准、提升), 0–100, this drill filled; the reference plan outlined when given."""
    keywords = list(report.keywords)
    labels = [k.keyword for k in keywords]
    mine = [k.score or 0.0 for k in keywords]
    ref = [k.reference for k in keywords]
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    with plt.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        fig = plt.figure(figsize=(4.6, 4.0))
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)  # 迅速 at the top, then clockwise in the doctrine's order
        ax.set_theta_direction(-1)
        closed = [*angles, angles[0]]
        if any(r is not None for r in ref):
            values = [r or 0.0 for r in ref]
            ax.plot(closed, [*values, values[0]], color=REF, linewidth=1.4, linestyle="--", label="专家参考方案")
        ax.plot(closed, [*mine, mine[0]], color=INK, linewidth=2, label="本次推演")
        ax.fill(closed, [*mine, mine[0]], color=INK, alpha=0.18)
        for angle, value in zip(angles, mine, strict=True):
            ax.annotate(
                f"{value:g}",
                (angle, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=9,
                color=INK,
            )
        ax.set_xticks(angles)
        ax.set_xticklabels(labels, fontsize=12)
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100])
        ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=7, color="#666666")
        ax.set_rlabel_position(45)  # radial ticks between 迅速 and 有序, clear of the value labels
        ax.grid(color="#bbbbbb", linewidth=0.6)
        ax.legend(loc="upper right", bbox_to_anchor=(1.32, 1.12), fontsize=9, frameon=False)
        return _png(fig)


def gantt_png(report: Report) -> bytes:
    """One bar per task: waiting (ordered → started) light, carried out (started → finished) solid.

    Milestones (研判, 上级收到报告, 指挥部开设, 险情控制 …) are drawn across, so a late command post or a late
    report shows against the tasks it should have preceded.
    """
    rows = list(report.ledger)
    end = report.duration
    with plt.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        height = max(2.4, 0.36 * len(rows) + 1.4)
        fig, ax = plt.subplots(figsize=(7.2, height))
        for y, r in enumerate(rows):
            start = r.started_at
            stop = r.finished_at if r.finished_at is not None else end
            wait_until = start if start is not None else end
            ax.barh(
                y,
                wait_until - r.ordered_at,
                left=r.ordered_at,
                height=0.5,
                color="#c9d3e6",
                edgecolor="#8a9bbd",
                linewidth=0.5,
            )
            if start is not None:
                ax.barh(y, stop - start, left=start, height=0.5, color=INK if r.finished_at is not None else "#6f8cc4")
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(
            [f"{r.name}{'（调整）' if '调整措施' in r.note else ''} · {r.dept}" for r in rows], fontsize=8
        )
        ax.invert_yaxis()
        levels = 3  # milestone labels step down in three rows, so close milestones do not overprint
        for i, m in enumerate(report.milestones):
            ax.axvline(m.t, color=REF, linestyle=":", linewidth=1)
            ax.text(
                m.t + end * 0.004,
                -0.75 - 0.55 * (i % levels),
                f"{m.label} {t_text(m.t)}",
                fontsize=7,
                color=REF,
                ha="left",
                va="bottom",
            )
        ax.set_ylim(len(rows) - 0.4 if rows else 0.6, -0.8 - 0.55 * levels)
        ticks = list(range(0, int(end) + 1, 30 if end > 120 else 15))
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"T+{t}\n{clock_text(report.start_clock, t)}" for t in ticks], fontsize=7)
        ax.set_xlim(0, end)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles = [plt.Rectangle((0, 0), 1, 1, color="#c9d3e6"), plt.Rectangle((0, 0), 1, 1, color=INK)]
        ax.legend(handles, ["已下达、待执行", "执行"], loc="lower right", fontsize=7, frameon=False)
        return _png(fig)


CHARTS = {"radar": radar_png, "gantt": gantt_png}


def render(report: Report, chart: str) -> bytes:
    """The PNG of the named chart (``radar`` or ``gantt``) for ``report``."""
    return CHARTS[chart](report)
