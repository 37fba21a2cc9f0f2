"""The library snapshot: reads answered from it equal the tables' answers, always."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.store import snapshot
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import NOTHING_KNOWN, row_to_capture
from dedup_gui.engine.types import Capture, FileEntry, ImageSignals

VERSIONS = {"content_hashes": "blake", "signals": "algo", "embeddings": "model",
            "captures": "reader"}
UNKNOWN = row_to_capture(NOTHING_KNOWN)

hashes = st.integers(0, 2**64 - 1)
signals = st.one_of(
    st.sampled_from(["cannot decode", ""]),
    st.builds(lambda w, h, f, a, b, c, d: ImageSignals(w, h, f, {"phash": a, "dhash": b,
                                                               "ahash": c, "whash": d}),
              st.integers(0, 2**40), st.integers(0, 70000), st.sampled_from(["JPEG", "PNG"]),
              hashes, hashes, hashes, hashes))
captures = st.one_of(
    st.just(Capture()),
    st.builds(Capture, st.none() | st.integers(-2**62, 2**62), st.booleans(),
              st.sampled_from(["", "Canon", "Apple"]), st.sampled_from(["", "X", "iPhone"]),
              st.sampled_from(["", "42"]), st.text(max_size=5),
              st.sampled_from(["", "exif", "takeout"])))
values = st.fixed_dictionaries({}, optional={
    "digest": st.text("0123456789abcdef", min_size=64, max_size=64),
    "signals": signals, "embedding": st.binary(min_size=8, max_size=8), "capture": captures})
names = st.text(st.characters(blacklist_characters="\0/", blacklist_categories=["Cs"]),
                min_size=1, max_size=8) | st.just("caf\udce9.jpg")


def _entries(drawn: dict[str, tuple[int, int, dict]]) -> tuple[FileEntry, ...]:
    return tuple(FileEntry(f"/lib/{name}", size, mtime) for name, (size, mtime, _) in
                 sorted(drawn.items()))


def _store(cache: Cache, files: tuple[FileEntry, ...], drawn: dict) -> dict[str, dict]:
    """Every drawn value into its table; table -> path -> value, as a read returns them."""
    mine = {table: {} for table in VERSIONS}
    for entry, (_, _, value) in zip(files, (drawn[e.path[5:]] for e in files), strict=True):
        for key, table in (("digest", "content_hashes"), ("signals", "signals"),
                           ("embedding", "embeddings"), ("capture", "captures")):
            if key in value:
                mine[table][entry.path] = value[key]
    cache.put_content_hashes([(e, mine["content_hashes"][e.path]) for e in files
                              if e.path in mine["content_hashes"]], "blake")
    cache.put_signals([(e, mine["signals"][e.path]) for e in files
                       if e.path in mine["signals"]], "algo")
    cache.put_embeddings([(e, mine["embeddings"][e.path]) for e in files
                          if e.path in mine["embeddings"]], "model")
    cache.put_captures([(e, mine["captures"][e.path]) for e in files
                        if e.path in mine["captures"]], "reader")
    return mine


def _reads(cache: Cache, files: tuple[FileEntry, ...]) -> list[list]:
    """The four reads, as ordered (path, value) lists: the order is part of the answer."""
    return [list(cache.content_hashes(files, "blake").items()),
            list(cache.signals(files, "algo").items()),
            list(cache.embeddings(files, "model").items()),
            list(cache.captures(files, "reader").items())]


@pytest.fixture
def small_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 1)


library = st.dictionaries(names, st.tuples(st.integers(0, 2**40), st.integers(0, 2**62),
                                           values), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=library, after=library, kept=st.sets(st.integers(0, 11)))
def test_reads_through_a_snapshot_equal_the_tables(tmp_path_factory: pytest.TempPathFactory,
                                                   small_snapshots: None, before: dict,
                                                   after: dict, kept: set[int]) -> None:
    """A snapshot of one library, then a library that kept some files unchanged, changed or
    dropped others and gained new ones: every read, in content and order, is the tables'."""
    path = tmp_path_factory.mktemp("snap") / "cache.sqlite3"
    cache = Cache(path)
    first = _entries(before)
    cache.keep_snapshot(first, _store(cache, first, before), VERSIONS)
    assert cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()[0] > 0
    now = {**{n: v for i, (n, v) in enumerate(sorted(before.items())) if i in kept}, **after}
    for name in now.keys() & before.keys():  # one file (path, size, mtime) is read once: a
        if now[name][:2] == before[name][:2]:  # row is never written again with another value
            now[name] = before[name]
    second = _entries(now)
    _store(cache, second, now)
    cache.close()
    through_snapshot = Cache(path)
    answered = _reads(through_snapshot, second)
    assert through_snapshot._snapshot._snapshot is not None or len(second) * 2 < len(first)
    monkeypatch_from = snapshot.SNAPSHOT_FROM
    snapshot.SNAPSHOT_FROM = 10**9
    try:
        assert answered == _reads(Cache(path), second)
    finally:
        snapshot.SNAPSHOT_FROM = monkeypatch_from


