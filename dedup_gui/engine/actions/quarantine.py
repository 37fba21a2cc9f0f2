"""Quarantine: when the Trash refuses files, move them to a folder the person chose instead.

Some places have no usable Trash: a network share, a volume without a .Trash folder, a sandbox.
send2trash then raises and actions.py leaves the file where it was (flagged `trash_unavailable`).
Deleting it for good instead is never an option; the front end offers a quarantine folder the
person picks, and this module moves the files there the same careful way the Trash move works:
the same re-check that the file is still what the scan saw, one journaled batch (undo.py puts it
back, on every system), one Outcome per file.

A file goes to <folder>/dedup-gui quarantine <time>/<its full original path>, so names never
collide and a person can see where each came from. Nothing is ever overwritten: a hard link
makes the new name (it fails if the name exists) before the old one goes. Across volumes the
copy is flushed to disk and compared byte for byte before the original is removed. The target
is journaled before the move, so after a crash undo knows where to look.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from dedup_gui.engine.actions.journal import (
    PENDING,
    QUARANTINED,
    SKIPPED,
    Journal,
    JournalError,
    Outcome,
)
from dedup_gui.engine.actions.left_folders import QUARANTINE_BATCH as BATCH_PREFIX
from dedup_gui.engine.actions.recheck import Fingerprint, scan_fingerprints
from dedup_gui.engine.actions.removal import CANCELLED, PlannedFile, RemovalPlan, changed_since_scan
from dedup_gui.engine.actions.safe_move import move_without_overwrite
from dedup_gui.engine.actions.unit_moves import WITH_UNIT, refuse_unit, split_units
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report

STAGE_QUARANTINE = "moving to the quarantine folder"
MOVED = "moved to the quarantine folder"


def folder_problem(folder: str) -> str | None:
    """Why `folder` cannot be a quarantine folder, in words, or None when it can."""
    if not os.path.isdir(folder):
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} cannot be written to"
    return None


def batch_folder(folder: str, now: float | None = None) -> str:
    """A new folder name for one batch, e.g. 'dedup-gui quarantine 2024-05-01 10.30.00'."""
    stamp = time.strftime("%Y-%m-%d %H.%M.%S", time.localtime(now))
    base = os.path.join(folder, BATCH_PREFIX + stamp)
    candidate, counter = base, 1
    while os.path.lexists(candidate):
        counter += 1
        candidate = f"{base} ({counter})"
    return candidate


def target_for(batch: str, path: str) -> str:
    """Where `path` goes inside a batch folder: its full path below it ('C:' becomes 'C')."""
    drive, rest = os.path.splitdrive(os.path.abspath(path))
    parts = [drive.rstrip(":\\/")] if drive else []
    return os.path.join(batch, *parts, rest.lstrip("\\/"))


def move_to_quarantine(plan: RemovalPlan, folder: str, journal: Journal,
                       progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> list[Outcome]:
    """Move the plan's files under `folder`, one Outcome per file, journaled for undo."""
    if problem := folder_problem(folder):
        return [Outcome(f.path, False, f"not moved: {problem}") for f in plan.files]
    batch = batch_folder(folder)
    return move_plan(plan, journal, lambda path: target_for(batch, path),
                     (STAGE_QUARANTINE, MOVED), progress, cancel)


