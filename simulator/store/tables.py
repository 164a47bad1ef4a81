"""SQLAlchemy tables. A drill is its inputs (scenario, seed, team), its clock and its decisions, appended one by
one; the world is never stored, only rebuilt (``engine.drill.replay``). No pickled objects: decisions are JSON.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from simulator.store.limits import MAX_ROLE, MAX_SCENARIO_ID, MAX_TEAM, MAX_VERSION


class Base(DeclarativeBase):
    pass


class DrillRow(Base):
    __tablename__ = "drills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    passcode_hash: Mapped[str] = mapped_column(String(200))  # scrypt$n$r$p$salt$hash, never the passcode
    scenario_id: Mapped[str] = mapped_column(String(MAX_SCENARIO_ID))  # widths: the models' own (store.limits)
    scenario_version: Mapped[str] = mapped_column(String(MAX_VERSION))
    seed: Mapped[int] = mapped_column(BigInteger)  # a plan's seed is below 2**63: 64 bits on PostgreSQL
    team: Mapped[str] = mapped_column(String(MAX_TEAM), default="")
    created_at: Mapped[str] = mapped_column(String(32))
    clock: Mapped[float] = mapped_column(Float, default=0.0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    score_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the sha256 of the scenario the drill runs on (ScenarioSnapshotRow); None for a drill stored before snapshots
    scenario_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # the organisation of the account that created it (None: made before accounts, adopted by the first organisation)
    org_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class DecisionRow(Base):
    """Append-only: a decision is never updated or deleted (an edited review is a new review)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("drill_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(MAX_ROLE), default="facilitator")  # who entered it: facilitator or a dept
    payload: Mapped[str] = mapped_column(Text)


class DrillFlagRow(Base):
    """A facilitator's switch on one drill (e.g. ``big_screen_grade``): room settings, never part of the replay."""

    __tablename__ = "drill_flags"
    __table_args__ = (UniqueConstraint("drill_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)  # JSON


class DrillFactsRow(Base):
    """The drill's own facts for its report (date, venue, organiser, 导调组, 评估组, participants, objectives): one
    JSON document per drill, validated by ``simulator.report.facts.DrillFacts``. Kept beside the decisions, never in
    them, so replay is unaffected; a table of its own, so an existing SQLite file gains it through ``create_all``."""

    __tablename__ = "drill_facts"

    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)  # DrillFacts as JSON
    updated_at: Mapped[str] = mapped_column(String(32))


class SessionRow(Base):
    """A browser's sign-in, so a reload (F5) keeps the role, the drill and the seat. Only the token's sha256 is
    kept: a copy of the database does not let anyone into a drill."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    drill_id: Mapped[int | None] = mapped_column(ForeignKey("drills.id"), index=True, nullable=True)  # None: no drill
    role: Mapped[str] = mapped_column(String(32))  # facilitator or trainee
    dept: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a trainee's seat
    person: Mapped[str] = mapped_column(String(100), default="")  # the name a trainee gave on joining
    created_at: Mapped[float] = mapped_column(Float)  # wall-clock seconds (UTC epoch)
    expires_at: Mapped[float] = mapped_column(Float)
    last_seen: Mapped[float] = mapped_column(Float)
    ended: Mapped[str | None] = mapped_column(String(16), nullable=True)  # None (live), signed_out, taken_over
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the account signed in (None: a trainee)


class SeatEventRow(Base):
    """Who took, took over or left a seat, and when (wall clock): the console's roster reads it."""

    __tablename__ = "seat_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), index=True)
    dept: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # joined, taken_over, left
    session_id: Mapped[int] = mapped_column(Integer)
    person: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[float] = mapped_column(Float)


class ItemRow(Base):
    """A team's 整改 item (``simulator.loop.items.Item``), kept as its pydantic JSON; the team, the drill it came
    from and its status are columns beside it, indexed, so the 整改台账 page and a new drill find a team's open
    items without reading every document."""

    __tablename__ = "rectification_items"
    __table_args__ = (UniqueConstraint("org_id", "team", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(100), index=True)
    # the organisation of the team (a team is a name within one organisation: two offices may both have a 一队)
    org_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    item_id: Mapped[str] = mapped_column(String(64))
    drill_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # None: imported from a workbook
    status: Mapped[str] = mapped_column(String(16), index=True)
    payload: Mapped[str] = mapped_column(Text)  # Item as JSON
    updated_at: Mapped[str] = mapped_column(String(32))


class LoopRunRow(Base):
    """What the end of one drill did to its team's items: the items as they stood before it (so a re-finish after
    撤销结束推演 starts from them again, never checking twice) and the ids of the items the drill opened."""

    __tablename__ = "rectification_runs"

    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), primary_key=True)
    team: Mapped[str] = mapped_column(String(100))
    before: Mapped[str] = mapped_column(Text)  # JSON list of Item documents, as they stood before the drill
    opened: Mapped[str] = mapped_column(Text)  # JSON list of the item ids the drill opened
    at: Mapped[str] = mapped_column(String(32))


class ScenarioSnapshotRow(Base):
    """A scenario exactly as drills were run with it, stored once per content (``simulator.store.scenarios``): a
    drill replays from this copy, so a scenario file changed or removed later never changes a drill's log."""

    __tablename__ = "scenario_snapshots"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of ``content``
    scenario_id: Mapped[str] = mapped_column(String(MAX_SCENARIO_ID), index=True)
    version: Mapped[str] = mapped_column(String(MAX_VERSION))
    content: Mapped[str] = mapped_column(Text)  # the scenario as canonical JSON
    created_at: Mapped[str] = mapped_column(String(32))


class OrganisationRow(Base):
    """An organisation (a district's emergency office, a training centre): its accounts see its drills only."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))


class AccountRow(Base):
    """Someone who runs drills: 组织者 (admin), 导调员 (facilitator) or 评估员 (evaluator) of one organisation. The
    name signs in (unique across the server); the password is kept as a salted scrypt hash only."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(16))  # admin, facilitator, evaluator
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))


class AttemptRow(Base):
    """Failed sign-ins and passcode checks under one key (``account:<name>``, ``drill:<code>``, ``client:<ip>``):
    how many in a row, the last one, and until when the key is refused (``simulator.store.throttle``)."""

    __tablename__ = "sign_in_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[float] = mapped_column(Float, default=0.0)  # wall-clock seconds (UTC epoch)
    locked_until: Mapped[float] = mapped_column(Float, default=0.0)

