"""The dry run sends the pool only the pixel checks the walk will ask for: a messenger re-save
waits until it has met its captured original, and is then refuted by capture against its
chance look-alikes and checked fully against uncaptured ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dedup_gui.engine import parallel
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verify import PictureCache, verify_edges
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
        {("original", "resave"), ("resave", "captioned"), ("resave", "")}
    # the caption's pixels differ: the refuting rules asked "may the re-save be a frame?"
    assert (pooled.edges, pooled.refuted, pooled.shots) == \
        (walked.edges, walked.refuted, walked.shots)
    notes = {NAMES[j]: walked.edges[(i, j)].note for i, j in walked.refuted}
    assert notes == {"phone": "taken with two cameras (Canon EOS R6; Apple iPhone 12) "
                              "(through a copy)",
                     "later": "taken 9.0 s apart, same camera (through a copy)"}
