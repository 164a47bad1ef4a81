"""How long the 调研报告 takes to build and write, next to baselines measured in the same run.

    python benchmarks/bench_report.py [--repeat 5] [--seed 1]

Why baselines: an absolute time says little on an unknown machine. Running the drill itself and saving a bare
.docx are measured here too, so the report's cost reads as "N drills" or "N empty documents". The target is
build + write in all three formats (docx, md, xlsx) under 2 s per drill; the script prints whether it is met
and exits 0 either way (it measures, it does not gate).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from simulator import load_plan, load_scenario, run_plan  # noqa: E402
from simulator.report import (  # noqa: E402
    build_report,
    charts,
    render_markdown,
    write_all,
)
from simulator.report.docx import docx_bytes  # noqa: E402
from simulator.report.ledger import ledger_bytes  # noqa: E402
from simulator.report.pdf import docx_to_pdf, pdf_available  # noqa: E402
from simulator.scoring import score_drill  # noqa: E402

SCENARIO = ROOT / "scenarios" / "hazchem_leak.yaml"
PLANS = {
    "reference": ROOT / "scenarios" / "hazchem_leak.reference.yaml",
    "poor": ROOT / "scenarios" / "hazchem_leak.poor.yaml",
}
TARGET_S = 2.0  # seconds: build + write docx, md and xlsx


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(min, median) seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def bare_docx() -> bytes:
    """The baseline document: one paragraph, saved."""
    document = docx.Document()
    document.add_paragraph("基线")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def cold_import_s() -> float:
    """Seconds to import simulator.report in a fresh interpreter (matplotlib, python-docx, openpyxl)."""
    code = "import time; t = time.perf_counter(); import simulator.report; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scenario = load_scenario(SCENARIO)
    plans = {name: load_plan(path) for name, path in PLANS.items()}
    reference = run_plan(scenario, plans["reference"], args.seed)
    ref_score = score_drill(scenario, reference.log, reference=reference.log)
    charts.cjk_font()  # font lookup once, as any long-running process would have done
    rows: list[tuple[str, float, float]] = []
    print(
        f"报告生成基准 (report benchmark): {scenario.title}, seed {args.seed}, {args.repeat} repeats, "
        f"CJK font: {charts.cjk_font()}"
    )
    print(f"  cold `import simulator.report`: {cold_import_s():.3f} s (once per process, not counted below)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, plan in plans.items():
            drill = run_plan(scenario, plan, args.seed)
            score = score_drill(scenario, drill.log, reference=reference.log)

            def build(drill=drill, score=score):
                return build_report(
                    scenario, drill.log, score, reference_outcome=reference.outcome(), reference_score=ref_score
                )

            report = build()
            out = Path(tmp) / name
            measures = {
                "baseline: run the drill (run_plan)": lambda plan=plan: run_plan(scenario, plan, args.seed),
                "baseline: save a bare .docx": bare_docx,
                "context: score_drill": lambda drill=drill: score_drill(scenario, drill.log, reference=reference.log),
                "build_report": build,
                "render_markdown": lambda report=report: render_markdown(report),
                "charts (radar + gantt)": lambda report=report: (charts.radar_png(report), charts.gantt_png(report)),
                "docx (incl. charts)": lambda report=report: docx_bytes(report),
                "xlsx ledger": lambda report=report: ledger_bytes(report),
                "TOTAL build + write_all (docx, md, xlsx)": lambda out=out, build=build: write_all(build(), out),
            }
            print(
                f"\n  plan {name}: {len(drill.log)} events, {len(report.timeline)} timeline rows, "
                f"{len(report.ledger)} tasks, {len(report.problems)} problems"
            )
            print(f"    {'step':<44}{'min s':>9}{'median s':>10}")
            for label, fn in measures.items():
                lo, med = timed(fn, args.repeat)
                rows.append((f"{name}: {label}", lo, med))
                print(f"    {label:<44}{lo:>9.3f}{med:>10.3f}")
            total = next(med for label, _, med in rows if label == f"{name}: TOTAL build + write_all (docx, md, xlsx)")
            drill_s = next(med for label, _, med in rows if label == f"{name}: baseline: run the drill (run_plan)")
            bare_s = next(med for label, _, med in rows if label == f"{name}: baseline: save a bare .docx")
            if pdf_available():  # LibreOffice's own start-up dominates: measured apart, not in the target
                lo, med = timed(lambda report=report: docx_to_pdf(docx_bytes(report)), 1)
                print(f"    {'PDF via LibreOffice (not in the target)':<44}{lo:>9.3f}{med:>10.3f}")
            verdict = "met" if total < TARGET_S else "MISSED"
            print(
                f"    → total {total:.3f} s: target < {TARGET_S:g} s {verdict}; "
                f"= {total / drill_s:.1f}× the drill, {total / bare_s:.0f}× a bare .docx"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
