"""The Insights window (View ▸ Insights…): outliers and flagged images with thumbnails.

It lists the images most unlike the rest of the library and those flagged blurry, too dark, too
bright or tiny, one tab each, worst first. From any row a person can show the file in its folder
(selected, where the file manager supports it), open it, or copy its path; nothing here changes
a file. Thumbnails are decoded off the UI thread, only for the rows on screen.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common import desktop
from dedup_gui.qt.common.screen_fit import resize_within_screen
from dedup_gui.qt.common.thumbnails import ThumbnailLoader, on_square
from dedup_gui.text import plural

ICON_SIDE = 72
MAX_OUTLIERS = 300
FLAG_TABS = {"blurry": "Blurry", "dark": "Too dark", "bright": "Too bright", "tiny": "Tiny"}
PATH_ROLE = Qt.ItemDataRole.UserRole


class InsightsDialog(QDialog):
    """Tabs of images (outliers, then each quality flag) with thumbnails and file actions."""

    def __init__(self, insights: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.insights = insights
        self.setWindowTitle("Insights")
        self.thumbs = ThumbnailLoader(ICON_SIDE, capacity=800, parent=self)
        self.thumbs.ready.connect(self._thumbnail_ready)
        self._items: dict[str, list[QTreeWidgetItem]] = {}
        self._visible_timer = QTimer(self, singleShot=True, interval=30)
        self._visible_timer.timeout.connect(self._request_visible)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self._summary()))
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(lambda _i: self._visible_timer.start())
        layout.addWidget(self.tabs, 1)
        self._add_outliers_tab()
        for flag, title in FLAG_TABS.items():
            self._add_flag_tab(flag, title)
        layout.addWidget(self._buttons())
        resize_within_screen(self, 980, 640)
        self._visible_timer.start()

    # -- content -------------------------------------------------------------------------
    def _summary(self) -> str:
        ins = self.insights
        text = (f"{plural(len(ins.files), 'image')} · {plural(len(ins.clusters), 'cluster')} "
                f"of alike images · {plural(len(ins.scan.groups), 'duplicate group')}.")
        if not ins.outliers:
            text += " Outliers need embeddings (Preferences) and two or more images."
        return text

    def _tree(self, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        tree.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([340, *[90] * (len(headers) - 3), 130]):
            tree.header().resizeSection(column, width)
        tree.itemDoubleClicked.connect(lambda item, _col: desktop.reveal(item.data(0, PATH_ROLE)))
        tree.verticalScrollBar().valueChanged.connect(lambda _v: self._visible_timer.start())
        return tree

    def _item(self, path: str, columns: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([os.path.basename(path), *columns, os.path.dirname(path)])
        item.setData(0, PATH_ROLE, path)
        item.setToolTip(0, path)
        item.setSizeHint(0, QSize(ICON_SIDE, ICON_SIDE + 6))
        self._items.setdefault(path, []).append(item)
        return item

    def _flags_text(self, path: str) -> str:
        quality = self.insights.quality.get(path)
        return ", ".join(FLAG_TABS[f].lower() for f in quality.flags) if quality else ""

    def _add_outliers_tab(self) -> None:
        from dedup_gui.engine.export.text import ordinal  # numpy: not at start-up

        k = self.insights.params.k
        tree = self._tree(["Image", "Rank", f"To the {ordinal(k)}", "Nearest image (distance)",
                           "Flags", "Folder"])
        tree.header().resizeSection(3, 240)  # a name and its distance: "IMG_1….HEIC" before
        tree.headerItem().setToolTip(2, f"Cosine distance to the {ordinal(k)} nearest image "
                                        "(0: the same picture, 1: unrelated)")
        tree.addTopLevelItems([
            self._item(o.path, [str(o.rank), f"{o.distance:.3f}",
                                f"{os.path.basename(o.nearest)} ({o.nearest_distance:.3f})",
                                self._flags_text(o.path)])
            for o in self.insights.outliers[:MAX_OUTLIERS]])
        # every image is ranked: "Outliers (61)" read as 61 outliers in a 61-photo library (a
        # real-window check), so the tab names the order, and its tip what is measured
        index = self.tabs.addTab(tree, "Most unusual first")
        self.tabs.setTabToolTip(index, f"Every image ({len(self.insights.outliers)}), ranked by "
                                       f"the distance to its {ordinal(k)} nearest image; the "
                                       "first are the most unlike the rest of the library "
                                       f"(the first {MAX_OUTLIERS} are listed)")

    def _add_flag_tab(self, flag: str, title: str) -> None:
        from dedup_gui.engine.export.text import measure_text  # numpy: not at start-up

        tree = self._tree(["Image", "Measure", "Flags", "Folder"])
        paths = self.insights.flagged(flag)
        quality = self.insights.quality
        tree.addTopLevelItems([self._item(p, [measure_text(quality[p], flag), self._flags_text(p)])
                               for p in paths])
        self.tabs.addTab(tree, f"{title} ({len(paths)})")

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for text, slot, tip in (
                ("Show in folder", self.show_current, "Open the file's folder, the file selected"),
                ("Open", self.open_current, "Open the image in the default viewer"),
                ("Copy path", self.copy_current, "Copy the file's full path")):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    # -- the current file ------------------------------------------------------------------
    def current_tree(self) -> QTreeWidget:
        return self.tabs.currentWidget()

    def current_path(self) -> str | None:
        item = self.current_tree().currentItem()
        return item.data(0, PATH_ROLE) if item is not None else None

    def show_current(self) -> None:
        if path := self.current_path():
            desktop.reveal(path)

    def open_current(self) -> None:
        if path := self.current_path():
            desktop.open_url(QUrl.fromLocalFile(path))

    def copy_current(self) -> None:
        if path := self.current_path():
            desktop.copy_path(path)

    # -- thumbnails for what is on screen ----------------------------------------------------
    def _request_visible(self) -> None:
        tree = self.current_tree()
        item = tree.itemAt(4, 4)
        bottom = tree.viewport().height()
        while item is not None and tree.visualItemRect(item).top() < bottom:
            self._set_icon(item)
            item = tree.itemBelow(item)

    def _set_icon(self, item: QTreeWidgetItem) -> None:
        path = item.data(0, PATH_ROLE)
        entry = self.insights.files.get(path)
        pixmap = self.thumbs.get(path, entry.mtime_ns if entry else 0)
        if pixmap is not None:
            item.setIcon(0, QIcon(on_square(pixmap, ICON_SIDE)))

    def _thumbnail_ready(self, path: str) -> None:
        for item in self._items.get(path, []):
            self._set_icon(item)

    def done(self, result: int) -> None:
        self.thumbs.shutdown()
        super().done(result)
