"""A duplicate group never holds two photos that their capture metadata tells apart.

The case (bench_scale's 500k capture library, 3,075 of its 3,128 false pairs): a photo with
EXIF, an edited copy of it without EXIF (the copy's pixels differ, so it inherits no capture),
and a third photo of the same view from another camera (nothing moved: on one map with the
copy, so no pixel rule refutes that pair). The copy pairs with both; the two photos are only
loosely alike, not a pair. Complete linkage's loose compatibility used to put all three in one
group, and accepting its suggestion trashed one of two different photos.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping import capture_rule
from dedup_gui.engine.grouping.capture_rule import two_exposures
from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.tiers import DEFAULT_TIERS, SIMILAR
from dedup_gui.engine.types import Capture, GroupFile
from tests.engine.grouping.pictures import caption, frame, scene

SECOND = 1_000_000_000
WORLD = scene(3)


def camera(model: str, taken_s: int) -> Capture:
    return Capture(taken_s * SECOND, True, "FUJIFILM", model, "", "", "exif")


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Cosines: photo ~ copy 0.95 and copy ~ other 0.80 ("edited copy", both), photo ~ other 0.65
# (loosely alike at the default group_cosine, not a pair).
EMBEDDINGS = {"photo.jpg": _unit(1.0, 0.0, 0.0),
              "copy.jpg": _unit(0.95, 0.3122, 0.0),
              "other.jpg": _unit(0.65, 0.5846, 0.4855)}


def _library(folder: Path, other_capture: Capture | None) -> list[GroupFile]:
    photo = frame(WORLD, 0, 0, seed=1)
    pictures = {"photo.jpg": (photo, camera("X-T3", 100)),
                "copy.jpg": (caption(photo), None),
                "other.jpg": (frame(WORLD, 0, 0, seed=2), other_capture)}
    files = []
    for name, (image, capture) in pictures.items():
        path = folder / name
        image.save(path, quality=92)
        files.append(GroupFile(str(path), path.stat().st_size, 1, *image.size, "JPEG", capture))
    return files


def _groups(files: list[GroupFile], match: MatchParams) -> list[list[str]]:
    hashes = {f.path: (0x5A5A5A5A5A5A5A5A if i else 0) >> i for i, f in enumerate(files)}
    embeddings = {f.path: EMBEDDINGS[Path(f.path).name] for f in files}
    groups, _ = group_and_series(files, {}, hashes, match=match, embeddings=embeddings)
    return [sorted(Path(f.path).name for f in group.files) for group in groups]


def test_two_photos_the_metadata_tells_apart_never_share_a_group(tmp_path) -> None:
    files = _library(tmp_path, camera("X-T4", 5000))
    assert _groups(files, MatchParams(hash_threshold=0)) == [["copy.jpg", "photo.jpg"]]


def test_without_metadata_on_the_third_photo_the_three_still_group(tmp_path) -> None:
    """The rule needs both captures: missing metadata decides nothing (the same pictures
    group as before, which is also what the test above would give without the rule)."""
    files = _library(tmp_path, None)
    assert _groups(files, MatchParams(hash_threshold=0)) == \
        [["copy.jpg", "other.jpg", "photo.jpg"]]


def test_counting_similar_shots_or_skipping_verification_keeps_the_loose_groups(tmp_path
                                                                              ) -> None:
    """A user who counts similar shots as duplicates asked for other shots in one group, and
    without verification no metadata is asked at all."""
    files = _library(tmp_path, camera("X-T4", 5000))
    counted = MatchParams(hash_threshold=0, tiers=DEFAULT_TIERS | {SIMILAR})
    unverified = MatchParams(hash_threshold=0, verify=False)
    for match in (counted, unverified):
        assert _groups(files, match) == [["copy.jpg", "other.jpg", "photo.jpg"]]


@pytest.mark.parametrize(("left", "right", "apart"), [
    ([camera("X-T3", 100)], [camera("X-T4", 100)], True),  # two cameras
    ([camera("X-T3", 100)], [camera("X-T3", 101)], True),  # one camera, two instants
    ([camera("X-T3", 100), None], [None, camera("X-T3", 100)], False),  # one exposure
    ([None], [camera("X-T3", 100)], False),  # missing metadata decides nothing
    ([], [], False),
])
def test_two_exposures_asks_every_capture_of_each_side(left, right, apart) -> None:
    assert two_exposures(left, right) is apart
    assert two_exposures(right, left) is apart


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), cameras=st.integers(1, 3), instants=st.integers(1, 4))
def test_no_group_ever_holds_two_exposures(seed: int, cameras: int, instants: int) -> None:
    """Random look-alike libraries (embeddings around a few centres, so that pairs, loose
    alikeness and chains all occur) where some files carry one of a few captures and the
    others none; no pixels can be read, so only the capture rule decides. Every group's
    captures are one exposure, and every file still grouped pairs with someone."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, 16))
    rows = centres[rng.integers(0, 4, 40)] + rng.normal(scale=0.6, size=(40, 16))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    choices = [camera(f"X-T{c}", t) for c in range(cameras) for t in range(instants)]
    files = [GroupFile(f"/missing/{i:02d}.jpg", 1000 + i, 1, 100, 100, "JPEG",
                       choices[rng.integers(len(choices))] if rng.random() < 0.6 else None)
             for i in range(len(rows))]
    hashes = {f.path: int(rng.integers(2**62)) << 1 for f in files}
    embeddings = {f.path: row.astype(np.float32) for f, row in zip(files, rows, strict=True)}
    groups, _ = group_and_series(files, {}, hashes, match=MatchParams(hash_threshold=0),
                                 embeddings=embeddings)
    for group in groups:
        captures = [f.capture for f in group.files]
        assert not any(two_exposures([a], [b]) for a in captures for b in captures)
        paired = {p.a for p in group.pairs} | {p.b for p in group.pairs}
        assert paired == {f.path for f in group.files}


_SPELLINGS = st.text(alphabet=st.sampled_from(" \t\u00a0\u2003aAbBßẞİ"), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_SPELLINGS, _SPELLINGS)
def test_a_camera_is_named_and_keyed_as_its_spelling_says(make: str, model: str) -> None:
    """The memoised spelling (capture_rule._spelled) names and keys a camera exactly as the
    plain definitions do: both given, not blank; case and spacing ignored."""
    capture = Capture(1, False, make, model)
    assert capture_rule._named(capture) == bool(make.strip() and model.strip())
    assert capture_rule.camera_key(capture) == (" ".join(make.casefold().split()),
                                                 " ".join(model.casefold().split()))
