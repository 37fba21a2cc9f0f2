"""The dry run sends the pool only the pixel checks the walk will ask for: a messenger re-save
waits until it has met its captured original, and is then refuted by capture against its
chance look-alikes and checked fully against uncaptured ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from dedup_gui.engine import parallel
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixel_verdict import memoised_pixel_verdict
from dedup_gui.engine.grouping.pixels import FULL, NEAR
from dedup_gui.engine.grouping.refute import refute
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.grouping.verify_pool import prefetch_edges
from dedup_gui.engine.grouping.verify_waves import PIXELS, DryRun
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge
from dedup_gui.engine.types import Capture
from tests.engine.grouping.pictures import caption, jpeg, scene

PHOTO = scene(3, (480, 360))
PICTURES = {"original": PHOTO, "resave": jpeg(PHOTO, 70, 0.6), "captioned": caption(PHOTO),
            "phone": scene(11, (480, 360)), "later": scene(12, (480, 360))}
NAMES = list(PICTURES)
CAPTURES = {"original": Capture(1, True, "Canon", "EOS R6", "", "", "exif"),
            "phone": Capture(1, True, "Apple", "iPhone 12", "", "", "exif"),
            "later": Capture(9 * 10**9, True, "Canon", "EOS R6", "", "", "exif")}
PAIRS = {("original", "resave"): Edge(RESAVED, 2, 0.97),
         ("resave", "captioned"): Edge(EDITED, 8, 0.9),
         ("resave", "phone"): Edge(EDITED, 9, 0.8), ("resave", "later"): Edge(EDITED, 9, 0.8)}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("waves")
    for name, picture in PICTURES.items():
        picture.save(folder / f"{name}.png")
    return [str(folder / f"{name}.png") for name in NAMES]


def pending(edges, captures, paths, suspects, memo):
    """The dry run's next wave, as the pool asks for it (verify_waves.DryRun)."""
    return DryRun(edges, captures, paths, suspects)(memo)


def edges() -> dict[tuple[int, int], Edge]:
    return {(NAMES.index(a), NAMES.index(b)): edge for (a, b), edge in PAIRS.items()}


def captures() -> list[Capture | None]:
    return [CAPTURES.get(name) for name in NAMES]


def names(checks) -> set[tuple[str, str, str]]:
    return {(Path(a).stem, Path(b).stem, tier) for a, b, tier in checks}


def test_a_resave_waits_for_its_original_then_only_its_uncaptured_pairs_need_pixels(
        library) -> None:
    suspects = [False] * len(NAMES)
    first = pending(edges(), captures(), library, suspects, {})
    assert names(first) == {("original", "resave", PIXELS)}
    memo = {(library[0], library[1], FULL): Verdict(True, "pixels agree (residual 3)")}
    assert names(pending(edges(), captures(), library, suspects, memo)) == \
        {("resave", "captioned", PIXELS)}  # "phone" and "later": refuted through the original
    memo[(library[0], library[1], FULL)] = Verdict(None, "pixels differ in 40% of tiles")
    assert names(pending(edges(), captures(), library, suspects, memo)) == \
        {("original", "resave", RESAVED), ("resave", "captioned", EDITED),
         ("resave", "phone", PIXELS)}
    # not one exposure: the refuting rules for the pair whose pixels differ (a "re-saved"
    # pair: the frame rule only), each other pair on its own, and "later" waits: were the
    # re-save the phone's photo, it would be refuted by capture


