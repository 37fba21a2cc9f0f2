"""The results list's filter: by tier, by text in any file path, and without the groups
dismissed as "not duplicates". Sorting stays in the table model (group_model.py: one lexsort
on arrays of keys; a proxy sorting through data() calls would take seconds at 20,000 groups)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from dedup_gui.qt.review.group_model import GroupTableModel
from dedup_gui.tasks.tiers import Tier

_Index = QModelIndex | QPersistentModelIndex


class GroupFilterProxy(QSortFilterProxyModel):
    """Filters by tier and by text in any file path; hides dismissed groups. Sorting is passed
    to the source model (see the module docstring)."""

    def __init__(self, source: GroupTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.groups = source
        self._tiers: set[Tier] | None = None
        self._text = ""

    def set_tiers(self, tiers: set[Tier] | None) -> None:
        self._change_filter(lambda: setattr(self, "_tiers", tiers))

    def set_text(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _change_filter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._tiers is None and not self._text and not self.groups.state.dismissed:
            return True
        group = self.groups.group_at(source_row)
        if group in self.groups.state.dismissed:
            return False
        if self._tiers is not None and self.groups.tier_of(group) not in self._tiers:
            return False
        return not self._text or self._text in self.groups.search_text(group)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.groups.sort(column, order)

    def group_at(self, row: int) -> int:
        return self.groups.group_at(self.mapToSource(self.index(row, 0)).row())

    def row_of_group(self, group: int) -> int:
        source_row = self.groups.row_of_group(group)
        if source_row < 0:
            return -1
        return self.mapFromSource(self.groups.index(source_row, 0)).row()
