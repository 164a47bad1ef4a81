"""A drill keeps the scenario it was run with: scenario snapshots, stored once per content.

A drill is a pure function of (scenario, seed, decisions), and the store keeps only the decisions and the seed; the
scenario came from the library by id. A user scenario saved again under the same id and version (场景编写's 覆盖)
then changed the drill under everyone's feet: its log, its score, a seat whose department had gone. So the content
of the scenario a drill runs on is stored with it:

- ``ScenarioSnapshotRow``: the scenario as canonical JSON (``canonical``: pydantic's dump, keys sorted) and its
  sha256, one row per content however many drills use it; ``DrillRow.scenario_hash`` names it. The JSON is the
  content, not the file: comments and layout of the YAML do not make another scenario, and the copy reloads as
  exactly the scenario that was run (the same log, byte for byte).
- ``DrillStore.create(..., scenario=)`` and ``import_plan(..., scenario=)`` record it in the same transaction as the
  drill (``record``). A drill stored before snapshots has none (``scenario_hash`` is NULL) and opens from the
  library as it always did.
- ``entry_of(store, record)`` is the one way a page turns a stored drill into its scenario: the library's entry when
  its content is the drill's (the usual case: nothing changes, the library's caches serve), else the library's entry
  with the drill's copy (``library.pinned``), loaded once per hash and cached here.
- A scenario is immutable under its drills: ``refusal`` says why saving other content under an id and version some
  drill was run with is refused (raise the version); saving the same content again is fine.
- An exported drill carries its scenario's hash (``Plan.scenario_hash``). ``for_import`` takes the drill's own
  scenario when this store already holds that content, else the local library's when it is the same content, and
  refuses otherwise (the file does not carry the scenario: bring the same version of the scenario first).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from simulator import library
from simulator.formats.plan import Plan
from simulator.formats.scenario import Scenario
from simulator.store.tables import DrillRow, ScenarioSnapshotRow

if TYPE_CHECKING:  # drills.py imports this module to record a snapshot with the drill
    from simulator.store.drills import DrillRecord, DrillStore

log = logging.getLogger(__name__)
#: scenarios loaded from their snapshots, by database and hash (what one store holds, never another's)
_LOADED: OrderedDict[tuple[str, str], Scenario] = OrderedDict()
_LOADED_MAX = 32
#: the hash of a scenario object, by its identity (the library's scenarios are cached objects): the object is kept
#: beside its hash, so an id is never reused while it is in here
_HASHED: OrderedDict[int, tuple[Scenario, str]] = OrderedDict()
_HASHED_MAX = 128


def canonical(scenario: Scenario) -> str:
    """The scenario's content as one canonical JSON text: every field (defaults included), keys sorted."""
    data = scenario.model_dump(mode="json", by_alias=True)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(scenario: Scenario) -> str:
    """The sha256 (hex) of ``canonical(scenario)``; remembered per object, so asking on every rerun costs nothing."""
    known = _HASHED.get(id(scenario))
    if known is not None and known[0] is scenario:
        return known[1]
    digest = hashlib.sha256(canonical(scenario).encode("utf-8")).hexdigest()
    _HASHED[id(scenario)] = (scenario, digest)
    while len(_HASHED) > _HASHED_MAX:
        _HASHED.popitem(last=False)
    return digest


