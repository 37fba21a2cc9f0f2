"""Capture units in a removal: a photo travels with its companions (RAW, Live video, sidecars:
GroupFile.companions), all or none.

A unit split by a move costs the person something either way: a sidecar left behind loses its
edits and ratings with the photo gone, a Live video left behind is an orphan, and a restore from
the Trash that brings back half a unit is worse. So every refusal rule applies to every file of a
unit: the plan refuses the photo when a companion is protected or gone; the move re-checks the
whole unit before moving any of it; and when the Trash refuses one file after others of its unit
moved, those are put back from the Trash at once (where the Trash can be read back: freedesktop).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from dedup_gui.engine.actions import trash_restore
from dedup_gui.engine.actions.journal import Outcome
from dedup_gui.engine.actions.protected import is_protected

COMPANION_PROTECTED = "{name}, which travels with it, is in a protected folder; nothing was done"
COMPANION_GONE = ("{name}, which travels with it, no longer exists (moved or deleted since the "
                  "scan); nothing was done")
COMPANION_UNCHECKED = ("{name}, which travels with it, could not be checked ({why}); nothing "
                       "was done")
WITH_UNIT = "not moved: {name}, of the same shot, was held back ({why})"
PUT_BACK = ("put back from the Trash: {name} of the same shot could not be moved, and a shot's "
            "files are never separated")
NOT_PUT_BACK = ("moved to the Trash, but could not be put back ({why}) after {name} of the same "
                "shot could not be moved: restore it from the Trash by hand")


class Planned(Protocol):
    """A PlannedFile (removal.py): the path, the stamp to re-check, and its unit's photo."""

    @property
    def path(self) -> str: ...
    @property
    def unit(self) -> str: ...


P = TypeVar("P", bound=Planned)


def companion_stamps(companions: Sequence[str], folders: Sequence[str]
                     ) -> tuple[list[tuple[str, int, int]], str | None]:
    """(path, size, mtime_ns) of each companion as it is now (re-checked right before the move),
    or the reason its photo may not move at all."""
    stamps = []
    for path in companions:
        name = os.path.basename(path)
        if is_protected(path, folders):
            return [], COMPANION_PROTECTED.format(name=name)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return [], COMPANION_GONE.format(name=name)
        except OSError as error:
            return [], COMPANION_UNCHECKED.format(name=name, why=error.strerror or error)
        stamps.append((path, st.st_size, st.st_mtime_ns))
    return stamps, None


def split_units(files: Sequence[P]) -> list[list[P]]:
    """The plan's files as units: a marked photo, then the companions that travel with it."""
    units: list[list[P]] = []
    for file in files:
        if file.unit and units and units[-1][0].path == file.unit:
            units[-1].append(file)
        else:
            units.append([file])
    return units


def refuse_unit(unit: Sequence[Planned], reasons: Sequence[str | None]) -> list[Outcome]:
    """No file of the unit moves: each says its own reason, or which file held it back."""
    first = next(i for i, reason in enumerate(reasons) if reason)
    name = os.path.basename(unit[first].path)
    return [Outcome(f.path, False, reason or WITH_UNIT.format(name=name, why=reasons[first]))
            for f, reason in zip(unit, reasons, strict=True)]


def move_unit(unit: Sequence[P], move: Callable[[P], Outcome]) -> list[Outcome]:
    """Move each file of the unit with `move`; if one fails, put back those already moved."""
    outcomes: list[Outcome] = []
    for index, file in enumerate(unit):
        outcome = move(file)
        outcomes.append(outcome)
        if not outcome.ok:
            name = os.path.basename(file.path)
            rest = [Outcome(f.path, False, WITH_UNIT.format(name=name, why="could not be moved"))
                    for f in unit[index + 1:]]
            stuck = outcome.trash_unavailable
            return [_put_back(o, name, stuck) for o in outcomes[:-1]] + [outcome] + rest
    return outcomes


def _put_back(moved: Outcome, name: str, stuck: bool) -> Outcome:
    """Restore one file of a unit that could not all move; say so if that is impossible.
    `stuck`: the Trash refused the other file outright, so the restored ones are flagged
    `trash_unavailable` too (front ends then offer the quarantine folder for the whole unit)."""
    if moved.trashed_as is None:
        return Outcome(moved.path, True, NOT_PUT_BACK.format(name=name, why="the Trash can't be "
                                                             "read back here"))
    refused = trash_restore.restore(Path(moved.trashed_as), moved.path)
    if refused is None:
        return Outcome(moved.path, False, PUT_BACK.format(name=name), trash_unavailable=stuck)
    return Outcome(moved.path, True, NOT_PUT_BACK.format(name=name, why=refused),
                   moved.trashed_as)
