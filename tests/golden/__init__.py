"""Golden runs: every bundled scenario × {reference, poor} at one seed, as the CLI writes them.

Each case keeps three files under ``tests/golden/<scenario>.<plan>/``: ``events.jsonl`` (the log), ``score.json``
and ``report.md``. ``tests/test_golden.py`` reruns every case and diffs them; an intended change of a log, a
score or a report is made by regenerating them and committing the diff with the change that caused it:

    python -m tests.golden            # rewrite every case
    python -m tests.golden hazchem    # only the cases whose name contains "hazchem"
    python -m tests.golden --only score.json   # only that file of each case
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
GOLDEN = Path(__file__).resolve().parent
SEED = 3
PLANS = ("reference", "poor")
FILES = ("events.jsonl", "score.json", "report.md")


def cases() -> list[tuple[str, str]]:
    """(scenario id, plan name) for every bundled scenario that ships both plans, in a stable order."""
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.name.count(".") != 1:  # plans are <id>.<plan>.yaml
            continue
        scenario = path.stem
        out += [(scenario, plan) for plan in PLANS if (SCENARIOS / f"{scenario}.{plan}.yaml").is_file()]
    return out


def case_dir(scenario: str, plan: str) -> Path:
    return GOLDEN / f"{scenario}.{plan}"


def produce(scenario: str, plan: str) -> dict[str, bytes]:
    """Run the case exactly as a user would (``python -m simulator run … --format md``); return its files."""
    from simulator.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            "run",
            str(SCENARIOS / f"{scenario}.yaml"),
            "--plan",
            str(SCENARIOS / f"{scenario}.{plan}.yaml"),
            "--seed",
            str(SEED),
            "--out",
            tmp,
            "--format",
            "md",
        ]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(argv)
        if code != 0:
            raise RuntimeError(f"{scenario}.{plan}: run exited {code}: {err.getvalue()}")
        return {name: (Path(tmp) / name).read_bytes() for name in FILES}
