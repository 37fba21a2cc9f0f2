"""build_insights end to end on a generated library of real photos with planted clusters and
planted outliers (the CNN embeds synthetic drawings alike, so the scenes are dev-set photos).

Six scenes, four shots each (crops, a flip, exposure changes), one exact copy, and three pieces of
junk of different kinds: the clusters must be the scenes and the junk must top the outliers.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance

from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache
from tests.conftest import dataset

SCENES, SHOTS = 6, 4


def scene_photos(count: int) -> list[Path]:
    """Originals of `count` different series (Corel CD / scene) of the second dev set."""
    folder = dataset("photos_augly_dev2")
    files = json.loads((folder / "manifest.json").read_text())["files"]
    chosen: dict[str, Path] = {}
    for entry in sorted(files, key=lambda f: f["path"]):
        if entry["role"] == "original" and entry["similarity_key"] not in chosen:
            chosen[entry["similarity_key"]] = folder / "images" / entry["path"]
    keys = sorted(chosen)[::7][:count]  # spread over the series
    return [chosen[key] for key in keys]


def shot(photo: Image.Image, rng: random.Random) -> Image.Image:
    w, h = photo.size
    crop = rng.uniform(0.8, 0.95)
    x, y = rng.randint(0, int(w * (1 - crop))), rng.randint(0, int(h * (1 - crop)))
    image = photo.crop((x, y, x + int(w * crop), y + int(h * crop)))
    if rng.random() < 0.3:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return ImageEnhance.Brightness(image).enhance(rng.uniform(0.9, 1.1))


def junk() -> dict[str, Image.Image]:
    rng = np.random.default_rng(5)
    noise = Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8))
    page = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(page)
    for y in range(60, 820, 22):
        draw.text((50, y), "lorem ipsum dolor sit amet consectetur " * 2, fill="black")
    pocket = Image.fromarray(np.clip(rng.normal(8, 3, (480, 640, 3)), 0, 255).astype(np.uint8))
    return {"noise.png": noise, "page.png": page, "pocket.png": pocket}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("insights-lib")
    rng = random.Random(11)
    scene_of = {}
    for number, source in enumerate(scene_photos(SCENES)):
        with Image.open(source) as opened:
            photo = opened.convert("RGB")
        for n in range(SHOTS):
            path = root / f"scene{number}" / f"shot{n}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            shot(photo, rng).save(path, quality=90)
            scene_of[str(path)] = f"scene{number}"
    shutil.copy(root / "scene0/shot0.jpg", root / "scene0/shot0_copy.jpg")
    scene_of[str(root / "scene0/shot0_copy.jpg")] = "scene0"
    (root / "junk").mkdir()
    for name, image in junk().items():
        image.save(root / "junk" / name)
    return root, scene_of


def run(root: Path, **options) -> object:
    """Insights with a cache beside the library: only the first run embeds."""
    params = InsightParams(ScanParams((str(root),)), **options)
    cache = Cache(root.parent / f"{root.name}.sqlite3")
    try:
        return build_insights(params, cache)
    finally:
        cache.close()


def test_planted_outliers_top_the_ranking(library: tuple[Path, dict[str, str]]) -> None:
    root, _ = library
    insights = run(root, k=SHOTS)
    top = {Path(o.path).name for o in insights.outliers[:3]}
    assert top == {"noise.png", "page.png", "pocket.png"}
    assert len(insights.outliers) == SCENES * SHOTS + 1 + 3
    assert insights.scan.groups  # the exact copy is a duplicate group as in a scan


@pytest.mark.parametrize("linkage", ["single", "complete"])
def test_planted_clusters_are_found(library: tuple[Path, dict[str, str]], linkage: str) -> None:
    root, scene_of = library
    insights = run(root, level=0.7, linkage=linkage)
    found = sorted(sorted(c.paths) for c in insights.clusters)
    expected = sorted(sorted(p for p, s in scene_of.items() if s == scene)
                      for scene in set(scene_of.values()))
    assert found == expected
    for cluster in insights.clusters:
        assert cluster.representative in cluster.paths and cluster.cosines[0] == 1.0


def test_quality_and_similar_pairs(library: tuple[Path, dict[str, str]]) -> None:
    root, scene_of = library
    insights = run(root, level=0.7)
    assert str(root / "junk/pocket.png") in insights.flagged("dark")
    assert set(insights.quality) == set(insights.files)
    for pair in insights.similar:  # near neighbours above the level: shots of one scene
        assert scene_of[pair.a] == scene_of[pair.b] and pair.cosine >= 0.7
