"""Every benchmark in one command: ``python -m benchmarks [engine hazards scoring report batch synthetic room]``.

``room`` (the drill room under load, ``bench_room``: about four minutes) runs only when named.

Each benchmark prints its own table, with its baseline measured in the same run; a summary of the headline
figures against their targets follows. Nothing here passes or fails: the figures go in the README's
性能 · Performance section. About two minutes on this project's 2-core machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import re
import sys
import time

from benchmarks import (
    bench_batch,
    bench_engine,
    bench_hazards,
    bench_report,
    bench_room,
    bench_scoring,
    bench_synthetic,
)

BENCHMARKS = ("engine", "hazards", "scoring", "report", "batch", "synthetic")
#: run only when named: they start servers and take minutes
ON_REQUEST = ("room",)


def _report() -> dict[str, float]:
    """bench_report prints its figures; the summary reads the per-plan totals back from what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bench_report.main([])
    text = out.getvalue()
    print(text, end="")
    totals = re.findall(r"plan (\w+):.*?→ total ([\d.]+) s", text, flags=re.S)
    return {f"total_{plan}_s": float(seconds) for plan, seconds in totals}


def main(argv: list[str] | None = None) -> int:
    chosen = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS + ON_REQUEST]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS + ON_REQUEST)}", file=sys.stderr)
        return 2
    runners = {
        "engine": bench_engine.main,
        "hazards": bench_hazards.main,
        "scoring": bench_scoring.main,
        "report": _report,
        "batch": lambda: bench_batch.main([]),
        "synthetic": lambda: bench_synthetic.main([]),
        "room": bench_room.summary,
    }
    print(
        f"benchmarks on {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {_load()} (other work on the machine slows every figure)"
    )
    results: dict[str, dict[str, float]] = {}
    for name in chosen:
        print(f"\n== {name} " + "=" * (60 - len(name)))
        start = time.perf_counter()
        results[name] = runners[name]()
        print(f"({name}: {time.perf_counter() - start:.0f} s)")
    print("\n== summary " + "=" * 53 + f" (load average now {_load()})")
    rows = _summary(results)
    width = max(len(r[0]) for r in rows) + 2 if rows else 10
    print(f"{'what':<{width}}{'figure':>22}  {'baseline (same run)':<34}{'target':<22}verdict")
    for what, figure, baseline, target, met in rows:
        verdict = "—" if met is None else ("met" if met else "MISSED")
        print(f"{what:<{width}}{figure:>22}  {baseline:<34}{target:<22}{verdict}")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not available on this platform
        return "n/a"


def _summary(results: dict[str, dict[str, float]]) -> list[tuple[str, str, str, str, bool | None]]:
    rows: list[tuple[str, str, str, str, bool | None]] = []
    if e := results.get("engine"):
        rows.append(
            (
                "reference drill (run_plan)",
                f"{e['drill_s'] * 1000:.1f} ms",
                f"{e['simpy_events']} SimPy events",
                "< 200 ms",
                e["drill_s"] < 0.2,
            )
        )
        rows.append(
            (
                "engine events/s",
                f"{e['engine_events_per_s']:,.0f}/s",
                f"bare SimPy {e['bare_events_per_s']:,.0f}/s (1/{e['ratio']:.1f})",
                "≥ 1/3 of bare SimPy",
                e["ratio"] <= bench_engine.TARGET_RATIO,
            )
        )
        rows.append(
            (
                "  floor: bare + physics + log",
                f"{e['floor_ratio']:.1f}× bare",
                f"physics {e['physics_s'] * 1000:.2f} ms, log {e['logging_s'] * 1000:.2f} ms",
                "(shown, not a target)",
                None,
            )
        )
        rows.append(
            (
                "engine / floor (coordination)",
                f"{e['overhead']:.2f}×",
                f"floor {e['floor_s'] * 1000:.2f} ms, same run",
                f"≤ {bench_engine.TARGET_OVERHEAD:g}× (issue 20)",
                e["overhead"] <= bench_engine.TARGET_OVERHEAD,
            )
        )
    if s := results.get("scoring"):
        rows.append(
            (
                "score_drill (reference log)",
                f"{s['score_ms']:.1f} ms",
                f"run the drill {s['run_drill_ms']:.1f} ms",
                "< 50 ms",
                s["score_ms"] < 50,
            )
        )
    if r := results.get("report"):
        for key, seconds in r.items():
            plan = key.removeprefix("total_").removesuffix("_s")
            rows.append(
                (
                    f"report, {plan} plan (docx+md+xlsx)",
                    f"{seconds:.2f} s",
                    "see the report table",
                    "< 2 s",
                    seconds < bench_report.TARGET_S,
                )
            )
    if b := results.get("batch"):
        one, two = b["one_worker_vs_serial"], b["two_workers_vs_serial"]
        rows.append(
            ("batch runs/s, 1 worker", f"{b['one_worker_runs_per_s']:.0f}/s ({one:.2f}x)", _serial(b), "—", None)
        )
        rows.append(
            (
                "batch runs/s, 2 workers",
                f"{b['two_workers_runs_per_s']:.0f}/s ({two:.2f}x)",
                _serial(b),
                ">= 1.8x",
                two >= 1.8,
            )
        )
        rows.append(
            (
                f"{b['big_runs']:.0f} runs, 2 workers, end to end",
                f"{b['big_s']:.1f} s",
                f"cluster start {b['cluster_start_2_s']:.1f} s",
                "< 60 s",
                b["big_s"] < bench_batch.TARGET_S,
            )
        )
    if y := results.get("synthetic"):
        rows.append(
            (
                f"large drill run ({y['departments']} depts, {y['messages']} msgs)",
                f"{y['run_s']:.2f} s",
                f"bare SimPy {y['bare_s']:.2f} s",
                "< 2 s",
                y["run_s"] < bench_synthetic.TARGET_S,
            )
        )
        rows.append(
            (
                "large drill load + run + score",
                f"{y['end_to_end_s']:.2f} s",
                f"load {y['load_s']:.2f} s, score {y['score_s']:.2f} s",
                "(shown, not a target)",
                None,
            )
        )
    if m := results.get("room"):
        rows.append(
            (
                f"drill room: {m['rooms']:.0f} rooms × {m['seats']:.0f} seats ({m['sessions']:.0f} sessions)",
                f"p95 {m['console_p95']:.2f} s to console",
                f"bare page: submit p95 {m['bare_ack_p95']:.2f} s",
                "p95 < 2 s, 0 lost",
                m["console_p95"] < 2 and m["lost"] == 0,
            )
        )
        rows.append(
            (
                "  submit → 已受理 p95 / server CPU",
                f"{m['ack_p95']:.2f} s / {m['cpu']:.2f} cores",
                f"bare page: {m['bare_cpu']:.2f} cores",
                "(shown, not a target)",
                None,
            )
        )
    return rows


def _serial(b: dict[str, float]) -> str:
    return f"serial, no Dask {b['serial_runs_per_s']:.0f}/s"


if __name__ == "__main__":
    raise SystemExit(main())
