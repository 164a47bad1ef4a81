"""The drill store: create a drill, append decisions (each committed before it is acknowledged), move the
clock, finish with a score, and list the history of a team."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from simulator.formats.plan import Decision
from simulator.store.tables import Base, DecisionRow, DrillRow

DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "drills.db"
_DECISION = TypeAdapter(Decision)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud in the room


def default_url() -> str:
    """``DRILL_DB_URL`` if set (any SQLAlchemy URL, e.g. PostgreSQL), else a SQLite file under ``data/``."""
    return os.environ.get("DRILL_DB_URL") or f"sqlite:///{DEFAULT_DB}"


@dataclass
class DrillRecord:
    id: int
    code: str
    scenario_id: str
    scenario_version: str
    seed: int
    team: str
    created_at: str
    clock: float
    finished: bool
    score: dict[str, Any] | None
    decisions: list[Any] = field(default_factory=list)


class DrillStore:
    def __init__(self, url: str | None = None):
        url = url or default_url()
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def create(self, scenario_id: str, scenario_version: str, seed: int, team: str) -> DrillRecord:
        with self._session.begin() as s:
            row = DrillRow(
                code=self._new_code(s),
                scenario_id=scenario_id,
                scenario_version=scenario_version,
                seed=seed,
                team=team,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            s.add(row)
            s.flush()
            return _record(row, [])

    def append_decision(self, drill_id: int, decision: Any) -> int:
        """Store one decision; returns its sequence number. Committed before this returns."""
        payload = json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        with self._session.begin() as s:
            seq = (s.scalar(select(func.max(DecisionRow.seq)).where(DecisionRow.drill_id == drill_id)) or 0) + 1
            s.add(DecisionRow(drill_id=drill_id, seq=seq, payload=payload))
        return seq

    def set_clock(self, drill_id: int, minute: float) -> None:
        with self._session.begin() as s:
            row = s.get(DrillRow, drill_id)
            row.clock = max(row.clock, float(minute))

    def finish(self, drill_id: int, score: dict[str, Any] | None, end: float) -> None:
        with self._session.begin() as s:
            row = s.get(DrillRow, drill_id)
            row.finished = True
            row.clock = end
            row.score_json = json.dumps(score, ensure_ascii=False) if score is not None else None

    def load(self, drill_id: int) -> DrillRecord | None:
        with self._session() as s:
            row = s.get(DrillRow, drill_id)
            if row is None:
                return None
            rows = s.scalars(select(DecisionRow).where(DecisionRow.drill_id == drill_id).order_by(DecisionRow.seq))
            return _record(row, [_DECISION.validate_python(json.loads(r.payload)) for r in rows])

    def by_code(self, code: str) -> DrillRecord | None:
        with self._session() as s:
            row = s.scalar(select(DrillRow).where(DrillRow.code == code.strip().upper()))
        return self.load(row.id) if row else None

    def history(self, team: str | None = None, scenario_id: str | None = None) -> list[DrillRecord]:
        """Drills newest first, without their decisions."""
        query = select(DrillRow).order_by(DrillRow.id.desc())
        if team is not None:
            query = query.where(DrillRow.team == team)
        if scenario_id is not None:
            query = query.where(DrillRow.scenario_id == scenario_id)
        with self._session() as s:
            return [_record(row, []) for row in s.scalars(query)]

    def _new_code(self, s: Session) -> str:
        while True:
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
            if s.scalar(select(DrillRow.id).where(DrillRow.code == code)) is None:
                return code


def _record(row: DrillRow, decisions: list[Any]) -> DrillRecord:
    return DrillRecord(
        row.id,
        row.code,
        row.scenario_id,
        row.scenario_version,
        row.seed,
        row.team,
        row.created_at,
        row.clock,
        row.finished,
        json.loads(row.score_json) if row.score_json else None,
        decisions,
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers (other browsers) go on while a decision is written; a busy wait instead of errors."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
