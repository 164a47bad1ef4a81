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


# -- the store on SQLite and on PostgreSQL (issue 19) ------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL database URL for the store's tests, or a skip that says why there is none."""
    import importlib.util
    import os
    import shutil
    import tempfile

    from tests import pg

    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("PostgreSQL: the psycopg driver is not installed (pip install 'psycopg[binary]')")
    if os.environ.get(pg.ENV):
        yield os.environ[pg.ENV]
        return
    directory = Path(tempfile.mkdtemp(prefix="drill-pg-"))
    url, why = pg.start(directory)
    if url is None:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.skip(f"PostgreSQL: {pg.ENV} is unset and no local server could be started: {why}")
    yield url
    pg.stop(directory)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The URL of an empty drill store: a SQLite file, or a schema of its own in the PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'drills.db'}"
    from tests import pg

    server = request.getfixturevalue("pg_server")
    name, url = pg.fresh_schema(server)
    request.addfinalizer(lambda: pg.drop_schema(server, name))
    return url
