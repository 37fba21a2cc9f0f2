"""The engine never imports Qt: checked statically and by importing every module in a fresh
interpreter (an indirect import through another package counts too)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "dedup_gui" / "engine"
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "dedup_gui.qt")


def test_no_module_in_engine_imports_qt_directly() -> None:
    offenders = []
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(QT_PACKAGES)]
    assert offenders == []


def test_importing_the_whole_engine_and_cli_loads_no_qt() -> None:
    modules = [f"dedup_gui.engine.{p.stem}" for p in ENGINE.glob("*.py") if p.stem != "__init__"]
    modules += ["dedup_gui.cli", "dedup_gui.cli_scan"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"bad = [m for m in sys.modules if m.startswith({QT_PACKAGES!r})]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
