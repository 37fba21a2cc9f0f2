"""The one definition of reclaimable bytes (engine/types.py)."""

from __future__ import annotations

from dedup_gui.engine.types import Group, GroupFile, reclaimable_bytes


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
