"""QApplication start-up: settings, the main window, and nothing heavy before it shows.

Only PySide6 and the app's own light modules load here; numpy, Pillow, SQLite helpers and the
engine's pipeline load on first use (the first scan, the first thumbnail).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from dedup_gui import __version__
from dedup_gui.settings import Settings, load_settings


def create_main_window(settings: Settings | None = None) -> QMainWindow:
    from dedup_gui.qt.window.main_window import MainWindow

    settings = settings or load_settings()
    window = MainWindow(settings)
    for warning in settings.warnings:
        window.show_message(warning)
    return window


# How long a thread may hold the GIL while another waits (Python's default: 5 ms). The UI thread
# shares it with thumbnail decoders and the engine relay; when four of them want it at once, a
# 5 ms turn each is what made the window late while a big result was being shown.
GIL_SWITCH_INTERVAL_S = 0.001


def create_app(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("dedup-gui")
    app.setApplicationDisplayName("dedup-gui")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("dedup-gui")
    from dedup_gui.qt.resources import icon

    app.setWindowIcon(icon("app"))
    return app


def bring_to_front(window: QWidget) -> None:
    """A second launch asked for this window: restored when minimised, raised, focused (a
    window manager that refuses focus to a background process still marks it urgent)."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)


def run_app(folders: Sequence[str] = ()) -> int:
    """The app; `folders` (from the command line) are added to the folders to scan."""
    app = create_app()
    from dedup_gui.qt import single_instance

    unguarded = ""
    try:
        instance = single_instance.claim()
    except single_instance.LockUnavailable as error:  # nobody holds it: run, and say so
        instance, unguarded = None, single_instance.unguarded_text(str(error))
    if instance is None and not unguarded:  # another dedup-gui runs on the same data
        return single_instance.second_launch(
            lambda text: QMessageBox.information(None, "dedup-gui", text), folders=folders)
    if instance is not None:
        app.aboutToQuit.connect(instance.release)
    from dedup_gui.qt.binding_check import binding_problem

    problem = binding_problem()
    if problem:
        print(f"dedup-gui: {problem}", file=sys.stderr)
    window = create_main_window()
    if instance is not None:
        instance.activated.connect(lambda: bring_to_front(window))
        instance.opened.connect(lambda given: open_folders(window, given, "another launch"))
    if problem or unguarded:
        window.show_message(" ".join(filter(None, (problem, unguarded))))
    if unguarded:
        print(f"dedup-gui: {unguarded}", file=sys.stderr)
    window.show()
    window.reopen_last_results()
    open_folders(window, folders)
    return app.exec()


def open_folders(window: Any, folders: Sequence[str], source: str = "the command line") -> None:
    """Add `folders` to the folders to scan and say so (Scan is then one key away); `source`:
    where they came from."""
    if added := window.folders.add_paths(folders):
        window.show_message(f"Added {len(added)} folder{'s' * (len(added) != 1)} from "
                            f"{source}: press Scan (Ctrl+R) to look for duplicates.")
