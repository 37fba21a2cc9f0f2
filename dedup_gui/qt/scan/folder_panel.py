"""The folders to scan: add with a button or by dropping folders/files, remove, mark protected.

A protected folder's files are always kept (the "reference folder" of other tools). The panel
edits a list of FolderSetting; `changed` fires after every edit so the window can save settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common.drops import local_paths
from dedup_gui.qt.common.visible_checks import VisibleChecks
from dedup_gui.qt.resources import icon
from dedup_gui.settings import FolderSetting

EMPTY_TEXT = "Drop folders here\nor click Add folder"
PATH_COLUMN, PROTECTED_COLUMN = 0, 1


class FolderTree(QTreeWidget):
    """The list itself; paints the empty-state hint when there is nothing in it. Space ticks
    or clears Protected on the selected folders: the tick sits in a column arrow keys never
    reach (and Space, the window's Keep/Remove key, has no file to act on in this list)."""

    ticked_many = Signal()  # Space changed the ticks of the selection: one change, told once

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch = False  # Space is ticking several folders: the panel waits for the last
        self._checks = VisibleChecks()  # the Protected tick on the dark theme
        self.setStyle(self._checks)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_space(event) \
                and self.selectedItems():
            event.accept()  # this list's Space, not the window's shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        chosen = self.selectedItems()
        if not (_is_space(event) and chosen):
            super().keyPressEvent(event)
            return
        protect = any(i.checkState(PROTECTED_COLUMN) != Qt.CheckState.Checked for i in chosen)
        self.batch = True
        try:
            for item in chosen:
                item.setCheckState(PROTECTED_COLUMN, Qt.CheckState.Checked if protect
                                   else Qt.CheckState.Unchecked)
        finally:
            self.batch = False
        self.ticked_many.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.topLevelItemCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            painter.end()


def _is_space(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Space \
        and event.modifiers() == Qt.KeyboardModifier.NoModifier


def add_folder_start(remembered: str) -> str:
    """Where "Add folder…" opens: beside the folder added last, else the person's Pictures
    folder, else their home. Never the folder the app was launched from (a first-user review
    saw the dialog open in the app's own source folder)."""
    if remembered and os.path.isdir(remembered):
        return remembered
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if pictures and os.path.isdir(pictures):
        return pictures
    return os.path.expanduser("~")


class FolderPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.last_folder = ""
        self.tree = FolderTree()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Folders to scan", "Protected"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAcceptDrops(False)  # drops land on the panel (the tree would eat them)
        header = self.tree.header()
        header.setSectionResizeMode(PATH_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PROTECTED_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.headerItem().setToolTip(
            PROTECTED_COLUMN, "Files in a protected folder are never proposed for removal")
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.ticked_many.connect(self._ticks_changed)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = self._button("add", "Add folder…", self.choose_folder)
        self.remove_button = self._button("remove", "Remove", self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: palette(placeholder-text);")
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _button(self, name: str, text: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(name))
        button.setIconSize(QSize(18, 18))
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.clicked.connect(slot)
        return button

    def fitting_height(self, most: int = 4) -> int:
        """Room for the folders (`most` rows at most; two for the hint when there are none) and
        the buttons: a fixed share of the column gave one folder 150 px, the group list too
        little."""
        count = self.tree.topLevelItemCount()
        row = self.tree.sizeHintForRow(0) if count else self.tree.fontMetrics().height() + 4
        rows = min(most, count) if count else 2
        return (self.tree.header().sizeHint().height() + rows * row + 2 * self.tree.frameWidth()
                + self.layout().spacing() + self.add_button.sizeHint().height())

    # -- the folder list ---------------------------------------------------------------------
    def folders(self) -> list[FolderSetting]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [FolderSetting(item.data(PATH_COLUMN, Qt.ItemDataRole.UserRole),
                              item.checkState(PROTECTED_COLUMN) == Qt.CheckState.Checked)
                for item in items]

    def set_folders(self, folders: Iterable[FolderSetting]) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for folder in folders:
            self._append(folder)
        self.tree.blockSignals(False)
        self._update_buttons()

    def add_paths(self, paths: Iterable[str]) -> list[str]:
        """Add new paths (duplicates are ignored); returns the ones added."""
        known = {f.path for f in self.folders()}
        added = []
        self.tree.blockSignals(True)
        for path in paths:
            path = os.path.abspath(path)
            if path not in known:
                self._append(FolderSetting(path))
                known.add(path)
                added.append(path)
        self.tree.blockSignals(False)
        if added:
            self._update_buttons()
            self.changed.emit()
        return added

    def _append(self, folder: FolderSetting) -> None:
        item = QTreeWidgetItem([folder.path, ""])
        item.setData(PATH_COLUMN, Qt.ItemDataRole.UserRole, folder.path)
        item.setToolTip(PATH_COLUMN, folder.path)
        missing = not os.path.exists(folder.path)
        if missing:
            item.setText(PATH_COLUMN, f"{folder.path}  (not found)")
            item.setForeground(PATH_COLUMN, self.palette().placeholderText())
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(PROTECTED_COLUMN, Qt.CheckState.Checked if folder.protected
                           else Qt.CheckState.Unchecked)
        item.setIcon(PROTECTED_COLUMN, icon("protect") if folder.protected else icon(""))
        self.tree.addTopLevelItem(item)

    def remove_selected(self) -> None:
        for item in self.tree.selectedItems():
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self._update_buttons()
        self.changed.emit()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to scan",
                                                  add_folder_start(self.last_folder))
        if folder:
            self.last_folder = os.path.dirname(folder)
            self.add_paths([folder])

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == PROTECTED_COLUMN:
            protected = item.checkState(PROTECTED_COLUMN) == Qt.CheckState.Checked
            self.tree.blockSignals(True)
            item.setIcon(PROTECTED_COLUMN, icon("protect") if protected else icon(""))
            self.tree.blockSignals(False)
            if not self.tree.batch:  # else told once, by ticked_many (the status line's count)
                self._ticks_changed()

    def _ticks_changed(self) -> None:
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.tree.selectedItems()))
        protected = sum(f.protected for f in self.folders())
        self.summary.setText(f"{protected} protected" if protected else "")
        self.tree.viewport().update()  # the empty-state hint

    # -- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()
