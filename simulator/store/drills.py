"""The drill store: create a drill with a passcode, append decisions (each committed before it is acknowledged,
and timed by the drill's clock as it stands in the database), move the clock, finish with a score, list the
history of a team, and export or import a drill as one file.

SQLite by default (WAL, so readers in other browsers go on while one writes; every write transaction is
``BEGIN IMMEDIATE``, so two browsers deciding at the same moment are serialised, never lost). Any SQLAlchemy URL
in ``DRILL_DB_URL`` (e.g. PostgreSQL) works the same way: there a drill's writes queue on its row
(``SELECT … FOR UPDATE``) and a write that collides with another is tried again (``store.dialects``).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from simulator.formats.plan import MAX_DECISIONS, REVIEW_ROOM, Decision, Plan
from simulator.formats.scenario import Scenario
from simulator.store import scenarios as snapshots
from simulator.store.dialects import lock_drill, retrying, schema_lock, upgrade_columns
from simulator.store.limits import check_drill, check_role
from simulator.store.passcodes import DUMMY_HASH, check_passcode, hash_passcode
from simulator.store.tables import Base, DecisionRow, DrillFlagRow, DrillRow
from simulator.store.upgrade import upgrade

DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "drills.db"
_DECISION = TypeAdapter(Decision)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud in the room
FACILITATOR = "facilitator"
#: how long after 结束推演 the facilitator may still undo it (a mis-click in a busy room)
UNDO_SECONDS = 30.0
#: an execution option: the connection's statements run alone, outside a transaction (``DrillStore._reads``); on
#: SQLite no ``BEGIN IMMEDIATE``, so a page's refresh never queues behind a write (see ``_sqlite_begin``)
LONE_READS = "drill_lone_reads"
#: an execution option: the connection only reads, in one transaction (``DrillStore._read``); on SQLite a deferred
#: ``BEGIN``, one snapshot that takes no write lock
READS_ONLY = "drill_reads_only"


class TooManyDecisions(Exception):
    """A decision past the drill's cap (``plan.MAX_DECISIONS``, less ``REVIEW_ROOM`` for anything but a review):
    refused and not stored, so a drill stays replayable, exportable as a plan, and its report bounded.
    ``reason`` is bilingual, like the engine's refusals (``vocabulary.reason_text``)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.reason = (
            f"本次推演已录入 {limit} 条决策，达到上限，不能再录入；请结束推演 "
            f"(the drill has reached its limit of {limit} decisions)"
        )
        super().__init__(self.reason)


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
    roles: list[str] = field(default_factory=list)  # who entered each decision
    scenario_hash: str | None = None  # the drill's own copy of its scenario (store.scenarios); None: from before
    org_id: int | None = None  # the organisation it belongs to (``simulator.store.accounts``)

    def as_plan(self) -> Plan:
        """The drill as one file: scenario id and version, seed, clock, and every decision (review included)."""
        return Plan(
            scenario=self.scenario_id,
            scenario_version=self.scenario_version,
            scenario_hash=self.scenario_hash,
            team=self.team,
            name=f"推演 {self.code}",
            seed=self.seed,
            clock=self.clock,
            finished=self.finished,
            decisions=list(self.decisions),
        )


