"""Provenance facts are read once per file version and then come from the scan cache."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.actions.provenance_cache import facts_for
from dedup_gui.engine.actions.provenance_facts import FileFacts, read_facts
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import GroupFile
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
