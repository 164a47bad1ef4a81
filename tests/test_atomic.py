"""Issue 19, finding 8: every file the CLI and the app write is written atomically (``simulator.files``).

A writer killed mid-write (SIGKILL, no cleanup) must leave the previous file or the new one, never a truncated one;
and no module of the library or the app writes a file by another route.
"""

from __future__ import annotations

import ast
import json
import os
import random
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

from simulator.batch.statistics import save
from simulator.engine.events import Event, EventLog
from simulator.report._util import write_bytes  # the report's writer (re-exported from simulator.files)
from simulator.scoring import write_score

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 20


def _log(tag: str, n: int = 5_000) -> EventLog:
    return EventLog(
        [Event(i + 1, float(i), "message_sent", {"msg": i, "text": f"{tag}{'通知' * 40}"}) for i in range(n)]
    )


def _score(tag: str) -> dict:
    return {"total": 1.0, "rows": [f"{tag}{'证据' * 30}{i}" for i in range(10_000)]}


def _table(tag: str) -> pd.DataFrame:
    return pd.DataFrame({"plan": [f"{tag}{'方案' * 20}"] * 10_000, "seed": range(10_000)})


def _writers() -> dict:
    """file name → (the two versions, write one, read back what is there, what a whole version reads as): the
    writers the CLI and the app call (built when the test runs, not when the suite is collected)."""
    return {
        "events.jsonl": (
            (_log("甲"), _log("乙", 4_000)),
            lambda path, log: log.write(path),
            lambda path: path.read_text(encoding="utf-8"),
            lambda log: log.to_jsonl(),
        ),
        "score.json": (
            (_score("甲"), _score("乙")),
            lambda path, score: write_score(score, path),
            lambda path: json.loads(path.read_text(encoding="utf-8")),
            lambda score: score,
        ),
        "runs.csv": (
            (_table("甲"), _table("乙")),
            lambda path, df: save(df, path),
            lambda path: path.read_bytes(),
            lambda df: df.to_csv(index=False).encode("utf-8"),
        ),
        "report.docx": (
            (b"\x01" * 3_000_000, b"\x02" * 2_000_000),
            write_bytes,
            lambda path: path.read_bytes(),
            lambda data: data,
        ),
    }


def _kill_mid_write(path: Path, versions, write, rng: random.Random) -> None:
    """Fork a child that writes the two versions in turn, forever; SIGKILL it after a short random delay."""
    write(path, versions[0])  # the file exists, whole, before the child starts
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            i = 1
            while True:
                write(path, versions[i % 2])
                i += 1
        finally:
            os._exit(0)
    time.sleep(rng.uniform(0.002, 0.05))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_a_writer_killed_mid_write_leaves_the_old_file_or_the_new_one(tmp_path):
    rng = random.Random(19)
    writers = _writers()
    names = list(writers)
    torn = []
    for trial in range(TRIALS):
        name = names[trial % len(names)]
        versions, write, read, expected = writers[name]
        path = tmp_path / f"{trial}" / name
        path.parent.mkdir()
        _kill_mid_write(path, versions, write, rng)
        try:
            found = read(path)
        except Exception as exc:  # a torn file does not even read back
            torn.append(f"{name}: {type(exc).__name__}")
            continue
        if found not in (expected(versions[0]), expected(versions[1])):
            torn.append(f"{name}: {path.stat().st_size} bytes, neither version")
    assert not torn, f"{len(torn)} of {TRIALS} kills left a truncated file: {torn}"


def test_a_failed_write_leaves_the_previous_file_and_no_temporary_file(tmp_path):
    from simulator import files

    path = files.write_text(tmp_path / "score.json", "旧")
    with pytest.raises(RuntimeError), files.atomic_path(path) as tmp:
        tmp.write_text("新的一半", encoding="utf-8")
        raise RuntimeError("killed")
    assert path.read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir()] == ["score.json"]


#: calls that write a file in place; only simulator/files.py may make them
_WRITING_ATTRS = {"write_text", "write_bytes", "to_csv", "to_parquet", "to_excel", "copyfile", "copy", "copy2"}


def _lent_paths(tree: ast.AST) -> set[str]:
    """Names bound by ``with atomic_path(...) as name``: a library may write there (it is renamed when whole)."""
    names = set()
    for node in ast.walk(tree):
        for item in getattr(node, "items", ()) if isinstance(node, ast.With) else ():
            call = item.context_expr
            fn = getattr(call, "func", None)
            called = getattr(fn, "attr", None) or getattr(fn, "id", None)
            if called == "atomic_path" and isinstance(item.optional_vars, ast.Name):
                names.add(item.optional_vars.id)
    return names


def _bypasses(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    lent = _lent_paths(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        if isinstance(fn, ast.Attribute) and fn.attr in _WRITING_ATTRS:
            owner = fn.value.id if isinstance(fn.value, ast.Name) else ""
            if owner == "files":  # simulator.files.write_text(...): the helper itself
                continue
            if fn.attr in {"to_csv", "to_excel"} and not node.args:  # to a string or buffer, not a path
                continue
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in lent:
                continue
            if fn.attr in {"copy", "copy2", "copyfile"} and owner != "shutil":
                continue
            found.append((node.lineno, f".{fn.attr}("))
        elif isinstance(fn, ast.Name) and fn.id == "open":
            mode = (
                node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            )
            text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
            if set(text) & set("wax+"):
                found.append((node.lineno, f"open(..., {text!r})"))
    return found


def test_no_module_writes_a_file_except_through_the_atomic_helper():
    sources = [*(ROOT / "simulator").rglob("*.py"), *(ROOT / "views").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    sources += [ROOT / "app.py", ROOT / "tests" / "golden" / "__main__.py"]
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in sources
        if path != ROOT / "simulator" / "files.py"
        for line, call in _bypasses(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not offenders, "files written in place, not through simulator.files:\n" + "\n".join(offenders)
