"""The installed Qt binding keeps references right (PySide6 6.12.0 on Python 3.11 does not, and
the app then aborts with "deallocating None" after a few thousand Qt calls)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from dedup_gui.qt.binding_check import binding_problem


def test_binding_keeps_references_to_none_and_true(qtbot: QtBot) -> None:
    assert binding_problem() is None
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    results = [label.setText("x") for _ in range(1000)]
    assert sys.getrefcount(None) - before >= len(results) - 10  # (a few others may let go)
