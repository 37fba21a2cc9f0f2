"""The main window's actions: one QAction per command, with its icon, shortcuts and tip, placed in
the menus (so every shortcut is discoverable) and the toolbar."""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from dedup_gui.qt.resources import icon


@dataclass
class Actions:
    add_folder: QAction
    scan: QAction
    cancel: QAction
    export: QAction
    export_report: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    move_folder: QAction
    move_folder_shown: QAction
    save_results: QAction
    open_results: QAction
    trash: QAction
    trash_shown: QAction
    trash_identical: QAction
    toggle: QAction
    not_duplicates: QAction
    not_duplicates_pair: QAction
    filter_groups: QAction
    next_group: QAction
    prev_group: QAction
    next_file: QAction
    prev_file: QAction
    compare: QAction
    find_similar: QAction
    find_similar_photo: QAction
    unreadable: QAction
    messages: QAction
    insights: QAction
    preferences: QAction
    shortcuts: QAction
    guide: QAction
    about: QAction


# Short labels for the toolbar, which shows text beside the icons.
_TOOLBAR_TEXT = {"add_folder": "Add folder", "scan": "Scan", "cancel": "Cancel",
                 "trash": "Move to Trash", "undo": "Undo", "compare": "Compare",
                 "not_duplicates": "Not duplicates", "find_similar": "Find similar",
                 "export": "Export"}

_SPECS = {  # name: (text, icon, shortcuts, status tip)
    "add_folder": ("&Add folder…", "add", ["Ctrl+O"], "Add a folder to scan"),
    "scan": ("&Scan", "scan", ["Ctrl+R", "F5"], "Look for duplicates in the folders"),
    "cancel": ("&Cancel scan", "cancel", ["Ctrl+."], "Stop the scan (what was read is kept)"),
    "export": ("&Export results…", "export", ["Ctrl+E"], "Save the groups as JSON or CSV"),
    "export_report": ("Export &report…", "", ["Ctrl+Shift+E"],
                      "Write an HTML gallery and CSV files: groups, clusters, outliers, quality"),
    "quit": ("&Quit", "", [QKeySequence.StandardKey.Quit], "Quit dedup-gui"),
    "undo": ("&Undo", "undo", [QKeySequence.StandardKey.Undo],
             "Undo the last Move to Trash or Not duplicates"),
    "redo": ("&Redo", "", [QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y"],
             "Do again what Undo took back"),
    "move_folder": ("Move marked in this group to &folder…", "", ["Ctrl+M"],
                    "Move the files marked Remove in the group on show into a folder you "
                    "choose, keeping their folders (asks first; Undo puts them back)"),
    "move_folder_shown": ("Move marked in shown groups to f&older…", "", ["Ctrl+Shift+M"],
                          "Move the marked files of the groups the list shows into a folder "
                          "you choose; asks like the Trash"),
    "save_results": ("Sa&ve results…", "", [QKeySequence.StandardKey.Save],
                     "Save the groups with your marks and decisions as a JSON file"),
    "open_results": ("O&pen results…", "", ["Ctrl+Shift+O"],
                     "Open saved results with their marks; the files are checked again"),
    "trash": ("&Move marked in this group to Trash…", "trash", ["Delete"],
              "Move the files marked Remove in the group on show to the Trash (asks first)"),
    "trash_shown": ("Move marked in &shown groups to Trash…", "", ["Shift+Delete"],
                    "Move the marked files of the groups the list shows; asks, and by default "
                    "moves only from groups you have opened"),
    "trash_identical": ("Move all &identical copies to Trash…", "", [],
                        "Move every marked file whose bytes equal a kept file's, in every group "
                        "(asks first)"),
    "toggle": ("&Toggle Keep / Remove", "", ["Space"], "Keep or remove the current file"),
    "not_duplicates": ("&Not duplicates (whole group)", "not-duplicates", ["N"],
                       "None of these files are duplicates: remember it and hide the group"),
    "not_duplicates_pair": ("Not duplicates: this p&air", "", ["Shift+N"],
                            "The current file and the one it is compared with are different "
                            "photos: remember it and form the group again without this pair"),
    "filter_groups": ("Fi&lter groups…", "", ["Ctrl+L"],
                      "Type part of a file or folder name to show only the groups holding one "
                      "(Down and Up then move through them)"),
    "next_group": ("&Next group", "", ["Down", "J"], "Review the next group"),
    "prev_group": ("&Previous group", "", ["Up", "K"], "Review the previous group"),
    "next_file": ("Next &file", "", ["Right"], "The next file in this group"),
    "prev_file": ("Previous f&ile", "", ["Left"], "The previous file in this group"),
    "compare": ("&Compare…", "compare", ["Return", "Enter"],
                "Compare the current file with the keeper, large, with linked zoom"),
    "find_similar": ("Find &similar to this photo…", "similar", ["Ctrl+F"],
                     "Find the photos most like the current one in the scanned folders"),
    "find_similar_photo": ("Find similar to a p&hoto…", "", ["Ctrl+Shift+F"],
                           "Choose or drop any photo and find the most similar ones in your "
                           "folders"),
    "unreadable": ("&Unreadable files…", "warning", [], "Files the last scan could not read"),
    "messages": ("Recent &messages…", "", [], "The status line's last messages, whole"),
    "insights": ("Insi&ghts…", "", ["Ctrl+I"],
                 "Outliers and blurry, dark, bright or tiny images in the folders"),
    "preferences": ("&Preferences…", "", ["Ctrl+,"],
                    "Keeper rules, and what a scan looks for"),
    "shortcuts": ("&Keyboard shortcuts", "", ["Ctrl+/"], "Every command's keys"),
    "guide": ("&Guide", "", [QKeySequence.StandardKey.HelpContents],
              "How to clean up duplicates safely, step by step"),
    "about": ("&About dedup-gui", "app", [], "Version and licence"),
}


def make_actions(window: QMainWindow) -> Actions:
    made = {}
    for name, (text, icon_name, keys, tip) in _SPECS.items():
        action = QAction(icon(icon_name), text, window)
        sequences = [s for s in {QKeySequence(k).toString(): QKeySequence(k)
                                 for k in keys}.values() if not s.isEmpty()]
        action.setShortcuts(sequences)  # Redo: the system's keys (if any), ours, each once
        shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences)
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shown})" if shown
                          else text.replace("&", "").rstrip("…"))
        action.setStatusTip(tip)
        if name in _TOOLBAR_TEXT:
            action.setIconText(_TOOLBAR_TEXT[name])
        made[name] = action
    return Actions(**made)


