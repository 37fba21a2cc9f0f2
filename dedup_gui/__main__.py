"""`dedup-gui` with no arguments opens the app; with a subcommand it runs the CLI."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen (PyInstaller) app re-enters here in workers
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from dedup_gui.qt.app import run_app

        return run_app()
    from dedup_gui.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
