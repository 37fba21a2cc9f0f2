"""The Mark menu and a card's context menu. Mark helpers act on the group on show, the groups
the list shows, or one kind of match (review/marking.py does the marking); the context menu
adds what a person does with one file: open it, show it in its folder, copy its path, compare."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from dedup_gui.engine.tiers import TIER_LABELS, TIERS
from dedup_gui.qt.common import desktop
from dedup_gui.qt.review.marking import How
from dedup_gui.qt.review.series_marks import KEEP_BEST

GROUP, SHOWN = "group", "shown"  # scopes besides a tier name
Mark = Callable[[How, str], None]


def _add_helpers(menu: QMenu, scope: str, mark: Mark) -> list[QAction]:
    made = []
    for how in How:
        action = menu.addAction(how.value)
        action.triggered.connect(lambda _checked=False, h=how: mark(h, scope))
        made.append(action)
    return made


def build_mark_menu(menu: QMenu, mark: Mark) -> list[QAction]:
    """Fill the Mark menu; the actions that need a group on show (to enable with it)."""
    menu.addSection("The group on show")
    for_group = _add_helpers(menu, GROUP, mark)
    menu.addSeparator()
    _add_helpers(menu.addMenu("In &shown groups"), SHOWN, mark)
    by_tier = menu.addMenu("In one &kind of match")
    for tier in TIERS:
        if tier in TIER_LABELS:
            _add_helpers(by_tier.addMenu(TIER_LABELS[tier].capitalize()), tier, mark)
    return for_group


def add_series_helper(menu: QMenu, keep_best: Callable[[], None]) -> QAction:
    """The Mark menu's similar-shot section: one explicit, separately named command."""
    menu.addSection("Similar shots")
    action = menu.addAction(KEEP_BEST)
    action.setStatusTip("Mark every shot of each similar-shot series Remove except its best "
                        "shot (nothing moves until you move the marked shots to the Trash)")
    action.triggered.connect(lambda _checked=False: keep_best())
    return action


def show_card_menu(parent: QWidget, path: str, where: QPoint, mark: Mark,
                   compare: Callable[[], None]) -> QMenu:
    """The context menu of the card of `path`, opened at `where` (returned for tests)."""
    menu = QMenu(parent)
    menu.addAction("&Open", lambda: desktop.open_file(path))
    menu.addAction("Show in &folder", lambda: desktop.reveal(path))
    menu.addAction("&Copy path", lambda: desktop.copy_path(path))
    menu.addAction("Co&mpare…", compare)
    menu.addSeparator()
    _add_helpers(menu, GROUP, mark)
    menu.popup(where)
    return menu
