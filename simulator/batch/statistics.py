"""The batch table and what is read from it: one row per (plan, seed), the summary per plan (mean and 5/50/95
percentiles), the paired comparison of two plans on the same seeds, and both as a person reads them.

Why apart from the running: these functions take a table and give a table, whatever ran the drills (Dask, this
process, a CSV read back); the app's page and the command line show the same tables through :func:`display_table`.
Column names of the frames stay machine names (``plan``, ``p50``, ``speed``), as in the CSV a user downloads; the
headers, metric names and values a person reads come from ``simulator.vocabulary`` in Chinese or English.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.files import atomic_path, write_text
from simulator.vocabulary import KEYWORD_FIELDS, KEYWORD_LABELS, OUTCOMES, TOTAL_SCORE, Label

if TYPE_CHECKING:  # pandas is imported where used: the command line imports this package for every command
    import pandas as pd

#: outcome figures, as ``Outcome.as_dict`` names them; lower is better for every one
OUTCOME_COLUMNS: tuple[str, ...] = tuple(OUTCOMES)
#: score columns: the four keywords (by their field names) and the total; higher is better
SCORES: tuple[str, ...] = (*KEYWORD_FIELDS.values(), "total")
METRICS = OUTCOME_COLUMNS + SCORES
COLUMNS = ("plan", "seed", *METRICS)

#: the statistics' headers as a person reads them (the frames keep the machine names)
HEADS: dict[str, Label] = {
    "plan": Label("方案", "Plan"),
    "metric": Label("指标", "Metric"),
    "n": Label("有效次数", "Runs"),
    "mean": Label("均值", "Mean"),
    "p5": Label("P5", "P5"),
    "p50": Label("P50", "P50"),
    "p95": Label("P95", "P95"),
    "better": Label("更优占比", "Better"),
    "worse": Label("更差占比", "Worse"),
}
_FIELD_KEYWORDS = {field: name for name, field in KEYWORD_FIELDS.items()}


class BatchError(Exception):
    """A batch that cannot run (no scheduler, a failing worker, an unwritable output); the message is for users."""


def metric_label(metric: str, lang: str = "zh") -> str:
    """A column of the batch table as a person names it: ``受伤人数（人）``, ``迅速``, ``总分``."""
    if metric in OUTCOMES:
        figure = OUTCOMES[metric]
        unit = figure.unit(lang)
        if figure.time or not unit:
            return figure.label(lang)
        return f"{figure.label(lang)} ({unit})" if lang == "en" else f"{figure.label(lang)}（{unit}）"
    if metric in _FIELD_KEYWORDS:
        return KEYWORD_LABELS[_FIELD_KEYWORDS[metric]](lang)
    if metric == "total":
        return TOTAL_SCORE(lang)
    return metric


def to_frame(rows: list[dict[str, Any]], labels: Sequence[str]) -> pd.DataFrame:
    """Rows in a fixed order (plans as given, then seeds), so the same batch gives the same table byte for byte."""
    import pandas as pd

    order = {label: i for i, label in enumerate(labels)}
    rows = sorted(rows, key=lambda r: (order[r["plan"]], r["seed"]))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("contained_at", "exposed_person_minutes", *SCORES):
        df[column] = df[column].astype("float64")
    return df


def plans_of(df: pd.DataFrame) -> list[str]:
    """The plans of a batch table in their order (the first is the baseline of ``paired``)."""
    return list(dict.fromkeys(df["plan"]))


def _percentiles(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return {"mean": math.nan, "p5": math.nan, "p50": math.nan, "p95": math.nan}
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"mean": float(values.mean()), "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    """Per plan and metric: ``n`` (runs with a value: ``contained_at`` is empty when never contained), the mean
    and the 5th, 50th and 95th percentiles."""
    import pandas as pd

    rows = []
    for plan in plans_of(df):
        sub = df[df["plan"] == plan]
        for metric in METRICS:
            values = sub[metric].dropna().to_numpy(dtype=float)
            rows.append({"plan": plan, "metric": metric, "n": len(values), **_percentiles(values)})
    return pd.DataFrame(rows, columns=["plan", "metric", "n", "mean", "p5", "p50", "p95"])


def paired(df: pd.DataFrame, first: str | None = None, second: str | None = None) -> pd.DataFrame:
    """Per metric, the per-seed difference ``second - first`` over the seeds both ran: mean and 5/50/95
    percentiles, and the shares of seeds where ``second`` is better or worse (fewer casualties, earlier
    containment, higher scores). A run never contained counts as later than any contained one; differences of
    ``contained_at`` use the seeds where both were contained (``n``).

    Defaults: the first two plans of the table.
    """
    import pandas as pd

    plans = plans_of(df)
    if first is None or second is None:
        if len(plans) < 2:
            raise ValueError("配对比较需要两个方案 (paired needs two plans)")
        first, second = first or plans[0], second or plans[1]
    a = df[df["plan"] == first].set_index("seed")
    b = df[df["plan"] == second].set_index("seed")
    seeds = a.index.intersection(b.index)
    a, b = a.loc[seeds], b.loc[seeds]
    rows = []
    for metric in METRICS:
        x = a[metric].to_numpy(dtype=float)
        y = b[metric].to_numpy(dtype=float)
        if metric in OUTCOME_COLUMNS:  # lower is better; never contained = later than any time
            x_cmp, y_cmp = np.nan_to_num(x, nan=math.inf), np.nan_to_num(y, nan=math.inf)
            better, worse = y_cmp < x_cmp, y_cmp > x_cmp
        else:  # higher is better; a keyword with no score counts as neither
            better, worse = y > x, y < x
        both = ~(np.isnan(x) | np.isnan(y))
        diff = y[both] - x[both]
        n = len(seeds)
        rows.append(
            {
                "metric": metric,
                "n": int(both.sum()),
                **_percentiles(diff),
                "better": float(better.sum() / n) if n else math.nan,
                "worse": float(worse.sum() / n) if n else math.nan,
            }
        )
    out = pd.DataFrame(rows, columns=["metric", "n", "mean", "p5", "p50", "p95", "better", "worse"])
    out.attrs.update(first=first, second=second, seeds=len(seeds))
    return out


def save(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the table as CSV or Parquet (by the suffix); BatchError when that cannot be done."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".parquet":
            with atomic_path(path) as tmp:  # pyarrow writes a path itself: a temporary one, renamed when whole
                df.to_parquet(tmp, index=False)
        elif path.suffix.lower() == ".csv":
            write_text(path, df.to_csv(index=False))
        else:
            raise BatchError(f"{path}: 输出文件应为 .csv 或 .parquet (output must be .csv or .parquet)")
    except ImportError as exc:
        raise BatchError(f"{path}: 写入 Parquet 需要 pyarrow (pip install pyarrow): {exc}") from None
    except OSError as exc:
        raise BatchError(f"{path}: 无法写入 (cannot write): {exc.strerror or exc}") from None
    return path


# -- as a person reads them -------------------------------------------------------------------------------------
def cell_text(metric: str, column: str, value: float, difference: bool = False, lang: str = "zh") -> str:
    """One statistic as it is shown: shares in per cent, times and differences of times in whole minutes
    (``T+167``, ``+12分钟``), exposure as a whole number, counts and scores to one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if column in ("better", "worse"):
        return f"{value:.0%}"
    if column == "n":
        return f"{int(value)}"
    sign = "+" if difference else ""
    figure = OUTCOMES.get(metric)
    if figure is not None and figure.time:
        if not difference:
            return f"T+{round(value)}"
        return f"{round(value):+d} min" if lang == "en" else f"{round(value):+d}分钟"
    if metric == "exposed_person_minutes":
        return f"{round(value):{sign},}"
    return f"{value:{sign}.1f}"


