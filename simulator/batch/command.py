"""``python -m simulator batch``: the handler the command line calls (its arguments are declared in ``cli.py``).

What it prints is for people: Chinese, plans by their names, metrics by their vocabulary names, times in whole
minutes; the per-run table goes to ``--out`` with machine column names for whoever analyses it further.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulator.batch.running import SEED_LIMIT, make_job, run_job
from simulator.batch.statistics import BatchError, format_table, paired, plans_of, save, summarise
from simulator.formats import load_scenario


def batch_command(args: argparse.Namespace) -> int:
    """Run ``args.plan`` (and ``args.compare``) under ``args.runs`` seeds; print the summary and the comparison.

    Arguments (as ``cli.py`` declares them): scenario, plan, runs, seed_base, compare, scheduler, workers,
    chunk_size, rubric, out, connect_timeout. Returns the exit code; a user error prints its message, exit 1.
    """
    if args.seed_base + args.runs > SEED_LIMIT:
        print(f"--seed-base: 种子 {args.seed_base}+{args.runs} 超出 2^63-1 (seeds out of range)", file=sys.stderr)
        return 1
    if args.out is not None and not args.out.parent.is_dir():
        print(f"{args.out}: --out: 目录不存在 (no such directory: {args.out.parent})", file=sys.stderr)
        return 1
    plans = [args.plan] + ([args.compare] if args.compare else [])
    seeds = range(args.seed_base, args.seed_base + args.runs)
    bar = ProgressBar(sys.stderr)
    start = time.perf_counter()
    try:
        job = make_job(args.scenario, plans, rubric_path=args.rubric)  # located errors before any worker starts
        df = run_job(
            job,
            seeds,
            scheduler=args.scheduler,
            workers=args.workers,
            chunk_size=args.chunk_size,
            progress=bar,
            connect_timeout=args.connect_timeout,
        )
    except BatchError as exc:
        bar.close()
        print(exc, file=sys.stderr)
        return 1
    bar.close()
    elapsed = time.perf_counter() - start
    title = load_scenario(job.scenario.name, job.scenario.text.encode()).title
    reference = Path(job.reference.name).name if job.reference else "无"
    where = f"调度器 {args.scheduler}" if args.scheduler else "本机"
    names = job.plan_names()
    print(
        f"场景 {title}：{args.runs} 个种子（{args.seed_base}–{args.seed_base + args.runs - 1}），"
        f"参考方案 {reference}（同一种子）"
    )
    print(f"用时 {elapsed:.1f} 秒，每秒 {args.runs / elapsed:.1f} 次（{where}，{df.attrs['workers']} 个工作进程）")
    if args.out is not None:
        try:
            save(df, args.out)
        except BatchError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"逐次结果表 → {args.out}")
    summary = summarise(df)
    for plan in plans_of(df):
        print(f"\n方案 {names[plan]}：{args.runs} 个种子的均值与分位数")
        print(format_table(summary[summary["plan"] == plan], ("n", "mean", "p5", "p50", "p95")))
    if args.compare:
        diff = paired(df)
        first, second = names[diff.attrs["first"]], names[diff.attrs["second"]]
        print(
            f"\n配对比较（同一批 {diff.attrs['seeds']} 个种子）：逐种子计算“{second}”减“{first}”的差值；"
            f"更优占比为“{second}”更优的种子所占比例"
        )
        print(format_table(diff, ("n", "mean", "p5", "p50", "p95", "better")))
    return 0


class ProgressBar:
    """A progress bar on a stream (stderr): redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.perf_counter()
        self.shown_tenth = -1
        self.open = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        elapsed = time.perf_counter() - self.start
        text = f"批量运行 [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} 次  {elapsed:.1f} 秒"
        if self.tty:
            self.stream.write("\r" + text)
            self.open = True
        elif done * 10 // max(total, 1) > self.shown_tenth:
            self.shown_tenth = done * 10 // max(total, 1)
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
