"""Marks set by hand survive a rescan, in every group the rescan finds again unchanged.

Why: a person who corrected a suggestion (kept the camera original the rules had marked
Remove) and then scanned again, after adding a few photos, got the old suggestion back with no
word, and the bulk removal's default then moved the original they had saved (a first-user
check). A group counts as found again when it holds exactly the same files: same paths, sizes
and times modified. Anything else (a file added, changed or gone) is a new question, and gets
the new suggestion. A group keeps its "opened" state only where its marks are the ones the
person saw.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from dedup_gui.engine.types import Group

Identity = frozenset[tuple[str, int, int]]


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One group's marks as the person left them, and whether they had changed them by hand
    (not the suggestion) or had it on show."""

    marks: frozenset[str]
    by_hand: bool
    opened: bool


def identity(group: Group) -> Identity:
    """The group's files as a rescan would find them again."""
    return frozenset((f.path, f.size, f.mtime_ns) for f in group.files)


def marks_as_left(remove: Sequence[set[str]], gone: dict[int, set[str]],
                  lifted: dict[int, set[str]], released: dict[tuple[bool, int], set[str]]
                  ) -> list[set[str]]:
    """Each group's Remove marks as the person left them: with the marks the app took off
    put back (`gone`: files found gone; `lifted`: a protected folder's; `released`: a move's
    last copies). Why: a drive unplugged mid-review took every mark off its files, and the
    rescan after plugging it in read that as the person's choice in all 32 groups, every file
    kept, "kept by your choice" (a two-drive check)."""
    return [set(marks) | gone.get(i, set()) | lifted.get(i, set())
            | released.get((False, i), set()) for i, marks in enumerate(remove)]


def reviewed_groups(groups: Sequence[Group], remove: Sequence[set[str]],
                    suggested: Sequence[set[str]], opened: set[int]
                    ) -> dict[Identity, Reviewed]:
    """The groups the person changed or opened, by identity (before the new results)."""
    found = {}
    for index, (group, marks) in enumerate(zip(groups, remove, strict=False)):
        by_hand = index < len(suggested) and set(marks) != set(suggested[index])
        if by_hand or index in opened:
            found[identity(group)] = Reviewed(frozenset(marks), by_hand, index in opened)
    return found


def carry_marks(groups: Sequence[Group], remove: list[set[str]], opened: set[int],
                protected: set[str], before: dict[Identity, Reviewed]) -> list[int]:
    """Put the hand marks of `before` back on the same groups of the new results (in place on
    `remove` and `opened`); the groups that got their hand marks back. Never a mark on a file
    now protected, never a group left with no kept file."""
    carried = []
    for index, group in enumerate(groups):
        old = before.get(identity(group))
        if old is None:
            continue
        paths = {f.path for f in group.files}
        usable = old.by_hand and not (old.marks & protected) and old.marks < paths
        if usable and set(old.marks) != remove[index]:
            remove[index] = set(old.marks)
            carried.append(index)
        if old.opened and remove[index] == set(old.marks):
            opened.add(index)
    return carried


def changed_since(groups: Sequence[Group], before: dict[Identity, Reviewed]) -> list[str]:
    """The groups the person had marked by hand that are not found again as they were, while
    a file of theirs is still grouped, each by the name of its first such file: their new
    suggestion replaced the hand marks, and the scan's message says so, naming them (a rescan
    did it silently, then said only how many: real-window checks)."""
    now = {identity(g) for g in groups}
    grouped = {f.path for g in groups for f in g.files}
    return sorted(os.path.basename(min(path for path, _, _ in key if path in grouped))
                  for key, old in before.items() if old.by_hand and key not in now
                  and any(path in grouped for path, _, _ in key))
