"""File ▸ Export results…: the engine's JSON or CSV (the same files `dedup-gui scan` writes)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dedup_gui.engine.types import ScanResult
from dedup_gui.qt.review.folder_prompt import start_folder
from dedup_gui.settings import FolderSetting, Settings

JSON_FILTER, CSV_FILTER = "JSON (*.json)", "CSV (*.csv)"


def export_results(parent: QWidget, result: ScanResult, settings: Settings,
                   folders: list[FolderSetting], keepers: Any = None) -> Path | None:
    """Ask where, then write; `keepers` (export.results.Keepers) adds keep/origin/reason."""
    start = os.path.join(start_folder(settings.last_folder, [f.path for f in folders]),
                         "duplicates.json")  # never inside the library (issue 17)
    name, chosen = QFileDialog.getSaveFileName(parent, "Export results", start,
                                               f"{JSON_FILTER};;{CSV_FILTER}")
    if not name:
        return None
    out = Path(name)
    if chosen == CSV_FILTER and out.suffix.lower() != ".csv":
        out = out.with_suffix(".csv")
    return write_export(parent, result, settings, folders, out, keepers)


def write_export(parent: QWidget | None, result: ScanResult, settings: Settings,
                 folders: list[FolderSetting], out: Path, keepers: Any = None) -> Path | None:
    from dedup_gui.engine.export.results import write_csv, write_json

    params = {"roots": [f.path for f in folders], "hash": settings.hash_kind,
              "threshold": settings.threshold}
    try:
        if out.suffix.lower() == ".csv":
            write_csv(result, out, keepers)
        else:
            write_json(result, out, params, keepers)
    except OSError as error:
        if parent is not None:
            QMessageBox.warning(parent, "Export failed",
                                f"Could not write {out}: {error.strerror or error}")
        return None
    settings.last_folder = str(out.parent)
    return out