class DrillStore:
    def __init__(self, url: str | None = None):
        url = url or default_url()
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        with schema_lock(self.engine):  # several servers starting at once on one PostgreSQL database: one at a time
            Base.metadata.create_all(self.engine)
            upgrade(self.engine, Base.metadata)  # a database from an older version gains the columns added since
            upgrade_columns(self.engine)  # and, on PostgreSQL, its narrower columns are widened
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        #: for reads only: on SQLite a plain (deferred) BEGIN, so a page's reads never queue behind the write lock
        self._read = sessionmaker(self.engine.execution_options(**{READS_ONLY: True}), expire_on_commit=False)
        #: for reads of one statement each (a refresh's): each is atomic by itself, and takes no write lock
        self._reads = sessionmaker(self.engine.execution_options(**{LONE_READS: True}), expire_on_commit=False)

    # -- drills ---------------------------------------------------------------------------------------------
    def create(
        self,
        scenario_id: str,
        scenario_version: str,
        seed: int,
        team: str,
        passcode: str,
        org_id: int | None = None,
        *,
        scenario: Scenario | None = None,
    ) -> DrillRecord:
        """A new drill with a fresh code, of the organisation ``org_id`` (the creating account's; None only for a
        store without accounts, as in library tests: such drills are adopted by the first organisation made). With
        ``scenario`` (its id and version are the drill's), the drill keeps that content as its own copy
        (``simulator.store.scenarios``), so a scenario changed later in the library never changes it.
        ``limits.DoesNotFit`` (before the database is touched) for a field longer or a seed larger than the store
        keeps."""
        if scenario is not None and (scenario.id, scenario.version) != (scenario_id, scenario_version):
            raise ValueError(f"scenario {scenario.id} {scenario.version} is not {scenario_id} {scenario_version}")
        check_drill(scenario_id, scenario_version, seed, team)
        digest = hash_passcode(passcode)

        def work() -> DrillRecord:
            with self._session.begin() as s:
                return _record(_new_drill(s, digest, scenario_id, scenario_version, seed, team, org_id, scenario))

        return retrying(work)  # two new drills may draw the same code at once: the unique index says so, draw again

    def open_as_facilitator(self, code: str, passcode: str, org_id: int | None = None) -> DrillRecord | None:
        """The drill if the code exists (in the organisation ``org_id``, when given) and the passcode is right;
        None otherwise, with no hint which failed. Throttled by ``simulator.store.accounts.Accounts.open_drill``."""
        with self._read() as s:
            row = s.scalar(select(DrillRow).where(DrillRow.code == _clean(code)))
            if row is not None and org_id is not None and row.org_id != org_id:
                row = None  # another organisation's drill: as if it did not exist
            stored = row.passcode_hash if row is not None else DUMMY_HASH
            ok = check_passcode(passcode, stored)  # computed either way: the answer takes as long
        return self.load(row.id) if row is not None and ok else None

    def by_code(self, code: str) -> DrillRecord | None:
        """For trainees joining with the drill's code (they see only their own department's view)."""
        with self._read() as s:
            row = s.scalar(select(DrillRow).where(DrillRow.code == _clean(code)))
        return self.load(row.id) if row else None

    def load(self, drill_id: int) -> DrillRecord | None:
        with self._read() as s:
            row = s.get(DrillRow, drill_id)
            if row is None:
                return None
            rows = list(
                s.scalars(select(DecisionRow).where(DecisionRow.drill_id == drill_id).order_by(DecisionRow.seq))
            )
            return _record(
                row, [_DECISION.validate_python(json.loads(r.payload)) for r in rows], [r.role for r in rows]
            )

    def history(
        self, team: str | None = None, scenario_id: str | None = None, org_id: int | None = None
    ) -> list[DrillRecord]:
        """Drills newest first, without their decisions (of the organisation ``org_id`` only, when given)."""
        query = select(DrillRow).order_by(DrillRow.id.desc())
        if org_id is not None:
            query = query.where(DrillRow.org_id == org_id)
        if team is not None:
            query = query.where(DrillRow.team == team)
        if scenario_id is not None:
            query = query.where(DrillRow.scenario_id == scenario_id)
        with self._read() as s:
            return [_record(row) for row in s.scalars(query)]

    def previous_score(self, drill_id: int) -> dict[str, Any] | None:
        """The score of the same team's latest finished drill of the same scenario before this one (for 提升).

        A drill without a team name has no history: 提升 compares a team with itself, never with strangers (nor
        with another organisation's team of the same name).
        """
        with self._read() as s:
            row = s.get(DrillRow, drill_id)
            if row is None or not row.team:
                return None
            past = s.scalar(
                select(DrillRow.score_json)
                .where(
                    DrillRow.team == row.team,
                    DrillRow.org_id.is_not_distinct_from(row.org_id),  # None: a store without accounts
                    DrillRow.scenario_id == row.scenario_id,
                    DrillRow.id < row.id,
                    DrillRow.finished.is_(True),
                    DrillRow.score_json.is_not(None),
                )
                .order_by(DrillRow.id.desc())
                .limit(1)
            )
        return json.loads(past) if past else None

    # -- what happens in a drill ----------------------------------------------------------------------------
    def append_decision(self, drill_id: int, decision: Any, role: str = FACILITATOR) -> Any:
        """Store one decision, timed at the drill's clock as it stands now; committed before this returns.

        The time comes from the database inside the same transaction as the insert, so a decision entered in
        one browser while another moves the clock is never placed before the move.

        Once the drill has ended only a review is stored (None is returned for anything else): a drill takes the
        decisions of its last minute until 结束推演, so one stored after it would be taken by every rebuild.
        Past the cap (``plan.MAX_DECISIONS``) ``TooManyDecisions`` is raised and nothing is stored.
        """
        check_role(role)

        def work() -> Any:
            with self._session.begin() as s:
                row = lock_drill(s, drill_id)  # the clock and the next seq are read under the drill's write lock
                if row.finished and getattr(decision, "action", None) != "review":
                    return None
                timed = decision.model_copy(update={"at": row.clock})
                seq = (s.scalar(select(func.max(DecisionRow.seq)).where(DecisionRow.drill_id == drill_id)) or 0) + 1
                limit = MAX_DECISIONS - (0 if getattr(decision, "action", None) == "review" else REVIEW_ROOM)
                if seq > limit:  # the cap: refused, nothing stored (the transaction is rolled back)
                    raise TooManyDecisions(limit)
                payload = json.dumps(timed.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
                s.add(DecisionRow(drill_id=drill_id, seq=seq, role=role, payload=payload))
            return timed

        return retrying(work)

    def set_clock(self, drill_id: int, minute: float) -> float:
        """Move the clock forward (never back); returns where it stands."""

        def work() -> float:
            with self._session.begin() as s:
                row = lock_drill(s, drill_id)  # no decision is timed between this read and the commit
                if not row.finished:
                    row.clock = max(row.clock, float(minute))
                return row.clock

        return retrying(work)

    def finish(self, drill_id: int, score: dict[str, Any] | None, end: float, now: float | None = None) -> None:
        """End the drill (the world runs to ``end`` for the score); where the clock stood is kept for a short undo."""

        def work() -> float:
            with self._session.begin() as s:
                row = lock_drill(s, drill_id)  # a decision being timed now is stored before the end, or not at all
                before = row.clock
                row.finished = True
                row.clock = end
                row.score_json = json.dumps(score, ensure_ascii=False) if score is not None else None
            return before

        before = retrying(work)
        self.set_flag(drill_id, "finished_from", {"clock": before, "at": time.time() if now is None else now})

    def undo_left(self, drill_id: int, now: float | None = None) -> float:
        """Seconds left to undo the end of a drill (0 when it is not finished or the undo window has passed)."""
        mark = self.get_flag(drill_id, "finished_from")
        record = self.load_row(drill_id)
        if not mark or record is None or not record.finished:
            return 0.0
        return max(0.0, UNDO_SECONDS - ((time.time() if now is None else now) - mark["at"]))

    def reopen(self, drill_id: int, now: float | None = None) -> bool:
        """撤销结束推演: within ``UNDO_SECONDS`` of the end the drill is running again where its clock stood, with
        no score (the decisions were never touched). False, and nothing changed, once the window has passed."""
        if self.undo_left(drill_id, now) <= 0:
            return False
        mark = self.get_flag(drill_id, "finished_from")
        with self._session.begin() as s:
            row = lock_drill(s, drill_id)
            row.finished = False
            row.clock = float(mark["clock"])
            row.score_json = None
        self.set_flag(drill_id, "finished_from", None)
        return True

    def load_row(self, drill_id: int) -> DrillRecord | None:
        """The drill without its decisions (cheap: for a clock or a finished flag)."""
        with self._read() as s:
            row = s.get(DrillRow, drill_id)
            return _record(row) if row is not None else None

    # -- the room's switches ------------------------------------------------------------------------------------
    def set_flag(self, drill_id: int, name: str, value: Any) -> None:
        """Set a facilitator's switch on a drill (any JSON value). Flags are room settings such as whether the big
        screen shows the live grade: they never enter the drill's decisions, so replay is unaffected."""
        text = json.dumps(value, ensure_ascii=False)

        def work() -> None:
            with self._session.begin() as s:
                query = select(DrillFlagRow).where(DrillFlagRow.drill_id == drill_id, DrillFlagRow.name == name)
                row = s.scalar(query)
                if row is None:  # two first writes at once: the unique constraint refuses one, which tries again
                    s.add(DrillFlagRow(drill_id=drill_id, name=name, value=text))
                else:
                    row.value = text

        retrying(work)

    def get_flag(self, drill_id: int, name: str, default: Any = None) -> Any:
        """A switch as last set on this drill (read by every browser), or ``default`` if it was never set."""
        with self._reads() as s:
            text = s.scalar(
                select(DrillFlagRow.value).where(DrillFlagRow.drill_id == drill_id, DrillFlagRow.name == name)
            )
        return json.loads(text) if text is not None else default

    def import_plan(
        self,
        plan: Plan,
        scenario_version: str,
        passcode: str,
        org_id: int | None = None,
        *,
        scenario: Scenario | None = None,
    ) -> DrillRecord:
        """A drill file from elsewhere becomes a drill here, where it stood (same seed, decisions and clock), in one
        transaction: no reader ever sees it half imported, and a failed import leaves nothing behind. With
        ``scenario`` (``simulator.store.scenarios.for_import`` chooses it), on that copy of its scenario."""
        version = scenario.version if scenario is not None else plan.scenario_version or scenario_version
        inputs = (plan.scenario or "", version, plan.seed or 0, plan.team)
        check_drill(*inputs)
        digest = hash_passcode(passcode)

        def work() -> int:
            with self._session.begin() as s:
                row = _new_drill(s, digest, *inputs, org_id, scenario)
                row.clock = max([plan.clock or 0.0, *(d.at for d in plan.decisions)])
                row.finished = plan.finished
                for seq, decision in enumerate(plan.decisions, start=1):
                    payload = json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
                    s.add(DecisionRow(drill_id=row.id, seq=seq, role=FACILITATOR, payload=payload))
                return row.id

        return self.load(retrying(work))


def _new_drill(
    s: Session,
    digest: str,
    scenario_id: str,
    version: str,
    seed: int,
    team: str,
    org_id: int | None = None,
    scenario: Scenario | None = None,
) -> DrillRow:
    """Insert a drill's row (with a fresh code, and its scenario's copy when given) in the caller's transaction;
    flushed, so it has its id."""
    row = DrillRow(
        code=_new_code(s),
        passcode_hash=digest,
        scenario_id=scenario_id,
        scenario_version=version,
        seed=seed,
        team=team,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        scenario_hash=snapshots.record(s, scenario) if scenario is not None else None,
        org_id=org_id,
    )
    s.add(row)
    s.flush()
    return row


def _new_code(s: Session) -> str:
    while True:
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if s.scalar(select(DrillRow.id).where(DrillRow.code == code)) is None:
            return code


def _clean(code: str) -> str:
    return (code or "").strip().upper()


def _record(row: DrillRow, decisions: list[Any] | None = None, roles: list[str] | None = None) -> DrillRecord:
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
        decisions or [],
        roles or [],
        scenario_hash=row.scenario_hash,
        org_id=row.org_id,
    )


def _sqlite_connect(dbapi_connection, _record) -> None:
    """WAL lets readers (other browsers) go on while a decision is written; wait, don't fail, on a busy file.
    pysqlite's own transaction handling is turned off so that ``_sqlite_begin`` decides how to begin."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """A write takes the write lock at the start: a read-then-write (the clock, then the decision) cannot
    interleave. A read of several statements (``DrillStore._read``) begins deferred: under WAL it reads the last
    commit as one snapshot and never waits for a writer, so a room of seats refreshing does not queue behind one
    decision being written. A connection of lone reads (``LONE_READS``, ``DrillStore._reads``) begins nothing:
    each of its SELECTs reads one snapshot by itself."""
    options = connection.get_execution_options()
    if options.get(LONE_READS):
        return
    connection.exec_driver_sql("BEGIN" if options.get(READS_ONLY) else "BEGIN IMMEDIATE")
