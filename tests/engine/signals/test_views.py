"""photo_region / primary_view on generated images: a photo in a UI-like frame, a plain photo,
a padded photo. The "photo" is smoothed random noise plus gradients: textured everywhere, never
exactly flat, like a real photograph (and unlike UI backgrounds, bars and caption bands)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFilter

from dedup_gui.engine.signals import views
from dedup_gui.engine.signals.views import exact_flat, photo_region, primary_view


def fake_photo(w: int, h: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    noise = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
    smooth = np.asarray(noise.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    ramp = np.stack([xx / w * 80, yy / h * 80, (xx + yy) / (w + h) * 60], axis=2)
    return Image.fromarray(np.clip(smooth * 0.8 + ramp, 0, 255).astype(np.uint8))


def close(box: tuple[int, int, int, int] | None, want: tuple[int, int, int, int], tol: int
          ) -> bool:
    return box is not None and all(abs(a - b) <= tol for a, b in zip(box, want, strict=True))


def test_photo_in_ui_frame_is_found() -> None:
    frame = Image.new("RGB", (300, 540), "white")
    draw = ImageDraw.Draw(frame)
    draw.rectangle((0, 0, 300, 40), fill=(245, 245, 248))
    for i, y in enumerate((60, 110, 160)):  # avatar + two "text" lines per post header
        frame.paste(fake_photo(30, 30, seed=10 + i), (12, y))
        draw.rectangle((52, y + 4, 200, y + 9), fill=(40, 40, 40))
        draw.rectangle((52, y + 16, 150, y + 20), fill=(150, 150, 150))
    draw.rectangle((10, 205, 290, 206), fill=(220, 220, 220))
    draw.rectangle((0, 500, 300, 540), fill=(250, 250, 250))
    for x in range(20, 300, 60):  # bottom navigation icons
        draw.ellipse((x, 510, x + 18, 528), outline=(90, 90, 90), width=2)
    pasted = (20, 220, 280, 480)
    frame.paste(fake_photo(260, 260), pasted[:2])
    assert close(photo_region(frame), pasted, tol=8)
    box = photo_region(frame)
    assert primary_view(frame).size == (box[2] - box[0], box[3] - box[1])


def test_plain_photo_has_no_region() -> None:
    photo = fake_photo(336, 224, seed=3)
    assert photo_region(photo) is None
    assert primary_view(photo) is photo


def test_padded_photo_gives_unpadded_box() -> None:
    canvas = Image.new("RGB", (300, 300), "black")
    canvas.paste(fake_photo(300, 180, seed=4), (0, 60))
    assert close(photo_region(canvas), (0, 60, 300, 240), tol=6)


def test_flat_image_has_no_region() -> None:
    assert photo_region(Image.new("RGB", (224, 224), (200, 30, 30))) is None


def _naive_exact_flat(grey: np.ndarray) -> np.ndarray:
    """The definition: all nine pixels of the 3×3 neighbourhood (edges repeated) are equal."""
    g = np.pad(grey, 1, mode="edge")
    h, w = grey.shape
    return np.all([g[dy:dy + h, dx:dx + w] == grey for dy in range(3) for dx in range(3)],
                  axis=0)


def test_exact_flat_matches_its_definition() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        h, w = rng.integers(3, 60, size=2)
        grey = rng.integers(0, 3, (h, w), dtype=np.uint8)  # few levels: many flat patches
        grey[: h // 2, : w // 3] = 9
        want = Image.fromarray(_naive_exact_flat(grey).astype(np.uint8) * 255)
        size = (max(1, w // 2), max(1, h // 2))
        expected = np.asarray(want.resize(size, Image.Resampling.BOX), np.float32) / 255
        assert np.array_equal(exact_flat(Image.fromarray(grey), size), expected)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), h=st.integers(1, 40), w=st.integers(1, 40),
       k=st.sampled_from([1, 3, 5, 7]))
def test_box_mean_is_the_edge_padded_window_mean(seed: int, h: int, w: int, k: int) -> None:
    """The integral-image mean equals numpy's edge-padded window mean, bit for bit as the
    np.pad version gave it (its values decide photo regions)."""
    mask = np.random.default_rng(seed).random((h, w)) > 0.5
    r = k // 2
    padded = np.pad(mask.astype(np.float32), r, mode="edge")
    summed = np.pad(padded.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    expected = (summed[k:k + h, k:k + w] - summed[:h, k:k + w] - summed[k:k + h, :w]
                + summed[:h, :w]) / (k * k)
    got = views.box_mean(mask, k)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k))
    assert np.allclose(got, windows.mean(axis=(2, 3)), atol=1e-5)
