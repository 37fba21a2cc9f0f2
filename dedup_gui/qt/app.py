"""QApplication start-up. A plain main window until the GUI issue builds the real one."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from dedup_gui import __version__


def create_main_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("dedup-gui")
    label = QLabel(f"dedup-gui {__version__}\n\nThe scanning engine is ready; for now use\n"
                   "dedup-gui scan FOLDER  in a terminal.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(720, 480)
    return window


def run_app() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("dedup-gui")
    app.setApplicationVersion(__version__)
    window = create_main_window()
    window.show()
    return app.exec()
