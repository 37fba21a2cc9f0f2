"""The keeper rule chain as a person edits it: an ordered list of rules, each ticked or not, plus
rules about the path ("avoid paths containing WhatsApp", "prefer paths containing DCIM") that the
person adds with their own text. Top rule decides first; a later rule only breaks ties.

Works on plain rule dicts (keep_rules.Rule.as_dict()), like the settings file: no engine import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# The fixed rules (keep_rules.RuleKind values), each listed once, ticked or not.
RULES = ("most original", "highest resolution", "largest file", "oldest date", "newest date",
         "shortest path", "preferred format")
FORMAT_RULE = "preferred format"
ORIGINAL_RULE = "most original"
DEFAULT_FORMATS = "HEIF, PNG, TIFF, JPEG, WEBP"
# Rules with the person's own text, as many as they like: kind -> how the list says it.
PATH_RULES = {"path does not contain": "Avoid paths containing “{}”",
              "path contains": "Prefer paths containing “{}”"}
RULE_ROLE = Qt.ItemDataRole.UserRole  # (kind, text)


def path_texts(typed: str) -> list[str]:
    """'WhatsApp, Copy,  backup' -> ['WhatsApp', 'Copy', 'backup']: one rule per word or phrase."""
    return [part.strip() for part in typed.split(",") if part.strip()]


class RuleChainEditor(QGroupBox):
    def __init__(self, rules: Sequence[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__("Which file to keep", parent)
        self.list = QListWidget()
        self.list.setToolTip("Ticked rules decide which file of a group is kept, top rule "
                             "first; a later rule only breaks ties.")
        self.formats = QLineEdit()
        self.formats.setPlaceholderText(DEFAULT_FORMATS)
        self.formats.setToolTip("Format names separated by commas, best first (JPEG, HEIF, PNG, "
                                "TIFF, WEBP, DNG, CR2, NEF ...); RAW means every camera RAW "
                                "format, e.g. “RAW, HEIF, JPEG” keeps the RAW of a shot")
        self.path_kind = QComboBox()
        for kind, wording in PATH_RULES.items():
            self.path_kind.addItem(wording.split(" “")[0], kind)
        self.path_text = QLineEdit()
        self.path_text.setPlaceholderText("e.g. WhatsApp, Copy, backup")
        self.path_text.setToolTip("Matched anywhere in the file's path, ignoring case; separate "
                                  "several with commas (one rule each)")
        self.path_text.returnPressed.connect(self.add_path_rules)
        self.path_text.textChanged.connect(lambda _text: self._update_buttons())
        self._fill(rules)
        column = QVBoxLayout(self)
        column.addLayout(self._list_row())
        column.addLayout(self._path_row())
        form = QFormLayout()
        form.addRow("Preferred formats, best first:", self.formats)
        column.addLayout(form)
        note = QLabel("A new path rule goes below “Most original”: it decides between equally "
                      "original copies; move it up to let it decide first. Files in protected "
                      "folders are always kept, whatever the rules say.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        column.addWidget(note)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._update_buttons()

    def _list_row(self) -> QHBoxLayout:
        self.up, self.down = QPushButton("Move up"), QPushButton("Move down")
        self.remove = QPushButton("Remove")
        self.remove.setToolTip("Remove the selected path rule (fixed rules are unticked)")
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        self.remove.clicked.connect(self.remove_current)
        side = QVBoxLayout()
        for button in (self.up, self.down, self.remove):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        return row

    def _path_row(self) -> QHBoxLayout:
        self.add = QPushButton("Add rule")
        self.add.setAutoDefault(False)
        self.add.clicked.connect(self.add_path_rules)
        row = QHBoxLayout()
        row.addWidget(self.path_kind)
        row.addWidget(self.path_text, 1)
        row.addWidget(self.add)
        return row

    # -- the list ----------------------------------------------------------------------------
    def _fill(self, rules: Sequence[dict[str, Any]]) -> None:
        formats = next((r.get("formats") for r in rules if r.get("kind") == FORMAT_RULE), None)
        self.formats.setText(", ".join(formats) if formats else "")
        chosen = [(r.get("kind"), r.get("text") or "") for r in rules]
        listed = [(k, t) for k, t in chosen if k in RULES or (k in PATH_RULES and t)]
        listed += [(k, "") for k in RULES if (k, "") not in listed]
        for kind, text in dict.fromkeys(listed):
            self._append(kind, text, (kind, text) in chosen)
        self.list.setCurrentRow(0)

    def _append(self, kind: str, text: str, ticked: bool, row: int | None = None) -> None:
        label = PATH_RULES[kind].format(text) if kind in PATH_RULES else kind.capitalize()
        item = QListWidgetItem(label)
        item.setData(RULE_ROLE, (kind, text))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.insertItem(self.list.count() if row is None else row, item)

    def entries(self) -> list[tuple[str, str, bool]]:
        """(kind, text, ticked) for every row, top first."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return [(*item.data(RULE_ROLE), item.checkState() == Qt.CheckState.Checked)
                for item in items]

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def add_path_rules(self) -> None:
        """Add the typed text as path rules right below a ticked "most original" (else at the
        top), selected, to be moved up as the person likes. Why below: at the top, "prefer
        paths containing WhatsApp" kept a 659-px messenger re-save and marked its camera
        original Remove (a first-user review); below, it decides between equally original
        copies, which is what such a rule is mostly for."""
        kind = self.path_kind.currentData()
        known = {(k, t.casefold()) for k, t, _ in self.entries()}
        new: dict[str, str] = {}  # casefolded -> as typed, first spelling wins
        for text in path_texts(self.path_text.text()):
            if (kind, text.casefold()) not in known:
                new.setdefault(text.casefold(), text)
        first = self._below_most_original()
        for offset, text in enumerate(new.values()):
            self._append(kind, text, True, row=first + offset)
        self.path_text.clear()
        self.list.setCurrentRow(first)

    def _below_most_original(self) -> int:
        """The row under a ticked "most original" rule, or 0."""
        for row, (kind, _text, ticked) in enumerate(self.entries()):
            if kind == ORIGINAL_RULE and ticked:
                return row + 1
        return 0

    def remove_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(RULE_ROLE)[0] in PATH_RULES:
            self.list.takeItem(self.list.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        row = self.list.currentRow()
        self.remove.setEnabled(item is not None and item.data(RULE_ROLE)[0] in PATH_RULES)
        self.up.setEnabled(item is not None and row > 0)  # the top rule cannot go higher
        self.down.setEnabled(item is not None and row < self.list.count() - 1)
        self.add.setEnabled(bool(path_texts(self.path_text.text())))

    # -- the result --------------------------------------------------------------------------
    def chosen_rules(self) -> list[dict[str, Any]]:
        """The ticked rules, top first, as settings-file dicts."""
        formats = [f.strip() for f in (self.formats.text() or DEFAULT_FORMATS).split(",")
                   if f.strip()]
        return [{"kind": kind, "formats": formats if kind == FORMAT_RULE else [], "text": text}
                for kind, text, ticked in self.entries() if ticked]
