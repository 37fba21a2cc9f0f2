"""Provenance facts are read once per file version and then come from the scan cache."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.actions.provenance import ORIGINAL, SMALLER
from dedup_gui.engine.actions.provenance_cache import facts_for, provenance_for
from dedup_gui.engine.actions.provenance_facts import FileFacts, read_facts
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group, GroupFile
from tests.images import photo, save


def _file(path: Path) -> GroupFile:
    stat = path.stat()
    return GroupFile(str(path), stat.st_size, stat.st_mtime_ns, 64, 48, "JPEG")


def test_facts_come_from_the_cache_until_the_file_changes(tmp_path: Path) -> None:
    path = save(photo(1, (96, 72)), tmp_path / "a.jpg", quality=90)
    broken = tmp_path / "b.jpg"
    broken.write_bytes(b"not an image")
    reads: list[str] = []

    def reader(where: str) -> FileFacts | None:
        reads.append(where)
        return read_facts(where)

    cache = Cache(tmp_path / "cache.db")
    try:
        first = facts_for([_file(path), _file(broken)], cache, reader)
        assert first[str(broken)] is None and first[str(path)] is not None
        assert facts_for([_file(path), _file(broken)], cache, reader) == first
        assert len(reads) == 2  # the second call decoded nothing, not even the broken file
        save(photo(2, (96, 72)), path, quality=90)  # edited: its facts are read again
        again = facts_for([_file(path)], cache, reader)
        assert len(reads) == 3 and again[str(path)] != first[str(path)]
    finally:
        cache.close()


def test_an_unchanged_group_is_one_row_and_a_changed_one_is_assessed_again(
        tmp_path: Path) -> None:
    source = photo(3, (160, 120))
    a = save(source, tmp_path / "DCIM/a.jpg", quality=92)
    b = save(source.resize((80, 60)), tmp_path / "w/b.jpg", quality=80)
    group = Group((_file(a), _file(b)), ())
    reads: list[str] = []

    def reader(where: str) -> FileFacts | None:
        reads.append(where)
        return read_facts(where)

    cache = Cache(tmp_path / "cache.db")
    try:
        first = provenance_for([group], cache, reader)
        assert first[str(b)].label == SMALLER and first[str(a)].label == ORIGINAL
        assert provenance_for([group], cache, reader) == first and len(reads) == 2
        save(source.resize((40, 30)), b, quality=80)  # b changed: its group is a new key
        changed = Group((_file(a), _file(b)), ())
        assert provenance_for([changed], cache, reader)[str(b)].label == SMALLER
        assert reads[2:] == [str(b)]  # a's facts still came from the cache
    finally:
        cache.close()
