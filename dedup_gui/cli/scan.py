"""`dedup-gui scan`: run the engine with a terminal progress bar, print a summary, export."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedup_gui.cli.errors import EXIT_ERROR, EXIT_OK, UsageError
from dedup_gui.cli.options import (
    STDOUT,
    add_scan_options,
    described,
    open_cache,
    require_inputs,
    require_output_folders,
    scan_params,
    terminal_progress,
)
from dedup_gui.text import human_bytes


def add_parser(commands: argparse._SubParsersAction) -> None:
    scan = commands.add_parser("scan", help="find duplicate groups in folders")
    scan.add_argument("folders", nargs="+", metavar="DIR", help="folders (or files) to scan")
    scan.add_argument("--json", type=Path, metavar="FILE",
                      help="write groups as JSON ('-': to standard output, the summary to "
                           "standard error)")
    scan.add_argument("--csv", type=Path, metavar="FILE",
                      help="write groups as CSV ('-': to standard output)")
    add_scan_options(scan)
    scan.add_argument("--dask", metavar="ADDRESS",
                      help="decode on a Dask cluster: a scheduler address (tcp://host:8786) or "
                           "'local' for a LocalCluster of --workers processes; the workers must "
                           "see the files under the same paths (README: Scanning on a cluster)")
    scan.set_defaults(run=run)


FROM_CACHE = "from cache or byte copies"  # a first scan decodes each content once too
NOT_AGAIN = "byte copies not decoded again"


def _print_summary(result: Any, keepers: Any, cached: str = FROM_CACHE) -> None:
    """`cached`: what the files not decoded are called (without a cache: byte copies of
    decoded ones, not "from cache", a curator's check; a first scan into an empty cache said
    "8 from cache" of its byte copies, a hostile-input check)."""
    from dedup_gui.engine.export.results import summary

    numbers = summary(result, keepers)
    unread = f" ({numbers['unreadable']} could not be read)" if numbers["unreadable"] else ""
    print(f"{numbers['files']} files{unread}, {numbers['groups']} duplicate groups with "
          f"{numbers['files_in_groups']} files; {human_bytes(numbers['reclaimable_bytes'])} "
          f"reclaimable. ({result.stats.decoded} decoded, {result.stats.cached} {cached}, "
          f"{result.stats.seconds:.1f} s)")
    if result.series:
        shots = sum(len(s.files) for s in result.series)
        print(f"{len(result.series)} similar-shot series with {shots} files (other shots of "
              f"one scene, not duplicates; nothing proposed):")
        for series in result.series[:10]:
            others = len(series.files) - 1
            kind = "exposure bracket kept whole" if series.bracket else "best"
            print(f"  {kind}: {series.best} ({series.best_reason}), "
                  f"{others} other shot{'s' * (others != 1)}")
        if len(result.series) > 10:
            print(f"  … and {len(result.series) - 10} more (see --json)")
    if result.issues:
        print(f"{len(result.issues)} files or folders could not be read:")
        for issue in result.issues[:20]:
            print(f"  {issue.path}: {issue.reason}")
        if len(result.issues) > 20:
            print(f"  … and {len(result.issues) - 20} more (see --json)")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _export(result: Any, args: argparse.Namespace, params: Any, keepers: Any) -> None:
    """The JSON and CSV files asked for; "-" writes one to standard output (the summary then
    goes to standard error, so a script reads nothing else there)."""
    from dedup_gui.engine.export.results import write_csv, write_json

    if args.json == STDOUT:
        write_json(result, sys.stdout.buffer, described(params), keepers)
    elif args.json is not None:
        _written(args.json, lambda path: write_json(result, path, described(params), keepers))
    if args.csv == STDOUT:
        sys.stdout.flush()
        text = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        write_csv(result, text, keepers)
        text.detach()
    elif args.csv is not None:
        _written(args.csv, lambda path: write_csv(result, path, keepers))


def _written(target: Path, write: Callable[[Path], None]) -> None:
    """`write` to a file beside `target`, then put it in place: a full disk leaves no empty or
    cut file behind, and the message names the file (a hostile-input check: a 0-byte
    out.json, and "could not write output: No space left on device: None")."""
    partial = target.with_name(target.name + ".partial")
    try:
        write(partial)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UsageError(f"could not write {target}: {error.strerror or error}; nothing was "
                         "written there") from None


def _reviewed(result: Any, cache: Any, progress: Any = None) -> tuple[Any, Any]:
    """The default chain's proposal: what the summary's reclaimable bytes count, and the
    export's keep, origin and keeper reason (one definition for the app, JSON and report);
    the series read as exposures against it (series_shots.py), as the app shows them."""
    from dataclasses import replace

    from dedup_gui.engine.actions.proposals import proposals_for
    from dedup_gui.engine.actions.series_shots import series_by_exposure
    from dedup_gui.engine.export.results import Keepers

    proposals, provenance = proposals_for(result.groups, cache, progress=progress)
    keeps = [p.keep for p in proposals]
    result = replace(result, series=series_by_exposure(result.series, result.groups, keeps))
    return result, Keepers([p.remove for p in proposals], [p.reason for p in proposals],
                           {path: known.label for path, known in provenance.items()})


def _scan(params: Any, cache: Any, progress: Any) -> Any:
    """run_scan; a cluster that cannot be used is the user's to fix: one line, exit 2."""
    from dedup_gui.engine.cluster import ClusterUnavailable
    from dedup_gui.engine.pipeline import run_scan

    try:
        if params.dask is not None:
            from dedup_gui.engine.cluster import require_dask, require_scheduler

            require_dask()
            require_scheduler(params.dask)
        return run_scan(params, cache, progress)
    except ClusterUnavailable as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    require_inputs(args.folders)
    require_output_folders(args.json, args.csv)
    if args.json == STDOUT and args.csv == STDOUT:
        raise UsageError("only one of --json and --csv can go to standard output ('-')")
    params = scan_params(args)
    cache = open_cache(args)
    progress = terminal_progress(args)
    try:
        result = _scan(params, cache, progress)
        result, keepers = _reviewed(result, cache, progress)  # as the app and JSON count
    finally:
        progress.finish()
        cache.close()
    cached = NOT_AGAIN if args.no_cache else FROM_CACHE
    with contextlib.redirect_stdout(sys.stderr if STDOUT in (args.json, args.csv)
                                    else sys.stdout):
        _print_summary(result, keepers, cached)
    _export(result, args, params, keepers)
    return EXIT_OK if result.stats.files or not result.issues else EXIT_ERROR
