"""A small real library on disk: photos, their copies in other folders, and unrelated photos."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.images import photo, resized_copy, save

EXPECTED_GROUPS = [
    ["a/one.jpg", "b/one_copy.jpg", "b/one_small.jpg", "c/one.png"],
    ["a/two.jpg", "c/two_q60.jpg"],
]


def make_library(root: Path) -> Path:
    """Two duplicate groups (exact copy, resized, re-encoded, PNG) and three unrelated photos."""
    one, two = photo(1, (800, 600)), photo(2, (640, 480))
    save(one, root / "a/one.jpg", quality=92)
    (root / "b").mkdir()
    shutil.copy(root / "a/one.jpg", root / "b/one_copy.jpg")
    save(resized_copy(one, 0.5), root / "b/one_small.jpg", quality=85)
    save(one, root / "c/one.png")
    save(two, root / "a/two.jpg", quality=90)
    save(two, root / "c/two_q60.jpg", quality=60)
    for seed in (3, 4, 5):
        save(photo(seed), root / f"other/photo{seed}.jpg", quality=90)
    (root / "other/notes.txt").write_text("not an image")
    (root / "other/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return root


def relative_groups(groups, root: Path) -> list[list[str]]:
    return [[str(Path(f.path).relative_to(root)) for f in g.files] for g in groups]