def test_the_pool_computes_what_the_walk_uses_and_the_walk_decodes_nothing(
        library, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    suspects = [False] * len(NAMES)
    alone = PictureCache()
    walked = verify_edges(edges(), captures(), library, alone, alone.verdicts, suspects)
    pictures = PictureCache()
    prefetch_edges(edges(), captures(), library, suspects, pictures.verdicts, workers=2)
    pooled_memo = dict(pictures.verdicts)
    decoded: list[str] = []

    def load(path: str) -> Image.Image | None:
        decoded.append(path)
        return pictures(path)

    pooled = verify_edges(edges(), captures(), library, load, pictures.verdicts, suspects)
    assert pooled_memo == alone.verdicts and not decoded
    assert {(Path(a).stem, Path(b).stem) for a, b, _ in pooled_memo} == \
        {("original", "resave"), ("resave", "captioned"), ("resave", ""), ("captioned", "")}
    # the caption's pixels differ: the refuting rules asked "may the re-save be a frame?",
    # and the screen rule (screens.py) the same of the captioned copy
    assert (pooled.edges, pooled.refuted, pooled.shots) == \
        (walked.edges, walked.refuted, walked.shots)
    notes = {NAMES[j]: walked.edges[(i, j)].note for i, j in walked.refuted}
    assert notes == {"phone": "taken with two cameras (Canon EOS R6; Apple iPhone 12) "
                              "(through a copy)",
                     "later": "taken 9.0 s apart, same camera (through a copy)"}


SMALL = [scene(seed, (96, 72)) for seed in (3, 4, 5)]
VARIANTS = [picture for photo in SMALL for picture in (photo, jpeg(photo, 60, 0.7),
                                                       caption(photo))]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_each_wave_resumes_where_the_last_one_missed_and_asks_what_a_fresh_walk_asks(
        seed: int) -> None:
    """A DryRun asked wave after wave (as the pool asks it, verdicts coming in between: some
    of each wave's checks, answered by the real rules) gives exactly what a dry run walking
    every pair again gives on the same memo (DryRun resumes where it first missed), also
    when a near-identity verdict for a plain picture's pair comes in between."""
    rng = np.random.default_rng(seed)
    count = int(rng.integers(4, 11))
    paths = [f"/lib/{k}.png" for k in range(count)]
    pictures = {path: VARIANTS[int(rng.integers(len(VARIANTS)))] for path in paths}
    cameras = ("Canon", "Apple")
    captured = [Capture(int(rng.integers(0, 3)) * 10**9, True, cameras[int(rng.integers(2))],
                        "X", "", "", "exif") if rng.random() < 0.4 else None for _ in paths]
    suspects = [bool(rng.random() < 0.3) for _ in paths]
    found_edges = {}
    for i, j in {tuple(sorted(rng.choice(count, 2, replace=False).tolist()))
                 for _ in range(int(rng.integers(3, 3 * count)))}:
        found_edges[(i, j)] = Edge(RESAVED, 3, 0.95) if rng.random() < 0.4 else \
            Edge(EDITED, 14, float(rng.uniform(0.76, 0.95)))
    memo: dict = {}
    resumed = DryRun(found_edges, captured, paths, suspects)
    waves = 0
    while True:
        wave = resumed(memo)
        assert wave == DryRun(found_edges, captured, paths, suspects)(memo)
        if not wave:
            break
        waves += 1
        answered = [wave[k] for k in sorted(rng.choice(len(wave), int(rng.integers(
            1, len(wave) + 1)), replace=False).tolist())]
        plain = [(i, j) for i, j in found_edges if suspects[i] or suspects[j]]
        if plain:  # the walk's near-identity verdict of a plain picture, come from elsewhere
            i, j = plain[int(rng.integers(len(plain)))]
            memo.setdefault((paths[i], paths[j], NEAR),
                            Verdict(True if rng.random() < 0.5 else None, "near"))
        for a, b, tier in answered:
            if tier == PIXELS:
                memoised_pixel_verdict(a, b, FULL, pictures.get, memo)
            else:
                refute(a, b, tier, pictures.get, memo)
    assert waves <= 4 * len(found_edges)


class _Reads(dict):
    """A memo that counts the look-ups of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict = {}

    def get(self, key, default=None):
        self.reads[key] = self.reads.get(key, 0) + 1
        return super().get(key, default)


def test_a_wave_does_not_walk_again_the_pairs_whose_verdicts_were_all_in(library) -> None:
    suspects = [False] * len(NAMES)
    dry_run, memo = DryRun(edges(), captures(), library, suspects), _Reads()
    first = (library[0], library[1], FULL)
    assert dry_run(memo) == [(*first[:2], PIXELS)]
    memo[first] = Verdict(True, "pixels agree (residual 3)")
    assert names(dry_run(memo)) == {("resave", "captioned", PIXELS)}
    memo.reads.clear()
    assert names(dry_run(memo)) == {("resave", "captioned", PIXELS)}  # still out
    assert first not in memo.reads  # the re-save's check with its original: walked once
