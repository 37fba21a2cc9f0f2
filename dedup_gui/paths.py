"""Where dedup-gui keeps its files, in one place so tests and users can redirect them.

`DEDUP_GUI_CACHE` overrides the cache database path (the CLI's `--cache` wins over it);
`DEDUP_GUI_CONFIG_DIR` overrides the settings folder. Defaults follow platformdirs, i.e. the
XDG folders on Linux, ~/Library on macOS and %LOCALAPPDATA% on Windows.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "dedup-gui"
CACHE_ENV = "DEDUP_GUI_CACHE"
CONFIG_ENV = "DEDUP_GUI_CONFIG_DIR"
DATA_ENV = "DEDUP_GUI_DATA_DIR"  # the self-test's own (selftest._isolate)
CACHE_FILE = "cache.sqlite3"


def cache_path(override: str | os.PathLike | None = None) -> Path:
    """The cache database: `override`, else $DEDUP_GUI_CACHE, else the user cache folder."""
    if override:
        return Path(override).expanduser()
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / CACHE_FILE


def config_dir() -> Path:
    """The settings folder: $DEDUP_GUI_CONFIG_DIR, else the user config folder."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Where the app keeps what it made for the person (the last results): the user data
    folder (tests point XDG_DATA_HOME at a tmp folder), or $DEDUP_GUI_DATA_DIR."""
    if env := os.environ.get(DATA_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
