"""The refuting rules' checks run in the worker pool: the same verdicts and groups as the walk."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from PIL import Image

from dedup_gui.engine import parallel
from dedup_gui.engine.grouping import refute, verify_pool
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.grouping.verify_pool import bundles, by_file, prefetch, prefetch_edges
from dedup_gui.engine.grouping.verify_waves import PIXELS
from dedup_gui.engine.progress import Cancelled, CancelToken
from dedup_gui.engine.signals.handoff import Picture
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge
from dedup_gui.engine.types import Capture
from tests.engine.grouping.pictures import caption, crop, jpeg, scene, screenshot
from tests.engine.grouping.test_displacement import viewpoint
from tests.engine.grouping.test_verify_waves import pending

WIDE = scene(9, (960, 360))
PHOTO = scene(3, (480, 360))
PICTURES = {
    "photo": PHOTO, "crop": jpeg(crop(PHOTO, 0.1), 80), "caption": caption(PHOTO),
    "left": WIDE.crop((0, 0, 480, 360)), "right": WIDE.crop((480, 0, 960, 360)),
    "shot_a": screenshot(scene(5, (480, 360))), "shot_b": screenshot(scene(6, (480, 360))),
    "view_a": viewpoint(0.0), "view_b": viewpoint(40.0),
}
NAMES = list(PICTURES)
PAIRS = {("photo", "crop"): EDITED, ("photo", "caption"): EDITED, ("crop", "caption"): EDITED,
         ("left", "right"): EDITED, ("photo", "left"): EDITED, ("shot_a", "shot_b"): RESAVED,
         ("view_a", "view_b"): EDITED, ("caption", "right"): EDITED}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("pictures")
    paths = []
    for name, picture in PICTURES.items():
        path = folder / f"{name}.png"
        picture.save(path)
        paths.append(str(path))
    return paths


@pytest.fixture(autouse=True)
def pool_for_a_few(monkeypatch) -> None:
    """The pool starts only from parallel.IN_PROCESS_BELOW checks: here, from one."""
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)


def edges() -> dict[tuple[int, int], Edge]:
    return {(NAMES.index(a), NAMES.index(b)): Edge(tier, 8, 0.9)
            for (a, b), tier in PAIRS.items()}


def verify(paths: list[str], pool: bool, cancel: CancelToken | None = None):
    """verify_edges as candidates.py runs it; with `pool`, after the pool's prefetch. Returns
    the result, the memo, what the prefetch added and what the walk then decoded."""
    captures: list[Capture | None] = [None] * len(paths)
    suspects = [False] * len(paths)
    pictures = PictureCache()
    if pool:
        prefetch_edges(edges(), captures, paths, suspects, pictures.verdicts, cancel, workers=2)
    added = len(pictures.verdicts)
    decoded: list[str] = []

    def load(path: str) -> Image.Image | None:
        decoded.append(path)
        return pictures(path)

    result = verify_edges(edges(), captures, paths, load, pictures.verdicts, suspects)
    return result, dict(pictures.verdicts), added, decoded


@pytest.mark.parametrize(("displacement", "crowd"), [(False, 8), (True, 8), (False, 2)])
def test_the_pool_gives_the_walks_verdicts_and_groups(library, monkeypatch, displacement,
                                                      crowd) -> None:
    """Every rule (frames, placement, displacement when on) gives the same verdict in a worker;
    the walk after the prefetch decodes nothing. A crowded picture's pairs (more "edited copy"
    candidates than CROWD: "photo" has 3) get no placement search in the pool either."""
    monkeypatch.setattr(refute, "DISPLACEMENT_RULE", displacement)
    monkeypatch.setattr(refute, "CROWD", crowd)
    walked, walk_memo, _, walk_decoded = verify(library, pool=False)
    pooled, pool_memo, added, pool_decoded = verify(library, pool=True)
    assert pool_memo == walk_memo  # also: no pair the walk's Chain skips was checked
    assert added == len(walk_memo)
    assert (pooled.edges, pooled.refuted, pooled.shots) == \
        (walked.edges, walked.refuted, walked.shots)
    assert walk_decoded and not pool_decoded
    notes = {walked.edges[k].note for k in walked.refuted}
    assert {refute.UNPLACED, refute.TWO_PHOTOS} <= notes
    placements = {(Path(a).stem, Path(b).stem) for a, b, level in pool_memo
                  if level == refute.PLACEMENT}
    assert (("photo", "left") in placements) == (crowd > 3)
    assert (refute.DISPLACED in notes) == displacement


def test_pending_leaves_out_what_the_memo_or_the_capture_decides(
        library, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm rescan (verdicts in the memo) sends nothing to the pool. A pair whose side has a
    capture goes for its full pixel verdict only (PIXELS: the capture rule and that verdict
    decide it, not the refuting rules), unless the memo holds it; one that may be plain not
    at all. (With the displacement rule on, pending() gives a wave at a time: counted with
    it off.)"""
    monkeypatch.setattr(refute, "DISPLACEMENT_RULE", False)
    no_captures = [None] * len(library)
    memo = verify(library, pool=False)[1]
    assert pending(edges(), no_captures, library, [False] * len(library), memo) == []
    assert len(pending(edges(), no_captures, library, [False] * len(library), {})) == len(PAIRS)
    captured = list(no_captures)
    captured[NAMES.index("photo")] = Capture(taken_ns=1, make="Canon", model="R6")
    suspects = [name == "shot_a" for name in NAMES]
    found = pending(edges(), captured, library, suspects, {})
    left = {(Path(a).stem, Path(b).stem) for a, b, tier in found if tier != PIXELS}
    with_capture = {("photo", "crop"), ("photo", "caption"), ("photo", "left")}
    assert left == {("view_a", "view_b")}  # the others wait: crop, caption or left may
    # join the photo's exposure (verify_waves.py)
    assert {(Path(a).stem, Path(b).stem) for a, b, tier in found if tier == PIXELS} == \
        with_capture
    photo, crop = library[NAMES.index("photo")], library[NAMES.index("crop")]
    known = {(photo, crop, FULL): Verdict(True, "pixels agree")} | {
        (photo, library[NAMES.index(other)], FULL): Verdict(None, "pixels differ")
        for other in ("caption", "left")}
    found = pending(edges(), captured, library, suspects, known)
    assert {(Path(a).stem, Path(b).stem, tier) for a, b, tier in found} == {
        ("crop", "caption", PIXELS), ("left", "right", EDITED), ("view_a", "view_b", EDITED)}
    # the crop is now known by the photo's capture; (caption, right) waits for its caption


