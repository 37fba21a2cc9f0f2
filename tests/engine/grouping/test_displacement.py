"""The displacement rule: texture displaced by different amounts is another shot of a scene."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

from dedup_gui.engine.grouping import displacement, tile_map
from dedup_gui.engine.grouping.displacement import displaced
from dedup_gui.engine.grouping.placement import turned
from dedup_gui.engine.grouping.refute import CROWD, DISPLACED, DISPLACEMENT, Chain
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.tiers import EDITED, SIMILAR, Edge
from tests.engine.grouping.pictures import caption, crop, jpeg, scene

# Things in front of a far textured wall on a 4×3 grid, at three depths (1.0: nearest).
THINGS = [(20 + 160 * (k % 4), 10 + 160 * (k // 4), 150, (0.2, 0.6, 1.0)[(k % 4 + k // 4) % 3])
          for k in range(12)]


def viewpoint(baseline: float) -> Image.Image:
    """The scene seen from a camera moved sideways by `baseline` px: the wall moves little,
    each thing by its depth (parallax), so no single map takes one view onto the other."""
    wall = scene(11, (760, 460))
    view = wall.crop((40 + round(baseline * 0.1), 20, 40 + round(baseline * 0.1) + 640, 500))
    for k, (x, y, side, depth) in enumerate(THINGS):
        thing = scene(100 + k, (side, side))
        mask = Image.new("L", (side, side), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, side - 1, side - 1), 20, fill=255)
        view.paste(thing, (x - round(baseline * depth), y), mask)
    noise = np.random.default_rng(round(baseline)).normal(0, 3, (480, 640, 3))
    noisy = np.asarray(view.crop((0, 0, 640, 480)), dtype=np.float32) + noise
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))  # a camera's sensor noise


LEFT, RIGHT = viewpoint(0.0), viewpoint(40.0)


def test_two_viewpoints_of_one_scene_are_another_shot() -> None:
    assert displaced(LEFT, RIGHT)
    assert displaced(jpeg(RIGHT, 60, 0.5), LEFT)


def test_edited_copies_are_not_displaced() -> None:
    straightened = ImageEnhance.Brightness(turned(crop(LEFT, 0.08), 5.0)).enhance(1.3)
    for copy in (jpeg(LEFT, 50, 0.6), straightened, caption(LEFT), jpeg(crop(LEFT, 0.2), 70)):
        assert not displaced(LEFT, copy)
        assert not displaced(copy, LEFT)


def test_an_edit_on_the_placements_own_map_needs_no_map_fitting(monkeypatch) -> None:
    """An edited copy's tiles are on the refined placement's map already: one tile search
    decides it; a second shot still goes through every round of map fitting and is refuted."""
    searches: list[int] = []
    tile_shifts = tile_map._tile_shifts

    def counted(one: np.ndarray, other: np.ndarray, radius: int) -> tuple:
        searches.append(radius)
        return tile_shifts(one, other, radius)

    monkeypatch.setattr(tile_map, "_tile_shifts", counted)
    assert displaced(LEFT, jpeg(crop(LEFT, 0.1), 60, 0.7)) is False
    assert searches == [tile_map.MEASURE]
    searches.clear()
    assert displaced(LEFT, RIGHT)
    assert searches[:4] == [*tile_map.SEARCH, tile_map.MEASURE]  # the whole placement


def test_a_view_shifted_as_a_whole_is_one_picture() -> None:
    """A camera shake moves everything by one amount: a crop, not parallax (a burst frame
    with fresh noise is told apart by other rules)."""
    shifted = Image.fromarray(np.roll(np.asarray(LEFT), 12, axis=1)).crop((20, 0, 640, 480))
    assert not displaced(LEFT.crop((8, 0, 628, 480)), shifted)


def natural(seed: int, size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """A photo-like texture with detail at every scale (noise octaves, amplitude falling
    with frequency as in natural images), so crops of it at any scale hold texture."""
    rng = np.random.default_rng(seed)
    w, h = size
    out = np.full((h, w, 3), 128.0, np.float32)
    for cells in (4, 8, 16, 32, 64, 128, 256):
        noise = rng.normal(0, 1, (max(2, cells * h // w), cells, 3)).astype(np.float32)
        out += np.stack([np.asarray(Image.fromarray(noise[..., c], mode="F").resize(
            size, Image.Resampling.BICUBIC)) for c in range(3)], -1) * 160 / cells ** 0.5
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


PHOTO = natural(7)


def export(box: tuple[int, int, int, int], mirrored: bool = False) -> Image.Image:
    """A crop of PHOTO, scaled to 480×360 (a camera's or phone's export), maybe mirrored,
    re-saved as JPEG."""
    image = PHOTO.crop(box).resize((480, 360), Image.Resampling.BICUBIC)
    return jpeg(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirrored else image, 85)


def test_two_crops_that_overlap_in_part_are_not_another_shot() -> None:
    """Neither crop holds the other, and they differ in scale (900 against 600 and 640 px of
    the photo): forced inside each other they land at a wrong scale and their texture looks
    displaced everywhere; judged where they overlap, it is on one map."""
    whole = export((0, 0, 900, 675))
    for box in ((400, 300, 1000, 750), (500, 300, 1140, 780)):
        for mirrored in (False, True):
            part = export(box, mirrored)
            assert not displaced(whole, part)
            assert not displaced(part, whole)


def test_crops_that_overlap_in_part_are_judged_before_the_rotations_are_searched(
        monkeypatch) -> None:
    """Neither crop places well as stored or turned; the best of those is displaced, so the
    shared parts are judged next, and one is on one map: the 24 straightening rotations
    (whose placements could only be as wrong) are not searched."""
    searched: list[float] = []
    place = displacement.place

    def counted(big: Image.Image, small: Image.Image) -> tuple:
        searched.append(1.0)
        return place(big, small)

    monkeypatch.setattr(displacement, "place", counted)
    assert displaced(export((0, 0, 900, 675)), export((500, 300, 1140, 780))) is None
    assert len(searched) == displacement.UNROTATED


def test_crops_at_other_scales_are_one_picture() -> None:
    """A crop inside the other at 1.5 times its scale, and a larger mirrored crop that holds
    most of the other (the turn chosen on thumbnails is wrong for it): one picture."""
    outer = export((0, 0, 900, 675))
    for inner in (export((250, 180, 850, 630)), export((200, 150, 1160, 870), mirrored=True)):
        assert not displaced(outer, inner)
        assert not displaced(inner, outer)


def test_verification_refutes_displaced_texture_without_capture_metadata() -> None:
    """The rule is on by default (refute.DISPLACEMENT_RULE)."""
    pictures = {"left": LEFT, "right": RIGHT, "copy": jpeg(crop(LEFT, 0.1), 60, 0.7)}
    edges = {(0, 1): Edge(EDITED, 24, 0.9), (0, 2): Edge(EDITED, 16, 0.92)}
    verified = verify_edges(edges, [None, None, None], ["left", "right", "copy"], pictures.get)
    assert verified.edges[(0, 1)].tier == SIMILAR
    assert verified.edges[(0, 1)].note == DISPLACED
    assert verified.edges[(0, 2)].tier == EDITED


def test_a_crowded_picture_and_pictures_already_on_one_map_are_not_checked_again() -> None:
    """Copies found on one map chain (a map composed with a map is a map), and a picture with
    more than CROWD candidates keeps the scan's evidence: the rules' cost stays bounded."""
    chain = Chain(12, [(0, k) for k in range(1, CROWD + 2)] + [(10, 11)])
    assert not chain.open(0, 1)  # picture 0 has CROWD + 1 candidates
    assert chain.open(10, 11)
    chain.join(10, 11)
    assert not chain.open(11, 10)
    copies = {"a": LEFT, "b": jpeg(LEFT, 70, 0.8), "c": jpeg(crop(LEFT, 0.1), 60)}
    memo: dict = {}
    edges = {(0, 1): Edge(EDITED, 12, 0.95), (0, 2): Edge(EDITED, 14, 0.94),
             (1, 2): Edge(EDITED, 16, 0.93)}
    verify_edges(edges, [None] * 3, ["a", "b", "c"], copies.get, memo)
    assert {key[:2] for key in memo if key[2] == DISPLACEMENT} == {("a", "b"), ("a", "c")}


def test_a_partial_overlap_below_the_placement_threshold_is_not_judged(monkeypatch) -> None:
    """Two unrelated pictures share no part: every flip's and turn's best partial overlap
    correlates below placement's PLACED_AT, so none is refined and judged (the judging was
    most of a burst pair's cost), and the verdict is the same: not on one map."""
    judged: list[tuple] = []
    real = displacement._judged

    def counted(*args: object) -> bool | None:
        judged.append(args)
        return real(*args)

    monkeypatch.setattr(displacement, "_judged", counted)
    first, other = scene(31, (320, 240)).convert("L"), scene(32, (320, 240)).convert("L")
    assert displacement._one_map_in_part(first, other) is False
    assert judged == []
    assert displacement._one_map_in_part(LEFT.convert("L"), crop(LEFT, 0.2).convert("L"))
    assert judged  # a real crop: its partial overlap reaches the threshold and is judged
