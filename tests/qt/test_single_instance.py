"""One dedup-gui at a time (report item 17: a second instance ran beside the first and loaded
older marks). The first instance is a real second process holding the real lock file; the
second launch is this one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt import single_instance
from dedup_gui.qt.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
# The first instance: claims the lock, says so, and answers a knock by saying "activated".
FIRST = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from dedup_gui.qt import single_instance
app = QCoreApplication([])
lock = Path(sys.argv[1]) if len(sys.argv) > 1 else None
instance = single_instance.claim(lock)
print("claimed" if instance else "refused", flush=True)
if instance is None:
    sys.exit(0)
if "--crash" in sys.argv:
    import os
    os._exit(3)  # no unlock: the lock file stays, as after a crash
instance.opened.connect(lambda folders: print("opened", *folders, sep="|", flush=True))
instance.activated.connect(lambda: (print("activated", flush=True), app.quit()))
QTimer.singleShot(20000, app.quit)
app.exec()
"""


def first_instance(*args: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", FIRST, *args], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None and process.stdout.readline().strip() == "claimed"
    return process


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    return tmp_path / "data" / single_instance.LOCK_FILE


def test_a_running_instance_keeps_its_lock_however_old(lock: Path) -> None:
    first = first_instance(str(lock))
    try:
        hour_ago = time.time() - 3600  # QLockFile's default takes a 30 s old lock as stale
        os.utime(lock, (hour_ago, hour_ago))
        assert single_instance.claim(lock) is None
        assert single_instance.holder(lock) == first.pid
        assert single_instance.bring_forward(lock)  # the first answers the knock
        assert first.stdout.readline().strip() == "activated"
    finally:
        stop(first)


def test_a_lock_left_by_a_crash_does_not_block_a_launch(lock: Path) -> None:
    crashed = first_instance(str(lock), "--crash")
    assert crashed.wait(10) == 3 and lock.exists()
    stop(crashed)
    instance = single_instance.claim(lock)
    assert instance is not None
    instance.release()


def test_the_second_launch_says_the_app_is_running_and_exits(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_app itself, with the real data folder's lock (tmp, from tests/conftest.py)."""
    from PySide6.QtWidgets import QMessageBox

    from dedup_gui.qt.app import run_app

    first = first_instance()  # the default lock path, as the app uses it
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(
        text))
    try:
        assert run_app() == 1
        assert first.stdout.readline().strip() == "activated"  # brought forward
    finally:
        stop(first)
    (text,) = told
    assert text.startswith(f"dedup-gui is already running (process {first.pid}). Its window "
                           "has been brought to the front.")


def test_a_knock_brings_the_minimised_window_forward(qtbot: QtBot, window: MainWindow,
                                                     lock: Path) -> None:
    from dedup_gui.qt.app import bring_to_front

    instance = single_instance.claim(lock)
    assert instance is not None
    instance.activated.connect(lambda: bring_to_front(window))
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isMinimized())
    knock = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                              "from dedup_gui.qt import single_instance as s; "
                              "sys.exit(0 if s.bring_forward(Path(sys.argv[1])) else 5)",
                              str(lock)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    qtbot.waitUntil(lambda: knock.poll() is not None, timeout=10_000)
    assert knock.returncode == 0  # the running instance answered
    qtbot.waitUntil(lambda: not window.windowState() & Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(window.isActiveWindow)
    instance.release()


def test_folders_given_to_a_second_launch_go_to_the_running_window(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A Takeout check: `dedup-gui FOLDER` (a folder dropped on the icon) while the app ran
    dropped the folder, and the launch waited on its message box. The running instance now
    hears the folders (absolute, in order; a name with a space, a tab-free path) and the
    second launch ends without a box."""
    from PySide6.QtWidgets import QMessageBox

    from dedup_gui.qt.app import run_app

    one, two = tmp_path / "Takeout 2", tmp_path / "b"
    one.mkdir()
    two.mkdir()
    first = first_instance()
    monkeypatch.setattr(QMessageBox, "information", lambda *_: pytest.fail("a box was shown"))
    monkeypatch.chdir(tmp_path)
    try:
        assert run_app(["Takeout 2", str(two)]) == 0
        assert first.stdout.readline().strip() == f"opened|{one}|{two}"
        assert first.stdout.readline().strip() == "activated"
    finally:
        stop(first)


def test_the_running_window_adds_the_folders_a_knock_names(qtbot: QtBot, window: MainWindow,
                                                           lock: Path, tmp_path: Path) -> None:
    from dedup_gui.qt.app import open_folders

    instance = single_instance.claim(lock)
    assert instance is not None
    instance.opened.connect(lambda given: open_folders(window, given, "another launch"))
    knock = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                              "from dedup_gui.qt import single_instance as s; "
                              "sys.exit(0 if s.bring_forward(Path(sys.argv[1]), "
                              "folders=[sys.argv[2]]) else 5)", str(lock), str(tmp_path)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    qtbot.waitUntil(lambda: knock.poll() is not None, timeout=10_000)
    assert knock.returncode == 0
    qtbot.waitUntil(lambda: str(tmp_path) in [f.path for f in window.folders.folders()])
    assert "Added 1 folder from another launch" in window.statusBar().currentMessage()
    instance.release()


def test_a_lock_that_cannot_be_made_is_not_another_instance(tmp_path: Path) -> None:
    """A hostile-input check on a full data disk was told "dedup-gui is already running"
    with none running. A lock that cannot be made says so, and the app runs unguarded."""
    blocked = tmp_path / "a file"
    blocked.write_bytes(b"")
    with pytest.raises(single_instance.LockUnavailable, match="Not a directory"):
        single_instance.claim(blocked / "data" / single_instance.LOCK_FILE)
    text = single_instance.unguarded_text("the disk is full")
    assert text.startswith("dedup-gui could not make its lock file (the disk is full): it runs")
