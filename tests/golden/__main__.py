"""Regenerate the golden runs: ``python -m tests.golden [NAME-FILTER ...] [--only FILE ...]``; prints what changed.

``--only score.json`` rewrites just that file of each case (for a change that should move nothing else).
"""

from __future__ import annotations

import argparse
import sys

from simulator.files import write_bytes
from tests.golden import FILES, case_dir, cases, produce


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden")
    parser.add_argument("filters", nargs="*", help="only the cases whose name contains one of these")
    parser.add_argument("--only", nargs="+", choices=FILES, default=list(FILES), help="only these files")
    args = parser.parse_args(argv)
    changed = 0
    for scenario, plan in cases():
        name = f"{scenario}.{plan}"
        if args.filters and not any(f in name for f in args.filters):
            continue
        folder = case_dir(scenario, plan)
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in produce(scenario, plan).items():
            path = folder / file
            if file not in args.only or (path.is_file() and path.read_bytes() == data):
                continue
            write_bytes(path, data)
            changed += 1
            print(f"changed: tests/golden/{name}/{file}")
    print(f"{changed} golden file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
