"""An existing database brought up to the tables' current shape: nullable columns added since it was made.

``create_all`` makes missing tables but never touches a table that exists, so a ``drills.db`` made by an earlier
version would fail on the first query that names a new column (``no such column: drills.scenario_hash``). Columns
the model added later are nullable (an old row simply has none), so adding them with ``ALTER TABLE … ADD COLUMN`` is
all an upgrade needs; anything else (a changed type, a new non-null column) is not attempted here and is left to a
real migration tool.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, MetaData, inspect, text

log = logging.getLogger(__name__)


def add_missing_columns(engine: Engine, metadata: MetaData) -> list[str]:
    """Add every nullable column of ``metadata``'s tables that an existing table lacks; returns ``table.column``
    for each one added (empty on a current database: one inspection, no write)."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    added: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in have or not column.nullable or column.primary_key:
                continue
            kind = column.type.compile(dialect=engine.dialect)
            quote = engine.dialect.identifier_preparer.quote
            with engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"))
            added.append(f"{table.name}.{column.name}")
            log.info("database upgraded: column %s.%s added", table.name, column.name)
    return added
