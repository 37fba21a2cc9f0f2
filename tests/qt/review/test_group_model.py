"""The group model and its filter proxy, checked by Qt's QAbstractItemModelTester (through
pytest-qt's qtmodeltester) while they sort, filter, change marks and reset."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats
from dedup_gui.qt.review.group_filter import GroupFilterProxy
from dedup_gui.qt.review.group_model import (
    FILES,
    FOLDER,
    GROUP_ROLE,
    SPACE,
    TIER,
    GroupTableModel,
)
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.tiers import Tier


def fake_group(index: int, files: int = 3, identical: bool = False) -> Group:
    members = tuple(GroupFile(f"/lib/folder{index % 7}/img{index:05d}_{n}.jpg",
                              1000 * (index % 13 + 1) + n, 10**18 + n, 640, 480, "JPEG")
                    for n in range(files))
    reason = "identical bytes" if identical else "phash distance 3"
    tier = "identical" if identical else "resaved"
    pairs = tuple(Pair(members[0].path, m.path, reason, 0 if identical else 3, tier)
                  for m in members[1:])
    return Group(members, pairs)


def fake_outcome(count: int) -> ScanOutcome:
    groups = tuple(fake_group(i, files=2 + i % 3, identical=i % 4 == 0) for i in range(count))
    result = ScanResult(groups, (), ScanStats(files=sum(len(g.files) for g in groups)))
    removals = [{f.path for f in g.files[1:]} for g in groups]
    return ScanOutcome(result, removals, ["largest file"] * count)


def make_models(count: int) -> tuple[ReviewState, GroupTableModel, GroupFilterProxy]:
    state = ReviewState()
    model = GroupTableModel(state)
    proxy = GroupFilterProxy(model)
    state.load(fake_outcome(count))
    return state, model, proxy


def test_model_and_proxy_pass_the_model_tester(qtbot: QtBot, qtmodeltester) -> None:
    state, model, proxy = make_models(60)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.sort(SPACE, Qt.SortOrder.DescendingOrder)
    proxy.set_tiers({Tier.IDENTICAL})
    assert proxy.rowCount() == 15
    proxy.set_text("FOLDER3")
    proxy.set_tiers(None)
    state.toggle(5, state.groups[5].files[1].path)
    state.set_dismissed(6, True)
    state.load(fake_outcome(10))  # a reset while the tester watches
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_sorting_by_space_group_size_and_folder(qtbot: QtBot) -> None:
    state, _model, proxy = make_models(50)
    proxy.sort(SPACE, Qt.SortOrder.DescendingOrder)
    spaces = [state.reclaimable(proxy.group_at(r)) for r in range(proxy.rowCount())]
    assert spaces == sorted(spaces, reverse=True)
    proxy.sort(FILES, Qt.SortOrder.AscendingOrder)
    sizes = [len(state.groups[proxy.group_at(r)].files) for r in range(proxy.rowCount())]
    assert sizes == sorted(sizes)
    proxy.sort(FOLDER, Qt.SortOrder.AscendingOrder)
    folders = [proxy.index(r, FOLDER).data() for r in range(proxy.rowCount())]
    assert folders == sorted(folders, key=str.casefold)


def test_every_sort_orders_by_key_with_ties_in_group_order(qtbot: QtBot) -> None:
    """The array sort gives the order of the per-group keys (SORT_ROLE), ties in group order
    whichever the direction, also after groups were inserted in a sorted list."""
    state, model, proxy = make_models(40)
    state.set_dismissed(3, True)
    for column in (FILES, TIER, SPACE, FOLDER):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
            key = model._sort_key(column)
            down = order == Qt.SortOrder.DescendingOrder
            expected = sorted(range(40), key=lambda g, k=key, d=down: (k(g), -g if d else g),
                              reverse=down)
            assert [model.group_at(r) for r in range(model.rowCount())] == expected
            assert [model.row_of_group(g) for g in expected] == list(range(40))


def test_filters_by_tier_and_text_and_hides_dismissed(qtbot: QtBot) -> None:
    state, _model, proxy = make_models(40)
    proxy.set_tiers({Tier.IDENTICAL})
    assert {proxy.index(r, TIER).data() for r in range(proxy.rowCount())} == {
        Tier.IDENTICAL.label}
    proxy.set_tiers(None)
    proxy.set_text("img00012")
    assert [proxy.index(r, 0).data(GROUP_ROLE) for r in range(proxy.rowCount())] == [12]
    proxy.set_text("")
    state.set_dismissed(3, True)
    assert proxy.rowCount() == 39 and proxy.row_of_group(3) == -1


def test_marks_update_the_space_cell(qtbot: QtBot) -> None:
    state, model, _proxy = make_models(3)
    group = state.groups[2]
    before = model.index(model.row_of_group(2), SPACE).data()
    assert state.set_marked(2, group.files[1].path, False) is None
    after = model.index(model.row_of_group(2), SPACE).data()
    assert before != after


def test_twenty_thousand_groups_load_sort_and_filter_quickly(qtbot: QtBot) -> None:
    started = time.perf_counter()
    _state, model, proxy = make_models(20_000)
    loaded = time.perf_counter()
    proxy.sort(SPACE, Qt.SortOrder.DescendingOrder)
    proxy.set_text("folder3")
    finished = time.perf_counter()
    assert model.rowCount() == 20_000
    assert loaded - started < 2.0 and finished - loaded < 1.0


def test_groups_formed_again_take_the_old_groups_place(qtbot: QtBot, qtmodeltester) -> None:
    from dedup_gui.engine.grouping.regroup import regroup
    from dedup_gui.qt.review.pair_decisions import with_groups

    state, model, proxy = make_models(30)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.sort(SPACE, Qt.SortOrder.DescendingOrder)
    old = next(g for g, group in enumerate(state.groups) if len(group.files) == 4)
    files = state.groups[old].files
    formed = regroup(state.groups[old], {(files[0].path, files[1].path)})  # a star around 0
    row = proxy.row_of_group(old)
    state.add_groups(with_groups(state.outcome, formed, [], []), old)
    state.set_dismissed(old, True)
    assert len(state.groups) == 31 and proxy.rowCount() == 30
    assert proxy.group_at(row) == 30  # in the old group's place, not sorted to the end
    assert {f.path for f in state.groups[30].files} == {files[0].path, files[2].path,
                                                        files[3].path}
    assert proxy.index(row, FILES).data() == "3"
    assert state.reclaim[30] == state.reclaimable(30) > 0
    proxy.sort(FILES, Qt.SortOrder.AscendingOrder)  # the next sort places it like any other
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_the_files_cell_fits_when_files_went_to_the_trash(qtbot, window, library) -> None:
    """Issue 17: "3 (2 in Trash)" was clipped to "3 (2 i…" in its 56-px column."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    from dedup_gui.qt.review.group_model import FILES
    from tests.qt.conftest import scan

    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    state.set_trashed({f.path for f in state.groups[ones].files[:2]}, True)
    model = window.results.model
    index = model.index(model.row_of_group(ones), FILES)
    text = model.data(index, Qt.ItemDataRole.DisplayRole)
    assert text == "2/4"
    width = window.results.view.horizontalHeader().sectionSize(FILES)
    assert QFontMetrics(window.results.view.font()).horizontalAdvance(text) + 12 <= width
    assert "(in the Trash)" in model.data(index, Qt.ItemDataRole.ToolTipRole)
