"""One number for the space to free: the app's status line, the JSON and the HTML report of one
library all quote engine/types.py reclaimable_bytes over the same keeper proposal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from dedup_gui.engine.export.report import write_report
from dedup_gui.engine.export.results import Keepers, write_json
from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.store.cache import Cache
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.tasks.insights import InsightsRequest, report
from dedup_gui.tasks.scan import ScanSettings
from dedup_gui.text import human_bytes
from tests.qt.conftest import scan


def test_app_json_and_report_quote_the_same_reclaimable_bytes(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    scan(qtbot, window, library)
    state, outcome = window.state, window.state.outcome
    _count, app_bytes = state.marked_totals()
    assert app_bytes > 0
    qtbot.waitUntil(lambda: human_bytes(app_bytes) in window.summary.text())

    out = tmp_path / "results.json"
    write_json(outcome.result, out, {}, Keepers(outcome.removals, outcome.reasons))
    data = json.loads(out.read_text())
    assert data["summary"]["reclaimable_bytes"] == app_bytes
    assert [g["reclaimable_bytes"] for g in data["groups"]] == \
        [state.reclaimable(i) for i in range(len(state.groups))]

    cache = Cache(tmp_path / "cache.sqlite")
    try:
        insights = build_insights(InsightParams(ScanParams((str(library),), embeddings=False),
                                                quality=False), cache)
    finally:
        cache.close()
    index = write_report(insights, tmp_path / "report")
    tile = re.search(r"<b>([^<]+)</b>Reclaimable", index.read_text())
    assert tile is not None and tile.group(1) == human_bytes(app_bytes)


def test_the_json_counts_the_marks_not_all_but_the_largest(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    """A protected copy is kept beside the keeper: the JSON exported from the app quotes what
    the marks free, as the status line does (main quoted every file but the largest)."""
    scan(qtbot, window, library, protected=(library / "b",))
    state, outcome = window.state, window.state.outcome
    assert outcome.protected_paths  # the byte copy in b/ is kept
    out = tmp_path / "results.json"
    write_json(outcome.result, out, {}, Keepers(outcome.removals, outcome.reasons))
    app_bytes = state.marked_totals()[1]
    assert json.loads(out.read_text())["summary"]["reclaimable_bytes"] == app_bytes
    settings = window.settings  # the report the app writes: its folders, protection, rules
    request = InsightsRequest(ScanSettings.of((str(library),), settings),
                              tuple(settings.protected_folders), tuple(settings.keep_rules),
                              out=str(tmp_path / "report"),
                              cache_path=str(tmp_path / "report.sqlite"))
    index = Path(report(request, lambda _event: None, CancelToken()))
    tile = re.search(r"<b>([^<]+)</b>Reclaimable", index.read_text())
    assert tile is not None and tile.group(1) == human_bytes(app_bytes)


def test_file_export_writes_the_marks_of_now(qtbot: QtBot, window: MainWindow, library: Path,
                                             tmp_path: Path, monkeypatch) -> None:
    """Changed marks and a dismissed group: File ▸ Export results quotes the status line's
    bytes, and its keep flags are the marks (main wrote the scan's proposal)."""
    scan(qtbot, window, library)
    state = window.state
    one = next(i for i, g in enumerate(state.groups) if len(g.files) > 2)
    kept = next(f.path for f in state.groups[one].files if not state.is_marked(one, f.path))
    other = next(f.path for f in state.groups[one].files if state.is_marked(one, f.path))
    assert state.set_marked(one, other, False) is None and state.set_marked(one, kept, True) is None
    state.set_dismissed(1 - one, True)
    out = tmp_path / "now.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "JSON"))
    window.actions.export.trigger()
    data = json.loads(out.read_text())
    assert data["summary"]["reclaimable_bytes"] == state.marked_totals()[1]
    keep = {f["path"]: f["keep"] for g in data["groups"] for f in g["files"]}
    assert keep[kept] is False and keep[other] is True
    # and says where it went (nothing said so: a first-user check)
    assert window.statusBar().currentMessage() == \
        f"Results exported with your marks to {out}."
