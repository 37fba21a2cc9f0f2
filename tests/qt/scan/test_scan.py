"""A real scan through the worker to the results; cancel mid-scan; unreadable files listed."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from dedup_gui.engine.progress import STAGE_SIGNALS
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.settings import FolderSetting
from dedup_gui.tasks.tiers import Tier
from tests.images import photo, save
from tests.library import EXPECTED_GROUPS
from tests.qt.conftest import SCAN_TIMEOUT_MS, scan, wait_idle


def _relative(window: MainWindow, root: Path) -> list[list[str]]:
    return [sorted(str(Path(f.path).relative_to(root)) for f in g.files)
            for g in window.state.groups]


def test_full_scan_reaches_the_results(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    progress = []
    window.scan_bar.bar.valueChanged.connect(progress.append)
    scan(qtbot, window, library)
    assert sorted(_relative(window, library)) == sorted(EXPECTED_GROUPS)
    proxy = window.results.proxy
    assert proxy.rowCount() == 2
    assert window.results.stack.currentWidget() is window.results.view
    first = proxy.group_at(0)  # sorted by space freed, largest first
    assert len(window.state.groups[first].files) == 4
    assert proxy.index(0, 2).data() == Tier.RESAVED.label
    assert window.group_view.group == first  # the first group is open for review
    assert len(window.group_view.cards) == 4
    assert "2 groups" in window.summary.text()
    assert not window.scan_bar.isVisible()
    assert window.actions.scan.isEnabled() and not window.actions.cancel.isEnabled()


def test_unreadable_files_are_listed_on_request(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    assert window.issues_button.isVisible()
    assert not [w for w in window.findChildren(IssuesDialog) if w.isVisible()]  # no popup
    window.actions.unreadable.trigger()
    dialog = window.issues_dialog
    assert dialog is not None and dialog.isVisible()
    rows = {Path(path).name: reason for path, reason in dialog.rows}
    assert rows.get("broken.jpg")
    dialog.close()


def test_cancel_mid_scan(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for seed in range(120):
        save(photo(seed, (480, 360)), folder / f"p{seed:03d}.jpg", quality=90)
    window.folders.set_folders([FolderSetting(str(folder))])
    stages = []
    window.scanning.start()
    assert window.scan_bar.isVisible() and window.actions.cancel.isEnabled()
    task = window.foreground.task
    task.signals.progress.connect(lambda info: stages.append(info.stage))
    qtbot.waitUntil(lambda: STAGE_SIGNALS in stages, timeout=SCAN_TIMEOUT_MS)
    asked = time.monotonic()
    with qtbot.waitSignal(task.signals.cancelled, timeout=2000):
        window.actions.cancel.trigger()
        assert window.scan_bar.label.text() == "Cancelling…"
    assert time.monotonic() - asked < 1.0
    wait_idle(qtbot, window)
    assert window.state.outcome is None
    assert "Cancelled" in window.statusBar().currentMessage()
    assert window.actions.scan.isEnabled()


def test_scan_without_folders_says_what_to_do(window: MainWindow) -> None:
    window.actions.scan.trigger()
    assert not window.foreground.busy
    assert "Add a folder" in window.statusBar().currentMessage()


def test_default_scan_with_embeddings_shows_engine_tiers(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    window.settings.embeddings = True  # the product default (the ONNX model runs)
    scan(qtbot, window, library)
    labels = {window.results.proxy.index(r, 2).data()
              for r in range(window.results.proxy.rowCount())}
    assert labels and labels <= {tier.label for tier in Tier}
    assert any(len(g.files) >= 4 for g in window.state.groups)


def test_export_writes_the_engines_json_and_csv(qtbot: QtBot, window: MainWindow,
                                                library: Path, tmp_path: Path) -> None:
    import json

    from dedup_gui.qt.window.export_dialog import write_export

    scan(qtbot, window, library)
    result, folders = window.state.outcome.result, window.folders.folders()
    out = write_export(None, result, window.settings, folders, tmp_path / "groups.json")
    data = json.loads(out.read_text())
    assert data["summary"]["groups"] == 2 and data["params"]["roots"] == [str(library)]
    csv = write_export(None, result, window.settings, folders, tmp_path / "groups.csv")
    assert csv.read_text().startswith("group,path,size")


def test_the_scan_message_gives_the_whole_time_waited(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Issue 17: a 1.4 s rescan said "878 images in 0.1 s" (only the engine's own part)."""
    from dedup_gui.qt.workers.progress_bar import describe
    from dedup_gui.qt.workers.throttle import ProgressInfo

    clock = iter([100.0, 107.25])  # the scan started, then its results were shown
    window.scanning.clock = lambda: next(clock)
    scan(qtbot, window, library)
    assert "10 images in 7.2 s" in window.statusBar().currentMessage()
    assert describe(ProgressInfo("finding files", 1234, 0, None, None)) == \
        "Finding files — 1,234 found"
    assert describe(ProgressInfo("finding files", 0, 0, None, None)) == "Finding files…"
    # a rate under one a second is left out: "0/s" said nothing (a real-window check)
    assert describe(ProgressInfo("grouping", 3, 10, 0.2, None)) == "Grouping — 3 of 10"
    assert describe(ProgressInfo("grouping", 3, 10, 2.0, None)) == "Grouping — 3 of 10 · 2/s"


