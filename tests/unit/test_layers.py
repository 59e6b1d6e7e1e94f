"""The code keeps its shape: layers that import one way only (domain <- check <- pages <- web <-
components), Streamlit only in components/ and app.py, and the app never reaching into the
tools around it (tests/, bench/, scripts/, deploy/)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = [ROOT / "app.py", *sorted((ROOT / "trialguide").rglob("*.py")), *sorted((ROOT / "components").rglob("*.py"))]
TOOLS = ("tests", "bench", "scripts", "deploy")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_import_contracts_hold():
    """pyproject.toml's contracts, checked by import-linter (lint-imports)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_streamlit_is_imported_only_by_components_and_app():
    outside = [str(p.relative_to(ROOT)) for p in APP
               if p.is_relative_to(ROOT / "trialguide") and any(n.split(".")[0] == "streamlit" for n in imported(p))]
    assert outside == []


def test_the_app_never_imports_the_tools_around_it():
    found = [f"{p.relative_to(ROOT)}: {n}" for p in APP for n in imported(p) if n.split(".")[0] in TOOLS]
    assert found == []


def test_the_tools_never_import_the_tests():
    tools = [p for folder in ("bench", "scripts", "deploy") for p in sorted((ROOT / folder).rglob("*.py"))]
    found = [f"{p.relative_to(ROOT)}: {n}" for p in tools for n in imported(p) if n.split(".")[0] == "tests"]
    assert found == []


def test_no_module_puts_itself_on_the_import_path():
    """pyproject.toml's pythonpath and the editable install do it once, for everything."""
    files = [*APP, *(p for folder in TOOLS for p in sorted((ROOT / folder).rglob("*.py")))]
    found = [str(p.relative_to(ROOT)) for p in files if "sys.path.insert" in p.read_text(encoding="utf-8")
             and p.name != "test_layers.py"]
    assert found == []
