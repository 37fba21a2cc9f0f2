"""The CNN path on real photos (../shared datasets; skipped when absent): edited copies stay above
the edited-copy threshold, different photos below it; embeddings are cached and reused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from dedup_gui.engine.compare import compare_images, query_similar
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.signals import batch
from dedup_gui.engine.signals.embedding import embed, from_blob, model_id, to_blob
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS, EDITED, RESAVED
from tests.conftest import dataset

EDITED_COSINE = DEFAULT_TIER_THRESHOLDS.edited_cosine


def originals(count: int) -> list[Path]:
    """Original photos of different series (so they really are different photos)."""
    folder = dataset("debian_augly_dev")
    files = json.loads((folder / "manifest.json").read_text())["files"]
    chosen, keys = [], set()
    for entry in sorted(files, key=lambda f: f["path"]):
        if entry["role"] == "original" and entry["similarity_key"] not in keys:
            keys.add(entry["similarity_key"])
            chosen.append(folder / "images" / entry["path"])
    return chosen[:count]


def edits(image: Image.Image) -> dict[str, Image.Image]:
    w, h = image.size
    captioned = ImageOps.expand(image, border=(0, h // 6, 0, 0), fill="white")
    ImageDraw.Draw(captioned).text((10, 10), "when the duplicate finder works", fill="black")
    return {
        "crop": image.crop((w // 10, h // 10, w - w // 10, h - h // 10)),
        "flip": ImageOps.mirror(image),
        "caption": captioned,
        "resize": image.resize((w // 3, h // 3)),
    }


@pytest.fixture(scope="module")
def photo_set(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("edits")
    base = originals(4)
    with Image.open(base[0]) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        image.thumbnail((1600, 1600))
    paths = {"original": out / "original.jpg"}
    image.save(paths["original"], quality=92)
    for name, edited in edits(image).items():
        paths[name] = out / f"{name}.jpg"
        edited.save(paths[name], quality=88)
    paths["jpeg"] = out / "jpeg_q40.jpg"
    image.save(paths["jpeg"], quality=40)
    for index, other in enumerate(base[1:]):
        paths[f"other{index}"] = other
    return paths


def test_edited_copies_are_above_and_other_photos_below_the_threshold(photo_set) -> None:
    names = sorted(photo_set)
    images = [Image.open(photo_set[n]).convert("RGB") for n in names]
    vectors = dict(zip(names, embed(images), strict=True))
    original = vectors["original"]
    for name in ("crop", "flip", "caption", "resize", "jpeg"):
        assert float(original @ vectors[name]) >= EDITED_COSINE, name
    for name in (n for n in names if n.startswith("other")):
        assert float(original @ vectors[name]) < EDITED_COSINE, name
    assert all(np.linalg.norm(v) == pytest.approx(1, abs=1e-3) for v in vectors.values())


def test_compare_gives_every_distance_and_a_tier(photo_set) -> None:
    resized = compare_images(str(photo_set["original"]), str(photo_set["resize"]))
    assert resized.tier == RESAVED and resized.hash_distances["phash"] <= 10
    cropped = compare_images(str(photo_set["original"]), str(photo_set["crop"]))
    assert cropped.tier in (RESAVED, EDITED)
    other = compare_images(str(photo_set["original"]), str(photo_set["other0"]))
    assert other.tier is None and other.verdict == "not duplicates"


def test_query_puts_the_copies_first(photo_set, tmp_path: Path) -> None:
    library = photo_set["original"].parent
    for name in ("other0", "other1", "other2"):
        (library / f"{name}.jpg").write_bytes(photo_set[name].read_bytes())
    matches = query_similar(str(photo_set["original"]), [str(library)], Cache(None), k=5)
    names = [Path(m.path).stem for m in matches]
    assert set(names) <= {"crop", "flip", "caption", "resize", "jpeg_q40"}
    voted = query_similar(str(photo_set["original"]), [str(library)], Cache(None), k=3,
                          metric="vote")
    assert all(not Path(m.path).stem.startswith("other") for m in voted)


def test_embeddings_are_cached_and_not_computed_again(photo_set, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    library = photo_set["original"].parent
    first = run_scan(ScanParams(roots=(str(library),)), Cache(tmp_path / "c.db"))
    assert first.stats.decoded > 0

    def must_not_decode(*_args, **_kwargs):
        raise AssertionError("an unchanged file was decoded again")

    monkeypatch.setattr(batch, "load_image", must_not_decode)
    second = run_scan(ScanParams(roots=(str(library),), workers=1), Cache(tmp_path / "c.db"))
    assert second.stats.decoded == 0
    assert second.groups == first.groups


def test_blob_round_trip_is_float16() -> None:
    vector = np.linspace(-1, 1, 1280).astype(np.float32)
    blob = to_blob(vector)
    assert len(blob) == 2 * 1280
    assert np.allclose(from_blob(blob), vector, atol=1e-3)
    assert model_id().startswith("effnet")


def test_compare_and_query_cli(photo_set) -> None:
    run = subprocess.run([sys.executable, "-m", "dedup_gui", "compare",
                          str(photo_set["original"]), str(photo_set["flip"])],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "phash distance:" in run.stdout and "embedding cosine:" in run.stdout
    assert "verdict: edited copy" in run.stdout
    run = subprocess.run([sys.executable, "-m", "dedup_gui", "query", str(photo_set["original"]),
                          str(photo_set["original"].parent), "-k", "2", "--metric",
                          "manhattan", "--no-cache"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1. ") and len(run.stdout.strip().splitlines()) == 2
