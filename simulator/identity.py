"""Values worked out once per live object: found by the object's identity, dropped when the object goes.

Scenarios, hazard parameters and decisions are pydantic models that are never changed once loaded (a changed one
is a copy), so what is derived from one (a scenario's topology, a hazard's places, a decision's detail for the
log) holds for as long as the object lives and can be shared by every drill that uses it: the thousand drills of
a batch, the replays of a live drill. ``weakref.WeakKeyDictionary`` would hash the object, and these models are
not hashable (they hold dicts), hence the identity.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerObject(Generic[T]):
    """One value per live object (and per ``along``, an object the value also depends on, compared by identity)."""

    def __init__(self) -> None:
        self._values: dict[int, tuple[weakref.ref, Any, T]] = {}

    def get(self, obj: Any, make: Callable[[], T], along: Any = None) -> T:
        """``make()`` the first time ``obj`` (with ``along``) is asked for, then the same value while ``obj`` lives.
        An object that cannot be referred to weakly (a plain dict) gets a new value each time."""
        key = id(obj)
        found = self._values.get(key)
        if found is not None and found[0]() is obj and found[1] is along:
            return found[2]
        value = make()
        try:
            ref = weakref.ref(obj, lambda _ref, key=key: self._values.pop(key, None))
        except TypeError:
            return value
        self._values[key] = (ref, along, value)
        return value
