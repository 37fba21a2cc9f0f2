"""Series read as exposures against the keeper proposal: a copy of a burst frame (an upscale,
a re-save) is never a shot of its own, so "keep the best of each series" never keeps the copy
and moves the camera original it was made from."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageFilter

from dedup_gui.engine.actions.series_shots import recounted, series_by_exposure
from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats, Series
from dedup_gui.settings import default_keep_rules
from dedup_gui.tasks.scan import review_start
from tests.engine.grouping.test_series import _burst


def _burst_with_upscale(folder: Path) -> list[GroupFile]:
    """The burst of test_series (IMG_1 the sharp frame) and a 2× upscale of IMG_1 that kept
    its camera EXIF (with the pixel size the camera wrote), sharpened as upscalers do: more
    pixels and crisper, so it scores best."""
    files = _burst(folder)
    sharp = next(f for f in files if f.path.endswith("IMG_1.JPG"))
    with Image.open(sharp.path) as image:
        image.load()
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    exif.get_ifd(0x8769).update({0xA002: image.width, 0xA003: image.height})
    image.save(sharp.path, quality=92, exif=exif.tobytes())
    big = image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
    big = big.filter(ImageFilter.UnsharpMask(radius=4, percent=150))
    path = folder / "Upscaled" / "IMG_1_x2.jpg"
    path.parent.mkdir()
    big.save(path, quality=95, exif=exif.tobytes())
    return [*files, GroupFile(str(path), path.stat().st_size, 0, big.width, big.height, "JPEG",
                              sharp.capture)]


def test_the_best_shot_is_the_original_frame_never_its_upscale(tmp_path) -> None:
    files = _burst_with_upscale(tmp_path)
    groups, series = group_and_series(files, {}, {f.path: 0 for f in files},
                                      match=MatchParams())
    assert Path(series[0].best).name == "IMG_1_x2.jpg"  # grouping alone: the upscale scores best
    result = ScanResult(groups, (), ScanStats(files=len(files)), series=series)
    outcome = review_start(result, (), default_keep_rules())
    (shots,) = outcome.result.series
    assert Path(shots.best).name == "IMG_1.JPG"
    measured = len(series[0].files)  # every file, copies too
    assert measured > 3 and series[0].best_reason.startswith(f"sharpest of {measured},")
    assert shots.best_reason.startswith("sharpest of 3,")  # shown: three shots
    assert sorted(Path(f.path).name for f in shots.files) == ["IMG_0.JPG", "IMG_1.JPG",
                                                              "IMG_2.JPG"]
    removed = set().union(*outcome.removals)
    assert not removed & {f.path for f in shots.files}  # no shot is a copy marked Remove
    again = review_start(outcome.result, (), default_keep_rules())
    assert again.result.series == outcome.result.series  # folding the folded: no change


def _file(name: str, pixels: int = 100) -> GroupFile:
    return GroupFile(f"/p/{name}", 1, 0, pixels, pixels, "JPEG")


def test_each_duplicate_group_is_one_shot_kept_by_its_keeper() -> None:
    a, a_copy, b, b_copy = _file("a.jpg"), _file("a_up.jpg", 200), _file("b.jpg"), _file("b2.jpg")
    groups = (Group((a, a_copy), ()), Group((b, b_copy), ()))
    pairs = (Pair(a_copy.path, b.path, "similar shot", 3, "similar"),
             Pair(a.path, b_copy.path, "similar shot", 3, "similar"))
    series = Series((a, a_copy, b, b_copy), pairs, a_copy.path, "sharpest of 4")
    (folded,) = series_by_exposure([series], groups, [(a.path,), (b.path,)])
    assert folded.files == (a, b) and folded.best == a.path
    assert [(p.a, p.b) for p in folded.pairs] == [(a.path, b.path)]
    # the two frames turn out to be one exposure's copies: no series is left
    assert series_by_exposure([Series((a, a_copy), (), a.path, "")], groups,
                              [(a.path,), (b.path,)]) == ()
    # a group that keeps nothing (all its files gone) leaves its files as they are
    assert series_by_exposure([series], groups, [(), ()])[0].files == series.files


def test_recounted_rewrites_only_a_count_it_knows() -> None:
    assert recounted("sharpest of 6, 2% clipped", 4) == "sharpest of 4, 2% clipped"
    assert recounted("among the sharpest of 6, 2% clipped", 4) == \
        "among the sharpest of 4, 2% clipped"
    assert recounted("best balance, under 1% clipped", 4) == "best balance, under 1% clipped"
    assert recounted("none could be read", 2) == "none could be read"


def test_a_group_keeper_taken_a_day_apart_is_no_shot_of_the_series() -> None:
    """A first-user check: a re-save without EXIF (small) was grouped by a false "edited copy"
    pair with a look-alike taken a day later (b) and was another shot of a (series: a, small).
    Folded, b stood for small: one series 24 h long, and "keep the best of each series" marked
    one of two unrelated photos Remove. A keeper within the span still stands for its group."""
    from dedup_gui.engine.types import Capture

    day = 24 * 3600 * 10**9

    def taken(name: str, ns: int) -> GroupFile:
        return GroupFile(f"/p/{name}", 1, 0, 100, 100, "JPEG",
                         Capture(taken_ns=ns, make="Google", model="Pixel 6"))

    a, b, small = taken("a.jpg", 0), taken("b.jpg", day), _file("small.jpg", 50)
    groups = (Group((b, small), ()),)
    series = Series((a, small), (Pair(a.path, small.path, "similar shot", 3, "similar"),),
                    a.path, "sharpest of 2")
    assert series_by_exposure([series], groups, [(b.path,)]) == ()
    near = taken("near.jpg", 60 * 10**9)  # a minute after a: a shot of the series
    (folded,) = series_by_exposure([series], (Group((near, small), ()),), [(near.path,)])
    assert [f.path for f in folded.files] == [a.path, near.path]
