"""`dedup-gui` with no arguments opens the app; with a subcommand it runs the CLI.

It is also the frozen (PyInstaller) app's entry script, and a frozen app re-enters here for its
helper processes: multiprocessing's (handled by freeze_support) and the scan's engine process
(started with a hidden flag, since a frozen app has no `python -m`). `--self-test` opens the
app offscreen, so it is dispatched here, above both front ends.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen (PyInstaller) app re-enters here in workers
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from dedup_gui.frozen import give_back_library_path
        from dedup_gui.qt.app import run_app

        give_back_library_path()  # a frozen GUI: what it opens for the user gets the user's own
        return run_app()
    from dedup_gui.tasks.process import ENGINE_PROCESS_FLAG

    if args == [ENGINE_PROCESS_FLAG]:
        from dedup_gui.tasks.engine_child import main as engine_process_main

        return engine_process_main()
    from dedup_gui.selftest import SELF_TEST_FLAG

    if args == [SELF_TEST_FLAG]:
        from dedup_gui.selftest import run_self_test

        return run_self_test()
    from dedup_gui.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
