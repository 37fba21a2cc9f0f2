"""The layout holds: only qt imports Qt (checked statically and by importing every module of the
engine, the tasks and the CLI in a fresh interpreter), import-linter's contracts in pyproject.toml
are kept, and every package folder on disk is listed for setuptools."""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import dedup_gui

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dedup_gui"
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "dedup_gui.qt")
QT_FREE = ("dedup_gui.engine", "dedup_gui.tasks", "dedup_gui.cli")


def qt_free_modules() -> list[str]:
    """Every module of the engine (all its subpackages), the tasks layer and the CLI."""
    return sorted(m.name for m in pkgutil.walk_packages(dedup_gui.__path__, "dedup_gui.")
                  if m.name.startswith(QT_FREE))


def test_the_walk_finds_every_subpackage() -> None:
    found = set(qt_free_modules())
    for name in ("dedup_gui.engine.signals.read", "dedup_gui.engine.insights.library",
                 "dedup_gui.engine.export.html", "dedup_gui.tasks.process",
                 "dedup_gui.cli.options"):
        assert name in found


def test_no_qt_free_module_imports_qt_directly() -> None:
    offenders = []
    for folder in ("engine", "tasks", "cli"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                              if n.startswith(QT_PACKAGES)]
    assert offenders == []


def test_importing_the_engine_tasks_and_cli_loads_no_qt() -> None:
    code = ("import importlib, sys\n"
            f"for m in {qt_free_modules()!r}: importlib.import_module(m)\n"
            f"bad = [m for m in sys.modules if m.startswith({QT_PACKAGES!r})]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_contracts_are_kept() -> None:
    """lint-imports (import-linter) checks the layers in pyproject.toml, counting imports made
    inside functions too."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_setuptools_lists_every_package_folder() -> None:
    """An editable install finds an unlisted package anyway; a wheel would leave it out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    on_disk = {".".join(init.parent.relative_to(ROOT).parts)
               for init in PACKAGE.rglob("__init__.py")}
    assert on_disk <= listed, sorted(on_disk - listed)
    assert listed - on_disk == {"dedup_gui.resources"}  # mapped from resources/


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    """grimp (import-linter's graph) sees every import: module level, in functions, and under
    TYPE_CHECKING. A cycle means two modules each need the other: one of them is in the wrong
    room."""
    import grimp

    graph = grimp.build_graph("dedup_gui")
    cycles = [(a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
              if a != b and graph.chain_exists(importer=b, imported=a)]
    assert cycles == []