def display_table(
    table: pd.DataFrame, columns: Sequence[str], lang: str = "zh", plan_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """A summary (``summarise``) or a paired comparison (``paired``) as text cells under the headers a person
    reads, in ``lang``: the plans by name (``plan_names``, else as labelled), the metrics by ``metric_label``."""
    import pandas as pd

    difference = "seeds" in table.attrs  # a paired comparison: its statistics are differences
    with_plan = "plan" in table.columns and table["plan"].nunique() > 1
    names = plan_names or {}
    rows = []
    for row in table.to_dict("records"):
        shown: dict[str, str] = {}
        if with_plan:
            shown[HEADS["plan"](lang)] = names.get(row["plan"], row["plan"])
        shown[HEADS["metric"](lang)] = metric_label(row["metric"], lang)
        for column in columns:
            shown[HEADS[column](lang)] = cell_text(row["metric"], column, row[column], difference, lang)
        rows.append(shown)
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame, columns: Sequence[str], lang: str = "zh") -> str:
    """``display_table`` as plain text for a terminal, the columns lined up (a Chinese character takes two)."""
    shown = display_table(table, columns, lang)
    cells = [list(shown.columns), *shown.astype(str).to_numpy().tolist()]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(shown.columns))]
    lines = []
    for row in cells:
        first = _pad(row[0], widths[0])
        rest = "".join(" " * (widths[i] - _width(row[i]) + 3) + row[i] for i in range(1, len(row)))
        lines.append((first + rest).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * (width - _width(text))