def move_plan(plan: RemovalPlan, journal: Journal, place: Callable[[str], str],
              texts: tuple[str, str], progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None) -> list[Outcome]:
    """Move each planned file to `place(path)`, unit by unit, journaled (QUARANTINED, with the
    target) so undo puts it back. Shared by the quarantine folder and Move to folder
    (folder_move.py); `texts`: the progress stage and the Outcome reason of a moved file."""
    seen = scan_fingerprints(plan.files, journal.scan_cache)
    try:
        batch_id = journal.start_batch(plan.files)
    except JournalError as error:
        return [Outcome(f.path, False, f"not moved: {error}") for f in plan.files]
    mover = _Mover(journal, batch_id, place, texts)
    outcomes: list[Outcome] = []
    stop: str | None = None
    seq = 0
    for unit in split_units(plan.files):  # a photo and its companions: all move, or none
        report(progress, texts[0], seq, len(plan.files), unit[0].path)
        if stop is None and cancel is not None and cancel.cancelled:
            stop = CANCELLED
        if stop:
            outcomes += [Outcome(f.path, False, stop) for f in unit]
        else:
            try:
                outcomes += mover.unit(seq, unit, seen)
            except JournalError as error:
                stop = f"not moved: {error}"
                outcomes += [Outcome(f.path, False, stop) for f in unit]
        seq += len(unit)
    report(progress, texts[0], len(plan.files), len(plan.files))
    with contextlib.suppress(JournalError):
        journal.finish_batch(batch_id)
    return outcomes


def name_taken(target: str) -> str | None:
    """Why a file may not go to `target`: something is there already (never overwritten)."""
    if os.path.lexists(target):
        return (f"not moved: {target} already exists in the chosen folder, and nothing is "
                "ever overwritten; nothing was done")
    return None


@dataclass(frozen=True, slots=True)
class _Mover:
    """One batch's moves: where each file goes, and the journal that records it."""

    journal: Journal
    batch_id: int
    place: Callable[[str], str]
    texts: tuple[str, str]

    def unit(self, first: int, unit: list[PlannedFile], seen: dict[str, Fingerprint]
             ) -> list[Outcome]:
        """The files of one unit: none moves if one changed since the scan or its name is taken
        at the target, and if one cannot be moved, those already moved go back to their places
        (journaled as not moved)."""
        reasons = [changed_since_scan(f, seen.get(f.path)) or name_taken(self.place(f.path))
                   for f in unit]
        if any(reasons):
            refused = refuse_unit(unit, reasons)
            for seq, outcome in enumerate(refused, start=first):
                self.journal.record(self.batch_id, seq, SKIPPED, outcome.reason)
            return refused
        outcomes: list[Outcome] = []
        for seq, file in enumerate(unit, start=first):
            outcome = self.one(seq, file)
            outcomes.append(outcome)
            if not outcome.ok:
                return self.put_back(first, unit, outcomes)
        return outcomes

    def put_back(self, first: int, unit: list[PlannedFile], outcomes: list[Outcome]
                 ) -> list[Outcome]:
        failed = unit[len(outcomes) - 1]
        why = WITH_UNIT.format(name=os.path.basename(failed.path), why="could not be moved")
        result = []
        for seq, (file, outcome) in enumerate(zip(unit, outcomes[:-1], strict=False),
                                              start=first):
            try:
                move_without_overwrite(outcome.trashed_as or "", file.path)
            except OSError:
                result.append(outcome)  # stays at the target, journaled: Undo brings it
                continue
            self.journal.record(self.batch_id, seq, SKIPPED, why)
            result.append(Outcome(file.path, False, why))
        result.append(outcomes[-1])
        for seq, file in enumerate(unit[len(outcomes):], start=first + len(outcomes)):
            self.journal.record(self.batch_id, seq, SKIPPED, why)
            result.append(Outcome(file.path, False, why))
        return result

    def one(self, seq: int, file: PlannedFile) -> Outcome:
        """Journal the target, move, journal the result. JournalError stops the batch."""
        if reason := changed_since_scan(file):  # again, right before: the unit took time
            self.journal.record(self.batch_id, seq, SKIPPED, reason)
            return Outcome(file.path, False, reason)
        target = self.place(file.path)
        self.journal.record(self.batch_id, seq, PENDING, self.texts[0], target)
        try:
            move_without_overwrite(file.path, target)
        except OSError as error:
            reason = f"it could not be moved ({error.strerror or error}); it was left in place"
            self.journal.record(self.batch_id, seq, SKIPPED, reason)
            return Outcome(file.path, False, reason)
        self.journal.record(self.batch_id, seq, QUARANTINED, self.texts[1], target)
        return Outcome(file.path, True, self.texts[1], target)
