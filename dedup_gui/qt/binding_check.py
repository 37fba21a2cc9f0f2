"""Detects a Qt binding that drops references to None and True (PySide6 6.12.0 on Python 3.11:
every void call and every Signal.emit() costs one reference, and the interpreter aborts with
"deallocating None" after a few thousand). Python 3.12+ makes them immortal, so it never shows
there. The app warns at start; tests/qt/test_binding.py fails on such an install."""

from __future__ import annotations

import sys

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, Signal

ADVICE = ("PySide6 {version} on Python {python} has a reference-counting bug that crashes "
          "the app; install pyside6-essentials<6.12 (or use Python 3.12 or newer).")


class _Probe(QObject):
    fired = Signal()


def binding_problem() -> str | None:
    """A sentence to show when the installed binding drops references, else None."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    held = [(probe.setObjectName("probe"), probe.fired.emit()) for _ in range(16)]
    none_lost = sys.getrefcount(None) - none_before < len(held)
    true_lost = held[0][1] is True and sys.getrefcount(True) - true_before < len(held)
    if none_lost or true_lost:
        _KEEP.append(held)  # dropping them would release references never taken
        python = ".".join(map(str, sys.version_info[:3]))
        return ADVICE.format(version=PYSIDE_VERSION, python=python)
    return None


_KEEP: list = []