def _library(count: int = 30) -> tuple[tuple[FileEntry, ...], dict[str, dict]]:
    files = tuple(FileEntry(f"/lib/{i:03d}.jpg", 100 + i, 7) for i in range(count))
    made = {"content_hashes": {f.path: f"{i:064x}" for i, f in enumerate(files)},
            "signals": {f.path: ImageSignals(4, 3, "JPEG", {"phash": i, "dhash": 1, "ahash": 2,
                                                            "whash": 3})
                        for i, f in enumerate(files)},
            "embeddings": {f.path: bytes([i % 256]) * 8 for i, f in enumerate(files)},
            "captures": {f.path: Capture() for f in files}}
    return files, made


def _put(cache: Cache, files: tuple[FileEntry, ...], made: dict[str, dict]) -> None:
    cache.put_content_hashes([(f, made["content_hashes"][f.path]) for f in files], "blake")
    cache.put_signals([(f, made["signals"][f.path]) for f in files], "algo")
    cache.put_embeddings([(f, made["embeddings"][f.path]) for f in files], "model")
    cache.put_captures([(f, made["captures"][f.path]) for f in files], "reader")


def test_the_snapshot_answers_without_the_tables(tmp_path: Path, small_snapshots: None) -> None:
    """Proof it is read: with the table rows gone, the snapshot still answers every read; a
    file that changed since is asked of the tables (and so has no value now)."""
    files, made = _library()
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    for table in VERSIONS:
        cache.db.execute(f"DELETE FROM {table}")
    cache.db.conn.commit()
    changed = (FileEntry(files[0].path, 1, 7), *files[1:])
    reads = _reads(Cache(tmp_path / "c.db"), changed)
    assert [len(r) for r in reads] == [len(files) - 1] * 4
    assert reads[1][0] == (files[1].path, made["signals"][files[1].path])
    assert all(value is UNKNOWN for _, value in reads[3])  # one shared value, as from rows


def test_a_column_of_another_version_is_not_used(tmp_path: Path, small_snapshots: None) -> None:
    files, made = _library()
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, {**VERSIONS, "signals": "old-algo"})
    cache.db.execute("DELETE FROM signals WHERE path = ?", [files[0].path])
    cache.db.conn.commit()
    assert files[0].path not in Cache(tmp_path / "c.db").signals(files, "algo")


@pytest.mark.parametrize("damage", [
    "UPDATE library_snapshot SET data = substr(data, 1, 5) WHERE part LIKE '%:signals.size'",
    "DELETE FROM library_snapshot WHERE part LIKE '%:embeddings.0'",
    "UPDATE library_snapshot SET data = x'00' WHERE part LIKE '%:mtimes'",
    "UPDATE library_snapshot SET data = 'not json' WHERE part = 'header'",
    "UPDATE library_snapshot SET data = '[1]' WHERE part = 'header'",
    "UPDATE library_snapshot SET data = '{\"format\": 1}' WHERE part = 'header'",
])
def test_a_damaged_snapshot_is_not_trusted(tmp_path: Path, small_snapshots: None,
                                           damage: str) -> None:
    files, made = _library()
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    cache.db.execute(damage)
    cache.db.conn.commit()
    reads = _reads(Cache(tmp_path / "c.db"), files)
    assert reads == [list(made[t].items()) for t in VERSIONS]


