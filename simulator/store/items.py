"""A team's 整改 items in the store, and what the end of a drill does to them (the improvement loop).

Each item is its pydantic document (``simulator.loop.items.Item``) in ``rectification_items``, with the team, the
drill it came from and its status as indexed columns. Items belong to a team: a drill without a team name opens
none and checks none (a team is compared with itself, never with strangers).

When a drill ends (``close_drill``), in one transaction: the team's open items from earlier drills are checked
against it (``check_open``: fixed → 已整改待检验 with this drill as proof, recurred → 复发, not applicable → as they
were), then the drill's own ranked problems become new items (``items_from``), except a problem that is an item
just found 复发 come back (same kind and subject: the item carries it, with this drill's evidence). What the drill
did is kept in ``rectification_runs`` (the items as they stood before it, the ids it opened), so a second end after
撤销结束推演 first puts them back and then runs again: once per drill, whatever the clicks. ``close_drill``
runs before the drill is marked finished: a server killed between the two leaves a drill that is not finished, and
ending it again runs the loop again from the same starting point.

Only the facilitator writes items (``PermissionError`` for any other role, a second line behind the navigation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from simulator.errors import FileFormatError, Problem
from simulator.formats.loader import MAX_FILE_BYTES
from simulator.loop.items import CLOSED, STATUSES, Check, Item, check_open, items_from
from simulator.loop.workbook import read_items
from simulator.store.drills import FACILITATOR, DrillStore
from simulator.store.tables import DrillRow, ItemRow, LoopRunRow

#: the widths of ItemRow's team and item_id columns
MAX_TEAM, MAX_ID = 100, 64


@dataclass
class LoopResult:
    """What the end of a drill did: the earlier items checked (with their checks) and the items it opened."""

    checked: list[tuple[Item, Check]] = field(default_factory=list)
    opened: list[Item] = field(default_factory=list)


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _item(row: ItemRow) -> Item:
    return Item.model_validate_json(row.payload)


def _row(s: Session, team: str, item_id: str, org_id: int | None) -> ItemRow | None:
    """One stored item by its organisation (None: a store without accounts), team and id."""
    return s.scalar(
        select(ItemRow).where(
            ItemRow.team == team, ItemRow.item_id == item_id, ItemRow.org_id.is_not_distinct_from(org_id)
        )
    )


def _write(s: Session, item: Item, org_id: int | None = None) -> None:
    """Insert or replace one item (by organisation, team and id), in the caller's transaction."""
    checked = Item.model_validate(item.model_dump())  # a model built with model_construct is checked too
    if len(checked.team) > MAX_TEAM or len(checked.id) > MAX_ID:  # the columns' widths (PostgreSQL enforces them)
        raise ValueError(f"队伍名称超过{MAX_TEAM}字或编号超过{MAX_ID}字：{checked.id[:MAX_ID]}")
    row = _row(s, checked.team, checked.id, org_id)
    if row is None:
        row = ItemRow(team=checked.team, item_id=checked.id, org_id=org_id)
        s.add(row)
    row.drill_id, row.status = checked.drill_id, checked.status
    row.payload, row.updated_at = checked.model_dump_json(), _stamp()


def teams(store: DrillStore, org_id: int | None = None) -> list[str]:
    """Every team of the organisation ``org_id`` with an item or a drill, in name order (nameless drills left out)."""
    items = select(ItemRow.team).where(ItemRow.org_id.is_not_distinct_from(org_id)).distinct()
    drills = select(DrillRow.team).where(DrillRow.org_id.is_not_distinct_from(org_id)).distinct()
    with Session(store.engine) as s:
        names = set(s.scalars(items)) | set(s.scalars(drills))
    return sorted(n for n in names if n)


def team_items(
    store: DrillStore, team: str | None = None, statuses: list[str] | None = None, org_id: int | None = None
) -> list[Item]:
    """A team's items (every team's without ``team``) in the organisation ``org_id``, optionally of some statuses,
    in the order they were opened."""
    query = select(ItemRow).where(ItemRow.org_id.is_not_distinct_from(org_id)).order_by(ItemRow.id)
    if team is not None:
        query = query.where(ItemRow.team == team)
    if statuses:
        query = query.where(ItemRow.status.in_(statuses))
    with Session(store.engine) as s:
        return [_item(row) for row in s.scalars(query)]


def get_item(store: DrillStore, team: str, item_id: str, org_id: int | None = None) -> Item | None:
    with Session(store.engine) as s:
        row = _row(s, team, item_id, org_id)
        return _item(row) if row is not None else None


def save_items(store: DrillStore, items: list[Item], role: str = FACILITATOR, org_id: int | None = None) -> list[Item]:
    """Store (insert or replace, by team and id) the items of the organisation ``org_id``, all or none; the
    facilitator only."""
    if role != FACILITATOR:
        raise PermissionError("only the facilitator edits 整改 items")
    with Session(store.engine, expire_on_commit=False) as s, s.begin():
        for item in items:
            _write(s, item, org_id)
    return items


