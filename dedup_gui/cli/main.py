"""The command-line front end: argparse over the engine, no Qt.

Errors people can cause (bad arguments, missing folders, unwritable output) give one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from dedup_gui import __version__
from dedup_gui.cli import compare, evaluate, query, report, scan
from dedup_gui.cli.errors import EXIT_CANCELLED, EXIT_USAGE, UsageError

COMMANDS = (scan, compare, query, evaluate, report)  # each: add_parser(), run(args)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dedup-gui", description="Find duplicate and near-duplicate photos.",
                     epilog="--self-test (handled before the CLI): check this installation: "
                            "open the app offscreen, scan generated photos with the model, "
                            "print a one-line verdict, exit 0 or 1. Without arguments, "
                            "dedup-gui opens the app.")
    parser.add_argument("--version", action="version", version=f"dedup-gui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def command_names() -> set[str]:
    """The subcommands' names (`dedup-gui FOLDER...` opens the app unless FOLDER is one)."""
    parser = build_parser()
    found = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(next(found).choices)


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
        if args.command is None:
            raise UsageError("no command given (try: dedup-gui scan DIR)")
        return args.run(args)
    except UsageError as error:
        print(f"dedup-gui: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ndedup-gui: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
