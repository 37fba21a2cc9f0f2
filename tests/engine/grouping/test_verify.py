"""Verification: same exposure or only the same scene (capture metadata, then pixels)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from dedup_gui.engine.grouping.capture_rule import capture_verdict
from dedup_gui.engine.grouping.pixel_verdict import pixel_verdict
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.signals.capture import far_apart
from dedup_gui.engine.signals.picture_facts import degenerate
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, Edge
from dedup_gui.engine.types import Capture
from tests.engine.grouping.pictures import (
    caption,
    crop,
    frame,
    jpeg,
    scene,
    screenshot,
)

SECOND = 1_000_000_000
WORLD = scene(1)
SHOT = frame(WORLD, 0, 0, (100, 100), seed=1)


def camera(taken_ns: int | None, serial: str = "", model: str = "X-T3") -> Capture:
    return Capture(taken_ns, True, "FUJIFILM", model, serial, "", "exif")


def test_one_camera_at_two_instants_took_two_photos() -> None:
    verdict = capture_verdict(camera(10 * SECOND), camera(10 * SECOND + SECOND * 4 // 10))
    assert verdict.same is False and "0.4 s apart" in verdict.note


def test_the_same_instant_is_the_same_shot_and_missing_metadata_decides_nothing() -> None:
    instant = 5 * SECOND + 250_000_000  # SubSecTimeOriginal "25"
    assert capture_verdict(camera(instant), camera(instant)).same is True
    assert capture_verdict(camera(5 * SECOND), None).same is None
    assert capture_verdict(camera(None), camera(5 * SECOND)).same is None
    assert capture_verdict(camera(1, "A1"), camera(2)).same is False  # a phone: no serial


def test_two_cameras_took_two_photos_at_any_instant() -> None:
    """One exposure comes from one camera: two people shooting one moment made two photos."""
    other = capture_verdict(camera(5 * SECOND), camera(5 * SECOND, model="X-T4"))
    assert other.same is False
    assert other.note == "taken with two cameras (FUJIFILM X-T3; FUJIFILM X-T4)"
    bodies = capture_verdict(camera(5 * SECOND, "A1"), camera(5 * SECOND, "B2"))
    assert bodies.same is False and "two FUJIFILM X-T3 bodies" in bodies.note
    undated = Capture(None, False, "Apple", "iPhone 12", "", "", "")
    assert capture_verdict(undated, camera(None)).same is False  # the camera needs no date


@pytest.mark.parametrize(("a", "b"), [
    (camera(5 * SECOND), camera(5 * SECOND, model="X-T4")), (camera(1, "A1"), camera(2, "B2")),
    (camera(1), camera(2)), (camera(1), camera(1)), (camera(None), camera(1)), (camera(1), None)])
def test_the_dry_runs_wordless_capture_verdict_decides_alike(a, b) -> None:
    worded, bare = capture_verdict(a, b), capture_verdict(a, b, notes=False)
    assert bare.same is worded.same and (bare.note == "" or bare == worded)


def test_a_second_without_its_fraction_is_no_instant() -> None:
    """A camera that writes no sub-second time gives a burst's frames one time: equal whole
    seconds leave the pair to its pixels (five burst frames read "same capture instant" and
    three were proposed: a first-user check); a different second still refutes it."""
    assert capture_verdict(camera(5 * SECOND), camera(5 * SECOND)).same is None
    assert capture_verdict(camera(5 * SECOND), camera(6 * SECOND)).same is False


def test_a_camera_spelt_differently_or_half_named_is_not_another_camera() -> None:
    spelt = Capture(5 * SECOND + 1, True, "fujifilm ", "X-T3", "", "", "exif")
    assert capture_verdict(spelt, camera(5 * SECOND + 1)).same is True
    assert capture_verdict(spelt, camera(6 * SECOND + 1)).same is False  # same camera, 1 s apart
    make_only = Capture(5 * SECOND, True, "Canon", "", "", "", "exif")
    assert capture_verdict(make_only, camera(5 * SECOND)).same is None
    assert capture_verdict(make_only, make_only).same is None


@pytest.mark.parametrize("copy", [
    lambda p: jpeg(p, 70, 0.6),  # messenger re-save
    lambda p: jpeg(crop(p, 0.08), 85, 0.8),  # a crop exported smaller
    lambda p: p.resize((p.width * 2, p.height * 2)),  # an upscale
    lambda p: p.transpose(Image.Transpose.ROTATE_90),
    screenshot,  # the photo inside an app's frame
], ids=["resave", "crop", "upscale", "turned", "screenshot"])
def test_copies_of_one_photo_verify_as_the_same_picture(copy) -> None:
    verdict = pixel_verdict(SHOT, copy(SHOT))
    assert verdict.same is True, verdict.note
    assert "pixels agree" in verdict.note


def test_a_caption_is_not_refuted_as_another_shot() -> None:
    verdict = pixel_verdict(SHOT, caption(SHOT))
    assert verdict.same is not False, verdict.note


def test_two_screenshots_of_one_photo_agree_whatever_their_frames_say() -> None:
    assert pixel_verdict(screenshot(SHOT, "Alice"), screenshot(SHOT, "Bob")).same is True


def test_two_screenshots_of_different_photos_in_one_template_never_agree() -> None:
    """Their frames are the same pixels; the photos are not, so they are no re-save."""
    other = frame(scene(2), 0, 0, None, seed=3)
    verdict = pixel_verdict(screenshot(SHOT), screenshot(other))
    assert verdict.same is not True and "pixels differ" in verdict.note


def test_a_burst_frame_never_agrees_in_pixels_with_the_next() -> None:
    following = frame(WORLD, 3, 2, (130, 110), seed=2)
    assert pixel_verdict(SHOT, following).same is not True
    assert pixel_verdict(jpeg(SHOT, 70, 0.6), following).same is not True


SMALL = (128, 96)  # a thumbnail-sized photo: smaller than picture_grid.WORK, the residual grid


@pytest.mark.parametrize("quality", [55, 65, 80])
@pytest.mark.parametrize("scale", [0.6, 0.8])
def test_a_small_pictures_messenger_resave_agrees_with_it(quality, scale) -> None:
    """Compared on a grid finer than its own pixels, a small re-save's JPEG blocks were
    magnified past the blur meant to remove them: "pixels differ", so it was not known as its
    original's exposure (bench_scale's 128 × 96 library: a third of its 0.6× re-saves)."""
    small = jpeg(SHOT.resize(SMALL, Image.Resampling.LANCZOS), 92)
    verdict = pixel_verdict(small, jpeg(small, quality, scale))
    assert verdict.same is True, verdict.note


@pytest.mark.parametrize("seed", range(4))
def test_small_burst_frames_never_agree_in_pixels(seed) -> None:
    """The native grid must not blur another shot into a re-save: frames of one burst at
    thumbnail size, and one's small messenger re-save against the other."""
    rng = np.random.default_rng(seed)
    dx, dy = (int(v) for v in rng.integers(-6, 7, 2))
    first = frame(WORLD, 0, 0, (100, 100), seed=1).resize(SMALL, Image.Resampling.LANCZOS)
    second = frame(WORLD, dx, dy, (250 + 20 * seed, 200), seed=2).resize(
        SMALL, Image.Resampling.LANCZOS)
    assert pixel_verdict(first, second).same is not True
    assert pixel_verdict(jpeg(first, 60, 0.6), second).same is not True
    assert pixel_verdict(first, jpeg(second, 60, 0.6)).same is not True


