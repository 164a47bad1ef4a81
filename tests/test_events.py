"""The event log (engine/events.py): unique ids, times, known kinds, JSONL round trip."""

from __future__ import annotations

from simulator import EventLog, run_plan


def test_every_event_has_a_unique_id_time_and_known_kind(hazchem, reference_plan, tmp_path):
    log = run_plan(hazchem, reference_plan, seed=2).log
    assert [e.id for e in log] == list(range(1, len(log) + 1))
    assert all(a.t <= b.t for a, b in zip(log, list(log)[1:], strict=False))
    log.write(tmp_path / "events.jsonl")
    again = EventLog.read(tmp_path / "events.jsonl")
    assert again.to_jsonl() == log.to_jsonl()
