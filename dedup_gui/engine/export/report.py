"""write_report: the report folder — index.html, thumbs/, and the CSV files.

The folder must be new, empty, or an earlier report (it holds REPORT_MARKER): anything else is
refused before a byte is written, so a mistyped --out never litters (or overwrites) a folder of
photos. It must not lie inside a scanned folder either: its thumbnails would be scanned as
photos next time and look like duplicates of the originals. index.html is written last, through
a temporary name, so an interrupted report never has a page pointing at missing files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dedup_gui.engine.export import tables
from dedup_gui.engine.export.html import (
    DEFAULT_LIMITS,
    ReportLimits,
    render,
    shown_paths,
)
from dedup_gui.engine.export.results import Keepers, write_csv
from dedup_gui.engine.export.thumbs import THUMB_DIR, is_thumb_name, make_thumbs
from dedup_gui.engine.insights.library import Insights
from dedup_gui.engine.progress import CancelToken, ProgressCallback

REPORT_MARKER = ".dedup-gui-report"
INDEX = "index.html"
CSV_FILES = ("groups.csv", "similarity.csv", "outliers.csv", "clusters.csv", "quality.csv",
             "unreadable.csv")


class ReportError(Exception):
    """The report cannot be written where asked; the message says why, in plain words."""


def check_output_folder(out: Path, roots: Sequence[str]) -> None:
    """Raise ReportError unless `out` may receive a report (see the module docstring)."""
    target = out.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise ReportError(f"{out} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / REPORT_MARKER).exists():
        raise ReportError(f"{out} is not empty and holds no earlier report; choose a new or "
                          "empty folder")
    for root in roots:
        base = Path(root).expanduser().resolve()
        if base.is_dir() and target.is_relative_to(base):
            raise ReportError(f"{out} is inside the scanned folder {root}: its thumbnails "
                              "would be scanned as photos next time; choose a folder outside")


def write_report(insights: Insights, out: Path, *, limits: ReportLimits = DEFAULT_LIMITS,
                 workers: int | None = None, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> Path:
    """Write the report into `out` and return the path of its index.html."""
    check_output_folder(out, insights.params.scan.roots)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / REPORT_MARKER).write_text("A dedup-gui report folder; dedup-gui may rewrite "
                                         "it.\n", encoding="utf-8")
        _clear_old_thumbs(out / THUMB_DIR)
        thumbs = make_thumbs(shown_paths(insights, limits), out, workers=workers,
                             progress=progress, cancel=cancel)
        _write_csvs(insights, out)
        index = out / INDEX
        partial = out / f".{INDEX}.partial"
        partial.write_text(render(insights, thumbs, CSV_FILES, limits), encoding="utf-8")
        os.replace(partial, index)
    except OSError as error:
        raise ReportError(f"could not write the report: {error.strerror or error}: "
                          f"{error.filename or out}") from None
    return index


def _clear_old_thumbs(folder: Path) -> None:
    """Remove an earlier report's thumbnails (only files named like ours)."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file() and is_thumb_name(entry.name):
                entry.unlink()


def _write_csvs(insights: Insights, out: Path) -> None:
    """groups.csv with the keeper proposal's columns (keep, origin, keeper_reason), as
    `scan --csv` writes them: the report's lacked them (a curator's check)."""
    keepers = (Keepers(insights.removals, insights.keeper_reasons, insights.origins)
               if insights.removals else None)
    write_csv(insights.scan, out / "groups.csv", keepers)
    tables.write_similarity(insights, out / "similarity.csv")
    tables.write_outliers(insights, out / "outliers.csv")
    tables.write_clusters(insights, out / "clusters.csv")
    tables.write_quality(insights, out / "quality.csv")
    tables.write_unreadable(insights, out / "unreadable.csv")