def build_menus(window: QMainWindow, a: Actions) -> dict[str, QMenu]:
    """The menu bar; the menus by title (the window fills the Mark menu)."""
    bar = window.menuBar()
    made = {}
    menus = {
        "&File": [a.add_folder, None, a.scan, a.cancel, None, a.open_results, a.save_results,
                  a.export, a.export_report, None, a.quit],
        "&Edit": [a.undo, a.redo, None, a.toggle, a.trash, a.trash_shown, a.trash_identical,
                  a.move_folder, a.move_folder_shown, None,
                  a.not_duplicates, a.not_duplicates_pair, None, a.preferences],
        "&Mark": [],  # filled by mark_menu.build_mark_menu
        "&View": [a.filter_groups, None, a.next_group, a.prev_group, a.next_file, a.prev_file,
                  None, a.compare, a.find_similar, a.find_similar_photo, None, a.insights,
                  a.unreadable, a.messages],
        "&Help": [a.guide, a.shortcuts, None, a.about],
    }
    for title, items in menus.items():
        menu = made[title] = bar.addMenu(title)
        for item in items:
            menu.addSeparator() if item is None else menu.addAction(item)
    return made


def build_toolbar(window: QMainWindow, a: Actions) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setIconSize(QSize(20, 20))
    for item in (a.add_folder, a.scan, a.cancel, None, a.trash, a.undo, None, a.compare,
                 a.not_duplicates, a.find_similar, None, a.export):
        toolbar.addSeparator() if item is None else toolbar.addAction(item)
    return toolbar


def all_actions(a: Actions) -> list[QAction]:
    return [getattr(a, f.name) for f in fields(a)]