def record(session: Session, scenario: Scenario) -> str:
    """Store the scenario's snapshot in ``session``'s transaction unless that content is stored already; its hash."""
    digest = content_hash(scenario)
    if session.get(ScenarioSnapshotRow, digest) is None:
        row = ScenarioSnapshotRow(
            hash=digest,
            scenario_id=scenario.id,
            version=scenario.version,
            content=canonical(scenario),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        try:
            with session.begin_nested():  # two servers storing the same content at once: the row is the same
                session.add(row)
        except IntegrityError:
            pass
    return digest


def stored(store: DrillStore, digest: str) -> Scenario | None:
    """The scenario stored under ``digest`` (loaded once, then cached); None if there is none, or its content no
    longer hashes to ``digest`` or no longer loads (said in the server log)."""
    key = (str(store.engine.url), digest)
    found = _LOADED.get(key)
    if found is not None:
        _LOADED.move_to_end(key)
        return found
    with Session(store.engine) as s:
        content = s.scalar(select(ScenarioSnapshotRow.content).where(ScenarioSnapshotRow.hash == digest))
    if content is None:
        return None
    if hashlib.sha256(content.encode("utf-8")).hexdigest() != digest:
        log.error("scenario snapshot %s does not match its hash: not used", digest)
        return None
    try:
        found = Scenario.model_validate_json(content)
    except ValidationError as exc:
        log.error("scenario snapshot %s no longer loads: %s", digest, exc)
        return None
    _LOADED[key] = found
    _HASHED[id(found)] = (found, digest)
    while len(_LOADED) > _LOADED_MAX:
        _LOADED.popitem(last=False)
    return found


def entry_of(store: DrillStore, drill: DrillRecord) -> library.Entry | None:
    """The scenario a stored drill runs on, as a library entry: its own copy when it has one (the library's entry
    itself when the content is the same), else (a drill stored before snapshots) the library's; None when neither
    exists."""
    entry = library.find(drill.scenario_id)
    digest = getattr(drill, "scenario_hash", None)
    if digest is None:
        return entry
    if entry is not None and content_hash(entry.scenario) == digest:
        return entry
    scenario = stored(store, digest)
    if scenario is None:
        return entry
    return library.pinned(entry, scenario, digest)


def hashes_in_use(store: DrillStore, scenario_id: str, version: str) -> set[str]:
    """The contents (hashes) that drills of ``scenario_id`` at ``version`` were run with."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(DrillRow.scenario_hash).where(
                DrillRow.scenario_id == scenario_id,
                DrillRow.scenario_version == version,
                DrillRow.scenario_hash.is_not(None),
            )
        )
        return set(rows)


def adopt(store: DrillStore, scenario: Scenario) -> int:
    """Give the drills of ``scenario``'s id and version stored before snapshots (no copy) this content as their
    copy: they were run with the library's scenario, which is about to be replaced. How many drills."""
    with Session(store.engine) as s, s.begin():
        rows = list(
            s.scalars(
                select(DrillRow).where(
                    DrillRow.scenario_id == scenario.id,
                    DrillRow.scenario_version == scenario.version,
                    DrillRow.scenario_hash.is_(None),
                )
            )
        )
        if rows:
            digest = record(s, scenario)
            for row in rows:
                row.scenario_hash = digest
        return len(rows)


def refusal(store: DrillStore, scenario: Scenario, before: Scenario | None = None) -> str | None:
    """Why ``scenario`` may not be saved under its id and version (None when it may): drills were run with other
    content under them. ``before`` is the library's scenario the save replaces: drills stored before snapshots
    were run with it, so they keep it (``adopt``) before the check."""
    if before is not None and before.id == scenario.id and before.version == scenario.version:
        adopt(store, before)
    used = hashes_in_use(store, scenario.id, scenario.version)
    if not used or used == {content_hash(scenario)}:
        return None
    return (
        f"已有推演使用场景 {scenario.id!r} 的版本 {scenario.version!r}，其内容不能再修改；"
        f"请提高场景的版本号（version）后保存 (drills were run with this id and version: raise the version)"
    )


def for_import(store: DrillStore, plan: Plan, entry: library.Entry | None) -> tuple[Scenario | None, str | None]:
    """The scenario an imported drill file runs on, or why it cannot be imported (a message in Chinese, the English
    in brackets). ``entry`` is the local library's scenario of the file's ``scenario``.

    A file with the scenario's hash runs on that very content: this store's copy if it has one (a drill exported
    from here), else the local library's scenario if its content is the same; a different local scenario under the
    same id and version is refused, never used. A file without a hash (exported before snapshots) runs on the local
    scenario, as before, if the version it names is the local one."""
    digest = plan.scenario_hash
    if digest is not None:
        if entry is not None and content_hash(entry.scenario) == digest:
            return entry.scenario, None
        copy = stored(store, digest)
        if copy is not None and copy.id == plan.scenario:
            return copy, None
        if entry is None:
            return None, None  # the caller says the file needs a scenario of the library
        return None, (
            f"推演文件所用的场景 {plan.scenario!r}（版本 {plan.scenario_version or entry.scenario.version}）"
            f"与本地场景库中的同名场景内容不同，不能导入：请先在场景编写中导入该场景的同一版本，"
            f"或请对方提高场景版本号后重新导出 (the local scenario of this id and version has other content)"
        )
    if entry is None:
        return None, None
    if plan.scenario_version is not None and plan.scenario_version != entry.scenario.version:
        return None, (
            f"推演文件使用场景 {plan.scenario!r} 的版本 {plan.scenario_version}，本地场景库中为版本 "
            f"{entry.scenario.version}，不能导入 (the file names another version of the scenario)"
        )
    return entry.scenario, None
