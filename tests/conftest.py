"""Shared fixtures: the bundled scenario and its plans, loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator import load_plan, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: a page that crashes still fails its AppTest: ui/errors.py raises again after its one-line message
os.environ.setdefault("DRILL_RAISE_PAGE_ERRORS", "1")


@pytest.fixture(scope="session")
def hazchem():
    return load_scenario(SCENARIOS / "hazchem_leak.yaml")


@pytest.fixture(scope="session")
def reference_plan():
    return load_plan(SCENARIOS / "hazchem_leak.reference.yaml")


@pytest.fixture(scope="session")
def poor_plan():
    return load_plan(SCENARIOS / "hazchem_leak.poor.yaml")
