"""What a frozen (PyInstaller) app does differently: its libraries live in the bundle, and the
programs it starts for the user must not load them.

The bundle's launcher starts the app with LD_LIBRARY_PATH pointing at the bundle (the user's own
value saved as LD_LIBRARY_PATH_ORIG). The app process has loaded its libraries by then, but the
variable would leak into what it starts for the user: xdg-open, then a file manager or an image
viewer, which would load the bundle's OpenSSL or SQLite instead of their own. The GUI process
therefore gives the user's value back. Its own helper processes (the engine process and, through
it, multiprocessing's) are the bundle again: the launcher treats them as part of the running app
and does not set the variable a second time, so they get the bundle's value explicitly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

LIBRARY_PATH = "LD_LIBRARY_PATH"
SAVED = "LD_LIBRARY_PATH_ORIG"  # PyInstaller's name for the value it replaced


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def give_back_library_path() -> None:
    """In the GUI process: the user's LD_LIBRARY_PATH again (or none, if they had none)."""
    if not is_frozen():
        return
    original = os.environ.pop(SAVED, None)
    if original is None:
        os.environ.pop(LIBRARY_PATH, None)
    else:
        os.environ[LIBRARY_PATH] = original


def helper_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """`environment` for a helper process of this app: in a frozen app, the bundle's libraries
    first on the library path, as the launcher set it for this process."""
    result = dict(environment)
    bundle = getattr(sys, "_MEIPASS", None)
    if not is_frozen() or not bundle:
        return result
    user = result.get(SAVED, result.get(LIBRARY_PATH, ""))
    paths = [bundle, *(p for p in user.split(os.pathsep) if p and p != bundle)]
    result[LIBRARY_PATH] = os.pathsep.join(paths)
    return result
