"""Safe removal: plan what may go, then move it to the Trash one checked file at a time.

Safe by default (see ARCHITECTURE, practice 8): only the Trash, never a delete; a plan that refuses
to empty a group, to touch a protected folder or a file the scan did not group; a re-check right
before each move that the file is still what the scan saw (size, mtime, and for small files the
content: recheck.py); one Outcome per file; a journal written before anything moves (undo.py reads
it back); a dry run that touches nothing. Files the Trash refuses stay where they are, flagged
`trash_unavailable` so front ends can offer a quarantine folder instead (quarantine.py).
A marked photo takes the other files of its capture unit along (RAW, Live video, sidecars), all
or none, in the same batch (unit_moves.py).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dedup_gui.engine.actions import trash_restore
from dedup_gui.engine.actions.journal import SKIPPED, TRASHED, Journal, JournalError, Outcome
from dedup_gui.engine.actions.protected import is_protected
from dedup_gui.engine.actions.recheck import Fingerprint, content_changed, scan_fingerprints
from dedup_gui.engine.actions.undo import undo_last_batch, undo_supported
from dedup_gui.engine.actions.unit_moves import (
    companion_stamps,
    move_unit,
    refuse_unit,
    split_units,
)
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.text import human_bytes, travelling

__all__ = [
    "Outcome", "PlannedFile", "Refusal", "RemovalPlan", "changed_since_scan", "move_to_trash",
    "plan_removal", "undo_last_batch", "undo_supported",
]  # fmt: skip

STAGE_TRASH = "moving to the Trash"

NOT_SCANNED = "not among the scanned duplicates; scan again before removing it"
PROTECTED = "in a protected folder; files there are never removed"
EVERY_COPY = "every file of this group is marked for removal; keep at least one"
NONE_LEFT = ("its group's other copies are no longer there as scanned (in the Trash, moved, "
             "deleted or changed since the scan): it is the last copy of this photo in place, "
             "so it stays; keep it, or scan again")
VANISHED = "it no longer exists (moved or deleted since the scan); nothing was done"
FOLDER_GONE = ("its folder is no longer there (a drive unplugged or unmounted, or the folder "
               "moved or renamed since the scan); nothing was done")
MOVED = "moved to the Trash"
WOULD_MOVE = "would be moved to the Trash"
CANCELLED = "not moved: cancelled"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file to remove and the size and mtime the scan saw (re-checked right before moving).
    `unit`: for a companion (RAW, Live video, sidecar), the marked photo it travels with."""

    path: str
    size: int
    mtime_ns: int
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Marked files the plan will not remove, and why (one group's files share one refusal)."""

    paths: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    """What "Move N files (X MB) to Trash" will do, decided before anything is touched."""

    files: tuple[PlannedFile, ...]
    refusals: tuple[Refusal, ...]

    @property
    def count(self) -> int:
        return len(self.files)

    @property
    def photos(self) -> int:
        """The marked photos (the rest are companions that travel with them)."""
        return sum(1 for f in self.files if not f.unit)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def summary(self) -> str:
        noun = "file" if self.count == 1 else "files"
        with_them = (f", with {travelling(self.count - self.photos, self.photos)}"
                     if self.count > self.photos else "")
        return (f"Move {self.count} {noun} ({human_bytes(self.total_bytes)}{with_them}) "
                "to the Trash")


def plan_removal(groups: Iterable[Group], marks: Collection[str],
                 protected_folders: Iterable[str] = ()) -> RemovalPlan:
    """The files of `marks` that may be moved, each followed by the companions that travel with
    it (checked now, and re-checked right before the move); every other mark becomes a
    Refusal."""
    groups, folders, marked = list(groups), tuple(protected_folders), set(marks)
    scanned = {f.path: f for group in groups for f in group.files}
    refusals = [Refusal((p,), NOT_SCANNED) for p in sorted(marked - scanned.keys())]
    refusals += [Refusal((p,), PROTECTED) for p in sorted(marked & scanned.keys())
                 if is_protected(p, folders)]
    refused = {path for refusal in refusals for path in refusal.paths}
    for group in groups:  # refusing more only keeps more, so one pass is enough
        members = sorted({f.path for f in group.files})
        leaving = [path for path in members if path in marked and path not in refused]
        if leaving and not _keeps_one([scanned[p] for p in members], set(leaving)):
            every = len(leaving) == len(members)
            refusals.append(Refusal(tuple(leaving), EVERY_COPY if every else NONE_LEFT))
            refused.update(leaving)
    files = []
    for path in sorted(marked - refused):
        stamps, refusal = companion_stamps(scanned[path].companions, folders)
        if refusal:
            refusals.append(Refusal((path,), refusal))
            continue
        files.append(PlannedFile(path, scanned[path].size, scanned[path].mtime_ns))
        files += [PlannedFile(p, size, mtime, unit=path) for p, size, mtime in stamps]
    return RemovalPlan(tuple(files), tuple(refusals))


def _keeps_one(members: list[GroupFile], leaving: set[str]) -> bool:
    """Whether a file of the group that is not leaving is still there as the scan saw it.
    Why look: a group's kept file can be gone already (a series' "keep the best" moved a
    burst frame that is also a duplicate group's original; Undo put files back elsewhere;
    another program moved it), and counting it as kept let the group's last copy go too; or
    it can have been replaced by another picture, and its copies then went as copies of a
    photo no longer there (a hostile-input check)."""
    return any(f.path not in leaving and _as_scanned(f) for f in members)


def _as_scanned(file: GroupFile) -> bool:
    """The file is where the scan saw it, with the scan's size and modification time."""
    try:
        st = os.stat(file.path)
    except OSError:
        return False
    return st.st_size == file.size and st.st_mtime_ns == file.mtime_ns


def changed_since_scan(file: PlannedFile, seen: Fingerprint | None = None) -> str | None:
    """Why `file` must not be moved now (vanished, changed, not a plain file), or None.
    `seen`: the scan's fingerprint of a small file, whose content is then compared too."""
    try:
        st = os.lstat(file.path)
    except FileNotFoundError:
        return VANISHED if os.path.isdir(os.path.dirname(file.path)) else FOLDER_GONE
    except OSError as error:
        return f"it could not be checked ({error.strerror or error}); nothing was done"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link (moving it would free no space); nothing was done"
    if not stat.S_ISREG(st.st_mode):
        return "it is no longer a regular file; nothing was done"
    if st.st_size != file.size:
        return (f"it changed since the scan ({file.size:,} → {st.st_size:,} bytes); "
                "nothing was done")
    if st.st_mtime_ns != file.mtime_ns:
        return "it was modified since the scan; nothing was done"
    return content_changed(file.path, seen) if seen is not None else None


def move_to_trash(plan: RemovalPlan, journal: Journal, progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None, *, dry_run: bool = False) -> list[Outcome]:
    """Move the plan's files to the Trash, one Outcome per file, journaled for undo. With
    `dry_run`, only say what would happen: no file, folder or journal row is touched."""
    seen = scan_fingerprints(plan.files, journal.scan_cache)
    if dry_run:
        return [o for unit in split_units(plan.files) for o in _dry_run(unit, seen)]
    try:
        batch = journal.start_batch(plan.files)
    except JournalError as error:
        return [Outcome(f.path, False, f"not moved: {error}") for f in plan.files]
    outcomes: list[Outcome] = []
    stop: str | None = None
    for unit in split_units(plan.files):
        report(progress, STAGE_TRASH, len(outcomes), len(plan.files), unit[0].path)
        if stop is None and cancel is not None and cancel.cancelled:
            stop = CANCELLED
        done = [Outcome(f.path, False, stop) for f in unit] if stop else _trash_unit(unit, seen)
        for outcome in done:
            try:
                journal.record(batch, len(outcomes), TRASHED if outcome.ok else SKIPPED,
                               outcome.reason, outcome.trashed_as)
            except JournalError as error:
                stop = stop or f"not moved: {error}"
            outcomes.append(outcome)
    report(progress, STAGE_TRASH, len(plan.files), len(plan.files))
    with contextlib.suppress(JournalError):  # outcomes are recorded; only the end time is lost
        journal.finish_batch(batch)
    return outcomes


def _unit_reasons(unit: list[PlannedFile], seen: dict[str, Fingerprint]) -> list[str | None]:
    return [changed_since_scan(file, seen.get(file.path)) for file in unit]


def _dry_run(unit: list[PlannedFile], seen: dict[str, Fingerprint]) -> list[Outcome]:
    reasons = _unit_reasons(unit, seen)
    if any(reasons):
        return refuse_unit(unit, reasons)
    return [Outcome(file.path, True, WOULD_MOVE) for file in unit]


def _trash_unit(unit: list[PlannedFile], seen: dict[str, Fingerprint]) -> list[Outcome]:
    """A photo and its companions: all re-checked first, then moved; all or none."""
    if len(unit) == 1:
        return [_trash_one(unit[0], seen.get(unit[0].path))]
    reasons = _unit_reasons(unit, seen)
    if any(reasons):
        return refuse_unit(unit, reasons)
    return move_unit(unit, lambda file: _trash_one(file, seen.get(file.path)))


def _trash_one(file: PlannedFile, seen: Fingerprint | None) -> Outcome:
    if reason := changed_since_scan(file, seen):
        return Outcome(file.path, False, reason)
    since = time.time()
    try:
        trash_restore.send(file.path)
    except OSError as error:
        return _after_failure(file, _os_reason(error), since)
    return Outcome(file.path, True, MOVED, _where(file, since))


def _where(file: PlannedFile, since: float) -> str | None:
    if not trash_restore.freedesktop():
        return None
    where = trash_restore.find_trashed(file.path, file.size, file.mtime_ns, since)
    return os.fspath(where) if where else None


def _after_failure(file: PlannedFile, why: str, since: float) -> Outcome:
    """Normally the file is untouched; a move that failed part-way (a copy to another volume)
    may still have reached the Trash, and then it is reported, and journaled, as moved."""
    if os.path.lexists(file.path):
        trash_restore.discard_orphan_info(file.path, since)
        movable = os.access(os.path.dirname(file.path) or ".", os.W_OK | os.X_OK)
        return Outcome(file.path, False, f"the Trash refused it ({why}); it was left in place",
                       trash_unavailable=movable)
    if where := _where(file, since):
        return Outcome(file.path, True, f"{MOVED} (with an error: {why})", where)
    return Outcome(file.path, False, f"moving it to the Trash failed part-way ({why}); it is "
                                     "no longer at its path: look for it in the Trash")


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__
