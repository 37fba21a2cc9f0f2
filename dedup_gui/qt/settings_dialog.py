"""Edit ▸ Preferences: the keeper rule chain (order and which rules count) and what a scan looks
for. Works on a copy of the settings; the caller applies and saves them on OK."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
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

from dedup_gui.settings import Settings

# The rules a person can order here (keep_rules.RuleKind values); path rules need a text each
# and are left to the settings file for now.
RULES = ("highest resolution", "largest file", "oldest date", "newest date", "shortest path",
         "preferred format")
FORMAT_RULE = "preferred format"
DEFAULT_FORMATS = "HEIF, PNG, TIFF, JPEG, WEBP"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = copy.deepcopy(settings)
        self.rules = QListWidget()
        self.rules.setToolTip("Checked rules decide which file of a group is kept, top rule "
                              "first; a later rule only breaks ties.")
        self.formats = QLineEdit()
        self.formats.setPlaceholderText(DEFAULT_FORMATS)
        self._fill_rules()
        self.embeddings = QCheckBox("Find edited copies too (crops, captions, filters, "
                                    "screenshots); slower")
        self.embeddings.setChecked(settings.embeddings)
        self.similar = QCheckBox("Also group similar shots (bursts, the same scene)")
        self.similar.setChecked(settings.similar_shots)
        self.similar.setEnabled(settings.embeddings)
        self.embeddings.toggled.connect(self.similar.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._keeper_box())
        matching = QGroupBox("What a scan looks for")
        column = QVBoxLayout(matching)
        column.addWidget(self.embeddings)
        column.addWidget(self.similar)
        layout.addWidget(matching)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def _keeper_box(self) -> QGroupBox:
        box = QGroupBox("Which file to keep")
        up, down = QPushButton("Move up"), QPushButton("Move down")
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        side = QVBoxLayout()
        side.addWidget(up)
        side.addWidget(down)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.rules, 1)
        row.addLayout(side)
        form = QFormLayout()
        form.addRow("Preferred formats, best first:", self.formats)
        note = QLabel("Files in protected folders are always kept, whatever the rules say.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addLayout(form)
        column.addWidget(note)
        return box

    def _fill_rules(self) -> None:
        chosen = [r.get("kind") for r in self.settings.keep_rules]
        formats = next((r.get("formats") for r in self.settings.keep_rules
                        if r.get("kind") == FORMAT_RULE), None)
        self.formats.setText(", ".join(formats) if formats else "")
        for kind in [k for k in chosen if k in RULES] + [k for k in RULES if k not in chosen]:
            item = QListWidgetItem(kind.capitalize())
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if kind in chosen
                               else Qt.CheckState.Unchecked)
            self.rules.addItem(item)
        self.rules.setCurrentRow(0)

    def _move(self, step: int) -> None:
        row = self.rules.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.rules.count():
            return
        item = self.rules.takeItem(row)
        self.rules.insertItem(target, item)
        self.rules.setCurrentRow(target)

    def chosen_rules(self) -> list[dict]:
        formats = [f.strip() for f in (self.formats.text() or DEFAULT_FORMATS).split(",")
                   if f.strip()]
        rules = []
        for row in range(self.rules.count()):
            item = self.rules.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                kind = item.data(Qt.ItemDataRole.UserRole)
                rules.append({"kind": kind, "formats": formats if kind == FORMAT_RULE else [],
                              "text": ""})
        return rules

    def result_settings(self) -> Settings:
        kept = [r for r in self.settings.keep_rules if r.get("kind") not in RULES]  # path rules
        chosen = self.chosen_rules()
        self.settings.keep_rules = chosen + kept if chosen else self.settings.keep_rules
        self.settings.embeddings = self.embeddings.isChecked()
        self.settings.similar_shots = self.similar.isChecked() and self.embeddings.isChecked()
        return self.settings
