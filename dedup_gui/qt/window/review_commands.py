"""The review commands of the main window: Mark helpers, Not duplicates, Undo, Compare.

A mixin of MainWindow (it uses the window's parts: state, results, group_view, flow, pairs), kept
apart so the window module holds construction and status only.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from dedup_gui.qt.common.compare_marks import MarkCalls
from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.review.card_files import card_order
from dedup_gui.qt.review.card_labels import origins_now
from dedup_gui.qt.review.identical_copies import apart_pairs, identical_classes
from dedup_gui.qt.review.marking import How
from dedup_gui.qt.review.marking import apply as apply_marks
from dedup_gui.qt.window.mark_menu import GROUP, SHOWN
from dedup_gui.text import plural


class ReviewCommands:
    """Commands on the group under review; MainWindow provides the attributes."""

    def mark(self, how: How, scope: str) -> None:
        """A Mark helper on the group on show (GROUP), the shown groups (SHOWN) or one tier."""
        state = self.state
        if scope == GROUP:
            groups = [] if self.group_view.group is None else [self.group_view.group]
        elif scope == SHOWN:
            groups = self.results.shown_groups()
        else:
            groups = [g for g in state.active_groups() if state.groups[g].tier == scope]
        before = {g: set(state.remove[g]) for g in groups}
        changed, refused = apply_marks(state, groups, how)
        self.flow.marked(how.value, {g: (marks, set(state.remove[g]))
                                     for g, marks in before.items() if state.remove[g] != marks})
        message = f"{how.value}: {plural(changed, 'group')} changed."
        if refused:
            message += (f" {plural(refused, 'group')} left as they were: every file still in "
                        "place would have been marked Remove.")
        self.show_message(message)

    def not_duplicates(self) -> None:
        group = self.results.selected_group()
        row = self.results.view.currentIndex().row()
        if group is not None and self._identical_copies_stay(group):
            return
        if self.flow.not_duplicates(group):
            self.results.select_row(min(row, self.results.proxy.rowCount() - 1))

    def _identical_copies_stay(self, group: int) -> bool:
        """Not duplicates on a group with identical copies (identical_copies.py): said of the
        different pictures only, or refused when every file has the same bytes."""
        files = self.state.live_files(group)
        classes = identical_classes(self.state.groups[group], files)
        if len(classes) == 1 and len(files) > 1:
            self.show_message("These files are identical copies (the same bytes): they are "
                              "duplicates. Keep one and move the others, or Keep all.")
            return True
        if pairs := apart_pairs(classes):
            self.flow.redone.clear()  # a new action: what Undo took back cannot be redone now
            self._pair_row = self.results.view.currentIndex().row()
            self.pairs.mark_apart(group, pairs)
            return True
        return False

    def not_duplicates_pair(self) -> None:
        self.flow.redone.clear()  # a new action: what Undo took back cannot be redone now
        self._pair_row = self.results.view.currentIndex().row()
        self.pairs.mark(self.group_view.group, self.group_view.compare_pair())

    def _show_group_after_pair(self, group: int) -> None:
        if group >= 0:
            self.results.select_group(group)
        else:
            self.results.select_row(min(self._pair_row, self.results.proxy.rowCount() - 1))

    def undo(self) -> None:
        """The newest step first: a pair decision, else the trash flow's (batch or group)."""
        self.pairs.undo() if self.pairs.owns_undo() else self.flow.undo()

    def redo(self) -> None:
        """What the last Undo took back: a pair decision, else the trash flow's step."""
        redone = self.flow.redone
        if redone and redone[-1].kind == "pair" and not (self.pairs.busy or self.flow.busy):
            self._pair_row = self.results.view.currentIndex().row()
            self.pairs.redo(redone.pop())
        else:
            self.flow.redo()

    def open_compare(self) -> None:
        pair = self.group_view.compare_pair()
        if pair is None or self.group_view.group is None:
            return
        group = self.group_view.group
        marks = (self.state.is_marked(group, pair[0].path),
                 self.state.is_marked(group, pair[1].path))
        known = origins_now(self.state, group, card_order(self.state, group))
        origins = tuple(known[f.path].label if f.path in known else "" for f in pair)
        calls = MarkCalls(lambda path: self.state.is_marked(group, path),
                          lambda path, remove: self._set_by_hand(group, path, remove))
        self.compare_dialog = CompareDialog(pair, marks, self.full, self,
                                            offer_not_duplicates=True, origins=origins,
                                            mark_calls=calls)
        self.compare_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog.finished.connect(lambda _r: setattr(self, "compare_dialog", None))
        self.compare_dialog.not_duplicates.connect(self.actions.not_duplicates_pair.trigger)
        self.compare_dialog.open()

    def _set_by_hand(self, group: int, path: str, remove: bool) -> str | None:
        """One mark set in the compare view, as an Undo step (as a card's toggle is)."""
        before = set(self.state.remove[group])
        refusal = self.state.set_marked(group, path, remove)
        if not refusal and (after := set(self.state.remove[group])) != before:
            word = "Remove" if remove else "Keep"
            self.flow.marked(f"{word} {os.path.basename(path)}", {group: (before, after)},
                             by_hand=True)
        return refusal

    def _show_added(self, group: int) -> None:
        """A Find similar match joined `group`: show the group with its new file."""
        self.results.select_group(group)
        self.group_view.show_group(group)
