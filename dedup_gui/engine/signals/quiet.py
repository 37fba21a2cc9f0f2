"""One shared silencer for Pillow's warnings about files it copes with (the loader and the
capture reader both use it)."""

from __future__ import annotations

import threading
import warnings


class _WarningSilencer:
    """Ignores Pillow's warnings (corrupt EXIF, odd MPO ...) about files it copes with.

    Under `-W error` they would fail good loads. catch_warnings swaps the process-wide filter list,
    so overlapping uses in worker threads would restore each other's; one shared use avoids that.
    """

    _PATTERN = r"(PIL|pillow_heif|rawpy|dedup_gui\.engine\.imageio)\b"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._guard: warnings.catch_warnings | None = None

    def __enter__(self) -> None:
        with self._lock:
            if self._users == 0:
                self._guard = warnings.catch_warnings()
                self._guard.__enter__()
                warnings.filterwarnings("ignore", module=self._PATTERN)
            self._users += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._guard is not None:
                self._guard.__exit__(None, None, None)
                self._guard = None


SILENCER = _WarningSilencer()


def quiet_pillow() -> _WarningSilencer:
    """The loader's warning silencer, for other readers of image headers (capture metadata)."""
    return SILENCER
