"""`dedup-gui report DIR... --out FOLDER`: scan, then write the HTML gallery and CSV files.

The output folder is checked before the scan starts, so a wrong --out costs no time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dedup_gui import paths
from dedup_gui.cli import EXIT_OK, UsageError
from dedup_gui.engine.cache import Cache
from dedup_gui.engine.insights.clusters import DEFAULT_LEVEL, DEFAULT_LINKAGE, LINKAGES
from dedup_gui.engine.insights.outliers import DEFAULT_K
from dedup_gui.engine.tiers import DEFAULT_TIERS, TIERS
from dedup_gui.engine.types import HASH_KINDS
from dedup_gui.terminal import TerminalProgress


def add_report_parser(commands: argparse._SubParsersAction) -> None:
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
    report.add_argument("--hash", choices=HASH_KINDS, default="phash", dest="hash_kind",
                        help="as for scan")
    report.add_argument("--threshold", type=int, default=None, help="as for scan")
    report.add_argument("--hash-size", type=int, choices=(8, 16), default=8, help="as for scan")
    report.add_argument("--no-embeddings", action="store_true",
                        help="hashes only: groups and quality flags, no clusters or outliers")
    report.add_argument("--tiers", default=",".join(t for t in TIERS if t in DEFAULT_TIERS),
                        help="as for scan (default: %(default)s)")
    cache = report.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="PATH", help="cache database")
    cache.add_argument("--no-cache", action="store_true", help="do not read or write a cache")
    report.add_argument("--hidden", action="store_true", help="also scan hidden files")
    report.add_argument("--workers", type=int, default=None, help="processes (default: all)")
    report.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _params(args: argparse.Namespace):
    from dedup_gui.engine.insights.library import InsightParams
    from dedup_gui.engine.pipeline import ScanParams

    for folder in args.folders:
        if not os.path.exists(folder):
            raise UsageError(f"not found: {folder}")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.show is not None and args.show < 0:
        raise UsageError("--show must be 0 or more")
    try:
        scan = ScanParams(roots=tuple(args.folders), hash_kind=args.hash_kind,
                          threshold=args.threshold, hash_size=args.hash_size,
                          include_hidden=args.hidden, workers=args.workers,
                          embeddings=not args.no_embeddings,
                          tiers=frozenset(t.strip() for t in args.tiers.split(",") if t.strip()))
        return InsightParams(scan, level=args.level, linkage=args.linkage, k=args.k,
                             quality=not args.no_quality)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _limits(args: argparse.Namespace):
    from dedup_gui.engine.insights.report_html import DEFAULT_LIMITS, ReportLimits

    if args.show is None:
        return DEFAULT_LIMITS
    n = args.show
    return ReportLimits(groups=n, clusters=n, outliers=n, images_per_flag=n)


def run_report(args: argparse.Namespace) -> int:
    from dedup_gui.engine.insights.library import build_insights
    from dedup_gui.engine.insights.report import ReportError, check_output_folder, write_report

    params = _params(args)
    try:
        check_output_folder(args.out, params.scan.roots)
    except ReportError as error:
        raise UsageError(str(error)) from None
    cache = Cache(None if args.no_cache else paths.cache_path(args.cache))
    progress = TerminalProgress(sys.stderr)
    progress.enabled = progress.enabled and not args.quiet
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
    print(f"{len(insights.files)} images: {groups} duplicate group{'s' * (groups != 1)}, "
          f"{clusters} cluster{'s' * (clusters != 1)}; {flags} ({insights.seconds:.1f} s)")
    for outlier in insights.outliers[:5]:
        print(f"  outlier {outlier.rank}: {outlier.path} (distance {outlier.distance:.3f})")
    for warning in insights.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"report: {index}")