def test_pending_sends_no_pair_that_two_cameras_decide(library, monkeypatch) -> None:
    """Two named cameras made two exposures (verify.capture_verdict): the walk decides such a
    pair by capture, dated or not, so the pool checks none of its pixels. In a large library
    these are most chance look-alikes (two unrelated photos from two phones)."""
    monkeypatch.setattr(refute, "DISPLACEMENT_RULE", False)
    captures: list[Capture | None] = [None] * len(library)
    captures[NAMES.index("photo")] = Capture(taken_ns=1, make="Canon", model="R6")
    captures[NAMES.index("crop")] = Capture(taken_ns=1, make="Apple", model="iPhone 12")
    captures[NAMES.index("left")] = Capture(make="Canon", model="R5")  # no date
    captures[NAMES.index("right")] = Capture(make="Apple", model="iPhone 12")
    found = {(Path(a).stem, Path(b).stem) for a, b, _ in
             pending(edges(), captures, library, [False] * len(library), {})}
    assert found == {("photo", "caption"), ("shot_a", "shot_b"), ("view_a", "view_b")}  # the
    # caption's pairs wait for it: it may join the photo's exposure (verify_waves.py)


def test_a_pair_with_one_capture_gets_its_pixel_verdict_in_the_pool(library) -> None:
    """A messenger re-save (no EXIF) against its captured original: the walk's full pixel
    check (verify._pixels) is computed by the pool, so the walk computes none of the captured
    picture's pairs itself, and the verdicts and groups are the walk's own."""
    captures: list[Capture | None] = [None] * len(library)
    captures[NAMES.index("photo")] = Capture(taken_ns=1, make="Canon", model="R6")
    suspects = [False] * len(library)
    alone = PictureCache()
    walked = verify_edges(edges(), captures, library, alone, alone.verdicts, suspects)
    pictures = PictureCache()
    prefetch_edges(edges(), captures, library, suspects, pictures.verdicts, workers=2)
    prefetched = set(pictures.verdicts)
    pooled = verify_edges(edges(), captures, library, pictures, pictures.verdicts, suspects)
    photo = library[NAMES.index("photo")]
    assert {key for key in prefetched if photo in key[:2] and key[2] == FULL} == \
        {(photo, library[NAMES.index(other)], FULL) for other in ("crop", "caption", "left")}
    assert not {key for key in set(pictures.verdicts) - prefetched if photo in key[:2]}
    assert (pooled.edges, pooled.refuted, pooled.shots) == \
        (walked.edges, walked.refuted, walked.shots)


