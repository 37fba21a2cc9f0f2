"""`dedup-gui` with no arguments opens the app; with a subcommand it runs the CLI.

It is also the frozen (PyInstaller) app's entry script, and a frozen app re-enters here for its
helper processes: multiprocessing's (handled by freeze_support) and the scan's engine process
(started with a hidden flag, since a frozen app has no `python -m`). `--self-test` opens the
app offscreen, so it is dispatched here, above both front ends.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen (PyInstaller) app re-enters here in workers
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or opens_folders(args):
        if no_display():
            print("dedup-gui: error: there is no display to open the app on (DISPLAY and "
                  "WAYLAND_DISPLAY are not set); run a command instead, e.g. dedup-gui scan "
                  "DIR (dedup-gui --help lists them)", file=sys.stderr)
            return 2
        from dedup_gui.frozen import give_back_library_path
        from dedup_gui.qt.app import run_app

        give_back_library_path()  # a frozen GUI: what it opens for the user gets the user's own
        return run_app(args)
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


def opens_folders(args: Sequence[str]) -> bool:
    """`dedup-gui FOLDER...` (the menu entry's %F: folders dropped on the launcher, Open
    With): every argument an existing folder or file, the first not a command's name. The app
    opens with them added (`dedup-gui /path` said "invalid choice": a packager's check)."""
    if any(a.startswith("-") or not os.path.exists(a) for a in args):
        return False
    from dedup_gui.cli.main import command_names

    return args[0] not in command_names()


def no_display() -> bool:
    """On Linux and the BSDs without X11 or Wayland (and no Qt platform chosen), Qt aborts with
    a core dump (exit 134) and lines about xcb plugins (a curator's check on a server)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    return not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY",
                                                      "QT_QPA_PLATFORM"))


if __name__ == "__main__":
    sys.exit(main())
