"""Which signal reaches which part of the main window: the wiring in one place, so the window
class holds state and behaviour only."""

from __future__ import annotations

from typing import Any

from dedup_gui.qt.window import dialogs
from dedup_gui.qt.window.actions import Actions, all_actions
from dedup_gui.qt.window.help import GUIDE, shortcut_html
from dedup_gui.qt.window.mark_menu import show_card_menu


def connect_parts(window: Any) -> None:
    """Menu and toolbar actions to their commands, and the parts' signals to the window (a
    MainWindow: not imported, it imports this module)."""
    a: Actions = window.actions
    a.add_folder.triggered.connect(window.folders.choose_folder)
    a.scan.triggered.connect(window.scanning.start)
    a.cancel.triggered.connect(window.foreground.cancel)
    a.export.triggered.connect(lambda: _export(window))
    a.preferences.triggered.connect(window.preferences)
    a.quit.triggered.connect(window.request_quit)
    a.undo.triggered.connect(window.undo)
    a.redo.triggered.connect(window.redo)
    a.save_results.triggered.connect(window.results_files.save)
    a.open_results.triggered.connect(window.results_files.open)
    window.results_files.opened.connect(window.show_saved_results)
    a.move_folder.triggered.connect(
        lambda: window.flow.folder_group(window.results.selected_group()))
    a.move_folder_shown.triggered.connect(
        lambda: window.flow.folder_shown(window.results.shown_groups()))
    a.trash.triggered.connect(
        lambda: window.flow.trash_group(window.results.selected_group()))
    a.trash_shown.triggered.connect(
        lambda: window.flow.trash_shown(window.results.shown_groups()))
    a.trash_identical.triggered.connect(window.flow.trash_identical)
    a.toggle.triggered.connect(window.group_view.toggle_current)
    window.group_view.marked_by_hand.connect(
        lambda group, before, after, what: window.flow.marked(what, {group: (before, after)},
                                                              by_hand=True))
    a.not_duplicates.triggered.connect(window.not_duplicates)
    a.not_duplicates_pair.triggered.connect(window.not_duplicates_pair)
    a.filter_groups.triggered.connect(window.results.focus_filter)
    a.next_group.triggered.connect(lambda: window.results.step(1))
    a.prev_group.triggered.connect(lambda: window.results.step(-1))
    a.next_file.triggered.connect(lambda: window.group_view.move(1))
    a.prev_file.triggered.connect(lambda: window.group_view.move(-1))
    a.compare.triggered.connect(window.open_compare)
    a.find_similar.triggered.connect(
        lambda: window.similar.open(window.group_view.current_path(), choose=True))
    a.find_similar_photo.triggered.connect(lambda: window.similar.open(choose=True))
    a.unreadable.triggered.connect(window.show_unreadable)
    a.messages.triggered.connect(lambda _checked=False: window.message_log.show(window))
    a.about.triggered.connect(lambda: dialogs.about(window))
    a.guide.triggered.connect(lambda: window.show_help("Guide", GUIDE))
    a.shortcuts.triggered.connect(lambda: window.show_help(
        "Keyboard shortcuts",
        shortcut_html(all_actions(window.actions) + window.view_controls.actions())))
    a.insights.triggered.connect(window.insights.open_insights)
    a.export_report.triggered.connect(window.insights.export_report)
    window.foreground.changed.connect(window._update_everything)
    window.scanning.results.connect(window.show_results)
    window.scanning.reproposed.connect(window._reproposed)
    window.scanning.scanned.connect(window._check_journal_soon)
    for part in (window.scanning, window.insights, window.flow, window.pairs, window.results_files):
        part.message.connect(window.show_message)
    window.folders.changed.connect(window._folders_changed)
    window.results.group_selected.connect(window._group_selected)
    window.group_view.message.connect(window.show_message)
    window.group_view.compare_requested.connect(window.open_compare)
    window.group_view.menu_requested.connect(
        lambda path, where: show_card_menu(window, path, where, window.mark, window.open_compare))
    window.group_view.current_changed.connect(window._update_actions)
    window.state.group_changed.connect(lambda _g: window._summary_timer.start())
    window.state.series_changed.connect(lambda _s: window._summary_timer.start())
    window.state.reset.connect(window._update_everything)
    window.flow.changed.connect(window._update_everything)
    for pictures in (window.thumbs, window.pictures):
        window.flow.restored.connect(pictures.forget)
    window.pairs.changed.connect(window._update_actions)
    window.pairs.show_group.connect(window._show_group_after_pair)
    window.flow.show_group.connect(window.results.select_group)
    window.series_view.message.connect(window.show_message)
    window.series_view.trash_requested.connect(window.flow.trash_series)
    window.series_view.marked.connect(window.flow.series_marked)


def _export(window: Any) -> None:
    """File ▸ Export results, and where the file went (nothing said it was saved: a check)."""
    out = dialogs.export(window, window.state.outcome, window.settings, window.folders.folders(),
                         window.state.current_removals())
    if out is not None:
        window.show_message(f"Results exported with your marks to {out}.")
