"""The list of duplicate groups with its filters (tier, text) and an empty state that says what
to do next."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common.empty_label import empty_label
from dedup_gui.qt.common.sort_arrows import file_manager_arrows
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.review.group_filter import GroupFilterProxy
from dedup_gui.qt.review.group_model import (
    FILES,
    FOLDER,
    HEADERS,
    SPACE,
    THUMB,
    THUMB_SIDE,
    TIER,
    GroupTableModel,
)
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.tasks.tiers import Tier

NO_MATCH = "No group matches the filter."
CELL_PADDING = 16  # the style's margins around a cell's text, with room to spare
ARROW_ROOM = 22  # the header's sort arrow beside its title
FOLDER_ROOM = 100  # the Folder column's share of the natural width (the rest on hover)


def column_widths(view: QTableView) -> dict[int, int]:
    """Each column as wide as its longest possible text and its title with the sort arrow, in
    the font in use: fixed widths clipped the Files cell ("3 (2 i…") and a larger font would
    clip others."""
    cells, titles = view.fontMetrics(), view.horizontalHeader().fontMetrics()

    def fit(title: str, *samples: str) -> int:
        return max(titles.horizontalAdvance(title) + ARROW_ROOM,
                   *(cells.horizontalAdvance(t) + CELL_PADDING for t in samples))

    return {FILES: fit(HEADERS[FILES], "888/888", "8888"),
            TIER: fit(HEADERS[TIER], *(tier.label for tier in Tier)),
            SPACE: fit(HEADERS[SPACE], "888.8 MB", "888.8 KB")}


class FilterField(QLineEdit):
    """The group filter's text box. Shift+Delete is left to the window (move the shown groups'
    marks to the Trash): the box took it as Cut, so in the very flow the bulk move is made
    for (type a filter, look through the groups, Shift+Delete) nothing happened, or the filter
    text was cut and the list silently showed every group again (a real-window check).
    Ctrl+X still cuts."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and \
                event.key() == Qt.Key.Key_Delete and \
                event.modifiers() == Qt.KeyboardModifier.ShiftModifier:
            event.ignore()  # not taken here: the window's shortcut fires
            return False
        return super().event(event)


class GroupTable(QTableView):
    """Home and End go to the first and last group, as in a list: a table's Home went to the
    row's first column, so nothing visible happened (a real-window check)."""

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveHome,
                      QAbstractItemView.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)


class ResultsPanel(QWidget):
    group_selected = Signal(object)  # group index, or None

    def __init__(self, state: ReviewState, thumbnails: ThumbnailLoader | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = GroupTableModel(state, thumbnails, self)
        self.proxy = GroupFilterProxy(self.model, self)
        self.view = self._make_view()
        self.tier_box = QComboBox()
        self.tier_box.addItem("All matches", None)
        for tier in Tier:
            self.tier_box.addItem(tier.label, tier)
        self.tier_box.currentIndexChanged.connect(self._tier_changed)
        self.search = FilterField()
        self.search.setPlaceholderText("Filter by file or folder name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.search.textChanged.connect(self._keep_a_selection)
        filters = QHBoxLayout()
        filters.addWidget(self.tier_box)
        filters.addWidget(self.search, 1)
        self.empty = empty_label("")
        self.stack = QStackedLayout()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(self.stack, 1)
        self._empty_text = ""
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged):
            signal.connect(self._update_empty)
        self._update_empty()

    def _make_view(self) -> QTableView:
        """A table, not a tree: its layout costs nothing per row (a tree view walks all 20,000
        rows through the Python model on every reset)."""
        view = GroupTable()
        view.setModel(self.proxy)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.setCornerButtonEnabled(False)
        # Tab leaves the list for the next control, as elsewhere in the window; cell by cell
        # it wrapped to the next row and opened another group (a first-user review: a trap)
        view.setTabKeyNavigation(False)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(THUMB_SIDE + 8)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        view.setSortingEnabled(True)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(THUMB, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(THUMB, THUMB_SIDE + 12)
        for column, width in column_widths(view).items():
            header.resizeSection(column, width)
        header.resizeSection(FOLDER, FOLDER_ROOM // 2)  # the least the stretched Folder keeps
        header.setStretchLastSection(True)  # (taken from the size it has now)
        header.setSortIndicator(SPACE, Qt.SortOrder.DescendingOrder)
        self._arrows = file_manager_arrows(header)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        return view

    def natural_width(self) -> int:
        """Wide enough for every column but the folder's whole, and some of the folder."""
        header = self.view.horizontalHeader()
        return (sum(header.sectionSize(c) for c in range(FOLDER)) + FOLDER_ROOM
                + self.view.verticalScrollBar().sizeHint().width() + 2 * self.view.frameWidth())

    def changeEvent(self, event: QEvent) -> None:
        """Light ⇄ dark: the list's placeholders follow (the rest is the style's)."""
        if event.type() == QEvent.Type.PaletteChange:
            self.model.palette_changed()
        super().changeEvent(event)

    # -- selection ---------------------------------------------------------------------------
    def selected_group(self) -> int | None:
        index = self.view.currentIndex()
        return self.proxy.group_at(index.row()) if index.isValid() else None

    def focus_filter(self) -> None:
        """View ▸ Filter groups (Ctrl+L): the filter box, its text selected. Why: a keyboard
        user needed four Tabs to reach it from the folder list (a real-window check)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def shown_groups(self) -> list[int]:
        """The groups the list shows (its filters applied, dismissed ones hidden), in order."""
        return [self.proxy.group_at(row) for row in range(self.proxy.rowCount())]

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            index = self.proxy.index(row, 0)
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self.view.selectionModel().setCurrentIndex(index, flags)
            self.view.scrollTo(index)

    def select_group(self, group: int) -> None:
        self.select_row(self.proxy.row_of_group(group))

    def step(self, delta: int) -> None:
        """Next/previous group (clamped); the first one when none is selected."""
        index = self.view.currentIndex()
        self.select_row(max(0, min(self.proxy.rowCount() - 1,
                                   index.row() + delta if index.isValid() else 0)))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.group_selected.emit(self.proxy.group_at(current.row()) if current.isValid() else None)

    # -- filters and the empty state ---------------------------------------------------------
    def _tier_changed(self) -> None:
        tier = self.tier_box.currentData()
        self.proxy.set_tiers({tier} if tier is not None else None)
        self._keep_a_selection()

    def _keep_a_selection(self) -> None:
        """A filter that hides the selected group selects the first one it shows. Why: the
        list was left with no row selected while the review still showed a group, so Down went
        to the second row and the first was skipped (a keyboard user's check)."""
        if self.selected_group() is None and self.proxy.rowCount():
            self.select_row(0)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self._update_empty()

    def _update_empty(self) -> None:
        empty = self.proxy.rowCount() == 0
        filtered = self.model.rowCount() > 0
        self.empty.setText(NO_MATCH if empty and filtered else self._empty_text)
        self.stack.setCurrentWidget(self.empty if empty else self.view)
