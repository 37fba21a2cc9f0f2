"""Regenerate docs/screenshot-*.png: the empty window, a scan in progress, results, compare,
find similar, and the keeper rules in Preferences.

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/make_screenshots.py [--photos DIR]

Scans a copy of ../shared/datasets/debian_augly_dev/images (real photos and their re-saved,
resized, cropped and captioned copies in phone-style folders; DCIM is marked protected) plus one
broken file. Config, cache and the copy live in a temporary folder: your own are untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))


def build_library(source: Path, root: Path) -> Path:
    """A copy of the dev set: a phone-style library of real photos with their copies (re-saved,
    resized, cropped, captioned, screenshots) scattered over messenger and backup folders."""
    shutil.copytree(source, root)
    (root / "Downloads" / "received_broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut off")
    return root


def wait(app, predicate, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.01)


def settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shot_similar(app, window, photo: str) -> None:
    """Find similar to one photo of the biggest group: its copies first, then the rest."""
    dialog = window.similar.open(photo)
    dialog.resize(1040, 760)
    wait(app, lambda: dialog.outcome is not None)
    shown = dialog.outcome.matches[:15]
    wait(app, lambda: all(window.pictures.get(m.file.path, m.file.mtime_ns) is not None
                          or window.pictures.failed(m.file.path, m.file.mtime_ns)
                          for m in shown), timeout_s=30)
    settle(app, 1.0)
    dialog.grab().save(str(DOCS / "screenshot-similar.png"))
    dialog.reject()


def shot_preferences(app, window) -> None:
    """The rule chain with two path rules a person would add for a phone library."""
    from dedup_gui.qt.settings.dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    dialog.rules.path_text.setText("Copy of, WhatsApp")
    dialog.rules.add_path_rules()
    dialog.show()
    settle(app)
    dialog.grab().save(str(DOCS / "screenshot-preferences.png"))
    dialog.reject()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path,
                        default=ROOT.parent / "shared/datasets/debian_augly_dev/images")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="dedup-shots-"))
    os.environ.update(DEDUP_GUI_CONFIG_DIR=str(home / "config"),
                      DEDUP_GUI_CACHE=str(home / "cache.sqlite3"),
                      XDG_DATA_HOME=str(home / "data"))
    library = build_library(args.library, home / "Phone")

    from dedup_gui.qt.app import create_app
    from dedup_gui.qt.window.main_window import MainWindow
    from dedup_gui.settings import FolderSetting, Settings

    app = create_app([])
    window = MainWindow(Settings())
    window.resize(1360, 860)
    window.show()
    wait(app, lambda: window.windowHandle().isExposed())
    settle(app)
    window.grab().save(str(DOCS / "screenshot-empty.png"))

    folders = sorted(p for p in library.iterdir() if p.is_dir())
    window.folders.set_folders([FolderSetting(str(p), protected=p.name == "DCIM")
                                for p in folders])
    window.settings.folders = window.folders.folders()
    window.start_scan()
    wait(app, lambda: window.scan_bar.bar.value() > 300 or window.scan_task is None)
    settle(app, 0.3)
    window.grab().save(str(DOCS / "screenshot-scanning.png"))
    wait(app, lambda: window.scan_task is None)
    wait(app, lambda: window.group_view.group is not None)
    biggest = max(range(len(window.state.groups)),
                  key=lambda g: (len(window.state.groups[g].files), -g))
    window.results.select_group(biggest)
    window.group_view.move(1)
    settle(app, 2.5)  # thumbnails decode in the background
    window.grab().save(str(DOCS / "screenshot-results.png"))

    resaved = next((g for g in range(len(window.state.groups))
                    if window.results.model.tier_of(g).key == "resaved"), biggest)
    window.results.select_group(resaved)
    window.group_view.move(1)
    window.open_compare()
    dialog = window.compare_dialog
    wait(app, lambda: dialog.isVisible() and all(not v.item.pixmap().isNull()
                                                 for v in dialog.views))
    dialog.set_zoom(dialog.zoom * 2.2)
    for view in dialog.views[:1]:
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum() // 3)
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    settle(app)
    dialog.grab().save(str(DOCS / "screenshot-compare.png"))
    dialog.reject()

    shot_similar(app, window, window.state.keeper(biggest).path)
    shot_preferences(app, window)
    window.close()
    print(f"saved 6 screenshots to {DOCS}; {len(window.state.groups)} groups in the library")
    return 0


if __name__ == "__main__":
    sys.exit(main())