def test_pairs_go_to_the_pool_by_connected_component() -> None:
    checks = [("a", "b", EDITED), ("x", "y", EDITED), ("b", "c", EDITED), ("a", "c", EDITED)]
    assert by_file(checks) == [("a", "b", EDITED), ("a", "c", EDITED), ("b", "c", EDITED),
                               ("x", "y", EDITED)]


def test_a_cancelled_scan_stops_the_pool(library) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        verify(library, pool=True, cancel=token)


def test_a_file_that_vanished_or_is_corrupt_keeps_the_scans_evidence(library, tmp_path) -> None:
    """Between the signal stage and verification a file is deleted, another truncated: their
    pairs stay undecided ("edited copy" on the scan's evidence), in the pool as in the walk."""
    paths = []
    for path in library:
        copy = tmp_path / Path(path).name
        copy.write_bytes(Path(path).read_bytes())
        paths.append(str(copy))
    Path(paths[NAMES.index("right")]).unlink()
    corrupt = Path(paths[NAMES.index("caption")])
    corrupt.write_bytes(corrupt.read_bytes()[:200])
    walked = verify(paths, pool=False)[0]
    pooled = verify(paths, pool=True)[0]
    assert pooled.edges == walked.edges
    for pair in (("left", "right"), ("photo", "caption"), ("caption", "right")):
        edge = pooled.edges[(NAMES.index(pair[0]), NAMES.index(pair[1]))]
        assert (edge.tier, edge.note) == (EDITED, "")


def test_a_scan_with_the_pool_gives_the_groups_of_a_scan_without(library, monkeypatch) -> None:
    """The real pipeline (signals, embeddings, candidates, the pool, the walk): the same groups
    and reasons with the prefetch as with the walk alone, and the pool did check pairs."""
    from dedup_gui.engine.grouping import candidates, verify_pool
    from dedup_gui.engine.pipeline import ScanParams, run_scan
    from dedup_gui.engine.store.cache import Cache

    params = ScanParams(roots=(str(Path(library[0]).parent),))
    added: list[int] = []

    def counted(*args, **kwargs) -> int:
        added.append(real(*args, **kwargs))
        return added[-1]

    real = verify_pool.prefetch
    monkeypatch.setattr(verify_pool, "prefetch", counted)
    pooled = run_scan(params, Cache(None))
    monkeypatch.setattr(candidates, "prefetch_edges", lambda *args, **kwargs: None)
    walked = run_scan(params, Cache(None))
    assert sum(added) > 0
    assert pooled.groups and pooled.groups == walked.groups and pooled.series == walked.series
    assert refute.UNPLACED in repr(pooled.series) and refute.TWO_PHOTOS in repr(pooled.series)


def test_a_few_edited_copy_checks_are_worth_the_pool_and_a_few_frame_tests_are_not(
        library, monkeypatch) -> None:
    """An "edited copy" check (placement, displacement) costs several decodes: six of them
    go to the pool, as 24 frame tests would; six frame tests stay in this process."""
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 24)
    edited = [(library[NAMES.index(a)], library[NAMES.index(b)], EDITED) for a, b in
              [("photo", "crop"), ("photo", "caption"), ("crop", "caption"),
               ("left", "right"), ("photo", "left"), ("view_a", "view_b")]]
    assert prefetch(edited, {}, workers=2) > 0
    resaved = [(a, b, RESAVED) for a, b, _ in edited]
    assert prefetch(resaved, {}, workers=2) == 0


def test_the_workers_take_the_signal_stages_pictures_instead_of_decoding(library, tmp_path
                                                                          ) -> None:
    """The pictures handed over (signals/handoff.py) travel with the batches that need them:
    under paths where no file exists, the pool finds the verdicts of the files themselves."""
    walk_memo = verify(library, pool=False)[1]
    gone = [str(tmp_path / "gone" / Path(path).name) for path in library]
    decoded = {g: Picture.of(PictureCache()(path)) for g, path in zip(gone, library, strict=True)}
    memo: dict = {}
    prefetch_edges(edges(), [None] * len(gone), gone, [False] * len(gone), memo, workers=2,
                   decoded=decoded)
    back = dict(zip(gone, library, strict=True))
    assert {(back[a], back.get(b, b), level): v for (a, b, level), v in memo.items()} == \
        walk_memo
    assert any(verdict.same is False for verdict in walk_memo.values())


