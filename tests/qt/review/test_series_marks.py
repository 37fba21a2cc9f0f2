"""The guards of the series marks, on a ReviewState holding handmade results: protected
folders are never marked, a shot out of place is left alone, a series whose best shot is gone
is left for the person to choose again, and a series always keeps a shot."""

from __future__ import annotations

from dedup_gui.engine.types import (
    Capture,
    Group,
    GroupFile,
    Pair,
    ScanResult,
    ScanStats,
    Series,
)
from dedup_gui.qt.review import series_marks
from dedup_gui.qt.review.review_state import PROTECTED, ReviewState
from dedup_gui.qt.review.series_marks import KeptBest
from dedup_gui.tasks.scan import ScanOutcome


def _state(qapp, bracket: str = "", folders: tuple[str, ...] = ("a", "a", "a", "a")
           ) -> ReviewState:
    shots = tuple(GroupFile(f"/lib/{folder}/IMG_{i}.JPG", 100, 0, 40, 30, "JPEG",
                            capture=Capture(i * 300_000_000, False, "Canon", "EOS R6"))
                  for i, folder in enumerate(folders))  # a burst, 0.3 s apart
    pair = Pair(shots[0].path, shots[1].path, "similar shot", 2, "similar")
    result = ScanResult((), (), ScanStats(),
                        series=(Series(shots, (pair,), shots[1].path, "x", bracket),))
    state = ReviewState()
    state.load(ScanOutcome(result, [], []))
    return state


def test_keep_best_skips_protected_shots_and_leaves_the_best(qapp) -> None:
    state = _state(qapp, folders=("a", "a", "kept", "a"))
    changed: list[int] = []
    state.series_changed.connect(changed.append)
    # the protected folder's shot is in another folder than the best: not of its burst
    assert series_marks.keep_best(state, [0], ["/lib/kept"]) == KeptBest(1, 0, 0, 1)
    assert state.series_remove == [{"/lib/a/IMG_0.JPG", "/lib/a/IMG_3.JPG"}] and changed == [0]
    assert series_marks.keep_best(state, [0], ["/lib/kept"]) == KeptBest(other_moments=1)
    state = _state(qapp)
    assert series_marks.keep_best(state, [0], ["/lib/a"]) == KeptBest()  # all protected
    assert state.series_remove == [set()]
    state = _state(qapp, folders=("a", "a", "kept", "a"))
    assert series_marks.set_marked(state, 0, "/lib/kept/IMG_2.JPG", True,
                                   ["/lib/kept"]) == PROTECTED


def test_keep_best_leaves_an_exposure_bracket_whole(qapp) -> None:
    """Its frames are for merging (an enthusiast's check: the -2 and +2 EV frames were marked
    Remove); a frame may still be marked by hand."""
    state = _state(qapp, "exposure bracket, \u22122 to +2 EV")
    assert series_marks.keep_best(state, [0]) == KeptBest(brackets=1)
    assert state.series_remove == [set()]
    assert series_marks.set_marked(state, 0, "/lib/a/IMG_0.JPG", True) is None


def test_keep_best_marks_the_best_shots_burst_not_slides_a_minute_apart(qapp) -> None:
    """A student's check: photos of consecutive lecture slides one or two minutes apart formed
    a series ("10 shots over 9 min" of eight slides), and the command would have marked every
    slide but one. It marks the shots within BURST_S of the best one; the others (and a hand
    mark on one) stay as they were, and so does a shot with no capture time (three scanned
    pages formed a series in a re-check, and two were marked)."""
    from dedup_gui.engine.actions.burst_marks import BURST_S, marked_by_keep_best
    from dedup_gui.engine.types import Capture

    def shot(name: str, seconds: float | None) -> GroupFile:
        taken = None if seconds is None else int(seconds * 1e9)
        return GroupFile(f"/lib/DCIM/{name}.jpg", 100, 0, 40, 30, "JPEG",
                         capture=Capture(taken, False, "Google", "Pixel 7"))

    shots = (shot("slide4", 0.0), shot("slide4_again", 0.8), shot("slide5", 106.0),
             shot("slide6", 173.0), shot("undated", None))
    pair = Pair(shots[0].path, shots[1].path, "similar shot", 2, "similar")
    series = Series(shots, (pair,), shots[0].path, "x")
    assert marked_by_keep_best(series) == [shots[1].path]
    state = ReviewState()
    state.load(ScanOutcome(ScanResult((), (), ScanStats(), series=(series,)), [], []))
    state.series_remove[0].add(shots[3].path)  # marked by hand before
    assert series_marks.keep_best(state, [0]) == KeptBest(changed=1, other_moments=3)
    assert state.series_remove == [{shots[1].path, shots[3].path}]
    text = series_marks.kept_best_text(KeptBest(changed=1, other_moments=3), 2, "Move")
    assert ("3 shots not known to be of the best one's burst (the same camera body and size, "
            f"within {BURST_S:.0f} s) left as they were") in text


