"""Similar-shot series: burst frames verified as other shots form a series, apart from the
duplicate groups, with the sharpest frame suggested as the one to keep."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import ImageFilter

from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.tiers import SIMILAR
from dedup_gui.engine.types import Capture, GroupFile
from tests.engine.grouping.pictures import frame, jpeg, scene

SECOND = 1_000_000_000


def _burst(folder: Path) -> list[GroupFile]:
    world = scene(5)
    frames = [frame(world, 0, 0, (60, 80), seed=1).filter(ImageFilter.GaussianBlur(2)),
              frame(world, 2, 1, (120, 90), seed=2),  # the sharp one
              frame(world, -2, 2, (180, 100), seed=3).filter(ImageFilter.GaussianBlur(2))]
    files = []
    for index, picture in enumerate(frames):
        path = folder / f"IMG_{index}.JPG"
        picture.save(path, quality=92)
        capture = Capture(1_700_000_000 * SECOND + index * SECOND // 3, True, "Canon",
                          "EOS R6", "0123", "", "exif")
        files.append(GroupFile(str(path), path.stat().st_size, 0, 480, 360, "JPEG", capture))
    resave = folder / "signal-0001.jpg"
    jpeg(frames[0], 75, 0.6).save(resave, quality=75)
    files.append(GroupFile(str(resave), resave.stat().st_size, 0, 288, 216, "JPEG"))
    return files


def test_a_burst_is_a_series_not_a_group_and_its_sharpest_frame_is_suggested(tmp_path) -> None:
    files = _burst(tmp_path)
    hashes = {f.path: 0 for f in files}  # every pair a hash candidate: the worst case
    groups, series = group_and_series(files, {}, hashes, match=MatchParams())
    assert [sorted(Path(f.path).name for f in g.files) for g in groups] == [
        ["IMG_0.JPG", "signal-0001.jpg"]]  # only the re-save is a duplicate
    (burst,) = series
    assert {Path(f.path).name for f in burst.files} >= {"IMG_0.JPG", "IMG_1.JPG", "IMG_2.JPG"}
    assert Path(burst.best).name == "IMG_1.JPG"
    assert "sharpest" in burst.best_reason
    assert all(p.tier == SIMILAR and "apart, same camera" in p.reason for p in burst.pairs)


def test_without_verification_the_burst_is_one_duplicate_group(tmp_path) -> None:
    """The failure verification fixes: hashes alone call every frame a re-save."""
    files = _burst(tmp_path)
    groups, series = group_and_series(files, {}, {f.path: 0 for f in files},
                                      match=MatchParams(verify=False))
    assert len(groups) == 1 and len(groups[0].files) == 4 and not series


def test_a_brighter_frame_does_not_look_sharper_than_it_is(tmp_path) -> None:
    """An exposure step scales the Laplacian with the contrast: a slightly blurred frame taken
    brighter must still lose to the sharp frame (the plain Laplacian variance picked it)."""
    import numpy as np
    from PIL import Image

    from dedup_gui.engine.grouping.series import best_shot

    sharp = frame(scene(5), 0, 0, (60, 80), seed=1)
    dark = Image.fromarray((np.asarray(sharp, dtype=np.float32) * 0.5).astype(np.uint8))
    soft = sharp.filter(ImageFilter.GaussianBlur(0.6))  # one stop brighter than `dark`
    pictures = {"/dark_sharp.jpg": dark, "/bright_soft.jpg": soft}
    files = [GroupFile(path, 1, 0, 480, 360, "JPEG") for path in pictures]
    best, reason, bracket = best_shot(files, pictures.get)
    assert best == "/dark_sharp.jpg" and reason.startswith("sharpest of 2") and bracket == ""


def test_equal_shots_keep_the_first_path_even_when_it_begins_the_other() -> None:
    """Two shots that score alike: the first path wins, as everywhere else. Before, paths
    were compared reversed character by character, which put "a.jpg.jpg" before "a.jpg"."""
    from dedup_gui.engine.grouping.series import best_shot

    shot = frame(scene(5), 0, 0, (60, 80), seed=1)
    for paths in (["/a.jpg.jpg", "/a.jpg"], ["/a.jpg", "/a.jpg.jpg"], ["/b.jpg", "/a.jpg"]):
        files = [GroupFile(path, 1, 0, 480, 360, "JPEG") for path in paths]
        assert best_shot(files, lambda path: shot)[0] == min(paths)


def test_the_reason_says_what_won_in_words() -> None:
    from dedup_gui.engine.grouping.series import _reason

    assert _reason(5, 1.0, 0.0) == "sharpest of 5, no clipped highlights or shadows"
    assert _reason(3, 0.98, 0.03) == "among the sharpest of 3, 3% clipped"


def _dated(folder: Path, name: str, minute: float | None, seed: int) -> GroupFile:
    """A real picture on disk with (or, for minute None, without) a capture at `minute`."""
    path = folder / name
    frame(scene(5), seed % 3, seed % 2, seed=seed).save(path, quality=90)
    capture = None if minute is None else Capture(
        1_700_000_000 * SECOND + int(minute * 60 * SECOND), True, "Canon", "EOS R6", "", "",
        "exif")
    return GroupFile(str(path), path.stat().st_size, 0, 480, 360, "JPEG", capture)


def _series(files: list[GroupFile], shots: dict[tuple[int, int], float]) -> list[list[str]]:
    from dedup_gui.engine.grouping.picture_cache import PictureCache
    from dedup_gui.engine.grouping.series import find_series
    from dedup_gui.engine.grouping.units import Unit
    from dedup_gui.engine.tiers import Edge

    units = [Unit((f,), None) for f in files]
    edges = {pair: Edge(SIMILAR, 20, cosine, "texture displaced: another shot of the scene")
             for pair, cosine in shots.items()}
    found = find_series(units, edges, "phash", PictureCache())
    return [sorted(Path(f.path).name for f in s.files) for s in found]


def test_a_copy_without_exif_never_chains_photos_hours_apart_into_one_series(tmp_path) -> None:
    """A re-save without EXIF alike two dated photos three hours apart: each pair alone is
    "another shot" (the re-save has no date to tell), but together they are no series, and
    "keep the best of each series" would have trashed one of two unrelated photos. The
    stronger pair stays a series; the other is left out, as a far-apart pair is."""
    files = [_dated(tmp_path, "morning.jpg", 0, 1), _dated(tmp_path, "copy.jpg", None, 2),
             _dated(tmp_path, "noon.jpg", 180, 3)]
    assert _series(files, {(0, 1): 0.80, (1, 2): 0.78}) == [["copy.jpg", "morning.jpg"]]
    assert _series(files, {(0, 1): 0.78, (1, 2): 0.80}) == [["copy.jpg", "noon.jpg"]]


def test_a_series_spans_at_most_the_series_span_and_a_burst_stays_whole(tmp_path) -> None:
    """Retakes every 4 minutes chain pair by pair, but a series is a scene shot again within
    minutes (SERIES_SPAN_S): the chain stops before it spans more. Frames seconds apart, and
    dates on two kinds of clock (which far_apart does not compare), stay one series."""
    from dedup_gui.engine.signals.capture import SERIES_SPAN_S

    assert SERIES_SPAN_S == 10 * 60
    retakes = [_dated(tmp_path, f"take{i}.jpg", 4 * i, i) for i in range(4)]
    chain = {(0, 1): 0.90, (1, 2): 0.85, (2, 3): 0.80}
    assert _series(retakes, chain) == [["take0.jpg", "take1.jpg", "take2.jpg"]]
    burst = [_dated(tmp_path, f"burst{i}.jpg", i / 600, i) for i in range(4)]
    assert _series(burst, chain) == [[f"burst{i}.jpg" for i in range(4)]]
    wall = replace(retakes[3], capture=replace(retakes[3].capture, has_offset=False))
    assert _series([*retakes[:3], wall], chain) == [[f"take{i}.jpg" for i in range(4)]]
