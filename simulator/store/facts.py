"""The drill's own facts (date, venue, organiser, 导调组, 评估组, participants, objectives), stored with the drill.

Why here and not in the decisions: the facts are about the drill as an event in the office's calendar, not about the
response; they are edited after the drill (often the next morning, when the report is drafted) and must never change
a replay. One JSON document per drill in the ``drill_facts`` table, validated by ``DrillFacts`` on the way in and on
the way out, so what the report reads is always a well-formed, size-bounded model.

Only the facilitator writes them: the report page is the facilitator's, and ``save_facts`` refuses any other role,
as a second line behind the page's navigation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from simulator.report.facts import DrillFacts
from simulator.store.drills import FACILITATOR, DrillStore
from simulator.store.tables import DrillFactsRow, DrillRow

#: the stored document's ceiling (DrillFacts bounds every field; this bounds what reaches the database regardless)
MAX_FACTS_BYTES = 64 * 1024


def save_facts(store: DrillStore, drill_id: int, facts: DrillFacts, role: str = FACILITATOR) -> DrillFacts:
    """Store (or replace) the facts of a drill; returns them as stored. Refuses a role other than the facilitator
    (PermissionError), an unknown drill (LookupError) and a document over ``MAX_FACTS_BYTES`` (ValueError)."""
    if role != FACILITATOR:
        raise PermissionError("only the facilitator records a drill's facts")
    checked = DrillFacts.model_validate(facts.model_dump())  # a model built with model_construct is checked too
    payload = checked.model_dump_json()
    if len(payload.encode("utf-8")) > MAX_FACTS_BYTES:
        raise ValueError(f"drill facts over {MAX_FACTS_BYTES} bytes")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with Session(store.engine, expire_on_commit=False) as s, s.begin():
        if s.get(DrillRow, drill_id) is None:
            raise LookupError(f"no drill {drill_id}")
        row = s.get(DrillFactsRow, drill_id)
        if row is None:
            s.add(DrillFactsRow(drill_id=drill_id, payload=payload, updated_at=stamp))
        else:
            row.payload, row.updated_at = payload, stamp
    return checked


def drill_facts(store: DrillStore, drill_id: int) -> DrillFacts | None:
    """The facts stored with a drill, or None when none were recorded (or the stored document no longer fits the
    model: the form then asks again rather than the report failing)."""
    with Session(store.engine) as s:
        row = s.get(DrillFactsRow, drill_id)
        payload = row.payload if row is not None else None
    if payload is None:
        return None
    try:
        return DrillFacts.model_validate_json(payload)
    except ValidationError:
        return None


__all__ = ["MAX_FACTS_BYTES", "drill_facts", "save_facts"]
