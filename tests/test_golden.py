"""The bundled runs are pinned: any change of a log, a score or a report shows here as a diff.

An intended change is committed together with the regenerated files (``python -m tests.golden``), so the
reviewer reads what moved.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden import FILES, case_dir, cases, produce

CASES = cases()


def test_every_bundled_scenario_has_both_golden_runs():
    scenarios = {s for s, _ in CASES}
    assert len(scenarios) >= 5
    assert all((s, p) in CASES for s in scenarios for p in ("reference", "poor"))


@pytest.mark.parametrize(("scenario", "plan"), CASES, ids=[f"{s}.{p}" for s, p in CASES])
def test_golden_run_is_unchanged(scenario, plan):
    folder = case_dir(scenario, plan)
    produced = produce(scenario, plan)
    for name in FILES:
        path = folder / name
        assert path.is_file(), f"{path} is missing: run `python -m tests.golden {scenario}.{plan}`"
        want = path.read_text(encoding="utf-8")
        got = produced[name].decode("utf-8")
        if got != want:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        want.splitlines(keepends=True), got.splitlines(keepends=True), f"golden/{name}", "now", n=1
                    )
                )[:60]
            )
            pytest.fail(
                f"{scenario}.{plan}/{name} differs from the golden run. If intended, regenerate with "
                f"`python -m tests.golden {scenario}.{plan}` and commit the diff with its reason.\n{diff}"
            )
