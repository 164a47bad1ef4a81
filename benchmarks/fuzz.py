"""Fuzz the loaders and the whole chain behind them, by the thousand: ``python -m benchmarks.fuzz [--yaml N]
[--xlsx N] [--drive N] [--seed S]``.

Three runs, each counting what was **accepted**, what was **refused** with located messages (every problem naming
its file and saying something) and what raised anything else (**tracebacks**, which must be 0):

- ``yaml``: mutated scenario files (the mutations of ``tests/test_robustness.py`` — values replaced by junk, lines
  deleted, inserted, files cut short, types changed, random bytes, deep nesting, other encodings — and those of
  ``--`` control characters, NaN and infinities, negative and zero deadlines, partial tables: issue 19's), read as
  an upload is (``load_any``); a mutation that is accepted is then run, scored and written in every report format,
  since what validates must run (issue 19: 17 of 195 such files crashed the .docx writer);
- ``xlsx``: damaged and edited workbooks: a byte changed in the central directory, in a local header or anywhere,
  the file cut short, cells, sheets, rows and merges edited (``tests/test_robustness.py``'s edits);
- ``drive``: valid scenarios and plans built by ``tests/test_validate_runs.py``'s strategies, each through
  validate, the drill, the scoring and the three report files.

Deterministic: hypothesis generates from ``--seed`` (default 0) with no example database, so the same command gives
the same figures. It prints a progress line while it runs, and one line of figures per run; the first few
tracebacks are printed in full. Exit 1 if any traceback was seen. About 15–25 minutes with the default counts on
this project's 2-core machine (the report's charts are most of it).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from simulator.errors import FileFormatError  # noqa: E402
from simulator.formats import load_plan  # noqa: E402
from simulator.formats.msel import load_any, load_xlsx  # noqa: E402
from tests.test_robustness import LINES, OPS, SCENARIO_TEXT, VALUE_LINES, XLSX, _apply, broken_yaml  # noqa: E402
from tests.test_validate_runs import drive, valid_drill, validate  # noqa: E402

SHOWN = 3  # tracebacks printed in full per run
REFERENCE = (ROOT / "scenarios" / "hazchem_leak.reference.yaml").read_bytes()


@dataclass
class Tally:
    """What one run saw."""

    name: str
    total: int
    counts: Counter = field(default_factory=Counter)
    shown: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: str, detail: str = "") -> None:
        self.counts[outcome] += 1
        if outcome == "traceback" and self.shown < SHOWN:
            self.shown += 1
            print(f"\n--- {self.name}: traceback ---\n{detail}", file=sys.stderr)
        done = sum(self.counts.values())
        if done % max(1, self.total // 100) == 0 or done == self.total:
            rate = done / max(time.perf_counter() - self.started, 1e-9)
            print(
                f"\r{self.name}: {done}/{self.total}  accepted {self.counts['accepted']}  refused "
                f"{self.counts['refused']}  tracebacks {self.counts['traceback']}  ({rate:.1f}/s)   ",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def line(self) -> str:
        seconds = time.perf_counter() - self.started
        c = self.counts
        return (
            f"{self.name:6} {sum(c.values()):6d} cases: accepted {c['accepted']:5d}, refused with a located message "
            f"{c['refused']:5d}, tracebacks {c['traceback']}  ({seconds:.0f} s)"
        )


def judged(tally: Tally, names: tuple[str, ...], work: Callable[[], object]) -> None:
    """Run ``work``: accepted if it returns, refused if it raises FileFormatError whose every problem names one of
    ``names`` and has a message, a traceback otherwise (an unlocated FileFormatError counts as one too)."""
    try:
        work()
    except FileFormatError as exc:
        if exc.problems and all(str(p).startswith(names) and p.message.strip() for p in exc.problems):
            tally.add("refused")
        else:
            tally.add("traceback", f"unlocated: {exc}")
    except Exception:  # counting them is the point
        tally.add("traceback", traceback.format_exc())
    else:
        tally.add("accepted")


def _settings(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


# -- YAML ----------------------------------------------------------------------------------------------------------
ESCAPES = ["\\x00", "\\x01", "\\x07", "\\x1b", "\\x7f", "\\x85", "\\u2028", "\\ud800", "\\ufffe", "\\t", "\\n"]
NUMBERS = [".nan", ".inf", "-.inf", "1e999", "-1", "0", "-0.5", "-30m"]
TABLES = [
    "  report_deadlines: {phone: {1: 30}}\n",
    "  report_deadlines: {written: {2: 45}, phone: {}}\n",
    "  report_deadlines: {phone: {1: -5}}\n",
    "  report_deadlines: {written: {4: 0}}\n",
    "  report_deadlines: {phone: {3: .nan}}\n",
    "  report_deadlines: {follow_up: 0}\n",
    "  measures: [{measure: evacuate, params: {radius_m: {value: .nan}}}]\n",
    "  measures: [{measure: evacuate, params: {radius_m: {value: 1000, tolerance: .inf}}}]\n",
    "  inject_responses: [{inject: i03, expect: [notify], within: 0}]\n",
    "  triggers: [{on: {inject: i03}, measures: [evacuate], within: -10}]\n",
    "  tempo: .inf\n",
]


@st.composite
def issue_19_yaml(draw) -> bytes:
    """The mutations of issue 19 (6): a control character escaped into a string, NaN, infinity or a negative number
    in a value, a partial or impossible table added to the answer key."""
    kind = draw(st.sampled_from(["escape", "number", "table"]))
    lines = list(LINES)
    if kind == "table":
        return (SCENARIO_TEXT + draw(st.sampled_from(TABLES))).encode()
    i = draw(st.sampled_from(VALUE_LINES))
    head, value = lines[i].rstrip("\n").split(": ", 1)
    if kind == "escape":
        text = value.strip().strip("{}[]").split(",")[0].strip() or "x"
        lines[i] = f'{head}: "{text}{draw(st.sampled_from(ESCAPES))}{text}"\n'
    else:
        lines[i] = f"{head}: {draw(st.sampled_from(NUMBERS))}\n"
    return "".join(lines).encode()


def fuzz_yaml(n: int, seed: int = 0) -> Tally:
    tally = Tally("yaml", n)

    def work(data: bytes) -> None:
        scenario = load_any("broken.yaml", data)
        if scenario.id == "hazchem_leak":  # its reference plan still fits: run it as the team's plan
            plan = load_plan("reference.yaml", REFERENCE, scenario=scenario)
        else:
            plan = load_plan("reference.yaml", b"decisions: []\n", scenario=scenario)
        drive(scenario, plan, 0)

    @hypothesis_seed(seed)
    @_settings(n)
    @given(st.one_of(broken_yaml(), issue_19_yaml()))
    def each(data: bytes) -> None:
        judged(tally, ("broken.yaml", "reference.yaml"), lambda: work(data))

    each()
    return tally


# -- XLSX ----------------------------------------------------------------------------------------------------------
def _headers(data: bytes, signature: bytes) -> list[int]:
    out, at = [], data.find(signature)
    while at >= 0:
        out.append(at)
        at = data.find(signature, at + 1)
    return out


CENTRAL, LOCAL = _headers(XLSX, b"PK\x01\x02"), _headers(XLSX, b"PK\x03\x04")


@st.composite
def broken_xlsx(draw) -> bytes:
    kind = draw(st.sampled_from(["central", "local", "anywhere", "truncate", "edit", "zip_of_junk"]))
    if kind in ("central", "local", "anywhere"):
        blob = bytearray(XLSX)
        for _ in range(draw(st.integers(1, 3))):
            if kind == "central":
                i = draw(st.sampled_from(CENTRAL)) + draw(st.integers(0, 45))
            elif kind == "local":
                i = draw(st.sampled_from(LOCAL)) + draw(st.integers(0, 40))
            else:
                i = draw(st.integers(0, len(blob) - 1))
            blob[i] = draw(st.integers(0, 255))
        return bytes(blob)
    if kind == "truncate":
        return XLSX[: draw(st.integers(0, len(XLSX) - 1))]
    if kind == "zip_of_junk":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in draw(
                st.lists(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "_rels/.rels"]), unique=True)
            ):
                archive.writestr(name, draw(st.binary(max_size=200)))
        return buffer.getvalue()
    wb = openpyxl.load_workbook(io.BytesIO(XLSX))
    for op in draw(st.lists(OPS, min_size=1, max_size=4)):
        try:
            _apply(wb, op)
        except (ValueError, TypeError):  # openpyxl refusing the edit itself
            continue
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fuzz_xlsx(n: int, seed: int = 0) -> Tally:
    tally = Tally("xlsx", n)

    @hypothesis_seed(seed)
    @_settings(n)
    @given(broken_xlsx())
    def each(data: bytes) -> None:
        judged(tally, ("broken.xlsx",), lambda: load_xlsx("broken.xlsx", data))

    each()
    return tally


# -- valid drills, driven through -----------------------------------------------------------------------------------
def fuzz_drive(n: int, seed: int = 0) -> Tally:
    tally = Tally("drive", n)

    def work(drill: tuple[bytes, bytes, int]) -> None:
        scenario_yaml, plan_yaml, seed = drill
        drive(*validate(scenario_yaml, plan_yaml), seed)

    @hypothesis_seed(seed)
    @_settings(n)
    @given(valid_drill())
    def each(drill) -> None:
        judged(tally, ("s.yaml", "p.yaml"), lambda: work(drill))

    each()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--yaml", type=int, default=5000, help="mutated YAML scenarios (default 5000)")
    parser.add_argument("--xlsx", type=int, default=500, help="damaged or edited workbooks (default 500)")
    parser.add_argument("--drive", type=int, default=400, help="valid scenarios and plans driven through (default 400)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis's seed (default 0)")
    args = parser.parse_args(argv)
    tallies = []
    for name, run in (("yaml", fuzz_yaml), ("xlsx", fuzz_xlsx), ("drive", fuzz_drive)):
        n = getattr(args, name)
        if n > 0:
            tallies.append(run(n, args.seed))
            print(file=sys.stderr)
    print(f"python -m benchmarks.fuzz --yaml {args.yaml} --xlsx {args.xlsx} --drive {args.drive} --seed {args.seed}")
    for tally in tallies:
        print(tally.line())
    return 1 if any(t.counts["traceback"] for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
