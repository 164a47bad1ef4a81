"""Sign-ins that survive a reload, and one browser a seat.

A browser that signs in (a facilitator with the passcode, a trainee with the drill code and a seat) gets a random
token, which it keeps in a cookie; the store keeps only the token's sha256, when it expires (12 hours: a drill day)
and whether it ended (signed out, or its seat taken over by another browser). On a reload the page reads the cookie
and :meth:`Sessions.resume` gives back the role, the drill and the seat.

A seat is held by one live session. A second browser joining the same seat is told who holds it and may take it
over: the old session ends as ``taken_over`` (its next refresh says so) and the take-over is logged in the seat
events, which the facilitator's roster reads.

Times here are wall-clock seconds (``time.time()``), passed in as ``now`` where a test needs to choose them; they
never touch the drill, whose time is the simulated clock.

A sign-in may belong to an account (``simulator.store.accounts``): an account signs in without a drill
(``drill_id`` None) and the same sign-in then opens drills (:meth:`Sessions.set_drill`), so one cookie keeps both.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import select, update

from simulator.store.dialects import lock_drill
from simulator.store.drills import DrillStore
from simulator.store.tables import SeatEventRow, SessionRow

#: how long a sign-in lasts without signing in again: a drill day
SESSION_SECONDS = 12 * 3600
#: last-seen is written at most this often per session (a seat refreshes every few seconds; writes are serialised)
SEEN_EVERY = 20.0
#: a seat whose holder has not been seen for this long (a closed tab) is taken over without asking (still logged)
SEAT_IDLE_SECONDS = 10 * 60
SIGNED_OUT, TAKEN_OVER = "signed_out", "taken_over"


class SeatHeld(Exception):
    """The seat is held by another live browser; join again with ``take_over=True`` to take it."""

    def __init__(self, holder: SessionInfo):
        super().__init__(f"seat {holder.dept} is held by session {holder.id}")
        self.holder = holder


@dataclass(frozen=True)
class SessionInfo:
    """A sign-in as the pages need it. ``ended`` is None for a live one, else ``signed_out`` or ``taken_over``."""

    id: int
    drill_id: int
    role: str
    dept: str | None
    person: str
    created_at: float
    last_seen: float
    ended: str | None
    account_id: int | None = None


@dataclass(frozen=True)
class SeatEvent:
    drill_id: int
    dept: str
    kind: str  # joined, taken_over, left
    person: str
    at: float


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    """The sessions and seat events of one drill store (same database, same serialised writes)."""

    def __init__(self, store: DrillStore):
        self._session = store._session
        self._read = store._read  # reads never wait for the write lock (``drills._sqlite_begin``)
        self._reads = store._reads  # one statement each, no transaction: the console's roster on every refresh

    def start(
        self,
        drill_id: int | None,
        role: str,
        dept: str | None = None,
        person: str = "",
        *,
        take_over: bool = False,
        now: float | None = None,
        account_id: int | None = None,
    ) -> str:
        """Sign a browser in; returns the token (the only time it exists in clear: it goes to the cookie).

        A trainee's seat must be free, or ``take_over`` given: then the holder's session ends as taken over and
        the take-over is logged. Raises :class:`SeatHeld` otherwise.
        """
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        with self._session.begin() as s:
            kind = "joined"
            if dept is not None:
                lock_drill(s, drill_id)  # two browsers taking one seat at once: the second waits, then sees the first
                holder = _holder(s, drill_id, dept, now)
                if holder is not None:
                    if not take_over and holder.last_seen > now - SEAT_IDLE_SECONDS:
                        raise SeatHeld(_info(holder))  # a holder gone quiet (a closed tab) is taken over unasked
                    holder.ended = TAKEN_OVER
                    kind = TAKEN_OVER
            row = SessionRow(
                token_hash=token_hash(token),
                drill_id=drill_id,
                role=role,
                dept=dept,
                person=person.strip()[:100],
                created_at=now,
                expires_at=now + SESSION_SECONDS,
                last_seen=now,
                account_id=account_id,
            )
            s.add(row)
            s.flush()
            if dept is not None:
                s.add(
                    SeatEventRow(drill_id=drill_id, dept=dept, kind=kind, session_id=row.id, person=row.person, at=now)
                )
        return token

    def resume(self, token: str | None, now: float | None = None) -> SessionInfo | None:
        """The sign-in of this token if it exists and has not expired (an ended one is returned with ``ended`` set,
        so a browser whose seat was taken over can be told); None for anything else. Marks it seen."""
        if not token:
            return None
        now = time.time() if now is None else now
        digest = token_hash(token)
        with self._read() as s:
            row = s.scalar(select(SessionRow).where(SessionRow.token_hash == digest))
            if row is None or row.expires_at <= now:
                return None
            info = _info(row)
        if info.ended is None and now - info.last_seen >= SEEN_EVERY:
            self.seen(info.id, now)
        return info

    def seen(self, session_id: int, now: float | None = None) -> None:
        """Mark a live sign-in seen now (the roster's 最近在线), for a page that read the sign-in itself
        (``simulator.store.pulse``); as ``resume`` does, at most every ``SEEN_EVERY`` seconds is the caller's rule."""
        now = time.time() if now is None else now
        with self._session.begin() as s:
            s.execute(update(SessionRow).where(SessionRow.id == session_id).values(last_seen=now))

    def end(self, token: str | None, now: float | None = None) -> None:
        """退出: the token is revoked (a copied cookie opens nothing) and a held seat is freed and logged."""
        if not token:
            return
        now = time.time() if now is None else now
        with self._session.begin() as s:
            row = s.scalar(select(SessionRow).where(SessionRow.token_hash == token_hash(token)))
            if row is None:
                return
            if row.ended is None and row.dept is not None:
                s.add(
                    SeatEventRow(
                        drill_id=row.drill_id, dept=row.dept, kind="left", session_id=row.id, person=row.person, at=now
                    )
                )
            row.ended = row.ended or SIGNED_OUT
            row.expires_at = min(row.expires_at, now)

    def set_drill(self, token: str | None, drill_id: int | None) -> None:
        """An account's sign-in opens a drill (or, with None, leaves it): a reload finds the account and the drill."""
        if token:
            with self._session.begin() as s:
                digest = token_hash(token)
                s.execute(update(SessionRow).where(SessionRow.token_hash == digest).values(drill_id=drill_id))

    def roster(self, drill_id: int, now: float | None = None) -> list[SessionInfo]:
        """Who holds which seat of a drill now (live, unexpired trainee sessions), in seat order of joining."""
        now = time.time() if now is None else now
        with self._reads() as s:
            rows = s.scalars(
                select(SessionRow)
                .where(
                    SessionRow.drill_id == drill_id,
                    SessionRow.dept.is_not(None),
                    SessionRow.ended.is_(None),
                    SessionRow.expires_at > now,
                )
                .order_by(SessionRow.id)
            )
            return [_info(r) for r in rows]

    def seat_events(self, drill_id: int) -> list[SeatEvent]:
        """Every join, take-over and leave of the drill's seats, oldest first."""
        with self._reads() as s:
            rows = s.scalars(select(SeatEventRow).where(SeatEventRow.drill_id == drill_id).order_by(SeatEventRow.id))
            return [SeatEvent(r.drill_id, r.dept, r.kind, r.person, r.at) for r in rows]


def _holder(s, drill_id: int, dept: str, now: float) -> SessionRow | None:
    """The live session holding a seat (the latest, if an older one somehow survived)."""
    return s.scalar(
        select(SessionRow)
        .where(
            SessionRow.drill_id == drill_id,
            SessionRow.dept == dept,
            SessionRow.ended.is_(None),
            SessionRow.expires_at > now,
        )
        .order_by(SessionRow.id.desc())
        .limit(1)
    )


def _info(row: SessionRow) -> SessionInfo:
    return SessionInfo(
        row.id, row.drill_id, row.role, row.dept, row.person, row.created_at, row.last_seen, row.ended, row.account_id
    )
