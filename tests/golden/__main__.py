"""Regenerate the golden runs: ``python -m tests.golden [NAME-FILTER ...]``; prints what changed."""

from __future__ import annotations

import os
import sys

from tests.golden import case_dir, cases, produce


def main(filters: list[str]) -> int:
    changed = 0
    for scenario, plan in cases():
        name = f"{scenario}.{plan}"
        if filters and not any(f in name for f in filters):
            continue
        folder = case_dir(scenario, plan)
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in produce(scenario, plan).items():
            path = folder / file
            if path.is_file() and path.read_bytes() == data:
                continue
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            changed += 1
            print(f"changed: {path.relative_to(folder.parent.parent.parent)}")
    print(f"{changed} golden file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
