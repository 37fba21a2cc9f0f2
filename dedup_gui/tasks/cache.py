"""The cache database as the app opens it, and the "not duplicates" decisions kept in it.
Engine modules are imported inside the calls so the window shows before numpy and sqlite-utils
are loaded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.types import GroupFile


def open_cache(path: str | None = None) -> Any:
    """The cache database: `path` (what the app chose: requests carry it to the engine process,
    whose environment may be older than the app's), else the configured one."""
    from dedup_gui.engine.store.cache import Cache

    return Cache(Path(path) if path else paths.cache_path())



def mark_not_duplicates(files: Sequence[GroupFile]) -> str | None:
    """Remember it in the cache database; None, or why it could not be saved."""
    return _with_decisions(lambda d: d.mark_not_duplicates(files))


def forget_not_duplicates(paths_: Sequence[str]) -> str | None:
    return _with_decisions(lambda d: d.forget(paths_))


def _with_decisions(change: Callable[[Any], bool]) -> str | None:
    from dedup_gui.engine.store.decisions import Decisions

    cache = open_cache()
    try:
        ok = change(Decisions(cache))
        return None if ok else "; ".join(cache.warnings) or "it could not be saved"
    finally:
        cache.close()