def test_too_wide_hashes_stay_in_the_tables(tmp_path: Path, small_snapshots: None) -> None:
    files, made = _library()
    wide = ImageSignals(4, 3, "JPEG", {"phash": 2**200, "dhash": 1, "ahash": 2, "whash": 3})
    made["signals"][files[0].path] = wide
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    assert cache.db.execute("SELECT count(*) FROM library_snapshot WHERE part LIKE '%:signals%'"
                            ).fetchone()[0] == 0
    assert Cache(tmp_path / "c.db").signals(files, "algo")[files[0].path] == wide


def test_written_when_it_answers_too_few(tmp_path: Path, small_snapshots: None) -> None:
    """A read it answered nearly all of leaves it alone; a library grown by more than a tenth
    gets a new one; a cache file that cannot be written gets none."""
    files, made = _library(30)
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)

    def header() -> bytes:
        return cache.db.execute("SELECT data FROM library_snapshot WHERE part = 'header'"
                                ).fetchone()[0]
    first = header()
    grown, more = _library(32)  # two more: 30 of 32 answered, 94%
    _reads(cache, grown)
    cache.keep_snapshot(grown, more, VERSIONS)
    assert header() == first
    grown, more = _library(40)  # 30 of 40: 75%
    _reads(cache, grown)
    cache.keep_snapshot(grown, more, VERSIONS)
    assert header() != first and b'"count": 40' in header()


def test_a_read_only_cache_writes_no_snapshot(tmp_path: Path, small_snapshots: None) -> None:
    files, made = _library()
    Cache(tmp_path / "c.db").close()
    cache = Cache(tmp_path / "c.db")
    cache.writable = False
    cache.keep_snapshot(files, made, VERSIONS)
    with pytest.raises(sqlite3.OperationalError):
        cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()


def test_a_small_library_has_none(tmp_path: Path) -> None:
    files, made = _library()
    cache = Cache(tmp_path / "c.db")
    cache.keep_snapshot(files, made, VERSIONS)
    with pytest.raises(sqlite3.OperationalError):
        cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()


