"""The review session that survives a restart: the last results with the person's marks,
dismissals and what went to the Trash, written atomically to the user data folder and read back
at start-up. When read back, every grouped file is checked against the disk (size and mtime):
a file changed or gone since the scan is left out of the review, never acted on.

Pickle is used because the results are the engine's own frozen dataclasses and the file is the
app's own, in the person's data folder; a file that does not read back (damaged, from another
version) is set aside and the app starts without results, saying why.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.types import reclaimable_bytes
from dedup_gui.tasks.gc_pause import gc_paused

SESSION_VERSION = 1
SESSION_FILE = "last-results.pickle"


@dataclass(slots=True)
class Session:
    outcome: Any  # tasks.scan.ScanOutcome
    remove: list[set[str]]
    dismissed: set[int] = field(default_factory=set)
    trashed: set[str] = field(default_factory=set)
    opened: set[int] = field(default_factory=set)
    version: int = SESSION_VERSION
    # Added within version 1: a session pickled before it reads back with this slot unset
    # (ReviewState.restore reads it with getattr and a default), so it is not set aside.
    moved_to: dict[str, str] = field(default_factory=dict)  # of `trashed`: moved to a folder
    # per similar-shot series: the shots marked Remove ("keep the best of each series" or by
    # hand); a session saved before series had marks has none (read with series_marks())
    series_remove: list[set[str]] = field(default_factory=list)
    # per group / series: the Remove marks a Protected tick took off, given back if the tick is
    # cleared (qt/review/review_protection.py); none in a session saved before
    lifted: dict[int, set[str]] = field(default_factory=dict)
    series_lifted: dict[int, set[str]] = field(default_factory=dict)
    # (a series?, its index) -> the Remove marks a move took off, given back by Undo
    # (qt/review/review_releases.py); none in a session saved before
    released: dict[tuple[bool, int], set[str]] = field(default_factory=dict)
    # the group on show when the app closed, opened again on reopening (-1: none, or a
    # session saved before: the first group opens)
    on_show: int = -1


def series_marks(session: Session, count: int) -> list[set[str]]:
    """The session's series marks, one set per series of its results (none when it predates
    them or does not fit)."""
    saved = getattr(session, "series_remove", None) or []
    return [set(marks) for marks in saved] if len(saved) == count else \
        [set() for _ in range(count)]


def session_path() -> Path:
    return paths.data_dir() / SESSION_FILE


def save_session(session: Session | None, path: Path | None = None) -> str | None:
    """Write `session` (None: forget the last results); why it failed, or None."""
    path = path or session_path()
    try:
        if session is None:
            path.unlink(missing_ok=True)
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        try:
            with open(temporary, "wb") as handle:
                pickle.dump(session, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)  # a full disk left a cut last-results.tmp
            raise
        return None
    except OSError as error:
        return f"The results could not be saved for next time: {error.strerror or error}."


def load_session(path: Path | None = None) -> tuple[Session | None, str | None]:
    """The saved session, or None; and a message when a saved one could not be used."""
    path = path or session_path()
    if not path.exists():
        return None, None
    try:
        with open(path, "rb") as handle:
            session = pickle.load(handle)
        if not isinstance(session, Session) or session.version != SESSION_VERSION:
            raise ValueError("another version")
        return session, None
    except Exception as error:  # any damage means: start without results, and say so
        kept = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, kept)
        except OSError:
            kept = path
        return None, (f"The last results could not be reopened ({type(error).__name__}); "
                      f"scan again. The file was kept as {kept}.")


@dataclass(frozen=True, slots=True)
class Reopened:
    """A saved session read back off the UI thread, with what the review would otherwise
    compute on it: each group's reclaimable bytes with the trashed files left out."""

    session: Session | None
    problem: str | None
    reclaim: list[int] = field(default_factory=list)


def reopen_session(path: Path | None = None) -> Reopened:
    """load_session and the groups' reclaimable bytes: at 50,000 groups the unpickling alone
    takes seconds, so it runs on a worker and the window shows the result when it is ready."""
    with gc_paused():  # hundreds of thousands of objects that live on: no GC passes over them
        session, problem = load_session(path)
        if session is None:
            return Reopened(None, problem)
        out = set(session.trashed)
        groups = session.outcome.result.groups
        reclaim = [reclaimable_bytes([group], [remove - out])
                   for group, remove in zip(groups, session.remove, strict=True)]
    return Reopened(session, problem, reclaim)


def changed_since_scan(outcome: Any, skip: set[str]) -> set[str]:
    """Grouped files and similar shots (not in `skip`) that are gone or whose size or mtime
    changed."""
    changed, skip = set(), set(skip)  # a file in a group and a series is looked at once
    sets = (*outcome.result.groups, *getattr(outcome.result, "series", ()))
    for found in sets:
        for file in found.files:
            if file.path in skip:
                continue
            skip.add(file.path)
            try:
                stat = os.stat(file.path)
            except OSError:
                changed.add(file.path)
                continue
            if stat.st_size != file.size or stat.st_mtime_ns != file.mtime_ns:
                changed.add(file.path)
    return changed
