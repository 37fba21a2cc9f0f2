"""The list of files with a reason each: a long reason is readable whole (it was cut at the
Reason column's edge with no way to widen it: real-window checks)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dedup_gui.qt.common.issues_dialog import IssuesDialog

LONG = ("the files of this group that are not marked are no longer there (in the Trash, moved "
        "or deleted since the scan); keep at least one here")


def test_the_selected_rows_reason_is_shown_whole(qtbot: QtBot) -> None:
    dialog = IssuesDialog("Some files were not moved", "1 file stayed where it was:",
                          [("/photos/b.jpg", "it no longer exists"), ("/photos/a.jpg", LONG)])
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.tree
    first = tree.topLevelItem(0)  # sorted by path
    assert first.text(0) == "/photos/a.jpg" and first.toolTip(1) == LONG
    assert dialog.detail.text() == f"/photos/a.jpg\n{LONG}"
    assert dialog.detail.wordWrap() and dialog.detail.isVisible()
    tree.setCurrentItem(tree.topLevelItem(1))
    assert dialog.detail.text() == "/photos/b.jpg\nit no longer exists"
