"""A scan cancelled, or the window closed mid-scan, leaves no process behind: the engine process,
its forkserver and every pool worker exit. Processes are read from /proc (Linux only)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.settings import FolderSetting
from tests.images import photo, save
from tests.qt.conftest import SCAN_TIMEOUT_MS
from tests.qt.processes import alive, descendants

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture(scope="module")
def many_photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough photos that the engine starts its pool of workers (parallel.IN_PROCESS_BELOW):
    crops of one picture, each a different file (quick to make)."""
    folder = tmp_path_factory.mktemp("many")
    base = photo(0, (900, 700))
    for i in range(120):
        x, y = (i * 7) % 260, (i * 13) % 220
        save(base.crop((x, y, x + 640, y + 480)), folder / f"p{i:03d}.jpg", quality=90)
    return folder


@pytest.mark.parametrize("how", ["cancel", "close"])
def test_no_process_outlives_a_stopped_scan(qtbot: QtBot, window: MainWindow,
                                            many_photos: Path, how: str) -> None:
    before = set(descendants(os.getpid()))
    seen: set[tuple[int, int]] = set()

    def pool_running() -> bool:  # engine process (1) -> forkserver (2) -> workers (3)
        found = {key: depth for key, depth in descendants(os.getpid()).items()
                 if key not in before}
        seen.update(found)
        return max(found.values(), default=0) >= 3

    window.settings.embeddings = True  # workers load the model: the scan lasts a few seconds
    window.folders.set_folders([FolderSetting(str(many_photos))])
    window.scanning.start()
    qtbot.waitUntil(pool_running, timeout=SCAN_TIMEOUT_MS)
    assert window.foreground.busy  # stopped mid-scan, not after it
    if how == "cancel":
        window.actions.cancel.trigger()
    else:
        window.close()
    deadline = time.monotonic() + 15
    while alive(seen) and time.monotonic() < deadline:
        pool_running()  # anything started while stopping counts too
        qtbot.wait(100)
    assert not alive(seen), f"still running after the scan stopped: {sorted(alive(seen))}"
