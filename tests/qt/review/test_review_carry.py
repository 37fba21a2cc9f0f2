"""A rescan keeps the marks a person set by hand, in the groups it finds again unchanged (a
first-user check: the camera original they had marked Keep was marked Remove again, silently,
after a rescan that only added photos). Real ReviewState, handmade results."""

from __future__ import annotations

import os

from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.tasks.scan import ScanOutcome

ORIGINAL, EDIT = "/lib/DCIM/IMG_0061.HEIC", "/lib/DCIM/IMG_E0061.JPG"
COPY, RESAVE = "/lib/a/x.jpg", "/lib/WhatsApp/x.jpg"


def _file(path: str, mtime: int = 0) -> GroupFile:
    return GroupFile(path, 100, mtime, 40, 30, "JPEG")


def _group(*files: GroupFile) -> Group:
    first = files[0].path
    return Group(files, tuple(Pair(first, f.path, "near", 3, "edited") for f in files[1:]))


def _outcome(groups: list[Group], removals: list[set[str]],
             protected: frozenset[str] = frozenset()) -> ScanOutcome:
    result = ScanResult(tuple(groups), (), ScanStats())
    return ScanOutcome(result, removals, ["rule"] * len(groups), protected_paths=protected)


def _reviewed(qapp) -> ReviewState:
    """The edit kept by the rules, the original kept by hand; the other group only seen."""
    state = ReviewState()
    state.load(_outcome([_group(_file(EDIT), _file(ORIGINAL)), _group(_file(COPY),
                                                                     _file(RESAVE))],
                        [{ORIGINAL}, {RESAVE}]))
    assert state.set_marked(0, ORIGINAL, False) is None
    assert state.set_marked(0, EDIT, True) is None
    state.mark_opened(1)
    return state


def test_hand_marks_come_back_on_the_same_files_and_the_rescan_says_so(qapp) -> None:
    state = _reviewed(qapp)
    new = _group(_file("/lib/new/IMG_0100.JPG"), _file("/lib/new/IMG_0100 (1).JPG"))
    # the rescan: same two groups (listed in another order), a new one, the same suggestions
    state.load(_outcome([new, _group(_file(COPY), _file(RESAVE)),
                         _group(_file(EDIT), _file(ORIGINAL))],
                        [{"/lib/new/IMG_0100 (1).JPG"}, {RESAVE}, {ORIGINAL}]))
    assert state.remove == [{"/lib/new/IMG_0100 (1).JPG"}, {RESAVE}, {EDIT}]
    assert state.carried == [2]
    assert state.opened == {1, 2}  # seen with these very marks; the new group is not
    assert state.reclaim[2] == 100  # the list's sizes follow the carried marks


def test_a_group_whose_files_changed_gets_the_new_suggestion(qapp) -> None:
    state = _reviewed(qapp)
    state.load(_outcome([_group(_file(EDIT), _file(ORIGINAL, mtime=5)),
                         _group(_file(COPY), _file(RESAVE), _file("/lib/b/x.jpg"))],
                        [{ORIGINAL}, {RESAVE, "/lib/b/x.jpg"}]))
    assert state.remove == [{ORIGINAL}, {RESAVE, "/lib/b/x.jpg"}]
    assert state.carried == [] and state.opened == set()
    assert state.marks_replaced == ["IMG_0061.HEIC"]  # the hand-marked one, not the opened


def test_no_hand_mark_comes_back_onto_a_file_now_protected(qapp) -> None:
    state = _reviewed(qapp)
    state.load(_outcome([_group(_file(EDIT), _file(ORIGINAL))], [{ORIGINAL}],
                        protected=frozenset({EDIT})))
    assert state.remove == [{ORIGINAL}] and state.carried == []
    assert state.opened == set()  # the marks on show are not the ones the person saw


def test_reopening_saved_results_is_not_a_rescan(qapp) -> None:
    state = _reviewed(qapp)
    session = state.snapshot()
    assert session is not None
    fresh = ReviewState()
    fresh.restore(session)
    assert fresh.remove == [{EDIT}, {RESAVE}] and fresh.carried == []


def test_the_rescan_says_which_hand_marks_stayed_and_which_changed(qtbot, window,
                                                                    library) -> None:
    """In the real window: one group marked by hand stays as it was, another changes on disk
    (a file re-saved) and the message says its hand marks were replaced."""
    from tests.qt.conftest import scan

    scan(qtbot, window, library)
    state = window.state
    twos = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    bigger = next(i for i, g in enumerate(state.groups) if len(g.files) > 2)
    for group in (twos, bigger):  # keep everything by hand
        for path in sorted(state.remove[group]):
            assert state.set_marked(group, path, False) is None
    changed = next(f.path for f in state.groups[bigger].files if "small" in f.path)
    with open(changed, "ab") as handle:
        handle.write(b"\0")  # re-saved since: the group is not the same any more
    scan(qtbot, window, library)
    message = window.statusBar().currentMessage()
    assert "Your own marks stay on 1 group found again unchanged." in message
    named = message.partition("1 group you had marked by hand changed since (")[2]
    name, _, rest = named.partition(")")  # which one: a returning-user check
    assert name in {os.path.basename(f.path) for f in state.groups[bigger].files}
    assert rest.startswith(": it shows new suggestions.")
    again = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    assert state.remove[again] == set()


def test_marks_taken_off_files_found_gone_are_not_the_persons_choice(qapp) -> None:
    """A two-drive check: the backup drive unplugged, a Delete found its files gone and took
    their marks off; the rescan after plugging it back in kept every file of all 32 groups
    ("kept by your choice"), and the one mark set by hand on the drive was lost."""
    drive_a, drive_b = "/media/usb/DCIM/IMG_1.JPG", "/media/usb/DCIM/IMG_2.JPG"
    home_a, home_b = "/home/p/IMG_1.JPG", "/home/p/IMG_2.JPG"
    groups = [_group(_file(home_a), _file(drive_a)), _group(_file(home_b), _file(drive_b))]
    state = ReviewState()
    state.load(_outcome(groups, [{drive_a}, {drive_b}]))
    assert state.set_marked(1, drive_b, False) is None  # by hand: the drive's copy kept,
    assert state.set_marked(1, home_b, True) is None  # the home copy marked instead
    state.set_gone({drive_a, drive_b})  # the Delete found the drive gone
    assert state.remove == [set(), set()]  # every mark off: the last copies in place stay
    state.load(_outcome(groups, [{drive_a}, {drive_b}]))  # the same files, drive back
    assert state.remove == [{drive_a}, {home_b}]  # the suggestion, and the hand mark
    assert state.carried == [1]