def test_a_series_whose_best_shot_is_gone_is_left_alone(qapp) -> None:
    state = _state(qapp)
    state.set_trashed({"/lib/a/IMG_1.JPG"}, True)
    assert series_marks.keep_best(state, [0]) == KeptBest(refused=1)
    assert state.series_remove == [set()]


def test_the_last_shot_in_place_is_never_marked(qapp) -> None:
    state = _state(qapp, folders=("a", "a", "kept", "a"))
    state.set_trashed({"/lib/a/IMG_0.JPG", "/lib/a/IMG_1.JPG"}, True)
    assert series_marks.set_marked(state, 0, "/lib/kept/IMG_2.JPG", True) is None
    assert series_marks.set_marked(state, 0, "/lib/a/IMG_3.JPG", True) == series_marks.LAST_SHOT
    assert series_marks.set_marked(state, 0, "/lib/a/IMG_0.JPG", True) is None  # in the Trash
    assert series_marks.all_marked(state) == {0: {"/lib/kept/IMG_2.JPG"}}


def test_a_series_whose_kept_shot_went_keeps_the_shots_left(qapp) -> None:
    """The one shot kept, found gone on reopening: the marked shots are the scene's last ones,
    so their marks come off (the Trash would refuse them; the cards said Remove on each)."""
    state = _state(qapp)
    assert series_marks.keep_best(state, [0]) == KeptBest(changed=1)
    marked = set(state.series_remove[0])
    assert state.set_gone({"/lib/a/IMG_1.JPG"}) == sorted(marked)
    assert state.series_remove == [set()]


def test_a_series_whose_kept_shot_was_moved_keeps_the_shots_left(qapp) -> None:
    state = _state(qapp)  # the best shot moved as a duplicate group's copy, say
    series_marks.keep_best(state, [0])
    marked = set(state.series_remove[0])
    assert state.set_trashed({"/lib/a/IMG_1.JPG"}, True) == sorted(marked)
    assert state.series_remove == [set()]


def test_keep_best_leaves_a_shot_with_other_versions_in_a_duplicate_group(qapp) -> None:
    """A couple's check: the burst frame they had cropped and exported was marked, moved as a
    series shot, and its duplicate group kept the 2048-px export instead: the full-size
    original was lost. A shot with a byte copy elsewhere (a backup) is still marked."""
    shots = tuple(GroupFile(f"/lib/a/IMG_{i}.JPG", 100, 0, 40, 30, "JPEG",
                            capture=Capture(i * 300_000_000, False, "Canon", "EOS R6"))
                  for i in range(4))
    export = GroupFile("/lib/Exports/IMG_3.jpg", 50, 0, 20, 15, "JPEG")
    backup = GroupFile("/lib/Backup/IMG_0.JPG", 100, 0, 40, 30, "JPEG")
    groups = (Group((export, shots[3]), (Pair(export.path, shots[3].path, "edited copy", 9,
                                              "edited"),)),
              Group((backup, shots[0]), (Pair(backup.path, shots[0].path, "identical bytes",
                                              0, "identical"),)))
    pair = Pair(shots[0].path, shots[1].path, "similar shot", 2, "similar")
    result = ScanResult(groups, (), ScanStats(),
                        series=(Series(shots, (pair,), shots[1].path, "x"),))
    state = ReviewState()
    state.load(ScanOutcome(result, [set(), {backup.path}], ["", ""]))
    done = series_marks.keep_best(state, [0])
    assert done == KeptBest(changed=1, with_versions=1)
    assert state.series_remove == [{shots[0].path, shots[2].path}]
    assert "1 shot with other versions in a duplicate group (an edit, a resized copy) left " \
        "as they were" in series_marks.kept_best_text(done, 2, "Move")
    # a hand mark on such a shot stays as the person set it
    assert series_marks.set_marked(state, 0, shots[3].path, True) is None
    series_marks.keep_best(state, [0])
    assert shots[3].path in state.series_remove[0]
