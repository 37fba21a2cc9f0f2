"""Moving files to the Trash and undoing it, each batch journaled in the cache database.
Run in the app's process on a worker thread (short, and the journal is there)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.types import Group
from dedup_gui.tasks.cache import open_cache


def plan_removal(groups: Sequence[Group], marks: set[str], protected: Sequence[str]) -> Any:
    """The engine's RemovalPlan (count, total_bytes, files, refusals); touches no file."""
    from dedup_gui.engine.actions.removal import plan_removal as engine_plan

    return engine_plan(groups, marks, protected)


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """Per-file outcomes of a trash or undo batch, plus journal warnings."""

    outcomes: list[Any]  # engine actions.Outcome: path, ok, reason
    warnings: list[str]

    @property
    def succeeded(self) -> set[str]:
        return {o.path for o in self.outcomes if o.ok}

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(o.path, o.reason) for o in self.outcomes if not o.ok]


def _with_journal(action: Callable[[Any], list[Any]]) -> ActionOutcome:
    from dedup_gui.engine.actions.journal import Journal

    cache = open_cache()
    try:
        journal = Journal(cache)
        outcomes = action(journal)
        return ActionOutcome(outcomes, [*journal.warnings, *cache.warnings])
    finally:
        cache.close()


def trash_call(plan: Any) -> Callable[[ProgressCallback, CancelToken], ActionOutcome]:
    def call(progress: ProgressCallback, cancel: CancelToken) -> ActionOutcome:
        from dedup_gui.engine.actions.removal import move_to_trash

        return _with_journal(lambda journal: move_to_trash(plan, journal, progress, cancel))

    return call


def undo_call(progress: ProgressCallback, _cancel: CancelToken) -> ActionOutcome:
    """Restore the newest batch still in the Trash (undo is not cancellable: it is short and
    stopping half-way would leave a batch split between the Trash and its folders)."""
    from dedup_gui.engine.actions.removal import undo_last_batch

    return _with_journal(lambda journal: undo_last_batch(journal, progress))


def warm_up_call(_progress: ProgressCallback, _cancel: CancelToken) -> None:
    """Import what the in-process calls (journal, trash, undo) need while the app is idle.
    Left to the first such call, the import (sqlite-utils and its dependencies: 0.2 s, mostly
    holding the GIL) ran just as a scan's results were shown, part of a 200–300 ms UI stall."""


def can_undo_call(_progress: ProgressCallback, _cancel: CancelToken) -> bool:
    """Whether the journal holds a batch with files still in the Trash (from any session)."""
    from dedup_gui.engine.actions.journal import Journal, JournalError
    from dedup_gui.engine.actions.removal import undo_supported

    if not undo_supported():
        return False
    cache = open_cache()
    try:
        return Journal(cache).last_undoable() is not None
    except JournalError:
        return False
    finally:
        cache.close()


def folder_call(plan: Any, target: str, roots: Sequence[str]
                ) -> Callable[[ProgressCallback, CancelToken], ActionOutcome]:
    """Move to folder (engine/actions/folder_move.py), journaled so undo puts the files back."""
    def call(progress: ProgressCallback, cancel: CancelToken) -> ActionOutcome:
        from dedup_gui.engine.actions.folder_move import move_to_folder

        return _with_journal(
            lambda journal: move_to_folder(plan, target, roots, journal, progress, cancel))

    return call


def folder_problem(target: str, roots: Sequence[str]) -> str | None:
    """Why `target` cannot take moved files (not a folder, inside a scanned folder), or None."""
    from dedup_gui.engine.actions.folder_move import target_problem

    return target_problem(target, roots)


def stamps_of(plan: Any) -> dict[str, tuple[int, int]]:
    """Each planned file's size and mtime (a companion's as checked when planned)."""
    return {f.path: (f.size, f.mtime_ns) for f in plan.files}


def restamped(plan: Any, stamps: dict[str, tuple[int, int]]) -> Any:
    """`plan` with each file's size and mtime as `stamps` recorded them when it first moved, so
    Redo moves only files unchanged since (a companion is otherwise stamped when planned, and
    an edited sidecar would go along unnoticed)."""
    from dataclasses import replace

    return replace(plan, files=tuple(
        replace(f, size=stamps[f.path][0], mtime_ns=stamps[f.path][1]) if f.path in stamps
        else f for f in plan.files))
