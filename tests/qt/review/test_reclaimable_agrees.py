"""One number for the space to free: the app's status line, the JSON and the HTML report of one
library all quote engine/types.py reclaimable_bytes over the same keeper proposal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.engine.export.report import write_report
from dedup_gui.engine.export.results import Keepers, write_json
from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.qt.window.main_window import MainWindow
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
    assert json.loads(out.read_text())["summary"]["reclaimable_bytes"] == \
        state.marked_totals()[1]
