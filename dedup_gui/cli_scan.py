"""`dedup-gui scan`: run the engine with a terminal progress bar, print a summary, export."""

from __future__ import annotations

import argparse
import os
import sys

from dedup_gui import paths
from dedup_gui.cli import EXIT_ERROR, EXIT_OK, UsageError
from dedup_gui.engine.cache import Cache
from dedup_gui.engine.export import summary, write_csv, write_json
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.types import ScanResult
from dedup_gui.terminal import TerminalProgress, human_bytes


def _check_inputs(args: argparse.Namespace) -> None:
    for folder in args.folders:
        if not os.path.exists(folder):
            raise UsageError(f"not found: {folder}")
    for out in (args.json, args.csv):
        if out is not None and not out.parent.resolve().is_dir():
            raise UsageError(f"output folder does not exist: {out.parent}")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")


def _params(args: argparse.Namespace) -> ScanParams:
    try:
        return ScanParams(roots=tuple(args.folders), hash_kind=args.hash_kind,
                          threshold=args.threshold, hash_size=args.hash_size,
                          include_hidden=args.hidden, workers=args.workers,
                          embeddings=not args.no_embeddings,
                          tiers=frozenset(t.strip() for t in args.tiers.split(",") if t.strip()))
    except ValueError as error:
        raise UsageError(str(error)) from None


def _print_summary(result: ScanResult) -> None:
    numbers = summary(result)
    print(f"{numbers['files']} images, {numbers['groups']} duplicate groups with "
          f"{numbers['files_in_groups']} files; {human_bytes(numbers['reclaimable_bytes'])} "
          f"reclaimable. ({result.stats.decoded} decoded, {result.stats.cached} from cache, "
          f"{result.stats.seconds:.1f} s)")
    if result.issues:
        print(f"{len(result.issues)} files or folders could not be read:")
        for issue in result.issues[:20]:
            print(f"  {issue.path}: {issue.reason}")
        if len(result.issues) > 20:
            print(f"  … and {len(result.issues) - 20} more (see --json)")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _export(result: ScanResult, args: argparse.Namespace, params: ScanParams) -> None:
    described = {"roots": list(params.roots), "hash": params.hash_kind,
                 "threshold": params.threshold, "hash_size": params.hash_size,
                 "embeddings": params.embeddings, "tiers": sorted(params.tiers)}
    try:
        if args.json is not None:
            write_json(result, args.json, described)
        if args.csv is not None:
            write_csv(result, args.csv)
    except OSError as error:
        raise UsageError(f"could not write output: {error.strerror}: {error.filename}") from None


def run_scan_command(args: argparse.Namespace) -> int:
    _check_inputs(args)
    params = _params(args)
    cache = Cache(None if args.no_cache else paths.cache_path(args.cache))
    progress = TerminalProgress(sys.stderr)
    progress.enabled = progress.enabled and not args.quiet
    try:
        result = run_scan(params, cache, progress)
    finally:
        progress.finish()
        cache.close()
    _print_summary(result)
    _export(result, args, params)
    return EXIT_OK if result.stats.files or not result.issues else EXIT_ERROR


