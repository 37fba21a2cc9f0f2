"""Undo: put the newest batch of moved files back from the Trash, as the journal recorded it.

Only the freedesktop Trash (Linux, the BSDs) can be read back; elsewhere each file's Outcome says
how to restore it by hand, and nothing is marked undone. Files moved to a quarantine folder
(quarantine.py) come back from there on every system. A file is never restored over something
that now occupies its path.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path

from dedup_gui.engine.actions import left_folders, trash_restore
from dedup_gui.engine.actions.journal import (
    LOST,
    PENDING,
    QUARANTINED,
    RESTORED,
    SKIPPED,
    TRASHED,
    Journal,
    JournalError,
    JournalItem,
    Outcome,
)
from dedup_gui.engine.progress import ProgressCallback, report

STAGE_RESTORE = "restoring from the Trash"
QUARANTINE_GONE = "it is no longer in the quarantine folder (moved or deleted from there)"
_UNDOABLE = (TRASHED, QUARANTINED, PENDING)


def undo_supported() -> bool:
    """Whether undo can restore files here (the freedesktop Trash); front ends grey it out else."""
    return trash_restore.freedesktop()


def undo_last_batch(journal: Journal, progress: ProgressCallback | None = None
                    ) -> list[Outcome]:
    """Put back every file of the newest batch that still has files in the Trash; one Outcome
    per such file. A file whose original path is now taken is refused and stays in the Trash,
    and the batch stays the one to undo: undo again once the path is free. The batch is marked
    undone when none of its files is left in the Trash. Raises JournalError only when the
    journal cannot be read at all."""
    batch = journal.last_undoable()
    if batch is None:
        return []
    items = [i for i in journal.items(batch) if i.state in _UNDOABLE]
    outcomes = []
    for done, item in enumerate(items):
        report(progress, STAGE_RESTORE, done, len(items), item.path)
        outcomes.append(_undo_one(journal, item))
    report(progress, STAGE_RESTORE, len(items), len(items))
    if journal.last_undoable() != batch:
        with contextlib.suppress(JournalError):  # derived anyway: no item of it is in the Trash
            journal.mark_undone(batch)
    return outcomes


def _undo_one(journal: Journal, item: JournalItem) -> Outcome:
    if item.state == PENDING and item.trashed_as is not None:  # a quarantine move was under way
        item = _resolve_pending_quarantine(journal, item)
    if item.state == QUARANTINED:
        return _undo_quarantined(journal, item)
    if item.state not in _UNDOABLE:
        return Outcome(item.path, False, item.reason or "it was never moved")
    if not trash_restore.freedesktop():
        return Outcome(item.path, False, trash_restore.manual_restore_hint(item.path))
    if item.state == PENDING and (item := _resolve_pending(journal, item)).state != TRASHED:
        return Outcome(item.path, False, item.reason or "it was never moved")
    if item.trashed_as is None:
        hint = trash_restore.manual_restore_hint(item.path)
        _note(journal, item, LOST, hint)
        return Outcome(item.path, False, hint)
    refused = trash_restore.restore(Path(item.trashed_as), item.path)
    if refused is None:
        _note(journal, item, RESTORED, "restored")
        return Outcome(item.path, True, "restored", item.trashed_as)
    _note(journal, item, LOST if refused == trash_restore.GONE else TRASHED, refused)
    return Outcome(item.path, False, refused, item.trashed_as)


def _undo_quarantined(journal: Journal, item: JournalItem) -> Outcome:
    assert item.trashed_as is not None
    refused = trash_restore.put_back(Path(item.trashed_as), item.path, QUARANTINE_GONE)
    if refused is None:
        left_folders.remove_emptied(item.trashed_as, item.path, item.reason)
        _note(journal, item, RESTORED, "restored")
        return Outcome(item.path, True, "restored", item.trashed_as)
    _note(journal, item, LOST if refused == QUARANTINE_GONE else QUARANTINED, refused)
    return Outcome(item.path, False, refused, item.trashed_as)


def _resolve_pending_quarantine(journal: Journal, item: JournalItem) -> JournalItem:
    """The app stopped moving `item` to its quarantine target (journaled before the move): it is
    either there, or still at its path (a leftover link to it in quarantine is removed)."""
    assert item.trashed_as is not None
    target = item.trashed_as
    if os.path.lexists(item.path):
        with contextlib.suppress(OSError):
            if os.path.samefile(item.path, target):  # linked, not yet unlinked from its folder
                os.unlink(target)
        _note(journal, item, SKIPPED, "it was never moved")
        return replace(item, state=SKIPPED, reason="it was never moved")
    if trash_restore.same_file(target, item.size, item.mtime_ns):
        _note(journal, item, QUARANTINED, None, target, QUARANTINED)
        return replace(item, state=QUARANTINED)
    _note(journal, item, LOST, QUARANTINE_GONE)
    return replace(item, state=LOST, reason=QUARANTINE_GONE)


def _resolve_pending(journal: Journal, item: JournalItem) -> JournalItem:
    """An item the app stopped on: find it in the Trash, or note that it never left."""
    found = trash_restore.find_trashed(item.path, item.size, item.mtime_ns)
    if found is not None:
        _note(journal, item, TRASHED, None, os.fspath(found))
        return replace(item, state=TRASHED, trashed_as=os.fspath(found))
    if os.path.lexists(item.path):
        state, reason = SKIPPED, "it was never moved"
    else:
        state, reason = LOST, trash_restore.manual_restore_hint(item.path)
    _note(journal, item, state, reason)
    return replace(item, state=state, reason=reason)


def _note(journal: Journal, item: JournalItem, state: str, reason: str | None,
          trashed_as: str | None = None, found_state: str = TRASHED) -> None:
    """Record an undo result; the file is already where the outcome says, so a journal that
    cannot be written only costs a warning (the next undo re-checks the Trash anyway)."""
    try:
        if trashed_as is not None:
            journal.record_found(item, trashed_as, found_state)
        else:
            journal.record_undo(item, state, reason or "")
    except JournalError as error:
        journal.warnings.append(f"Undo of {item.path} was not recorded: {error}")
