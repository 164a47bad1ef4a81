"""A drill's pulse: what a page's refresh needs to know from the store, in one cheap statement.

A room's seats, console and big screen each redraw every few seconds, and almost every time nothing has changed.
So a refresh first reads the drill's **state** — its clock, whether it has ended, how many decisions it has and
the id of the last one, and the content hash of its scenario: what a rebuilt drill is a pure function of, besides
the seed — without loading a decision. With it, in the same statement, come the asking browser's sign-in (ended
or taken over elsewhere?) and the asking account's organisation (may it see this drill?), so the refresh that
finds nothing new costs one SELECT. Decisions are append-only and the clock only moves forward, so the count and
the last id change whenever the decisions do; 撤销结束推演 sets ``finished`` back and the clock back, which the state
holds too.

On SQLite the statement runs alone, outside a transaction (``drills.LONE_READS``): it takes no write lock, so a
refresh never waits for a decision being written, nor holds one up. ``load_state`` reads the drill with its
decisions in one transaction (a consistent pair of statements) and gives the state it read, for the rebuild
(``simulator.store.rebuilt``); given an earlier state, it reads only the decisions added since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select

from simulator.store.drills import _DECISION, DrillRecord, DrillStore, _record
from simulator.store.sessions import TAKEN_OVER, token_hash
from simulator.store.tables import AccountRow, DecisionRow, DrillRow, SessionRow

#: why a sign-in no longer holds (``ui.common`` words it): taken over by another browser, or ended or expired
SESSION_ENDED = "session_ended"


@dataclass(frozen=True)
class DrillState:
    """What identifies a stored drill's state: the same state rebuilds the same drill (with the drill's seed)."""

    drill_id: int
    clock: float
    finished: bool
    decisions: int
    last_decision: int | None
    scenario_hash: str | None  # the drill's own copy of its scenario; None for a drill stored before copies


@dataclass(frozen=True)
class SignIn:
    """The asking browser's sign-in as the pulse found it (``id`` None: no such token)."""

    id: int | None
    ended: str | None
    expires_at: float
    last_seen: float

    def lost(self, now: float) -> str | None:
        """None while the sign-in holds; else why not: ``taken_over`` (said once to the browser that lost its seat)
        or ``session_ended`` (signed out, expired, unknown), as ``Sessions.resume`` would tell it."""
        if self.id is None or self.expires_at <= now:
            return SESSION_ENDED
        if self.ended is None:
            return None
        return TAKEN_OVER if self.ended == TAKEN_OVER else SESSION_ENDED


@dataclass(frozen=True)
class Pulse:
    state: DrillState
    scenario_id: str
    org_id: int | None  # the drill's organisation
    sign_in: SignIn | None  # None: no token was asked about
    account_org: int | None  # the asking account's organisation; None: no such account, or none asked about


def pulse(store: DrillStore, drill_id: int, token: str | None = None, account_id: int | None = None) -> Pulse | None:
    """The drill's state, with the sign-in of ``token`` and the organisation of ``account_id`` when given, in one
    statement outside any transaction; None when there is no such drill."""
    count = select(func.count(DecisionRow.id)).where(DecisionRow.drill_id == drill_id).scalar_subquery()
    last = select(func.max(DecisionRow.id)).where(DecisionRow.drill_id == drill_id).scalar_subquery()
    columns = [DrillRow.clock, DrillRow.finished, DrillRow.scenario_hash, DrillRow.scenario_id, DrillRow.org_id]
    query = select(*columns, count.label("decisions"), last.label("last_decision")).select_from(DrillRow)
    if token is not None:
        session = (SessionRow.id, SessionRow.ended, SessionRow.expires_at, SessionRow.last_seen)
        query = query.add_columns(*(c.label(f"session_{c.key}") for c in session))
        query = query.outerjoin(SessionRow, SessionRow.token_hash == token_hash(token))
    if account_id is not None:
        query = query.add_columns(AccountRow.org_id.label("account_org"))
        query = query.outerjoin(AccountRow, AccountRow.id == account_id)
    with store._reads() as s:
        row = s.execute(query.where(DrillRow.id == drill_id)).one_or_none()
    if row is None:
        return None
    state = DrillState(drill_id, row.clock, row.finished, row.decisions, row.last_decision, row.scenario_hash)
    sign_in = None
    if token is not None:
        sign_in = SignIn(row.session_id, row.session_ended, row.session_expires_at or 0.0, row.session_last_seen or 0.0)
    account_org = row.account_org if account_id is not None else None
    return Pulse(state, row.scenario_id, row.org_id, sign_in, account_org)


def load_state(
    store: DrillStore, drill_id: int, since: tuple[DrillRecord, DrillState] | None = None
) -> tuple[DrillRecord, DrillState] | None:
    """The drill with its decisions (as ``DrillStore.load``) and the state they are, read in one transaction.

    ``since``, an earlier state of the same drill as read here: only the decisions after it are read and
    validated, the earlier ones taken from its record (decisions are append-only, numbered 1, 2, … by ``seq``),
    so a change to a long drill costs what changed, not the whole drill again. One snapshot (a deferred BEGIN on
    SQLite: no write lock), so the decisions and the clock read agree."""
    with store._read() as s:
        row = s.get(DrillRow, drill_id)
        if row is None:
            return None
        query = select(DecisionRow).where(DecisionRow.drill_id == drill_id).order_by(DecisionRow.seq)
        earlier, roles, last = [], [], None
        if since is not None:
            record, state = since
            earlier, roles, last = list(record.decisions), list(record.roles), state.last_decision
            query = query.where(DecisionRow.seq > state.decisions)
        rows = list(s.scalars(query))
        decisions = earlier + [_DECISION.validate_python(json.loads(r.payload)) for r in rows]
        roles += [r.role for r in rows]
        last = max((r.id for r in rows), default=last)
        state = DrillState(drill_id, row.clock, row.finished, len(decisions), last, row.scenario_hash)
        return _record(row, decisions, roles), state
