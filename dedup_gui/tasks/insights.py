"""The engine calls behind View ▸ Insights… and File ▸ Export report…, shaped for the engine
process (`function(request, progress, cancel)`, picklable requests). Qt-free, like tasks.scan:
the child process never imports PySide6, and engine modules load only inside the calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.tasks.scan import ScanSettings, keep_chain


@dataclass(frozen=True, slots=True)
class InsightsRequest:
    """The folders and the app's scan settings; `out` set: also write a report there."""

    settings: ScanSettings
    protected: tuple[str, ...] = ()  # with the rules: the app's keeper proposal, so the
    rule_dicts: tuple[dict, ...] = ()  # report's reclaimable bytes are the app's
    out: str | None = None
    cache_path: str = field(default_factory=lambda: str(paths.cache_path()))


def _params(request: InsightsRequest) -> Any:
    from dedup_gui.engine.insights.library import InsightParams

    chain = keep_chain(request.rule_dicts) if request.rule_dicts else ()
    return InsightParams(request.settings.params(), keep_chain=tuple(chain),
                         protected_folders=request.protected)


def insights(request: InsightsRequest, progress: ProgressCallback, cancel: CancelToken) -> Any:
    """engine Insights for the folders (scan from the cache, clusters, outliers, quality)."""
    from dedup_gui.engine.insights.library import build_insights
    from dedup_gui.engine.store.cache import Cache

    cache = Cache(paths.cache_path(request.cache_path))
    try:
        return build_insights(_params(request), cache, progress, cancel)
    finally:
        cache.close()


def report(request: InsightsRequest, progress: ProgressCallback, cancel: CancelToken) -> str:
    """Build the insights and write the report folder; the path of its index.html."""
    from pathlib import Path

    from dedup_gui.engine.export.report import write_report

    assert request.out is not None
    found = insights(request, progress, cancel)
    return str(write_report(found, Path(request.out), progress=progress, cancel=cancel))


def report_folder_problem(out: str, roots: tuple[str, ...]) -> str | None:
    """Why `out` cannot take a report (checked before any work), or None."""
    from pathlib import Path

    from dedup_gui.engine.export.report import ReportError, check_output_folder

    try:
        check_output_folder(Path(out), roots)
    except ReportError as error:
        return str(error)
    return None
