"""What the View menu changes about the window itself: the pictures' size, which panes show,
light or dark; restored from the settings at start and written back on close."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from dedup_gui.qt.common import appearance
from dedup_gui.qt.review.group_view import GroupView
from dedup_gui.qt.window.central import Central
from dedup_gui.qt.window.panes import Panes
from dedup_gui.qt.window.picture_size import PictureSize
from dedup_gui.settings import Settings


class ViewControls:
    def __init__(self, window: QWidget, central: Central, settings: Settings) -> None:
        self.group_view: GroupView = central.group_view
        self.panes = Panes(window, central.splitter, central.side, central.folders,
                           central.results, central.group_view)
        self.picture_size = PictureSize(window, settings.picture_side, self._picture_side)
        appearance.follow(settings.appearance)
        self.group_view.set_picture_side(self.picture_size.side)

    def actions(self) -> list[QAction]:
        return [*self.picture_size.actions(), self.panes.show_folders, self.panes.show_groups]

    def add_to_menu(self, menu: QMenu) -> None:
        """Below the View menu's commands: sizes, then panes."""
        menu.addSeparator()
        for action in self.picture_size.actions():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.panes.show_folders)
        menu.addAction(self.panes.show_groups)
        window = self.panes.window
        for action in self.actions():  # shortcuts work with the menu bar hidden, too
            window.addAction(action)

    def restore(self, settings: Settings) -> None:
        """Once the window has its size: the saved splits, or ones that fit it."""
        self.panes.restore(settings.main_splitter, settings.side_splitter)

    def save(self, settings: Settings) -> None:
        settings.main_splitter, settings.side_splitter = self.panes.save()
        settings.picture_side = self.picture_size.side

    def settings_changed(self, settings: Settings) -> None:
        """Preferences ▸ Appearance took effect."""
        if settings.appearance != appearance.choice():
            appearance.follow(settings.appearance)

    def _picture_side(self, side: int) -> None:
        self.group_view.set_picture_side(side)
