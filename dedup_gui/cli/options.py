"""The scan options, declared once for every command that scans (scan, evaluate, report), and
the one place the CLI turns them into the engine's ScanParams, cache and progress bar.

Only cheap engine modules (tiers, types) are imported here: `--help` stays fast, and the heavy
ones load when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.cli.errors import UsageError
from dedup_gui.engine.tiers import DEFAULT_TIERS, TIERS
from dedup_gui.engine.types import HASH_KINDS

HASHES_ONLY_HELP = "hashes only: faster, but finds only identical and re-saved copies"


def add_cache_options(parser: argparse.ArgumentParser) -> None:
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="PATH",
                       help=f"cache database (default: ${paths.CACHE_ENV} or the user cache "
                            "folder)")
    cache.add_argument("--no-cache", action="store_true", help="do not read or write a cache")


def add_scan_options(parser: argparse.ArgumentParser,
                     hashes_only_help: str = HASHES_ONLY_HELP) -> None:
    """--hash, --threshold, --hash-size, --no-embeddings, --tiers, the cache, --hidden,
    --workers and --quiet, with the same meaning for every command."""
    parser.add_argument("--hash", choices=HASH_KINDS, default="phash", dest="hash_kind",
                        help="perceptual hash used to compare images (default: phash)")
    parser.add_argument("--threshold", type=int, default=None,
                        help="largest Hamming distance that still counts as a duplicate "
                             "(default: the calibrated default for the hash)")
    parser.add_argument("--hash-size", type=int, choices=(8, 16), default=8,
                        help="hash side: 8 = 64-bit hashes (default), 16 = 256-bit")
    parser.add_argument("--no-embeddings", action="store_true", help=hashes_only_help)
    parser.add_argument("--tiers", default=",".join(t for t in TIERS if t in DEFAULT_TIERS),
                        help="which kinds of match count, comma-separated, from: "
                             f"{', '.join(TIERS)} (default: %(default)s)")
    parser.add_argument("--raw-jpeg-duplicates", action="store_true",
                        help="treat the RAW and JPEG of one shot as duplicates (the JPEG can "
                             "go) instead of one unit that moves together")
    add_cache_options(parser)
    parser.add_argument("--hidden", action="store_true", help="also scan hidden folders and files")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def require_inputs(folders: list[str], *, folders_only: bool = False) -> None:
    """Every DIR given exists (is a folder, with `folders_only`); else a UsageError."""
    for folder in folders:
        if folders_only and not os.path.isdir(folder):
            raise UsageError(f"not a folder: {folder}")
        if not os.path.exists(folder):
            raise UsageError(f"not found: {folder}")


STDOUT = Path("-")  # an output file named "-": standard output


def require_output_folders(*outputs: Path | None) -> None:
    """Every output file given can be written: its folder exists and it is no folder itself
    (checked before any work starts: a folder was refused only after an hour's scan)."""
    for out in outputs:
        if out is None or out == STDOUT:
            continue
        if out.is_dir():
            raise UsageError(f"is a folder, not a file: {out}")
        if not out.parent.resolve().is_dir():
            raise UsageError(f"output folder does not exist: {out.parent}")


def scan_params(args: argparse.Namespace) -> Any:
    """The engine's ScanParams from the scan options; a bad value is a UsageError."""
    from dedup_gui.engine.pipeline import ScanParams

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    tiers = frozenset(t.strip() for t in args.tiers.split(",") if t.strip())
    if not tiers:
        raise UsageError("--tiers names no kind of match")
    try:
        params = ScanParams(roots=tuple(args.folders), hash_kind=args.hash_kind,
                            threshold=args.threshold, hash_size=args.hash_size,
                            include_hidden=args.hidden, workers=args.workers,
                            embeddings=not args.no_embeddings,
                            raw_jpeg_duplicates=args.raw_jpeg_duplicates,
                            dask=getattr(args, "dask", None), tiers=tiers)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return _loose_enough(params)


def _loose_enough(params: Any) -> Any:
    """Refuse a hash threshold that groups unrelated pictures: two pictures with nothing in
    common differ in about half of their hash's bits, so a threshold past a quarter of them
    links photos that only share a layout (a curator's check: --threshold 64 proposed 735 of
    750 files in 24 groups, one of 351 unrelated photos)."""
    from dedup_gui.engine.pipeline import default_threshold

    bits = params.hash_size * params.hash_size
    if params.threshold > bits // 4:
        raise UsageError(f"--threshold {params.threshold} would group unrelated pictures "
                         f"(pictures with nothing in common differ in about {bits // 2} of the "
                         f"{bits} bits); use at most {bits // 4} (default "
                         f"{default_threshold(params.hash_kind, params.hash_size)})")
    return params


def described(params: Any) -> dict[str, Any]:
    """The settings a scan ran with, as its JSON output records them."""
    return {"roots": list(params.roots), "hash": params.hash_kind,
            "threshold": params.threshold, "hash_size": params.hash_size,
            "embeddings": params.embeddings, "tiers": sorted(params.tiers),
            "raw_jpeg_duplicates": params.raw_jpeg_duplicates}


def open_cache(args: argparse.Namespace) -> Any:
    from dedup_gui.engine.store.cache import Cache

    return Cache(None if args.no_cache else paths.cache_path(args.cache))


def terminal_progress(args: argparse.Namespace) -> Any:
    """A progress bar on stderr, off with --quiet (and when stderr is not a terminal)."""
    from dedup_gui.cli.progress import TerminalProgress

    progress = TerminalProgress(sys.stderr)
    progress.enabled = progress.enabled and not getattr(args, "quiet", False)
    return progress
