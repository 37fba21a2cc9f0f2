"""The one definition of reclaimable bytes (engine/types.py)."""

from __future__ import annotations

from dedup_gui.engine.types import Group, GroupFile, marked_bytes, reclaimable_bytes


def _file(path: str, size: int) -> GroupFile:
    return GroupFile(path, size, 0, 10, 10, "JPEG")


def test_marked_files_count_once_even_in_two_groups() -> None:
    shared = _file("/b/shared.jpg", 300)
    one = Group((_file("/a/one.jpg", 1000), shared), ())
    two = Group((_file("/a/two.jpg", 50), shared), ())
    assert reclaimable_bytes([one, two], [{shared.path}, {shared.path}]) == 300


def test_only_marks_count_not_the_largest_file() -> None:
    group = Group((_file("/a/original.jpg", 400), _file("/a/upscaled.png", 2000)), ())
    assert reclaimable_bytes([group], [{"/a/upscaled.png"}]) == 2000  # the keeper is smaller
    assert reclaimable_bytes([group], [{"/elsewhere/x.jpg"}]) == 0  # not in the group
    assert group.largest_kept() == frozenset({"/a/original.jpg"})


def test_the_apps_fast_path_counts_the_same() -> None:
    shared = _file("/b/shared.jpg", 300)
    groups = [Group((_file("/a/one.jpg", 1000), shared), ()),
              Group((_file("/a/two.jpg", 50), shared), ())]
    removals = [{shared.path}, {shared.path, "/a/two.jpg"}]
    sizes = {f.path: f.size for g in groups for f in g.files}
    marked = dict.fromkeys(p for r in removals for p in r).keys()
    assert marked_bytes(marked, sizes) == reclaimable_bytes(groups, removals) == 350
