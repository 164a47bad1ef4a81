"""Throttling of failed sign-ins and passcode checks, so a password or a drill's passcode cannot be guessed fast.

Every failure is counted under each of its keys — the account name (``account:<name>``), the drill code
(``drill:<code>``) and the client (``client:<address>``) — in the store (``AttemptRow``), so every server process
and a restart see the same counts. The first few failures in a row cost nothing (typing mistakes); after them each
next try under that key is refused for an exponentially growing back-off (1 s, 2 s, 4 s … capped); after
``LOCK_AFTER`` failures the key is locked for ``LOCK_SECONDS``, and each further failure locks it again. A success
clears its keys; failures older than ``FORGET_SECONDS`` are forgotten. What a refused person reads says how long to
wait, in words (「尝试次数过多，请于3分钟后再试。」). Every failure and every refusal is logged.

With these figures a brute force of one drill's passcode gets 10 guesses in its first ~70 s and then one every
15 minutes (about 100 a day), whichever clients it comes from: a 6-character passcode does not fall.

Locking a key also locks its owner out for a while (someone can keep an account locked by failing on purpose):
the price every lockout pays; an administrator's reset of the password does not lift it, waiting does.
Times are wall-clock seconds from ``clock`` (``time.time`` unless a test gives its own: no sleeping in tests).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable

from sqlalchemy import delete, select

from simulator.store.tables import AttemptRow
from simulator.vocabulary import Label

log = logging.getLogger(__name__)

#: failures in a row that cost nothing (typing mistakes)
FREE_FAILURES = 3
#: the first back-off after the free failures, doubled with each further failure up to ``CAP_SECONDS``
BASE_SECONDS = 1.0
CAP_SECONDS = 60.0
#: failures in a row after which a key is locked, and for how long (each further failure locks it again)
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60.0
#: a key's failures are forgotten when its last one is older than this
FORGET_SECONDS = 24 * 3600.0
_KEY_CHARS = 200  # AttemptRow.key's length


def account_key(name: str) -> str:
    return f"account:{name.strip().lower()}"[:_KEY_CHARS]


def drill_key(code: str) -> str:
    return f"drill:{(code or '').strip().upper()}"[:_KEY_CHARS]


def client_key(client: str) -> str:
    return f"client:{client}"[:_KEY_CHARS]


def back_off(failures: int) -> float:
    """Seconds a key is refused after its ``failures``-th failure in a row."""
    if failures >= LOCK_AFTER:
        return LOCK_SECONDS
    if failures <= FREE_FAILURES:
        return 0.0
    return min(CAP_SECONDS, BASE_SECONDS * 2 ** (failures - FREE_FAILURES - 1))


def wait_words(seconds: float) -> Label:
    """A wait as a person reads it: whole seconds under a minute, else whole minutes (rounded up)."""
    if seconds < 60:
        n = max(1, math.ceil(seconds))
        return Label(f"{n}秒", f"{n} second{'s' if n > 1 else ''}")
    n = math.ceil(seconds / 60)
    return Label(f"{n}分钟", f"{n} minute{'s' if n > 1 else ''}")


def refusal(seconds: float) -> Label:
    """What someone refused by the throttle reads: how long to wait."""
    words = wait_words(seconds)
    return Label(f"尝试次数过多，请于{words.zh}后再试。", f"Too many attempts; try again in {words.en}.")


def _now() -> float:
    """Wall-clock seconds: the throttle's clock unless one is given (a test replaces this to move time on)."""
    return time.time()


class Throttle:
    """The failure counts of one store's database; ``clock`` gives wall-clock seconds (a test passes its own)."""

    def __init__(self, store, clock: Callable[[], float] | None = None):
        self._session = store._session
        self._read = store._read  # reads never wait for the write lock (``drills._sqlite_begin``)
        self._clock = clock

    def clock(self) -> float:
        return self._clock() if self._clock is not None else _now()

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until every one of ``keys`` may be tried again (0: now)."""
        keys = list(dict.fromkeys(keys))
        now = self.clock()
        with self._read() as s:
            rows = s.scalars(select(AttemptRow).where(AttemptRow.key.in_(keys))).all()
        return max([0.0, *(r.locked_until - now for r in rows)])

    def refused(self, keys: Iterable[str], what: str) -> Label | None:
        """The refusal to show if any of ``keys`` must wait (logged, with ``what`` was tried), else None."""
        keys = list(keys)
        seconds = self.wait(keys)
        if seconds <= 0:
            return None
        log.info("refused (throttled %.0f s more): %s %s", seconds, what, " ".join(keys))
        return refusal(seconds)

    def failed(self, keys: Iterable[str], what: str) -> None:
        """Count a failure under each key and set its back-off; logged."""
        now = self.clock()
        counts = {}
        with self._session.begin() as s:
            for key in dict.fromkeys(keys):
                row = s.get(AttemptRow, key)
                if row is None:
                    row = AttemptRow(key=key, failures=0, last_failure=now, locked_until=0.0)
                    s.add(row)
                if now - row.last_failure > FORGET_SECONDS:
                    row.failures = 0
                row.failures += 1
                row.last_failure = now
                row.locked_until = now + back_off(row.failures)
                counts[key] = row.failures
        worst = max(counts.values(), default=0)
        log.log(
            logging.WARNING if worst >= LOCK_AFTER else logging.INFO,
            "failed %s: %s; next try in %.0f s",
            what,
            ", ".join(f"{key} {n} in a row" for key, n in counts.items()),
            back_off(worst),
        )

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password or passcode clears its keys' failures."""
        with self._session.begin() as s:
            s.execute(delete(AttemptRow).where(AttemptRow.key.in_(list(keys))))

    def attempt(self, keys: Iterable[str], verify: Callable[[], object], what: str) -> tuple[object, Label | None]:
        """Try ``verify`` unless a key must wait: ``(result, None)`` when tried (a falsy result counts as a
        failure), ``(None, refusal)`` when refused (``verify`` is not even run: a locked guess learns nothing)."""
        keys = list(keys)
        refused = self.refused(keys, what)
        if refused is not None:
            return None, refused
        result = verify()
        if result:
            self.succeeded(keys)
        else:
            self.failed(keys, what)
        return result, None
