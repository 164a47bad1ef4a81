"""An existing database brought up to the tables' current shape: nullable columns added since it was made, and the
one column since relaxed (``sessions.drill_id``, NOT NULL before accounts, when every sign-in was to a drill).

``create_all`` makes missing tables but never touches a table that exists, so a ``drills.db`` made by an earlier
version would fail on the first query that names a new column (``no such column: drills.scenario_hash``). Columns
the model added later are nullable (an old row simply has none), so adding them with ``ALTER TABLE … ADD COLUMN`` is
all an upgrade needs; anything else (a changed type, a new non-null column) is not attempted here and is left to a
real migration tool. Nothing is lost: a drills.db from before keeps its drills, decisions and sign-ins.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, MetaData, inspect

log = logging.getLogger(__name__)


def upgrade(engine: Engine, metadata: MetaData) -> list[str]:
    """Add every nullable column of ``metadata``'s tables that an existing table lacks, and relax
    ``sessions.drill_id``; returns ``table.column`` for each column added or relaxed (empty on a current database:
    one inspection, no write)."""
    changed: list[str] = []
    with engine.begin() as conn:
        inspector = inspect(conn)  # on this connection: another would wait for the write lock this one holds
        quote = engine.dialect.identifier_preparer.quote
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in have or not column.nullable or column.primary_key:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}")
                changed.append(f"{table.name}.{column.name}")
                log.info("database upgraded: column %s.%s added", table.name, column.name)
        if "sessions" in metadata.tables and inspector.has_table("sessions"):
            sessions = {c["name"]: c for c in inspector.get_columns("sessions")}
            if not sessions["drill_id"]["nullable"]:
                _relax_session_drill(conn, engine, metadata, inspector)
                changed.append("sessions.drill_id")
    return changed


def _relax_session_drill(conn, engine: Engine, metadata: MetaData, inspector) -> None:
    """A sign-in may now be an account's without a drill. SQLite cannot alter a column, so that table is copied
    into a new one (the old one has every column by now: they were added above)."""
    if engine.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE sessions ALTER COLUMN drill_id DROP NOT NULL")
        return
    for index in inspector.get_indexes("sessions"):
        conn.exec_driver_sql(f"DROP INDEX {index['name']}")
    conn.exec_driver_sql("ALTER TABLE sessions RENAME TO sessions_before_accounts")
    table = metadata.tables["sessions"]
    table.create(conn)
    names = ", ".join(c.name for c in table.columns)
    conn.exec_driver_sql(f"INSERT INTO sessions ({names}) SELECT {names} FROM sessions_before_accounts")
    conn.exec_driver_sql("DROP TABLE sessions_before_accounts")
    log.info("database upgraded: sessions.drill_id may be empty (a sign-in of an account without a drill)")
