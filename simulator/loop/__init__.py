"""The improvement loop: a drill's problems become 整改 items of the team, checked again in its next drill.

from simulator.loop import items_from, check_open, items_workbook, read_items
"""

from simulator.loop.items import (
    CLOSED,
    STATUSES,
    VERDICTS,
    Check,
    Item,
    apply_check,
    check_item,
    check_open,
    items_from,
    subject_of,
)
from simulator.loop.workbook import items_workbook, read_items

__all__ = [
    "CLOSED",
    "STATUSES",
    "VERDICTS",
    "Check",
    "Item",
    "apply_check",
    "check_item",
    "check_open",
    "items_from",
    "items_workbook",
    "read_items",
    "subject_of",
]
