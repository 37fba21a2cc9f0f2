"""What a bulk "Move to Trash" would act on, counted before asking: groups, files and bytes,
split into groups the person has opened (reviewed) and groups they have only seen suggested
marks for, and files per kind of match. The confirmation shows it; its default button moves only
from reviewed groups, never from a group nobody looked at."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from dedup_gui.engine.tiers import TIER_LABELS
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import human_bytes, plural, travelling

REVIEWED, ALL = "reviewed", "all"
TRASH = "the Trash"


@dataclass(slots=True)
class Scope:
    """Marked files (not yet in the Trash) of some groups, reviewed or only suggested."""

    groups: int = 0  # those with a file marked
    shown: int = 0  # every group counted (the list's own count), marked or not
    files: int = 0
    bytes: int = 0
    reviewed_groups: int = 0
    reviewed: set[str] = field(default_factory=set)
    reviewed_bytes: int = 0
    everything: set[str] = field(default_factory=set)
    per_tier: dict[str, int] = field(default_factory=dict)  # tier -> marked files
    where: str = TRASH  # or the folder Move to folder puts them in
    warning: str = ""  # said first, and Cancel is then the default (trash_texts.only_raws)
    # RAW files, Live videos and sidecars that travel with the marked files (in `bytes` too)
    companions: int = 0
    reviewed_companions: int = 0

    @property
    def suggested_groups(self) -> int:
        return self.groups - self.reviewed_groups

    def files_text(self, reviewed: bool = False) -> str:
        """"16 files", or with companions "16 files and 11 that travel with them": every
        file the move takes (a Takeout check: the confirmation said 16, the status line then
        "Moved 27 files", the photos' JSON sidecars uncounted)."""
        files, companions = (len(self.reviewed), self.reviewed_companions) if reviewed else \
            (self.files, self.companions)
        travels = f" and {travelling(companions, files)}" if companions else ""
        return plural(files, "file") + travels


def count_scope(state: ReviewState, groups: Iterable[int]) -> Scope:
    scope = Scope()
    sizes = state.summaries.sizes
    for group in groups:
        if group in state.dismissed:
            continue
        scope.shown += 1
        marked = state.marked_files(group)
        paths = {f.path for f in marked}
        if not paths:
            continue
        companions = sorted({c for f in marked for c in f.companions})
        size = sum(sizes[p] for p in paths) + _sizes_now(companions)
        scope.groups += 1
        scope.files += len(paths)
        scope.companions += len(companions)
        scope.bytes += size
        scope.everything |= paths
        tier = state.groups[group].tier
        scope.per_tier[tier] = scope.per_tier.get(tier, 0) + len(paths)
        if group in state.opened:
            scope.reviewed_groups += 1
            scope.reviewed |= paths
            scope.reviewed_companions += len(companions)
            scope.reviewed_bytes += size
    return scope


def _sizes_now(paths: Sequence[str]) -> int:
    """The companions' sizes as they are now (the move re-checks each; one gone counts 0)."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.lstat(path).st_size
    return total


def describe(scope: Scope) -> str:
    """The scope in words, for the confirmation."""
    kinds = ", ".join(f"{TIER_LABELS.get(t, t).capitalize()}: {plural(n, 'file')}"
                      for t, n in sorted(scope.per_tier.items()))
    return (f"Groups you opened: {plural(scope.reviewed_groups, 'group')}, "
            f"{scope.files_text(reviewed=True)} ({human_bytes(scope.reviewed_bytes)}).\n"
            f"Not opened yet: {plural(scope.suggested_groups, 'group')} whose marks are only "
            f"suggestions.\nAll shown: {scope.files_text()} "
            f"({human_bytes(scope.bytes)}); {kinds}.")


def ask_scope(parent: QWidget, scope: Scope) -> str | None:
    """REVIEWED, ALL or None (cancelled)."""
    box, reviewed, everything = scope_box(parent, scope)
    box.exec()
    clicked = box.clickedButton()
    if clicked is None:
        return None
    if clicked is reviewed:
        return REVIEWED
    return ALL if everything is not None and clicked is everything else None


def scope_box(parent: QWidget, scope: Scope
              ) -> tuple[QMessageBox, QAbstractButton | None, QAbstractButton | None]:
    """The confirmation and its two move buttons. Return (the default) confirms only the
    reviewed groups, or cancels when no shown group was opened. With every group opened there
    is nothing else to move: one button (two that did the same read as a trap: a real-window
    check)."""
    title = "Move to Trash" if scope.where == TRASH else "Move to folder"
    box = QMessageBox(QMessageBox.Icon.Question, title,
                      f"Move the marked files of {which_groups(scope)} to {scope.where}?",
                      QMessageBox.StandardButton.Cancel, parent)
    warning = f"{scope.warning}\n\n" if scope.warning else ""
    box.setInformativeText(warning + describe(scope)
                           + "\n\nYou can undo this with Edit ▸ Undo (Ctrl+Z).")
    reviewed = everything = None
    if scope.reviewed and not scope.suggested_groups:
        reviewed = box.addButton(f"Move {scope.files_text()}",
                                 QMessageBox.ButtonRole.AcceptRole)
    elif scope.reviewed:
        count = scope.files_text(reviewed=True)
        reviewed = box.addButton(f"Move from the groups I opened ({count})",
                                 QMessageBox.ButtonRole.AcceptRole)
    if scope.suggested_groups:
        everything = box.addButton(
            f"Also unopened groups: move all {scope.files_text()}",
            QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if scope.warning else reviewed or cancel)
    return box, reviewed, everything


def which_groups(scope: Scope) -> str:
    """"3 shown groups", or "3 of the 5 shown groups" where the others have nothing marked:
    the count the list shows is the one the person checks against (a first-user check read "3
    shown groups" beside a list of 5 and wondered which two were left out)."""
    if scope.shown <= scope.groups:
        return plural(scope.groups, "shown group")
    others = scope.shown - scope.groups
    rest = "the other has" if others == 1 else f"the other {others:,} have"
    return f"{scope.groups:,} of the {plural(scope.shown, 'shown group')} ({rest} nothing marked)"


def question_for(plan: Any, what: str = "", where: str = TRASH) -> str:
    """"Move 3 files (2 MB) from this group…", or with companions "Move 3 photos (5 files with
    their RAW/Live video/sidecars, 40 MB)…": the person sees every file that will move."""
    size = human_bytes(plan.total_bytes)
    if plan.count == plan.photos:
        return f"Move {plural(plan.count, 'file')} ({size}) {what}to {where}?"
    return (f"Move {plural(plan.photos, 'photo')} ({plural(plan.count, 'file')} with their "
            f"RAW/Live video/sidecars, {size}) {what}to {where}?")


def ask_move(parent: QWidget, question: str, detail: str, move_is_default: bool = True) -> bool:
    """The confirmation of one move (to the Trash or a folder); True when Move was chosen."""
    title = "Move to Trash" if question.endswith(f"to {TRASH}?") else "Move to folder"
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.Cancel, parent)
    move = box.addButton(title, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(move if move_is_default
                         else box.button(QMessageBox.StandardButton.Cancel))
    box.setInformativeText((detail + "\n\n" if detail else "")
                           + "You can undo this with Edit ▸ Undo (Ctrl+Z).")
    box.exec()
    return box.clickedButton() is move
