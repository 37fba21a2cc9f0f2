"""A list of files with a reason each: files a scan could not read, files the trash refused.
Opened by the person from the status bar or a menu (never a popup per file).

Reasons are sentences ("the files of this group that are not marked are no longer there ...")
and the Reason column cut them at its edge, with no way to widen it (real-window checks): the
selected row's path and reason are shown whole below the list, and on hover."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common.screen_fit import resize_within_screen


class IssuesDialog(QDialog):
    def __init__(self, title: str, intro: str, rows: Sequence[tuple[str, str]],
                 notes: Sequence[str] = (), parent: QWidget | None = None,
                 headers: tuple[str, str] = ("File", "Reason")) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.rows = list(rows)
        layout = QVBoxLayout(self)
        heading = QLabel(intro)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(headers))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.addTopLevelItems([_item(path, reason) for path, reason in rows])
        if headers[1] == "Reason":  # lists of problems read best by path; rankings keep order
            self.tree.setSortingEnabled(True)
            self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(0, 520)
        layout.addWidget(self.tree, 1)
        self.tree.setVisible(bool(self.rows))  # notes only: no empty list above them
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        self.tree.currentItemChanged.connect(self._show_whole)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for note in notes:
            label = QLabel(note)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if self.rows:  # beside a list of problems, a warning; alone, the dialog's text
                label.setStyleSheet("color: #e65100;")
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if self.rows:
            copy = QPushButton("Copy list")
            copy.clicked.connect(self.copy_to_clipboard)
            buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        else:  # notes only: no empty list's space above them
            layout.addStretch(1)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_within_screen(self, 860, 440 if self.rows else 240)

    def _show_whole(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        self.detail.setText(f"{item.text(0)}\n{item.text(1)}" if item is not None else "")

    def copy_to_clipboard(self) -> None:
        text = "\n".join(f"{path}\t{reason}" for path, reason in self.rows)
        QGuiApplication.clipboard().setText(text)


def _item(path: str, reason: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem([path, reason])
    item.setToolTip(0, path)
    item.setToolTip(1, reason)
    return item
