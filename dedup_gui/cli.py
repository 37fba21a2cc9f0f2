"""The command-line front end: argparse over the engine, no Qt.

Errors people can cause (bad arguments, missing folders, unwritable output) give one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from dedup_gui import __version__, paths
from dedup_gui.engine.similarity import METRICS
from dedup_gui.engine.tiers import DEFAULT_TIERS, TIERS
from dedup_gui.engine.types import HASH_KINDS

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


class UsageError(Exception):
    """A mistake in the command line; printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dedup-gui", description="Find duplicate and near-duplicate photos.")
    parser.add_argument("--version", action="version", version=f"dedup-gui {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation: open the app offscreen, scan generated "
                             "photos with the model, print a one-line verdict, exit 0 or 1")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    scan = commands.add_parser("scan", help="find duplicate groups in folders")
    scan.add_argument("folders", nargs="+", metavar="DIR", help="folders (or files) to scan")
    scan.add_argument("--hash", choices=HASH_KINDS, default="phash", dest="hash_kind",
                      help="perceptual hash used to compare images (default: phash)")
    scan.add_argument("--threshold", type=int, default=None,
                      help="largest Hamming distance that still counts as a duplicate "
                           "(default: the calibrated default for the hash)")
    scan.add_argument("--hash-size", type=int, choices=(8, 16), default=8,
                      help="hash side: 8 = 64-bit hashes (default), 16 = 256-bit")
    scan.add_argument("--no-embeddings", action="store_true",
                      help="hashes only: faster, but finds only identical and re-saved copies")
    scan.add_argument("--tiers", default=",".join(t for t in TIERS if t in DEFAULT_TIERS),
                      help="which kinds of match count, comma-separated, from: "
                           f"{', '.join(TIERS)} (default: %(default)s)")
    scan.add_argument("--json", type=Path, metavar="FILE", help="write groups as JSON")
    scan.add_argument("--csv", type=Path, metavar="FILE", help="write groups as CSV")
    cache = scan.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="PATH",
                       help=f"cache database (default: ${paths.CACHE_ENV} or the user cache "
                            "folder)")
    cache.add_argument("--no-cache", action="store_true", help="do not read or write a cache")
    scan.add_argument("--hidden", action="store_true", help="also scan hidden folders and files")
    scan.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    scan.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    compare = commands.add_parser("compare", help="compare two images signal by signal")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    query = commands.add_parser("query", help="find the library images nearest to one image")
    query.add_argument("image", metavar="IMAGE")
    query.add_argument("folders", nargs="+", metavar="DIR")
    query.add_argument("-k", type=int, default=5, help="how many matches (default: 5)")
    query.add_argument("--metric", choices=(*METRICS, "vote"), default="cosine",
                       help="distance to rank by, or 'vote' of all five (default: cosine)")
    query_cache = query.add_mutually_exclusive_group()
    query_cache.add_argument("--cache", type=Path, metavar="PATH", help="cache database")
    query_cache.add_argument("--no-cache", action="store_true", help="do not use a cache")
    from dedup_gui.cli_evaluate import add_parser as add_evaluate_parser

    add_evaluate_parser(commands)
    from dedup_gui.cli_report import add_report_parser

    add_report_parser(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "compare":
        from dedup_gui.cli_tools import run_compare

        return run_compare(args)
    if args.command == "query":
        from dedup_gui.cli_tools import run_query

        return run_query(args)
    if args.command == "evaluate":
        from dedup_gui.cli_evaluate import run_evaluate

        return run_evaluate(args)
    if args.command == "report":
        from dedup_gui.cli_report import run_report

        return run_report(args)
    from dedup_gui.cli_scan import run_scan_command

    return run_scan_command(args)


def _paths_never_crash_printing() -> None:
    """A file name that is not UTF-8 reaches Python with surrogate escapes; printing it under a
    strict UTF-8 locale would crash the command. Write its original bytes instead (or a
    backslash escape where the terminal is not UTF-8)."""
    for stream in (sys.stdout, sys.stderr):
        utf8 = (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8"
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _paths_never_crash_printing()
    try:
        args = build_parser().parse_args(argv)
        if args.self_test:
            from dedup_gui.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            raise UsageError("no command given (try: dedup-gui scan DIR)")
        return _run(args)
    except UsageError as error:
        print(f"dedup-gui: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ndedup-gui: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