def test_folders_skipped_are_told_after_the_status_message_is_gone(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A Synology share's @eaDir thumbnails are left out; a scan that read every file still
    keeps the button that says so (the 8-s status message alone was easy to miss)."""
    share = tmp_path / "share"
    save(photo(1), share / "a.jpg", quality=90)
    save(photo(1), share / "@eaDir" / "a.jpg" / "SYNOPHOTO_THUMB_M.jpg", quality=70)
    scan(qtbot, window, share)
    assert not window.state.groups  # the thumbnail was not grouped with its photo
    assert window.statusBar().currentMessage().endswith(
        "0 groups found. Skipped 1 folder that a system or app keeps for itself (see Scan notes).")
    assert window.issues_button.isVisible()
    assert window.actions.unreadable.text() == "Scan notes…"
    window.actions.unreadable.trigger()
    dialog = window.issues_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "Scan notes"
    assert dialog.rows == [] and not dialog.tree.isVisible()
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert f"NAS thumbnail folders ({share / '@eaDir'})" in " ".join(notes)
    assert not [b for b in dialog.findChildren(QPushButton) if b.text() == "Copy list"]
    dialog.close()


def test_recent_messages_keep_the_status_lines_whole(qtbot: QtBot, window: MainWindow,
                                                      library: Path) -> None:
    """A returning-user check: long status messages were cut at the counts on the right and
    gone after 8 s, with no way to read them again."""
    scan(qtbot, window, library)
    long = "A message long enough to be cut at the status bar's edge. " * 6
    window.show_message(long)
    window.actions.messages.trigger()
    dialog = next(d for d in window.findChildren(IssuesDialog) if d.isVisible())
    assert dialog.windowTitle() == "Recent messages"
    assert dialog.rows[0][0] == long  # newest first, whole
    assert dialog.rows[1][0].startswith("Scan finished: ")
    dialog.close()


def test_a_status_message_that_does_not_fit_says_where_it_is_whole(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """An enthusiast's check read "...their frames are for merging. 9 shots mark", cut at the
    counts on the right with no mark, and never learnt the rest was in Recent messages. The
    message is drawn cut with the hint; what the status bar holds stays whole."""
    scan(qtbot, window, library)
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.statusBar().width() <= 900)
    bar = window.statusBar()
    short = "Scan again to look for duplicates with the new settings."
    window.show_message(short)
    assert bar.shown_text() == bar.currentMessage() == short
    long = "Keep the best of each series: 4 series changed. " + "9 shots marked Remove. " * 8
    window.show_message(long)
    assert bar.currentMessage() == long
    shown = bar.shown_text()
    assert shown.endswith("… (whole in View ▸ Recent messages)")
    assert long.startswith(shown.removesuffix("… (whole in View ▸ Recent messages)"))
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.message_rect().width()
    assert bar.message_rect().right() < window.summary.x()  # left of the counts
    assert not bar.grab().isNull()  # drawn fitted without error
