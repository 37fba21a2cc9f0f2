"""The results list: a table model over the engine's groups (group_filter.py filters it).

Thin over ReviewState: a row is a group index, the cells ask the state (files, marks, trash) on
demand, so 20,000 groups cost a list of ints plus a few precomputed strings. Sorting is done here
as one lexsort on arrays of keys (a proxy sorting through data() calls would take seconds at this
size); the proxy (group_filter.py) only filters by tier and text, and hides groups dismissed
as "not duplicates".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPixmap

from dedup_gui.qt.common.thumbnails import ThumbnailLoader, placeholder
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.tasks.tiers import Tier
from dedup_gui.text import human_bytes, plural

THUMB, FILES, TIER, SPACE, FOLDER = range(5)
HEADERS = ("", "Files", "Match", "Frees", "Folder")
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # the group's index in ReviewState.groups
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a plain value to compare
THUMB_SIDE = 48
_Index = QModelIndex | QPersistentModelIndex


class GroupTableModel(QAbstractTableModel):
    def __init__(self, state: ReviewState, thumbnails: ThumbnailLoader | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state
        self.thumbnails = thumbnails
        self._order: list[int] = []
        self._row_of: dict[int, int] = {}
        self._tiers: list[Tier] = []
        self._folders: list[str] = []
        self._search: list[str] = []
        self._groups_of_path: dict[str, list[int]] = {}
        self._sorted = (-1, Qt.SortOrder.AscendingOrder)
        self._keys: dict[int, np.ndarray] = {}  # column -> sort keys that marks do not change
        self.palette_changed()
        state.reset.connect(self._on_reset)
        state.groups_added.connect(self._on_groups_added)
        state.group_changed.connect(self._on_group_changed)
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)
        self._on_reset()

    def palette_changed(self) -> None:
        """Placeholders in the colours of the palette in use (the list's view says when)."""
        self._blank = placeholder(THUMB_SIDE)
        self._broken = placeholder(THUMB_SIDE, broken=True)

    # -- shape -------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == SPACE:
                return "Space freed by moving this group's files marked Remove to the trash"
        return None

    def group_at(self, row: int) -> int:
        return self._order[row]

    def row_of_group(self, group: int) -> int:
        return self._row_of.get(group, -1)

    def tier_of(self, group: int) -> Tier:
        return self._tiers[group]

    def search_text(self, group: int) -> str:
        return self._search[group]

    # -- cells -------------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._order):
            return None
        group = self._order[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(group, column)
        if role == Qt.ItemDataRole.DecorationRole and column == THUMB:
            return self._thumbnail(group)
        if role == GROUP_ROLE:
            return group
        if role == SORT_ROLE:
            return self._sort_key(column)(group)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(group, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (FILES, SPACE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, group: int, column: int) -> str | None:
        if column == FILES:
            files = self.state.groups[group].files
            gone = sum(f.path in self.state.trashed for f in files)
            # Short enough for the column ("3 (2 in Trash)" was clipped to "3 (2 i…"): the
            # files still in place; the tooltip says how many went to the Trash.
            return f"{len(files) - gone}/{len(files)}" if gone else str(len(files))
        if column == TIER:
            return self._tiers[group].label
        if column == SPACE:
            space = self.state.reclaimable(group)
            return human_bytes(space) if space else "—"
        if column == FOLDER:
            return self._folders[group]
        return None

    def _thumbnail(self, group: int) -> QPixmap:
        if self.thumbnails is None:
            return self._blank
        keeper = self.state.keeper(group)
        pixmap = self.thumbnails.get(keeper.path, keeper.mtime_ns)
        if pixmap is not None:
            return pixmap
        return self._broken if self.thumbnails.failed(keeper.path, keeper.mtime_ns) else self._blank

    def _tooltip(self, group: int, column: int) -> str | None:
        files = self.state.groups[group].files
        if column == FOLDER:
            return "\n".join(sorted({os.path.dirname(f.path) for f in files}))
        if column in (THUMB, FILES):
            trashed = self.state.trashed
            return "\n".join(os.path.basename(f.path) + (" (in the Trash)" if f.path in trashed
                                                         else "") for f in files)
        if column == SPACE:
            return f"{plural(len(self.state.marked_files(group)), 'file')} marked Remove"
        return None

    # -- sorting -----------------------------------------------------------------------------
    def _sort_key(self, column: int) -> Callable[[int], Any]:
        """One group's key (SORT_ROLE); _sort_keys gives every group's at once, equal to it."""
        keys = {
            FILES: lambda g: len(self.state.groups[g].files),
            TIER: lambda g: self._tiers[g].rank,
            SPACE: self.state.reclaim.__getitem__,
            FOLDER: lambda g: self._folders[g].casefold(),
        }
        return keys.get(column, lambda g: g)

    def _sort_keys(self, column: int) -> np.ndarray | None:
        """Each group's key for `column`, indexed by group, as one array (None: group order).
        Only the space freed changes with the marks; the others are kept until the groups
        change."""
        if column == SPACE:
            return np.asarray(self.state.reclaim, np.int64)
        if column not in (FILES, TIER, FOLDER):
            return None
        if column not in self._keys:
            groups = self.state.groups
            if column == FILES:
                keys = np.fromiter((len(g.files) for g in groups), np.int64, len(groups))
            elif column == TIER:
                rank = {tier: tier.rank for tier in set(self._tiers)}
                keys = np.fromiter((rank[t] for t in self._tiers), np.int64, len(self._tiers))
            else:
                keys = np.array([f.casefold() for f in self._folders], str)
            self._keys[column] = keys
        return self._keys[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._order[i.row()], i.column()) for i in persistent]
        self._sort_order()
        self.changePersistentIndexList(
            persistent, [self.index(self._row_of[g], c) for g, c in held])
        self.layoutChanged.emit()

    def resort(self) -> None:
        """Sort again by the column and order in use: the list keeps its rows while marks
        change (a row must not jump under the person), but a reopened review whose files were
        found gone showed "—" rows above 328 MB ones under "Frees, largest first"."""
        self.sort(*self._sorted)

    def _sort_order(self) -> None:
        """One lexsort on arrays (50,000 groups: a few ms; a Python key per group took 100 ms,
        over the UI's budget): by key, ties in group order whichever the direction."""
        column, order = self._sorted
        keys = self._sort_keys(column) if column >= 0 and self._order else None
        if keys is not None:
            groups = np.asarray(self._order, np.int64)
            if order == Qt.SortOrder.DescendingOrder:
                rows = np.lexsort((-groups, keys[groups]))[::-1]
            else:
                rows = np.lexsort((groups, keys[groups]))
            self._order = groups[rows].tolist()
        self._row_of = dict(zip(self._order, range(len(self._order)), strict=True))

    # -- keeping up with the state -----------------------------------------------------------
    def _on_reset(self) -> None:
        self.beginResetModel()
        self._keys = {}
        summaries = self.state.summaries
        self._order = list(range(len(self.state.groups)))
        self._tiers = summaries.tiers
        self._folders = summaries.folders
        self._search = summaries.search
        self._groups_of_path = summaries.groups_of_path
        self._sort_order()  # sorted before the views see it: no second pass over the rows
        self.endResetModel()

    def _on_groups_added(self, first: int, count: int, origin: int) -> None:
        """Groups formed again from `origin` take its place in the list (no re-sort: that
        would hold the UI thread for a while with 20,000 groups)."""
        summaries = self.state.summaries
        self._keys = {}
        self._tiers, self._folders = summaries.tiers, summaries.folders
        self._search, self._groups_of_path = summaries.search, summaries.groups_of_path
        if count:
            row = self._row_of.get(origin, len(self._order) - 1) + 1
            self.beginInsertRows(QModelIndex(), row, row + count - 1)
            self._order[row:row] = range(first, first + count)
            self._row_of = dict(zip(self._order, range(len(self._order)), strict=True))
            self.endInsertRows()

    def _on_group_changed(self, group: int) -> None:
        row = self._row_of.get(group)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def _on_thumbnail(self, path: str) -> None:
        for group in self._groups_of_path.get(path, ()):
            row = self._row_of[group]
            cell = self.index(row, THUMB)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DecorationRole])