@pytest.mark.parametrize(("a", "b", "same"), [
    ((1, 1), (1, 5000), False),  # a pixel and a strip: no aspect in common
    ((300, 200), (300, 240), False),  # flat, other aspect
    ((300, 200), (600, 400), True),  # flat, same aspect, same colour: identical pixels
    ((3, 3), (3, 3), True),
])
def test_degenerate_pictures_match_only_as_identical_pixels(a, b, same) -> None:
    verdict = pixel_verdict(Image.new("RGB", a, (90, 90, 90)), Image.new("RGB", b, (90, 90, 90)))
    assert verdict.same is same


def test_flat_pictures_of_different_colours_stay_apart() -> None:
    grey, blue = Image.new("RGB", (64, 64), (90, 90, 90)), Image.new("RGB", (64, 64), (0, 0, 200))
    assert pixel_verdict(grey, blue).same is False


def _loader(pictures: Mapping[str, Image.Image]):
    return lambda path: pictures.get(path)


def test_a_stripped_resave_inherits_the_refutation_of_its_original() -> None:
    """Frame 0 (EXIF), its messenger re-save (no EXIF) and frame 1 (EXIF, 0.3 s later): the
    re-save agrees with frame 0 in pixels, so it is frame 0's exposure, not frame 1's."""
    following = frame(WORLD, 3, 2, (130, 110), seed=2)
    pictures = {"f0": SHOT, "resave": jpeg(SHOT, 72, 0.6), "f1": following}
    paths = ["f0", "resave", "f1"]
    captures = [camera(100 * SECOND), None, camera(100 * SECOND + 3 * SECOND // 10)]
    edges = {(0, 1): Edge(RESAVED, 2, 0.99), (0, 2): Edge(RESAVED, 2, 0.99),
             (1, 2): Edge(RESAVED, 4, 0.98)}
    verified = verify_edges(edges, captures, paths, _loader(pictures))
    assert verified.edges[(0, 1)].tier == RESAVED
    assert "pixels agree" in verified.edges[(0, 1)].note
    assert verified.edges[(0, 2)].tier == SIMILAR
    assert verified.edges[(1, 2)].tier == SIMILAR
    assert "through a copy" in verified.edges[(1, 2)].note
    assert verified.refuted == {(0, 2), (1, 2)}


def test_a_stripped_resave_next_to_an_unrelated_captured_photo_is_refuted_by_its_pixels(
        ) -> None:
    """A re-save without EXIF (of a photo not in the library) and another photo with EXIF
    that only the embedding finds alike: the full pixel check says "differ", which decides
    nothing, and without the refuting rules the pair stayed an "edited copy", proposed for
    the Trash. No placement of one in the other: another picture."""
    other = scene(7).resize((200, 150))
    pictures = {"captured": other, "resave": jpeg(SHOT, 72, 0.6)}
    edges = {(0, 1): Edge(EDITED, 30, 0.77)}
    verified = verify_edges(edges, [camera(100 * SECOND), None], ["captured", "resave"],
                            _loader(pictures))
    assert verified.refuted == {(0, 1)}
    assert verified.edges[(0, 1)].tier == SIMILAR
    assert verified.edges[(0, 1)].note == "no placement of one picture in the other"


def test_a_captured_pair_whose_pixels_agree_pays_for_no_refuting_rule() -> None:
    memo = {("a", "b", FULL): Verdict(True, "pixels agree (residual 3)")}
    verified = verify_edges({(0, 1): Edge(EDITED, 3, 0.95)}, [camera(SECOND), None], ["a", "b"],
                            lambda path: None, memo, suspects=[False, False])
    assert verified.edges[(0, 1)].tier == EDITED and not verified.refuted
    assert set(memo) == {("a", "b", FULL)}  # nothing else asked: nothing decoded


def test_other_shots_taken_far_apart_are_no_series_and_decode_nothing() -> None:
    """A series is a scene shot again within minutes; look-alikes a day apart, or two cameras'
    photos hours apart (a large library's chance pairs), are refuted and leave no edge. A
    re-save without EXIF (unit 5, one exposure with unit 2) is refuted through its original."""
    day, hour = 86_400 * SECOND, 3_600 * SECOND
    phone = Capture(10 * SECOND, True, "Apple", "iPhone 12", "", "", "exif")
    captures = [camera(10 * SECOND), camera(10 * SECOND + 4 * SECOND // 10),
                camera(10 * SECOND + 2 * day), replace(phone, taken_ns=15 * SECOND),
                replace(phone, taken_ns=3 * hour), None]
    edges = {(0, k): Edge(EDITED, 9, 0.8) for k in range(1, 5)} | \
        {(2, 5): Edge(RESAVED, 1, 0.99), (0, 5): Edge(EDITED, 9, 0.8)}
    memo = {("2", "5", FULL): Verdict(True, "pixels agree (residual 3)")}
    verified = verify_edges(edges, captures, [str(k) for k in range(6)], lambda p: None, memo)
    assert verified.refuted == {(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)}
    assert set(verified.shots) == {(0, 1), (0, 3)}  # a burst frame; another phone, 5 s later
    assert set(verified.edges) == {(0, 1), (0, 3), (2, 5)}


def test_far_apart_needs_two_dates_on_comparable_clocks() -> None:
    hour = 3_600 * SECOND
    assert far_apart(camera(0), camera(hour)) and not far_apart(camera(0), camera(hour // 10))
    wall = Capture(hour, False, "FUJIFILM", "X-T3", "", "", "exif")  # no OffsetTimeOriginal
    assert not far_apart(camera(0), wall)  # an instant against a wall clock: unknown
    assert not far_apart(camera(0), None) and not far_apart(camera(None), camera(hour))


def test_an_unreadable_file_keeps_the_scans_evidence() -> None:
    edges = {(0, 1): Edge(EDITED, None, 0.9)}
    verified = verify_edges(edges, [None, None], ["a", "gone"], _loader({"a": SHOT}))
    assert verified.edges == edges and not verified.refuted


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6),
                          st.integers(0, 380), st.integers(0, 280)),
                min_size=2, max_size=3, unique_by=lambda t: (t[2] // 40, t[3] // 40)),
       st.integers(100, 500), st.booleans())
def test_no_burst_frame_is_ever_resaved_or_edited_of_another(moves, step_ms, resaves) -> None:
    """Frames of one burst (shake, a moving subject, fresh noise; distinct instants of one
    camera), some with stripped messenger re-saves: no pair across two frames stays a
    duplicate."""
    pictures, captures, shot_of = {}, [], []
    for index, (dx, dy, x, y) in enumerate(moves):
        pictures[f"f{index}"] = frame(WORLD, dx, dy, (x, y), seed=index)
        captures.append(camera(1000 * SECOND + index * step_ms * 1_000_000, "S1"))
        shot_of.append(index)
        if resaves:
            pictures[f"r{index}"] = jpeg(pictures[f"f{index}"], 75, 0.5)
            captures.append(None)
            shot_of.append(index)
    paths = list(pictures)
    edges = {(i, j): Edge(RESAVED, 2, 0.99)
             for i in range(len(paths)) for j in range(i + 1, len(paths))}
    verified = verify_edges(edges, captures, paths, _loader(pictures))
    for (i, j), edge in verified.edges.items():
        if shot_of[i] != shot_of[j]:
            assert edge.tier not in (RESAVED, EDITED), (paths[i], paths[j], edge)


def _noisy_flat(level: int, seed: int) -> Image.Image:
    """One colour under sensor noise (σ 4): its spread at full size is a photo's, its content
    says nothing."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(np.clip(level + rng.normal(0, 4, (300, 400, 3)), 0, 255)
                           .astype(np.uint8))


def test_nearly_flat_pictures_under_noise_match_only_as_identical_pixels() -> None:
    assert degenerate(_noisy_flat(40, 1))
    assert pixel_verdict(_noisy_flat(40, 1), _noisy_flat(38, 2)).same is False


def test_too_plain_is_tested_once_a_picture_and_taken_from_the_memo_where_known(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture met in several checks is tested for "too plain" once; a file whose fact the
    memo holds (the signal stage's, most often) is not tested at all; the verdicts stand."""
    from dedup_gui.engine.grouping import pixel_verdict
    from dedup_gui.engine.grouping.pixel_verdict import PLAIN_LEVEL, memoised_pixel_verdict

    pictures = {"a": scene(31), "b": jpeg(scene(31), quality=70, scale=0.7),
                "c": jpeg(scene(31), quality=80, scale=0.9), "flat": Image.new("RGB", (300, 200),
                                                                            (90, 90, 90))}
    tested: list[int] = []
    real = pixel_verdict.degenerate
    monkeypatch.setattr(pixel_verdict, "degenerate", lambda image: tested.append(1) or real(image))
    memo = {("a", "", PLAIN_LEVEL): Verdict(False, ""), ("flat", "", PLAIN_LEVEL):
            Verdict(True, "")}
    first = memoised_pixel_verdict("a", "b", FULL, pictures.get, memo)
    second = memoised_pixel_verdict("a", "c", FULL, pictures.get, memo)
    third = memoised_pixel_verdict("b", "c", FULL, pictures.get, memo)
    assert len(tested) == 2  # b and c, once each
    assert first.same and second.same and third.same
    plain = memoised_pixel_verdict("flat", "a", FULL, pictures.get, memo)
    assert len(tested) == 2 and plain.note == pixel_verdict.PLAIN
