"""Protected, ticked and cleared during a review, on a ReviewState holding handmade results: a
tick takes the Remove marks off the files under the folder, clearing it gives back the marks
that tick took (a tick by mistake used to clear them for good), never to a file out of place
or still under a protected folder, and never so that a group or series keeps no file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats, Series
from dedup_gui.qt.review.marking import protect_folders
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.tasks.scan import ScanOutcome

KEEPER, B1, B2, C = "/lib/a/x.jpg", "/lib/b/x1.jpg", "/lib/b/x2.jpg", "/lib/c/x3.jpg"
SHOTS = ("/lib/b/burst_0.jpg", "/lib/b/burst_1.jpg", "/lib/d/burst_2.jpg")


def _file(path: str) -> GroupFile:
    return GroupFile(path, 100, 0, 40, 30, "JPEG")


def _outcome() -> ScanOutcome:
    files = tuple(_file(p) for p in (KEEPER, B1, B2, C))
    group = Group(files, tuple(Pair(KEEPER, p, "exact", 0, "identical") for p in (B1, B2, C)))
    shots = tuple(_file(p) for p in SHOTS)
    series = Series(shots, (Pair(SHOTS[0], SHOTS[1], "similar shot", 2, "similar"),),
                    SHOTS[2], "sharpest")
    result = ScanResult((group,), (), ScanStats(), series=(series,))
    return ScanOutcome(result, [{B1, B2, C}], ["largest file"])


def _state(qapp) -> ReviewState:
    state = ReviewState()
    state.load(_outcome())
    state.series_remove = [{SHOTS[0], SHOTS[1]}]  # "keep the best" asked for
    return state


def test_clearing_the_tick_gives_back_the_marks_the_tick_took(qapp) -> None:
    state = _state(qapp)
    changed: list[int] = []
    state.group_changed.connect(changed.append)
    note = protect_folders(state, ["/lib/b"])
    assert state.remove == [{C}] and state.series_remove == [set()]
    assert "4 files in a protected folder no longer marked Remove" in note
    changed.clear()
    note = protect_folders(state, [])
    assert state.remove == [{B1, B2, C}] and state.series_remove == [{SHOTS[0], SHOTS[1]}]
    assert note == "4 files marked Remove again, as before Protected was ticked."
    assert changed and state.reclaim == [300]  # the list's sizes follow the marks
    assert protect_folders(state, []) == ""  # given back once: nothing is remembered now


def test_a_file_still_under_a_protected_folder_keeps_its_mark_off(qapp) -> None:
    state = _state(qapp)
    protect_folders(state, ["/lib/b", "/lib"])
    assert state.remove == [set()]
    assert protect_folders(state, ["/lib"]) == ""  # /lib still covers /lib/b
    assert state.remove == [set()]
    protect_folders(state, [])
    assert state.remove == [{B1, B2, C}]


def test_no_mark_comes_back_that_would_leave_a_group_without_a_kept_file(qapp) -> None:
    state = _state(qapp)
    protect_folders(state, ["/lib/b"])
    assert state.set_marked(0, KEEPER, True) is None  # allowed: x1 and x2 are kept
    note = protect_folders(state, [])
    assert state.remove == [{KEEPER, C}]  # x1 and x2 stay Keep, so the group keeps a file
    assert "2 files not marked Remove again" in note and "2 files marked Remove again" in note


def test_a_file_gone_since_the_tick_gets_no_mark(qapp) -> None:
    state = _state(qapp)
    protect_folders(state, ["/lib/b"])
    state.set_gone({B1})
    protect_folders(state, [])
    assert state.remove == [{B2, C}]


def test_new_results_forget_the_marks_a_tick_took(qapp) -> None:
    state = _state(qapp)
    protect_folders(state, ["/lib/b"])
    state.load(ScanOutcome(ScanResult((), (), ScanStats()), [], []))
    assert protect_folders(state, []) == ""  # no group 0 any more: nothing given to it
    assert state.remove == []


FOLDERS = ("/lib/a", "/lib/b", "/lib/b/sub", "/lib/c")
OPS = st.one_of(
    st.tuples(st.just("tick"), st.sampled_from(FOLDERS)),
    st.tuples(st.just("untick"), st.sampled_from(FOLDERS)),
    st.tuples(st.just("mark"), st.integers(0, 2), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("gone"), st.integers(0, 2), st.integers(0, 3)),
)


def _random_state(qapp, homes: list[int]) -> ReviewState:
    """Three groups of four files, file i of group g in FOLDERS[homes[4g + i]]; the first kept,
    the rest marked Remove."""
    groups, removals = [], []
    for g in range(3):
        paths = [f"{FOLDERS[homes[4 * g + i]]}/g{g}_{i}.jpg" for i in range(4)]
        pairs = tuple(Pair(paths[0], p, "exact", 0, "identical") for p in paths[1:])
        groups.append(Group(tuple(_file(p) for p in paths), pairs))
        removals.append(set(paths[1:]))
    state = ReviewState()
    state.load(ScanOutcome(ScanResult(tuple(groups), (), ScanStats()), removals, [""] * 3))
    return state


def _apply(state: ReviewState, ticked: set[str], op: tuple) -> None:
    if op[0] in ("tick", "untick"):
        (ticked.add if op[0] == "tick" else ticked.discard)(op[1])
        protect_folders(state, sorted(ticked))
    elif op[0] == "mark":
        state.set_marked(op[1], state.groups[op[1]].files[op[2]].path, op[3])
    else:
        state.set_gone({state.groups[op[1]].files[op[2]].path})


@settings(max_examples=300, deadline=None)
@given(homes=st.lists(st.integers(0, len(FOLDERS) - 1), min_size=12, max_size=12),
       ops=st.lists(OPS, max_size=12), last=st.sampled_from(FOLDERS))
def test_ticks_never_mark_a_protected_file_nor_empty_a_group_and_a_tick_undone_costs_nothing(
        qapp, homes: list[int], ops: list[tuple], last: str) -> None:
    state, ticked = _random_state(qapp, homes), set()
    for op in ops:
        _apply(state, ticked, op)
        for g, marks in enumerate(state.remove):
            live = {f.path for f in state.live_files(g)}
            assert not marks & state.protected
            assert not live or live - marks
    if last in ticked:
        return
    before = [set(m) for m in state.remove]
    _apply(state, ticked, ("tick", last))
    _apply(state, ticked, ("untick", last))
    assert state.remove == before
