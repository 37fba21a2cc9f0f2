"""Help ▸ Keyboard shortcuts and Help ▸ Guide: offline, built into the app. The shortcut sheet
is made from the actions themselves, so it always lists the keys the app really has."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from dedup_gui.qt.common.compare_view import KEYS as COMPARE_KEYS
from dedup_gui.qt.common.screen_fit import resize_within_screen

GUIDE = """
<h2>Cleaning up duplicate photos</h2>
<ol>
<li><b>Add folders</b>: drop folders on the window or click <i>Add folder</i>. Tick
<i>Protected</i> for folders whose files must always be kept (an archive, a backup you trust;
Space ticks it for the folders selected in the list).
</li>
<li><b>Scan</b>: the first scan reads every photo once; later scans take seconds. Cancel keeps
what was read.</li>
<li><b>Review</b>: each group shows its files side by side with the facts that decide which
copy to keep. The keeper rules (Edit ▸ Preferences) pre-mark Keep/Remove: they are suggestions.
Open a group, check the marks (Space toggles, Enter compares two files large, lined up on the
same content: D shows what changed, K or R keeps one and removes the other), then press
<b>Delete</b> to move that group's marked files to the Trash.</li>
<li><b>Many groups at once</b>: the Mark menu sets marks for the groups the list shows or for
one kind of match; Shift+Delete moves the marked files of the shown groups, and by default only
from groups you opened.</li>
<li><b>Similar shots</b>: bursts and second tries are other photos, not copies, so they are
listed apart (the Similar shots panel, View menu) and never marked. Each series stars its best
shot (the sharpest, without clipped highlights); Mark ▸ <i>Keep the best of each series</i>
marks the others, and <i>Move marked shots to Trash…</i> moves them after asking.</li>
<li><b>Not duplicates</b>: N for the whole group, Shift+N for the two files being compared; the
app remembers it in later scans.</li>
<li><b>Undo</b>: Ctrl+Z puts the last batch back from the Trash, byte for byte, even after a
restart; Ctrl+Shift+Z (or Ctrl+Y) redoes what Undo took back. Nothing is ever deleted for good
by dedup-gui.</li>
<li><b>Sort before deleting</b>: Ctrl+M (this group) or Ctrl+Shift+M (shown groups) moves the
marked files into a folder you choose, outside the scanned folders, keeping their folders inside
it (Pictures/2019/x.jpg); Undo puts them back.</li>
<li><b>Save your review</b>: File ▸ Save results writes the groups with your marks and decisions
(JSON, as the command line writes it); File ▸ Open results brings them back, leaving out any file
changed since.</li>
</ol>
<p>Files that could not be read are listed from the status bar. Find similar (Ctrl+F) looks for
the photos most like one photo, anywhere in your folders; <i>Add to group</i> puts a copy the
scan missed into the group of the photo you searched for.</p>
"""


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(command, keys) for every action that has a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows


def shortcut_html(actions: list[QAction]) -> str:
    return (f"<h2>Keyboard shortcuts</h2>{_table(shortcut_rows(actions))}"
            f"<h3>In the compare view (Enter)</h3>{_table(COMPARE_KEYS)}")


def _table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td>{escape(name)}</td><td><b>{escape(keys)}</b></td></tr>"
                   for name, keys in rows)
    return f"<table cellpadding='4'>{body}</table>"


def show_text(parent: QWidget, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    resize_within_screen(dialog, 560, 520)
    browser = QTextBrowser()
    browser.setHtml(html)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
