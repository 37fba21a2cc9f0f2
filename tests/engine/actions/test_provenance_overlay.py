"""The overlay label (issue 16): a copy with text, an emoji or a sticker pasted on it is labelled
"overlay" and never kept over its clean source; photos that merely differ (a subject that
moved, a tone edit) are never called overlays, and the original never is."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageEnhance

from dedup_gui.engine.actions import provenance_cache, provenance_pool
from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
from dedup_gui.engine.actions.keeper_reason import keeper_sentence
from dedup_gui.engine.actions.overlay import overlay_side
from dedup_gui.engine.actions.provenance import assess
from dedup_gui.engine.actions.provenance_facts import read_facts
from dedup_gui.engine.actions.provenance_marks import relabel_for_keeper
from dedup_gui.engine.actions.provenance_overlay import OVERLAY, load_picture
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group, GroupFile
from tests.engine.actions.overlays import KINDS, pasted
from tests.engine.actions.test_provenance import camera_jpeg, group_of, save
from tests.images import photo

SIZE = (640, 480)


def labelled(group: Group) -> dict:
    return assess(group, {f.path: read_facts(f.path) for f in group.files}, load_picture)


def scaled(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((round(image.width * factor), round(image.height * factor)),
                        Image.Resampling.LANCZOS)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(10, 10_000), kind=st.sampled_from(KINDS),
       share=st.floats(0.12, 0.2), opacity=st.floats(0.8, 1.0),
       factor=st.floats(0.6, 1.1), quality=st.integers(75, 95), camera=st.booleans())
@example(seed=11, kind="emoji", share=0.15, opacity=0.9, factor=1.1, quality=95, camera=False)
def test_a_pasted_copy_is_labelled_overlay_and_never_kept(
        seed: int, kind: str, share: float, opacity: float, factor: float, quality: int,
        camera: bool) -> None:
    """Whatever is pasted where, at whatever size and quality the copy was saved (even larger
    and at a higher quality than a source without camera data), the copy reads "overlay"
    and the clean source is kept. The domain is where the rule is meant to find pastes (a
    sticker or word 12-20 % of the width, opacity >= 0.8): 300 of 300 seeded draws found;
    smaller or fainter ones are sometimes missed, which costs recall, not the original."""
    source = photo(seed, SIZE)
    copy = scaled(pasted(source, kind, share, opacity, random.Random(seed)), factor)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        kept = (camera_jpeg(source, root / "DCIM/IMG_0001.JPG") if camera
                else save(source, root / "Pictures/IMG_0001.jpg", quality=80))
        other = save(copy, root / "Pictures/IMG_0002.jpg", quality=quality)
        group = group_of(kept, other)
        provenance = labelled(group)
        assert OVERLAY in provenance[str(other)].labels
        assert OVERLAY not in provenance[str(kept)].labels
        assert propose(group, DEFAULT_CHAIN, (), {}, provenance).keep == (str(kept),)


def test_either_side_can_carry_the_overlay() -> None:
    source = photo(5, SIZE)
    copy = pasted(source, "sticker", 0.2, 1.0, random.Random(5))
    assert overlay_side(source, copy) == "b"
    assert overlay_side(copy, source) == "a"


def _subject_at(background: Image.Image, subject: Image.Image, x: int) -> Image.Image:
    frame = background.copy()
    frame.paste(subject, (x, 200))
    return frame


@pytest.mark.parametrize("step", [30, 300])
def test_a_subject_that_moved_between_frames_is_no_overlay(tmp_path: Path, step: int) -> None:
    """Two frames of one scene, a textured subject a little or far further along: each frame
    has an outline the other lacks, so neither owns the difference."""
    background, subject = photo(21, SIZE), photo(22, (120, 160))
    first = camera_jpeg(_subject_at(background, subject, 100), tmp_path / "DCIM/IMG_0001.JPG")
    second = camera_jpeg(_subject_at(background, subject, 100 + step),
                         tmp_path / "DCIM/IMG_0002.JPG")
    provenance = labelled(group_of(first, second))
    assert not any(OVERLAY in p.labels for p in provenance.values())


def test_a_tone_edit_is_no_overlay(tmp_path: Path) -> None:
    source = photo(31, SIZE)
    edited = ImageEnhance.Contrast(ImageEnhance.Brightness(source).enhance(1.25)).enhance(1.3)
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0031.JPG")
    copy = save(edited, tmp_path / "Edits/IMG_0031.jpg", quality=90)
    provenance = labelled(group_of(original, copy))
    assert not any(OVERLAY in p.labels for p in provenance.values())


def test_the_keeper_reason_names_the_overlay(tmp_path: Path) -> None:
    source = photo(41, SIZE)
    original = save(source, tmp_path / "Pictures/IMG_0041.jpg", quality=80)
    copy = save(scaled(pasted(source, "text", 0.2, 0.9, random.Random(41)), 1.1),
                tmp_path / "Pictures/IMG_0042.jpg", quality=95)
    group = group_of(original, copy)
    provenance = labelled(group)
    keep = propose(group, DEFAULT_CHAIN, (), {}, provenance).keep
    relative = relabel_for_keeper(group, provenance, keep)
    sentence = keeper_sentence(keep[0], [str(copy)], relative)
    assert keep == (str(original),)
    assert sentence.endswith("the other is a copy with text or a sticker added")


def _file(path: Path) -> GroupFile:
    with Image.open(path) as image:
        size = image.size
    return GroupFile(str(path), path.stat().st_size, path.stat().st_mtime_ns, *size, "JPEG")


def test_a_cold_assessment_reuses_the_facts_decode(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cold cache the pictures come from the decode that read the facts (no second
    decode); once the facts are cached, a group assessed again decodes its files small."""
    source = photo(51, SIZE)
    a = camera_jpeg(source, tmp_path / "DCIM/IMG_0051.JPG")
    b = save(pasted(source, "emoji", 0.2, 0.9, random.Random(51)), tmp_path / "b.jpg",
             quality=90)
    c = save(scaled(source, 0.5), tmp_path / "c.jpg", quality=85)
    decoded: list[str] = []

    def counting(path: str) -> Image.Image | None:
        decoded.append(path)
        return load_picture(path)

    monkeypatch.setattr(provenance_pool, "load_picture", counting)
    cache = Cache(tmp_path / "cache.db")
    try:
        first = provenance_cache.provenance_for([Group((_file(a), _file(b)), ())], cache)
        assert first[str(b)].label == OVERLAY and decoded == []
        bigger = Group((_file(a), _file(b), _file(c)), ())  # a new group: facts from the cache
        again = provenance_cache.provenance_for([bigger], cache)
        assert again[str(b)].label == OVERLAY and OVERLAY not in again[str(a)].labels
        assert str(a) in decoded and str(b) in decoded
    finally:
        cache.close()
