"""Facilitator passcodes: stored as a salted scrypt hash, compared in constant time, never kept in clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1  # scrypt cost: ~50 ms and 16 MiB per check, enough for a passcode typed in a room
MIN_LENGTH = 4


def hash_passcode(passcode: str) -> str:
    if len(passcode) < MIN_LENGTH:
        raise ValueError(f"口令至少 {MIN_LENGTH} 位 (passcode too short)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
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
