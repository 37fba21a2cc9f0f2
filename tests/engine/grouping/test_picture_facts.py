"""The per-picture facts from the signal stage (signals/picture_facts.py): the answers
verification's own decode gives, cached, so a scan decodes nothing for re-saved pairs of photos
that are not frames; caches without them still scan, and then keep them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dedup_gui.engine import pipeline
from dedup_gui.engine.grouping.frames import framed
from dedup_gui.engine.grouping.picture_cache import DECODE_SIDE, PictureCache
from dedup_gui.engine.pipeline import ScanParams, group_library, run_scan
from dedup_gui.engine.signals.batch import Task, compute_batch
from dedup_gui.engine.signals.embedding import decode_side
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.signals.picture_facts import degenerate
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import jpeg, scene, screenshot


def _padded(photo: Image.Image) -> Image.Image:
    """A photo on a white pad with a caption band (a meme, an export for a square feed)."""
    page = Image.new("RGB", (600, 600), (255, 255, 255))
    page.paste(photo.resize((480, 360)), (60, 140))
    ImageDraw.Draw(page).text((40, 40), "WHEN THE PHOTO", fill=(0, 0, 0))
    return page


PICTURES = {
    "camera.jpg": scene(1, (3200, 2400)),  # decodes at 1/8 for both sizes
    "phone.jpg": scene(2, (1200, 1600)),
    "screenshot.png": screenshot(scene(3, (480, 360))),
    "padded.png": _padded(scene(4, (480, 360))),
    "flat.png": Image.new("RGB", (300, 200), (128, 128, 128)),
    "tiny.png": scene(5).resize((12, 10)),
    "strip.png": scene(6).resize((20, 400)),
}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("facts")
    for name, picture in PICTURES.items():
        picture.save(folder / name, quality=90)
    return folder


def test_the_signal_workers_facts_are_verifications_own_answers(pictures) -> None:
    paths = [str(pictures / name) for name in PICTURES]
    computed = compute_batch([Task(path, True, True) for path in paths], 8)
    found, decoded = {}, {}
    for path, result in zip(paths, computed, strict=True):
        assert result.facts is not None, path
        image = PictureCache()(path)
        assert image is not None
        found[Path(path).name] = (result.facts.framed, result.facts.plain)
        decoded[Path(path).name] = (framed(image), degenerate(image))
    assert found == decoded
    assert found["screenshot.png"][0] and found["padded.png"][0] and not found["camera.jpg"][0]
    assert found["flat.png"][1] and found["tiny.png"][1] and found["strip.png"][1]
    assert not found["phone.jpg"][1]


@pytest.mark.parametrize(("size", "kind"), [
    ((2400, 1800), "JPEG"), ((2000, 1800), "JPEG"), ((4032, 3024), "JPEG"), ((900, 500), "JPEG"),
    ((720, 480), "PNG"), ((1080, 2340), "PNG"), ((480, 360), "PNG"), ((200, 150), "PNG"),
    ((1500, 1000), "WEBP")])
def test_alike_says_whether_a_decode_at_verifications_size_gives_the_same_pixels(
        tmp_path, size, kind) -> None:
    path = tmp_path / f"picture.{kind.lower()}"
    picture = scene(8, size)
    if kind == "JPEG":
        picture.save(path, kind, quality=90, progressive=size[0] == 4032)
    else:
        picture.save(path, kind)
    mine = load_image(str(path), mode="RGB", min_side=decode_side(1), alike_side=DECODE_SIDE)
    theirs = load_image(str(path), mode="RGB", min_side=DECODE_SIDE)
    same = mine.image.size == theirs.image.size and \
        np.array_equal(np.asarray(mine.image), np.asarray(theirs.image))
    assert mine.alike == same
    # the sizes chosen: both answers occur (2000×1800 JPEG and 720×480 PNG differ)
    assert same == (size not in ((2400, 1800), (2000, 1800), (720, 480), (900, 500),
                                 (1500, 1000)))


SEEDS = (11,)  # one photo: two synthetic scenes would be "edited copy" candidates of each other


def _library(folder: Path) -> None:
    folder.mkdir()
    for seed in SEEDS:
        photo = scene(seed, (480, 360))
        photo.save(folder / f"photo{seed}.jpg", quality=92)
        jpeg(photo, 70, 0.5).save(folder / f"photo{seed}_small.jpg", quality=70)


def _names(result) -> list[list[str]]:
    return [sorted(Path(f.path).name for f in g.files) for g in result.groups]


def _forget(db: Path, *tables: str) -> None:
    with sqlite3.connect(db) as conn:
        for table in tables:
            conn.execute(f"DELETE FROM {table}")


EXPECTED = [["photo11.jpg", "photo11_small.jpg"]]


def test_a_scan_with_the_facts_decodes_nothing_for_re_saves_of_photos(tmp_path, loads) -> None:
    _library(tmp_path / "lib")
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),)), Cache(tmp_path / "c.sqlite3"))
    assert _names(result) == EXPECTED
    assert {p.tier for g in result.groups for p in g.pairs} == {"resaved"}
    assert loads == []


def test_an_old_cache_without_the_facts_still_scans_and_then_keeps_them(tmp_path, loads
                                                                        ) -> None:
    """A cache from before the facts: signals cached, no facts. Nothing is decoded again for
    the signals; verification decodes as it used to, keeps the answers, and the next scan
    that verifies decodes nothing."""
    _library(tmp_path / "lib")
    db = tmp_path / "c.sqlite3"
    params = ScanParams(roots=(str(tmp_path / "lib"),))
    run_scan(params, Cache(db))
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE picture_facts")
    _forget(db, "pixel_verdicts", "verified_components", "grouping_results")
    old = run_scan(params, Cache(db))
    assert _names(old) == EXPECTED and old.stats.decoded == 0
    assert loads  # one side of the pair, at least
    loads.clear()
    _forget(db, "verified_components", "grouping_results")  # verify again: answers kept
    again = run_scan(params, Cache(db))
    assert _names(again) == EXPECTED and loads == []


@pytest.mark.parametrize("damage", ["vanished", "corrupt"])
def test_a_file_gone_or_corrupt_between_the_stages_keeps_the_scans_evidence(
        tmp_path, loads, damage) -> None:
    """Between the signal stage and verification one side of each pair changes: the facts
    were the file's as it was decoded, and the pair keeps the scan's evidence, as when
    verification decoded (and failed)."""
    _library(tmp_path / "lib")
    params = ScanParams(roots=(str(tmp_path / "lib"),))
    results = []
    for facts in (True, False):
        cache = Cache(tmp_path / f"{facts}.sqlite3")
        library = pipeline.read(params, cache)
        if not facts:
            cache.db.execute("DELETE FROM picture_facts")
        for seed in SEEDS:
            path = tmp_path / "lib" / f"photo{seed}.jpg"
            if damage == "vanished":
                path.rename(tmp_path / f"{facts}{seed}.jpg")
            else:
                path.write_bytes(path.read_bytes()[:300])
        results.append(group_library(library, params, cache, 0.0))
        for seed in SEEDS:  # back as it was, for the other round
            path = tmp_path / "lib" / f"photo{seed}.jpg"
            path.unlink(missing_ok=True)
            scene(seed, (480, 360)).save(path, quality=92)
    with_facts, without = results
    assert _names(with_facts) == _names(without) == EXPECTED
    assert [(p.tier, p.reason) for g in with_facts.groups for p in g.pairs] == \
        [(p.tier, p.reason) for g in without.groups for p in g.pairs]


def test_the_evaluations_regroups_read_the_facts_too(tmp_path, loads) -> None:
    """prepare_library + regroup (calibration, bench_verify) decode as a scan does."""
    from dataclasses import replace

    from dedup_gui.engine.evaluation.run import prepare_library, regroup

    _library(tmp_path / "lib")
    params = ScanParams(roots=(str(tmp_path / "lib"),), verify=False)
    library = prepare_library(params, Cache(None))
    groups = regroup(library, replace(params, verify=True))
    assert [sorted(Path(f.path).name for f in g.files) for g in groups] == EXPECTED
    assert loads == []
