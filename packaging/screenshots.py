"""Drive a real dedup-gui window and save the review's screenshots to docs/ (issue 17's check).

    xvfb-run -a -s "-screen 0 1920x1080x24" python packaging/screenshots.py [--library DIR]

Scans a copy of DIR (default /work/data/gui-lib: augly groups with screenshots and memes, and two
bursts) with config, cache, Trash and session in a temporary folder: yours are untouched and DIR
is never written. Saves docs/screenshot-evidence.png (a group with screenshots, evidence on its
cards), -mark-menu (the Mark menu open), -scoped-delete (the confirmation of Shift+Delete),
-1920x1080, -1024x700, -dark (Appearance: dark) and -reopened (the results after a restart).

Every step waits for the state it needs (the scan done, the pictures on the cards decoded, the
menu or the question on screen), with a timeout; nothing is confirmed: the question is cancelled.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LIBRARY = Path("/work/data/gui-lib")
SCAN_TIMEOUT_S = 150
STEP_TIMEOUT_S = 20


def isolate(home: Path) -> None:
    """Before dedup_gui is imported: every path the app writes points under `home`."""
    os.environ.update(DEDUP_GUI_CONFIG_DIR=str(home / "config"),
                      DEDUP_GUI_CACHE=str(home / "cache" / "cache.sqlite3"),
                      XDG_DATA_HOME=str(home / "xdg-data"), XDG_CACHE_HOME=str(home / "xdg-cache"),
                      XDG_CONFIG_HOME=str(home / "xdg-config"))


class Driver:
    def __init__(self, out: Path) -> None:
        from dedup_gui.qt.app import create_app

        self.out = out
        self.app = create_app([])
        self.saved: list[str] = []

    # -- waiting -----------------------------------------------------------------------------
    def wait(self, what: str, ready: Callable[[], bool], timeout_s: float = STEP_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self, seconds: float = 0.3) -> None:
        """Paint what changed (repaints are queued, not state: waits are for state)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def pictures_shown(self, window) -> bool:
        """Every card on the page shows its picture (or says it cannot)."""
        cards = window.group_view.cards
        return bool(cards) and all(not c.picture.pixmap().isNull()
                                   or c.picture.text().startswith("Cannot") for c in cards)

    def idle(self, window) -> bool:
        return not window.foreground.busy and not window.runner.busy

    # -- saving ------------------------------------------------------------------------------
    def save_window(self, window, name: str) -> None:
        self.settle()
        self._save(window.grab(), name)

    def save_screen(self, window, name: str) -> None:
        """The screen where the window is: menus and dialogs are windows of their own."""
        self.settle()
        frame = window.frameGeometry()
        pixmap = self.app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(),
                                                     frame.height())
        self._save(pixmap, name)

    def _save(self, pixmap, name: str) -> None:
        path = self.out / f"screenshot-{name}.png"
        if not pixmap.save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(f"{path} {pixmap.width()}×{pixmap.height()}")

    # -- the window --------------------------------------------------------------------------
    def open_window(self, width: int, height: int, folders: list[str] | None = None):
        from dedup_gui.qt.app import create_main_window
        from dedup_gui.settings import FolderSetting, load_settings

        settings = load_settings()
        if folders is not None:
            settings.folders = [FolderSetting(f) for f in folders]
        window = create_main_window(settings)
        window.confirm_quit = lambda _count: True
        window.resize(width, height)
        window.move(0, 0)
        window.show()
        self.wait("the window on screen", lambda: window.windowHandle().isExposed())
        return window

    def scan(self, window) -> None:
        window.scanning.start()
        self.wait("the scan", lambda: window.state.outcome is not None and self.idle(window),
                  SCAN_TIMEOUT_S)
        self.wait("the first group", lambda: window.group_view.group is not None)

    def show_group(self, window, group: int) -> None:
        window.results.select_group(group)
        self.wait(f"group {group}", lambda: window.group_view.group == group)
        self.wait(f"group {group}'s pictures", lambda: self.pictures_shown(window))

    def wait_layout(self, window) -> None:
        """After a resize: the cards fitted again (sizes settle after a short pause)."""
        view = window.group_view
        self.wait("the cards fitted", view.fitted)
        self.wait("the pictures", lambda: self.pictures_shown(window))


def groups_to_show(state) -> tuple[int, int]:
    """The group with the most screenshots/memes (evidence worth reading), and the biggest
    other one (a burst, when the library has one)."""
    def screenshots(g: int) -> int:
        return sum(any(k in f.path.lower() for k in ("screenshot", "meme"))
                   for f in state.groups[g].files)

    groups = range(len(state.groups))
    evidence = max(groups, key=lambda g: (screenshots(g), len(state.groups[g].files)))
    others = [g for g in groups if g != evidence] or [evidence]
    return evidence, max(others, key=lambda g: len(state.groups[g].files))


def mark_menu(d: Driver, window) -> None:
    menu = window.menus["&Mark"]
    window.activateWindow()
    window.menuBar().setActiveAction(menu.menuAction())
    d.wait("the Mark menu", menu.isVisible)
    d.save_screen(window, "mark-menu")
    menu.hide()
    d.wait("the Mark menu closed", lambda: not menu.isVisible())


def scoped_delete(d: Driver, window) -> None:
    """Shift+Delete's question, as the person sees it; then Cancel (nothing moves)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[bool] = []

    def when_asked() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            QTimer.singleShot(50, when_asked)
            return
        d.settle(0.3)
        d.save_screen(window, "scoped-delete")
        seen.append(True)
        box.reject()

    QTimer.singleShot(50, when_asked)
    window.actions.trash_shown.trigger()  # modal: returns once the question is cancelled
    d.wait("the scoped delete question", lambda: bool(seen))


def run(library: Path, out: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="dedup-gui-shots-") as tmp:
        home = Path(tmp)
        isolate(home)
        shutil.copytree(library, home / "lib")
        d = Driver(out)
        window = d.open_window(1920, 1080, [str(home / "lib")])
        d.scan(window)
        evidence, biggest = groups_to_show(window.state)
        d.show_group(window, biggest)
        size = window.view_controls.picture_size
        size.larger.trigger()  # Ctrl+= twice: a big screen shows big pictures
        size.larger.trigger()
        d.wait_layout(window)
        d.save_window(window, "1920x1080")
        size.reset.trigger()
        d.show_group(window, evidence)
        d.save_window(window, "evidence")
        mark_menu(d, window)
        scoped_delete(d, window)
        window.resize(1024, 700)
        d.wait("1024×700", lambda: window.size().width() == 1024)
        d.wait_layout(window)
        d.save_window(window, "1024x700")
        window.resize(1600, 1000)
        window.settings.appearance = "dark"
        window.view_controls.settings_changed(window.settings)
        d.wait_layout(window)
        d.save_window(window, "dark")
        window.settings.appearance = "system"
        window.view_controls.settings_changed(window.settings)
        window.close()
        again = d.open_window(1920, 1080)
        again.reopen_last_results()
        d.wait("the reopened results", lambda: again.group_view.group is not None
               and d.idle(again))
        d.wait("the pictures", lambda: d.pictures_shown(again))
        d.save_window(again, "reopened")
        again.close()
        return d.saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, default=DEFAULT_LIBRARY)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("No X display: run under xvfb-run (see the docstring).", file=sys.stderr)
        return 2
    started = time.monotonic()
    for line in run(args.library.resolve(), args.out.resolve()):
        print(line)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