def test_embeddings_across_chunks_in_any_order(tmp_path: Path, small_snapshots: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Vectors cut into chunks of 7 rows, asked for in reverse order and with gaps: each file
    still gets its own vector, in the order asked."""
    from dedup_gui.engine.store import snapshot_columns

    monkeypatch.setattr(snapshot_columns, "EMBEDDING_CHUNK", 7)
    files, made = _library(30)
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    assert cache.db.execute("SELECT count(*) FROM library_snapshot WHERE part GLOB "
                            "'*:embeddings.[0-9]*'").fetchone()[0] == 5
    cache.db.execute("DELETE FROM embeddings")  # the snapshot alone answers
    cache.db.conn.commit()
    asked = files[::-3] + files[1::3]
    read = Cache(tmp_path / "c.db").embeddings(asked, "model")
    assert list(read.items()) == [(f.path, made["embeddings"][f.path]) for f in asked]


def test_written_again_for_other_versions_only_where_asked(tmp_path: Path,
                                                           small_snapshots: None) -> None:
    """A read with another hash algorithm leaves a snapshot for it; a read that asks for no
    content hashes (a query by example) does not replace one that has them; a column left
    out because its values did not fit is not written again and again."""
    files, made = _library()
    cache = Cache(tmp_path / "c.db")

    def header() -> bytes:
        return cache.db.execute("SELECT data FROM library_snapshot WHERE part = 'header'"
                                ).fetchone()[0]

    def read_and_keep(versions: dict) -> None:
        _reads(cache, files)
        cache.keep_snapshot(files, made, versions)

    read_and_keep(VERSIONS)
    first = header()
    read_and_keep({**VERSIONS, "content_hashes": None})
    assert header() == first
    read_and_keep({**VERSIONS, "signals": "algo-16"})
    assert header() != first and b"algo-16" in header()
    made["signals"][files[0].path] = ImageSignals(4, 3, "JPEG", {"phash": 2**70, "dhash": 1,
                                                                 "ahash": 2, "whash": 3})
    read_and_keep(VERSIONS)
    written = json.loads(header())
    assert "signals" not in written["versions"] and written["asked"]["signals"] == "algo"
    cache.db.execute("INSERT INTO library_snapshot VALUES ('marker', x'00')")  # gone if
    cache.db.conn.commit()  # the snapshot is written again
    read_and_keep(VERSIONS)
    assert cache.db.execute("SELECT count(*) FROM library_snapshot WHERE part = 'marker'"
                            ).fetchone()[0] == 1


def test_let_go_of_after_the_read_without_the_collector(tmp_path: Path,
                                                        small_snapshots: None) -> None:
    """The read runs with the cyclic collector paused (pipeline.collector_paused): the
    snapshot and its columns must be freed by reference counting alone once the read keeps
    what it read (500k files: ~0.1 GB held through the grouping otherwise)."""
    import gc
    import weakref

    files, made = _library()
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    reading = Cache(tmp_path / "c.db")
    gc.disable()
    try:
        _reads(reading, files)
        held = weakref.ref(reading._snapshot._snapshot)
        reading.keep_snapshot(files, made, VERSIONS)
        assert held() is None
    finally:
        gc.enable()


def test_a_value_the_columns_cannot_hold_writes_no_snapshot(tmp_path: Path,
                                                            small_snapshots: None) -> None:
    """Never a failed scan for the snapshot's sake: a value it cannot encode (here a capture
    instant past 64 bits, which the capture reader no longer gives) leaves no snapshot, and
    the tables answer."""
    files, made = _library()
    made["captures"][files[0].path] = Capture(taken_ns=1 << 70)
    cache = Cache(tmp_path / "c.db")
    cache.keep_snapshot(files, made, VERSIONS)
    with pytest.raises(sqlite3.OperationalError):
        cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()


def test_a_snapshot_written_anew_meanwhile_is_not_read_in_part(tmp_path: Path,
                                                               small_snapshots: None) -> None:
    """Two instances on one cache: while one reads (its vectors not yet asked for), the other
    writes a snapshot of another library. The first must not take that one's vectors for its
    files: it reads its own table rows instead."""
    files, made = _library(30)
    cache = Cache(tmp_path / "c.db")
    _put(cache, files, made)
    cache.keep_snapshot(files, made, VERSIONS)
    reading = Cache(tmp_path / "c.db")
    assert list(reading.signals(files, "algo").items()) == list(made["signals"].items())
    other = tuple(FileEntry(f"/other/{i:03d}.jpg", 1, 1) for i in range(30))
    other_made = {t: {o.path: v for o, v in zip(other, made[t].values(), strict=True)}
                  for t in made}
    other_made["embeddings"] = {o.path: b"\xff" * 8 for o in other}
    Cache(tmp_path / "c.db").keep_snapshot(other, other_made, VERSIONS)  # none matched: new
    assert list(reading.embeddings(files, "model").items()) == list(made["embeddings"].items())


def test_not_written_by_a_read_that_decoded_much(tmp_path: Path, small_snapshots: None) -> None:
    """A first scan's process holds what its decoding left behind: the snapshot waits for a
    rescan that decoded at most a tenth of the files."""
    files, made = _library(30)
    cache = Cache(tmp_path / "c.db")
    cache.keep_snapshot(files, made, VERSIONS, decoded=4)
    with pytest.raises(sqlite3.OperationalError):
        cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()
    cache.keep_snapshot(files, made, VERSIONS, decoded=3)
    assert cache.db.execute("SELECT count(*) FROM library_snapshot").fetchone()[0] > 0
