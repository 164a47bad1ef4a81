"""Facilitator passcodes (and account passwords, ``simulator.store.accounts``): stored as a salted scrypt hash,
compared in constant time, never kept in clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from simulator.vocabulary import Label

N, R, P = 2**14, 8, 1  # scrypt cost: ~50 ms and 16 MiB per check, enough for a passcode typed in a room
#: the shortest passcode a facilitator may set: it guards a drill's clock and decisions, and its checks are throttled
#: (``simulator.store.throttle``); 6 characters of a 4-digit-PIN room habit would still be 10⁶ guesses at a few a minute
MIN_PASSCODE = 6


def check_new(passcode: str, again: str | None = None) -> Label | None:
    """What is wrong with a passcode a facilitator is setting, in both languages, or None if it will do.

    ``again`` is the second entry of a create form (None where the form asks once, as on import). The rule lives
    here, beside the hashing, so every door to a new drill applies the same one.
    """
    if len(passcode) < MIN_PASSCODE:
        return Label(f"口令至少 {MIN_PASSCODE} 位。", f"The passcode needs at least {MIN_PASSCODE} characters.")
    if again is not None and passcode != again:
        return Label("两次输入的口令不一致。", "The two passcodes differ.")
    return None


def hash_passcode(passcode: str) -> str:
    problem = check_new(passcode)
    if problem is not None:
        raise ValueError(f"{problem.zh} ({problem.en})")
    return hash_secret(passcode)


def hash_secret(secret: str) -> str:
    """A salted scrypt hash of any secret (a passcode or a password), as ``check_passcode`` reads it back."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_passcode(passcode: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        actual = hashlib.scrypt(
            passcode.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


#: checked against when a drill code does not exist, so a wrong code costs the same time as a wrong passcode
DUMMY_HASH = hash_passcode("not-a-real-passcode")
