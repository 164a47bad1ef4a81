"""The shape of the code, as the README describes it: small modules named for what they hold, a library that
never reaches up into the UI or the CLI, and a README layout that matches the tree."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

LIBRARY = ROOT / "simulator"
MAX_LINES = 600


def _modules():
    return sorted(p for p in LIBRARY.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_library_module_is_over_six_hundred_lines():
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long


def test_the_library_never_imports_the_ui_or_its_own_command_line():
    for path in _modules():
        for name in _imports(path):
            assert name.split(".")[0] not in {"streamlit", "plotly", "ui", "views"}, (path, name)
            if path.name != "__main__.py":
                assert name != "simulator.cli", f"{path} imports the CLI (an import cycle)"


def test_the_readme_layout_names_every_package_and_module_of_the_library():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## 结构", 1)[1].split("\n## ", 1)[0]
    for path in _modules():
        rel = path.relative_to(LIBRARY)
        if rel.name == "__main__.py" or (rel == rel.with_name("__init__.py") and len(rel.parts) == 1):
            continue
        name = rel.parent.name if rel.name == "__init__.py" else rel.stem
        assert re.search(rf"\b{re.escape(name)}\b", layout), f"README layout does not mention {rel}"