def test_a_batch_carries_the_pictures_of_its_own_files_only() -> None:
    picture = Picture.of(Image.new("RGB", (4, 4)))
    checks = [("a", "b", EDITED), ("b", "c", EDITED), ("x", "y", EDITED)]
    assert [(list(chunk), sorted(pictures)) for chunk, pictures in
            bundles(checks, 2, {"a": picture, "c": picture, "y": picture})] == \
        [(checks[:2], ["a", "c"]), (checks[2:], ["y"])]


CHECK_BATCH = verify_pool.check_batch  # the real one, in this process and in a worker
DECODED = -99  # memo level of check_batch_noting_decodes' notes (a test's own)
_decodes = itertools.count()


def check_batch_noting_decodes(checks: list, displacement: bool) -> list:
    """verify_pool.check_batch in a worker, and a memo entry (path, "PID #n", DECODED) for
    every picture it decoded."""
    from dedup_gui.engine.grouping import picture_cache

    decoded: list[str] = []
    real = picture_cache.load_image

    def load(path: str, *args: object, **kwargs: object) -> object:
        decoded.append(path)
        return real(path, *args, **kwargs)

    picture_cache.load_image = load
    try:
        found = CHECK_BATCH(checks, displacement)
    finally:
        picture_cache.load_image = real
    return found + [((path, f"{os.getpid()} #{next(_decodes)}", DECODED), Verdict(None, ""))
                    for path in decoded]


def test_one_pool_checks_every_wave_and_its_workers_keep_their_pictures(
        library, tmp_path, monkeypatch) -> None:
    """Three viewpoints: (a, c) waits for (a, b) and (b, c) (were they on one map, the walk
    would skip it), so it is a second wave. It runs in the same two workers as the first (one
    pool: a pool per wave started new ones), which decode no picture twice."""
    monkeypatch.setattr(refute, "DISPLACEMENT_RULE", True)
    views = []
    for k, baseline in enumerate((0.0, 40.0, 80.0)):
        views.append(str(tmp_path / f"view{k}.png"))
        viewpoint(baseline).save(views[-1])
    paths = library + views
    n = len(NAMES)
    waves = {**edges(), (n, n + 1): Edge(EDITED, 8, 0.95), (n + 1, n + 2): Edge(EDITED, 8, 0.94),
             (n, n + 2): Edge(EDITED, 8, 0.9)}
    captures, suspects = [None] * len(paths), [False] * len(paths)
    first = pending(waves, captures, paths, suspects, {})
    assert (views[0], views[2], EDITED) not in first and len(first) > 4  # a batch per worker
    monkeypatch.setattr(verify_pool, "check_batch", check_batch_noting_decodes)
    memo: dict = {}
    prefetch_edges(waves, captures, paths, suspects, memo, workers=2)
    assert (views[0], views[2], refute.PLACEMENT) in memo  # the second wave, in the pool
    decodes = [(path, note.split()[0]) for path, note, level in memo if level == DECODED]
    assert len({pid for _, pid in decodes}) <= 2
    assert len(decodes) == len(set(decodes))


def check_batch_dying(checks: list, displacement: bool) -> list:
    """A worker killed mid-check (out of memory, a signal)."""
    os._exit(1)


def test_a_pool_that_breaks_leaves_the_checks_to_the_walk(library, monkeypatch) -> None:
    """No verdict comes back from a broken pool and the scan goes on: the walk checks every
    pair itself, with the verdicts it gives without a pool."""
    monkeypatch.setattr(refute, "DISPLACEMENT_RULE", True)
    walked, walk_memo, _, _ = verify(library, pool=False)
    monkeypatch.setattr(verify_pool, "check_batch", check_batch_dying)
    pooled, pool_memo, added, decoded = verify(library, pool=True)
    assert added == 0 and decoded
    assert pool_memo == walk_memo
    assert (pooled.edges, pooled.refuted) == (walked.edges, walked.refuted)
