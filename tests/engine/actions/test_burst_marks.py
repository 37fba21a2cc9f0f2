"""Which shots "keep the best of each series" marks (actions/burst_marks.py): the best shot's
own burst, meaning one camera, one pixel size, within BURST_S."""

from __future__ import annotations

import pytest

from dedup_gui.engine.actions.burst_marks import marked_by_keep_best
from dedup_gui.engine.types import Capture, GroupFile, Pair, Series

PIXEL = ("Google", "Pixel 7")


def _shot(name: str, seconds: float, size: tuple[int, int] = (4000, 3000),
          camera: tuple[str, str] = PIXEL, serial: str = "") -> GroupFile:
    capture = Capture(int(seconds * 1e9), False, *camera, serial)
    return GroupFile(f"/lib/{name}.jpg", 100, 0, *size, "JPEG", capture=capture)


def _series(best: GroupFile, *others: GroupFile) -> Series:
    shots = (best, *others)
    pair = Pair(best.path, others[0].path, "similar shot", 2, "similar")
    return Series(tuple(sorted(shots, key=lambda f: f.path)), (pair,), best.path, "x")


def test_a_burst_of_one_camera_is_marked_but_the_best() -> None:
    best = _shot("a", 0.0)
    burst = (_shot("b", 0.4), _shot("c", 0.9, size=(3000, 4000)))  # a frame turned is the same
    assert marked_by_keep_best(_series(best, *burst)) == [burst[0].path, burst[1].path]


@pytest.mark.parametrize("other", [
    _shot("frame", 2.0, size=(3000, 2000)),  # a stitched panorama's frame, the panorama best
    _shot("dads", 1.5, camera=("samsung", "SM-G991B")),  # another person's phone, same moment
    _shot("second_body", 1.0, serial="B2"),  # a second body of the same model
])
def test_a_shot_of_another_size_or_camera_is_not_of_the_best_ones_burst(
        other: GroupFile) -> None:
    """An enthusiast's check: a stitched panorama exported with its first frame's EXIF (8000 px
    wide) was the best shot of a series with a 3000 px frame of it, and the frame was marked;
    a family library has two phones' shots of one moment seconds apart, each someone's own."""
    best = _shot("best", 0.0, size=(8000, 2000), serial="B1")
    assert marked_by_keep_best(_series(best, other)) == []


def test_an_unnamed_camera_decides_nothing() -> None:
    """A shot whose EXIF names no camera (a phone app's re-encode) is judged by time and size."""
    best, same = _shot("a", 0.0), _shot("b", 1.0, camera=("", ""))
    assert marked_by_keep_best(_series(best, same)) == [same.path]


IPHONE = ("Apple", "iPhone 14")


def test_two_bodies_of_one_model_are_told_apart_by_their_file_counters() -> None:
    """A couple's holiday check: both phones the same model, no serial in EXIF, the same moment
    shot by both 1.5 s apart; the partner's photo was marked as a frame of one burst."""
    best = _shot("IMG_1201", 0.0, camera=IPHONE)
    partners = _shot("IMG_7702", 1.5, camera=IPHONE)
    burst = [_shot(f"IMG_{n}", 0.3 * (n - 1201), camera=IPHONE) for n in (1202, 1203)]
    assert marked_by_keep_best(_series(best, partners, *burst)) == [b.path for b in burst]


@pytest.mark.parametrize(("best_name", "other_name", "seconds"), [
    ("IMG_9999", "IMG_0001", 0.3),  # the counter wrapped between two frames
    ("DSC01000", "DSC01090", 3.0),  # 30 frames a second for 3 s
    ("IMG_1201", "IMG_1201 (1)", 0.5),  # a name that is no counter decides nothing
    ("IMG_1201", "PXL_20240704_153012345", 0.5),
])
def test_a_counter_that_one_body_could_reach_stays_of_the_burst(
        best_name: str, other_name: str, seconds: float) -> None:
    best, other = _shot(best_name, 0.0), _shot(other_name, seconds)
    assert marked_by_keep_best(_series(best, other)) == [other.path]


def test_the_cameras_of_a_series_count_bodies_the_counters_tell_apart() -> None:
    from dedup_gui.engine.actions.burst_marks import cameras

    mine = [_shot(f"IMG_{n}", 0.3 * (n - 1201), camera=IPHONE) for n in (1201, 1202, 1203)]
    partners = _shot("IMG_7702", 1.5, camera=IPHONE)
    dads = _shot("20240704_153012", 2.0, camera=("samsung", "SM-S911B"))
    assert cameras(_series(*mine)) == 1
    assert cameras(_series(*mine, partners)) == 2
    assert cameras(_series(*mine, partners, dads)) == 3
    assert cameras(_series(_shot("a", 0.0, serial="B1"), _shot("b", 1.0, serial="B2"))) == 2


def test_a_shot_in_another_folder_is_not_of_the_best_ones_burst() -> None:
    """The couple's check: two X-T4 bodies without a serial, their cards imported into folders
    of their own, counters close (DSCF0031 and DSCF0033 1 s apart): the other body's shot was
    marked. A burst is imported with its card."""
    fuji = ("FUJIFILM", "X-T4")
    best = GroupFile("/lib/Camera card 2/DSCF0033.JPG", 100, 0, 4000, 3000, "JPEG",
                     capture=Capture(0, False, *fuji, ""))
    mine = GroupFile("/lib/Camera card 1/DSCF0031.JPG", 100, 0, 4000, 3000, "JPEG",
                     capture=Capture(1_000_000_000, False, *fuji, ""))
    frame = GroupFile("/lib/Camera card 2/DSCF0034.JPG", 100, 0, 4000, 3000, "JPEG",
                      capture=Capture(300_000_000, False, *fuji, ""))
    assert marked_by_keep_best(_series(best, mine, frame)) == [frame.path]


def test_a_shot_with_other_versions_is_left_by_the_json_too() -> None:
    """The couple's check: a burst frame they had cropped and exported (an edited copy in a
    duplicate group) is what "keep the best" leaves, in the app and in the JSON's `others`;
    a frame whose only copy is a byte copy (a backup) is still marked."""
    from dedup_gui.engine.actions.burst_marks import with_other_versions
    from dedup_gui.engine.export.results import series_record
    from dedup_gui.engine.types import Group

    best, edited, backed = _shot("IMG_1217", 0.0), _shot("IMG_1218", 0.3), _shot("IMG_1219", 0.6)
    export = GroupFile("/lib/Exports/IMG_1218.jpg", 50, 0, 2048, 1536, "JPEG")
    backup = GroupFile("/backup/IMG_1219.jpg", 100, 0, 4000, 3000, "JPEG")
    groups = [Group((export, edited), (Pair(export.path, edited.path, "edited", 9, "edited"),)),
              Group((backup, backed), (Pair(backup.path, backed.path, "same bytes", 0,
                                            "identical"),))]
    versions = with_other_versions(groups)
    assert versions == {edited.path, export.path}
    assert with_other_versions(groups, away={export.path}) == set()  # the export is gone
    record = series_record(1, _series(best, edited, backed), versions)
    assert record["others"] == [backed.path]
