"""Edit ▸ Preferences: the keeper rule chain (order, which rules count, rules about the path) and
what a scan looks for. Works on a copy of the settings; the caller applies and saves them on OK."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common import appearance
from dedup_gui.qt.common.screen_fit import resize_within_screen
from dedup_gui.qt.common.visible_checks import VisibleChecks
from dedup_gui.qt.settings.rule_chain_editor import RuleChainEditor
from dedup_gui.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = copy.deepcopy(settings)
        self.rules = RuleChainEditor(self.settings.keep_rules)
        self.embeddings = QCheckBox("Find edited copies too (crops, captions, filters, "
                                    "screenshots); slower")
        self.embeddings.setChecked(settings.embeddings)
        # the Similar shots panel lists bursts whatever this says: "Also group similar shots"
        # unticked read as "no series" (a real-window check)
        self.similar = QCheckBox("Also put similar shots (bursts, the same scene) in duplicate "
                                 "groups; the Similar shots panel lists them either way")
        self.similar.setChecked(settings.similar_shots)
        self.similar.setEnabled(settings.embeddings)
        self.embeddings.toggled.connect(self.similar.setEnabled)
        self.raw_jpeg = QCheckBox("Treat RAW + JPEG of one shot as duplicates and keep the RAW "
                                  "(else they are one unit and move together)")
        self.raw_jpeg.setChecked(settings.raw_jpeg_duplicates)
        self.appearance = QComboBox()
        for key, text in appearance.CHOICES.items():
            self.appearance.addItem(text, key)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(settings.appearance)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules, 1)
        matching = QGroupBox("What a scan looks for")
        column = QVBoxLayout(matching)
        column.addWidget(self.embeddings)
        column.addWidget(self.similar)
        column.addWidget(self.raw_jpeg)
        layout.addWidget(matching)
        looks = QFormLayout()
        looks.addRow("Appearance:", self.appearance)
        layout.addLayout(looks)
        layout.addWidget(buttons)
        resize_within_screen(self, 560, 560)
        self._checks = VisibleChecks()  # check boxes visible on the dark theme too
        for kind in (QCheckBox, QAbstractItemView):
            for box in self.findChildren(kind):
                box.setStyle(self._checks)

    def result_settings(self) -> Settings:
        """The edited copy; with no rule ticked the chain stays as it was (a chain is needed)."""
        chosen = self.rules.chosen_rules()
        self.settings.keep_rules = chosen or self.settings.keep_rules
        self.settings.embeddings = self.embeddings.isChecked()
        self.settings.similar_shots = self.similar.isChecked() and self.embeddings.isChecked()
        self.settings.raw_jpeg_duplicates = self.raw_jpeg.isChecked()
        self.settings.appearance = self.appearance.currentData()
        return self.settings
