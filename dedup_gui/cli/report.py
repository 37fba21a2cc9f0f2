"""`dedup-gui report DIR... --out FOLDER`: scan, then write the HTML gallery and CSV files.

The output folder is checked before the scan starts, so a wrong --out costs no time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dedup_gui.cli.errors import EXIT_OK, UsageError
from dedup_gui.cli.options import (
    add_scan_options,
    open_cache,
    require_inputs,
    scan_params,
    terminal_progress,
)
from dedup_gui.engine.insights.clusters import DEFAULT_LEVEL, DEFAULT_LINKAGE, LINKAGES
from dedup_gui.engine.insights.outliers import DEFAULT_K

if TYPE_CHECKING:
    from dedup_gui.engine.types import Issue


def add_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="write an HTML gallery and CSV files: groups, clusters, outliers, quality")
    report.add_argument("folders", nargs="+", metavar="DIR", help="folders (or files) to scan")
    report.add_argument("--out", type=Path, required=True, metavar="FOLDER",
                        help="report folder: new, empty, or an earlier report")
    report.add_argument("--level", type=float, default=DEFAULT_LEVEL,
                        help="cosine at which images count as alike for clusters "
                             "(default: %(default)s)")
    report.add_argument("--linkage", choices=LINKAGES, default=DEFAULT_LINKAGE,
                        help="single = connected components; complete = every pair alike; "
                             "average = in between (default: %(default)s)")
    report.add_argument("-k", type=int, default=DEFAULT_K,
                        help="outliers: distance to the k-th nearest neighbour "
                             "(default: %(default)s)")
    report.add_argument("--show", type=int, default=None, metavar="N",
                        help="the page shows at most N groups, clusters, outliers and images "
                             "per quality flag (default: 100, 50, 100, 40); the CSV files "
                             "always hold everything")
    report.add_argument("--no-quality", action="store_true",
                        help="skip the quality checks (blurry, dark, bright, tiny)")
    add_scan_options(report, "hashes only: groups and quality flags, no clusters or outliers")
    report.set_defaults(run=run)


def _params(args: argparse.Namespace) -> Any:
    from dedup_gui.engine.insights.library import InsightParams

    require_inputs(args.folders)
    if args.show is not None and args.show < 0:
        raise UsageError("--show must be 0 or more")
    scan = scan_params(args)
    try:
        return InsightParams(scan, level=args.level, linkage=args.linkage, k=args.k,
                             quality=not args.no_quality)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _limits(args: argparse.Namespace):
    from dedup_gui.engine.export.html import DEFAULT_LIMITS, ReportLimits

    if args.show is None:
        return DEFAULT_LIMITS
    n = args.show
    return ReportLimits(groups=n, clusters=n, outliers=n, images_per_flag=n)


def run(args: argparse.Namespace) -> int:
    from dedup_gui.engine.export.report import ReportError, check_output_folder, write_report
    from dedup_gui.engine.insights.library import build_insights

    params = _params(args)
    try:
        check_output_folder(args.out, params.scan.roots)
    except ReportError as error:
        raise UsageError(str(error)) from None
    cache = open_cache(args)
    progress = terminal_progress(args)
    try:
        insights = build_insights(params, cache, progress)
        index = write_report(insights, args.out, limits=_limits(args), workers=args.workers,
                             progress=progress)
    except ReportError as error:
        raise UsageError(str(error)) from None
    finally:
        progress.finish()
        cache.close()
    _print_summary(insights, index)
    return EXIT_OK


def _print_summary(insights, index: Path) -> None:
    from dedup_gui.engine.insights.quality import FLAG_TEXT, FLAGS

    flags = ", ".join(f"{len(insights.flagged(f))} {FLAG_TEXT[f]}" for f in FLAGS)
    groups, clusters = len(insights.scan.groups), len(insights.clusters)
    series = len(insights.scan.series)
    print(f"{len(insights.files)} images: {groups} duplicate group{'s' * (groups != 1)}, "
          f"{series} similar-shot series, "
          f"{clusters} cluster{'s' * (clusters != 1)}; {flags} ({insights.seconds:.1f} s)")
    for outlier in insights.outliers[:5]:
        print(f"  outlier {outlier.rank}: {outlier.path} (distance {outlier.distance:.3f})")
    for warning in insights.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_unreadable(insights.scan.issues, index.parent / "unreadable.csv")
    print(f"report: {index}")


def _print_unreadable(issues: Sequence[Issue], listed: Path, shown: int = 10) -> None:
    """Name the files the scan could not read, as `scan` does (the report's summary only
    counted them: a packager's check); all of them are in unreadable.csv."""
    if not issues:
        return
    print(f"{len(issues)} files or folders could not be read (all in {listed}):")
    for issue in issues[:shown]:
        print(f"  {issue.path}: {issue.reason}")
    if len(issues) > shown:
        print(f"  … and {len(issues) - shown} more")
