"""The RAW + JPEG option: Preferences -> Settings -> the app's ScanSettings -> ScanParams, and the
keeper chain that then proposes to keep the RAW."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dedup_gui.engine.actions.keep_rules import Rule, RuleKind, propose
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.qt.settings.dialog import SettingsDialog
from dedup_gui.settings import Settings
from dedup_gui.tasks.scan import ScanSettings, keeper_rules


def test_app_setting_reaches_the_engine_and_the_keeper_is_the_raw(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert not dialog.raw_jpeg.isChecked()
    dialog.raw_jpeg.setChecked(True)
    chosen = dialog.result_settings()
    assert chosen.raw_jpeg_duplicates is True
    assert ScanSettings.of(["/x"], chosen).params().raw_jpeg_duplicates is True
    assert ScanSettings.of(["/x"], Settings()).params().raw_jpeg_duplicates is False
    # RAW and JPEG of one shot in one group: the RAW is kept although the JPEG is larger.
    group = Group((GroupFile("/a/IMG_1.DNG", 10, 1, 100, 80, "DNG"),
                   GroupFile("/a/IMG_1.JPG", 90, 1, 200, 160, "JPEG")), ())
    chain = [Rule.from_dict(d) for d in keeper_rules(chosen.keep_rules, True)]
    assert chain[0].kind is RuleKind.PREFERRED_FORMAT
    assert propose(group, chain, []).remove == ("/a/IMG_1.JPG",)
    assert keeper_rules(chosen.keep_rules, False) == tuple(chosen.keep_rules)