def import_workbook(
    store: DrillStore, data: bytes, name: str, role: str = FACILITATOR, org_id: int | None = None
) -> list[Item]:
    """A 问题整改台账 workbook read back (``read_items``) and stored, replacing items of the same team and id.
    The size is checked before anything is read; a bad workbook raises ``FileFormatError`` (file, sheet, row,
    column) and stores nothing."""
    if role != FACILITATOR:
        raise PermissionError("only the facilitator imports 整改 items")
    if len(data) > MAX_FILE_BYTES:
        too_large = f"文件过大（{len(data):,} 字节），上限 {MAX_FILE_BYTES:,} 字节"
        raise FileFormatError([Problem(name, None, "", too_large)])
    items = read_items(data, name)
    try:
        return save_items(store, items, role, org_id)
    except ValueError as exc:
        raise FileFormatError([Problem(name, None, "", str(exc))]) from None


def _drill(s: Session, drill_id: int) -> DrillRow:
    row = s.get(DrillRow, drill_id)
    if row is None:
        raise LookupError(f"no drill {drill_id}")
    return row


def _team_of(s: Session, drill_id: int) -> str:
    return _drill(s, drill_id).team


def _open_before(s: Session, team: str, drill_id: int) -> list[Item]:
    """The team's open items from drills before this one (and those imported from a workbook), in the drill's
    organisation: another office's team of the same name is a stranger."""
    org_id = _drill(s, drill_id).org_id
    rows = s.scalars(
        select(ItemRow)
        .where(ItemRow.team == team, ItemRow.org_id.is_not_distinct_from(org_id), ItemRow.status.not_in(CLOSED))
        .order_by(ItemRow.id)
    ).all()
    return [_item(r) for r in rows if r.drill_id is None or r.drill_id < drill_id]


def items_before(store: DrillStore, drill_id: int) -> list[Item]:
    """The team's open items as they stood before this drill (what its 提升 scores): as recorded when the drill
    ended, or, for a drill not ended yet, the open items of the team now. None for a drill without a team."""
    with Session(store.engine) as s:
        run = s.get(LoopRunRow, drill_id)
        if run is not None:
            return [Item.model_validate(d) for d in json.loads(run.before)]
        team = _team_of(s, drill_id)
        return _open_before(s, team, drill_id) if team else []


def _undo(s: Session, drill_id: int) -> None:
    """Put the team's items back as they stood before the drill ended, and remove the items it opened."""
    run = s.get(LoopRunRow, drill_id)
    if run is None:
        return
    org_id = _drill(s, drill_id).org_id
    for item_id in json.loads(run.opened):
        row = _row(s, run.team, item_id, org_id)
        if row is not None:
            s.delete(row)
    for document in json.loads(run.before):
        _write(s, Item.model_validate(document), org_id)
    s.delete(run)
    s.flush()


def undo_drill(store: DrillStore, drill_id: int) -> None:
    """撤销结束推演: what the end of the drill did to the items is undone (nothing when it did nothing)."""
    with Session(store.engine) as s, s.begin():
        _undo(s, drill_id)


#: what a problem is about, by kind (an item's ``subject``): a later problem within an earlier item's is that item
_SUBJECT_KEYS = ("depts", "measures", "injects")


def _same_problem(new: Item, old: Item) -> bool:
    """The drill's problem is an earlier item come back (same kind, nothing about it the item did not name): the
    item, marked 复发 with this drill's evidence, carries it; the ledger lists it once."""
    return new.kind == old.kind and all(
        set(new.subject.get(k) or ()) <= set(old.subject.get(k) or ()) for k in _SUBJECT_KEYS
    )


def close_drill(store: DrillStore, drill_id: int, experiment: Any, today: date) -> LoopResult:
    """The end of a drill for its team's items (see the module's note): checks, then new items, all or none.

    ``experiment`` is the drill scored with its team's open items (``evaluate(..., items=items_before(...))``)."""
    with Session(store.engine, expire_on_commit=False) as s, s.begin():
        team = _team_of(s, drill_id)
        if not team:
            return LoopResult()
        _undo(s, drill_id)
        before = _open_before(s, team, drill_id)
        checked = check_open(before, experiment.scenario, experiment.score, drill_id=drill_id, today=today)
        org_id = _drill(s, drill_id).org_id
        for item, _check in checked:
            _write(s, item, org_id)
        recurred = [item for item, check in checked if check.verdict == "recurred"]
        opened = [
            item
            for item in items_from(experiment, team=team, drill_id=drill_id, today=today)
            if not any(_same_problem(item, old) for old in recurred)
        ]
        for item in opened:
            _write(s, item, org_id)
        s.add(
            LoopRunRow(
                drill_id=drill_id,
                team=team,
                before=json.dumps([i.model_dump(mode="json") for i in before], ensure_ascii=False),
                opened=json.dumps([i.id for i in opened], ensure_ascii=False),
                at=_stamp(),
            )
        )
    return LoopResult(checked=checked, opened=opened)


__all__ = [
    "CLOSED",
    "STATUSES",
    "LoopResult",
    "close_drill",
    "get_item",
    "import_workbook",
    "items_before",
    "save_items",
    "team_items",
    "teams",
    "undo_drill",
]
