"""run_scan end to end on real generated images, a real SQLite cache and real worker processes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.progress import STAGE_SIGNALS, Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.signals import batch, exact
from dedup_gui.engine.store.cache import Cache
from tests.images import photo, resized_copy, save
from tests.library import EXPECTED_GROUPS, make_library, relative_groups


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("library"))


def scan(library: Path, cache: Cache, **options) -> object:
    """Hash-only: the synthetic test "photos" all look alike to an ImageNet CNN; the embedding
    path is tested on real photos in test_embedding_pipeline.py."""
    options.setdefault("embeddings", False)
    return run_scan(ScanParams(roots=(str(library),), **options), cache)


def test_finds_the_duplicate_groups_and_reports_the_broken_file(library: Path,
                                                                tmp_path: Path) -> None:
    result = scan(library, Cache(tmp_path / "c.db"))
    assert relative_groups(result.groups, library) == EXPECTED_GROUPS
    assert [Path(i.path).name for i in result.issues] == ["broken.jpg"]
    assert "truncated" in result.issues[0].reason or "corrupt" in result.issues[0].reason
    assert result.stats.files == 10
    exact = [p for p in result.groups[0].pairs if p.reason == "identical bytes"]
    assert [(Path(p.a).name, Path(p.b).name) for p in exact] == [("one.jpg", "one_copy.jpg")]


def test_worker_processes_give_the_same_result_as_in_process(library: Path) -> None:
    in_process = scan(library, Cache(None), workers=1)
    in_pool = scan(library, Cache(None), workers=2)
    assert in_process.groups == in_pool.groups


def test_rescanning_an_unchanged_library_decodes_nothing(library: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = scan(library, Cache(tmp_path / "c.db"))
    assert first.stats.decoded == 9  # the exact copy is not decoded a second time

    def must_not_decode(*_args, **_kwargs):
        raise AssertionError("an unchanged file was decoded again")

    monkeypatch.setattr(batch, "load_image", must_not_decode)
    monkeypatch.setattr(exact, "content_hash", must_not_decode)
    second = scan(library, Cache(tmp_path / "c.db"), workers=1)
    assert second.stats.decoded == 0
    assert second.stats.content_hashed == 0
    assert second.groups == first.groups
    assert second.issues == first.issues


def test_files_added_to_a_cached_library_are_the_only_ones_read(library: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """Only the new pictures are decoded; the cached read error of the broken file (signals
    but no capture or embedding: lacking something, yet needing nothing) is not read again,
    and is still reported."""
    import shutil

    grown = tmp_path / "lib"
    shutil.copytree(library, grown)
    cache = Cache(tmp_path / "c.db")
    first = scan(grown, cache, embeddings=True)
    save(photo(11), grown / "new" / "a.jpg", quality=90)
    save(photo(12), grown / "new" / "b.jpg", quality=90)
    read: list[str] = []
    real = batch.load_image

    def counted(path, *args, **kwargs):
        read.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "load_image", counted)
    again = scan(grown, Cache(tmp_path / "c.db"), workers=1, embeddings=True)
    assert sorted(read) == ["a.jpg", "b.jpg"] and again.stats.decoded == 2
    assert [Path(i.path).name for i in again.issues] == [Path(i.path).name for i in first.issues]


def test_a_new_exact_copy_of_a_cached_file_takes_its_values(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """Files added as exact copies of cached ones are not decoded: they take their twins'
    cached signals and embeddings (and the new picture beside them is decoded)."""
    from dedup_gui.engine.signals.read import read_library

    lib = tmp_path / "lib"
    for seed in range(3):
        save(photo(seed), lib / f"p{seed}.jpg", quality=90)
    cache = Cache(tmp_path / "c.db")
    read_library([str(lib)], cache, embeddings=False)
    for seed in range(3):
        (lib / f"copy{seed}.jpg").write_bytes((lib / f"p{seed}.jpg").read_bytes())
    save(photo(9), lib / "new.jpg", quality=90)
    again = read_library([str(lib)], cache, embeddings=False)
    assert again.decoded == 1
    signals = {Path(path).name: value for path, value in again.signals.items()}
    assert all(signals[f"copy{seed}.jpg"] == signals[f"p{seed}.jpg"] for seed in range(3))


def test_twin_values_are_those_of_the_plain_rule() -> None:
    """The value of the last path (in the paths' order) with a value, for each wanted digest,
    as a map of every digest gives it."""
    from dedup_gui.engine.signals.collect import _twin_values

    rng = np.random.default_rng(2)
    for _ in range(50):
        paths = [f"f{i}" for i in rng.permutation(int(rng.integers(0, 40)))]
        digests = {p: f"d{rng.integers(0, 8)}" for p in paths if rng.random() < 0.8}
        values = {p: int(rng.integers(100)) for p in rng.permutation(paths) if rng.random() < 0.7}
        wanted = {f"d{d}" for d in rng.integers(0, 10, size=3)}
        plain = {digests[p]: values[p] for p in paths if p in digests and p in values}
        assert _twin_values(paths, values, digests, wanted) == \
            {d: v for d, v in plain.items() if d in wanted}


def test_a_changed_file_is_decoded_again(library: Path, tmp_path: Path) -> None:
    copy = tmp_path / "lib"
    make_library(copy)
    scan(copy, Cache(tmp_path / "c.db"))
    save(resized_copy(photo(4), 0.7), copy / "other/photo3.jpg", quality=80)
    result = scan(copy, Cache(tmp_path / "c.db"))
    assert result.stats.decoded == 1
    assert ["other/photo3.jpg", "other/photo4.jpg"] in relative_groups(result.groups, copy)


def test_cancel_stops_and_leaves_the_cache_consistent(library: Path, tmp_path: Path) -> None:
    token = CancelToken()
    seen: list[ProgressEvent] = []

    def progress(event: ProgressEvent) -> None:
        seen.append(event)
        if event.stage == STAGE_SIGNALS and event.done >= 3:
            token.cancel()

    db = tmp_path / "c.db"
    with pytest.raises(Cancelled):
        run_scan(ScanParams(roots=(str(library),), workers=1, embeddings=False), Cache(db),
                 progress, token)
    resumed = scan(library, Cache(db))
    assert 0 < resumed.stats.decoded < 9, "work done before the cancel was kept"
    assert resumed.groups == scan(library, Cache(None)).groups


def test_progress_reports_every_stage(library: Path) -> None:
    stages: list[str] = []
    run_scan(ScanParams(roots=(str(library),), embeddings=False), Cache(None),
             lambda event: stages.append(event.stage))
    assert list(dict.fromkeys(stages)) == ["finding files", "checking exact copies",
                                           "reading images", "comparing"]


def test_reading_counts_every_file_once_up_to_all_of_them(library: Path, tmp_path: Path
                                                          ) -> None:
    """The exact copy shares its original's decode and reads its own capture: one file in
    two tasks, counted once; a rescan with the captures dropped reads them alone."""
    def counts(cache: Cache) -> list[tuple[int, int]]:
        seen: list[tuple[int, int]] = []
        run_scan(ScanParams(roots=(str(library),), embeddings=False), cache,
                 lambda e: seen.append((e.done, e.total)) if e.stage == STAGE_SIGNALS else None)
        return seen

    cache = Cache(tmp_path / "c.db")
    first = counts(cache)
    assert first[-1] == (10, 10) and all(0 <= done <= total for done, total in first)
    assert [done for done, _ in first] == sorted(done for done, _ in first)
    cache.db.execute("DELETE FROM captures")
    cache.db.conn.commit()
    again = counts(cache)
    assert again[0][0] < 10 and again[-1] == (10, 10)


@pytest.mark.parametrize("kind", ["phash", "dhash", "ahash", "whash"])
def test_every_hash_finds_the_resized_copy(library: Path, kind: str) -> None:
    groups = relative_groups(scan(library, Cache(None), hash_kind=kind).groups, library)
    assert any("b/one_small.jpg" in g and "a/one.jpg" in g for g in groups)


def test_wide_hashes_work(library: Path) -> None:
    result = scan(library, Cache(None), hash_size=16)
    assert relative_groups(result.groups, library)[0][:2] == ["a/one.jpg", "b/one_copy.jpg"]


@pytest.mark.parametrize("bad", [{"hash_kind": "md5"}, {"threshold": 65}, {"hash_size": 7}])
def test_bad_parameters_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        ScanParams(roots=("/x",), **bad)


def test_the_cyclic_collector_is_off_while_a_scan_builds_its_values(tmp_path, monkeypatch
                                                                    ) -> None:
    """Off during both stages (each full collection walks every per-file object: 20% of a
    warm rescan of 100k files), on again after, and left off when it was off before."""
    import gc

    from dedup_gui.engine import pipeline
    from dedup_gui.engine.store.cache import Cache

    seen: list[bool] = []
    real = pipeline.group_and_series

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "group_and_series", spy)
    params = pipeline.ScanParams(roots=(str(tmp_path),), embeddings=False)
    assert gc.isenabled()
    pipeline.run_scan(params, Cache(None))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        pipeline.run_scan(params, Cache(None))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_scan_leaves_its_values_out_of_the_collectors_reach(tmp_path) -> None:
    """What a scan made while the collector was off is frozen before it is turned back on: the
    first collections after the scan would otherwise walk all of it (500k files: ~2.5 s). Not
    frozen when the scan fails (a traceback may hold a cycle), nor when the collector was off
    before (the pause's owner decides)."""
    import gc

    from dedup_gui.engine import pipeline
    from dedup_gui.engine.store.cache import Cache

    save(photo(1), tmp_path / "a.png")
    params = pipeline.ScanParams(roots=(str(tmp_path),), embeddings=False)
    gc.unfreeze()
    try:
        library = pipeline.read(params, Cache(None))
        assert library.files and gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        with pytest.raises(ZeroDivisionError), pipeline.collector_paused():
            kept = [[i] for i in range(100)]
            _ = 1 / 0
        assert gc.isenabled() and gc.get_freeze_count() == 0 and kept
        gc.disable()
        try:
            pipeline.read(params, Cache(None))
            assert gc.get_freeze_count() == 0
        finally:
            gc.enable()
    finally:
        gc.unfreeze()


def test_a_scan_lets_go_of_its_signals_before_it_compares(library: Path, monkeypatch) -> None:
    """run_scan's library is its own: the signals map (an ImageSignals with a dict of four
    hashes per file, ~0.2 GB at 500k) is emptied once the group files and the compared hash
    are made from it, before the search and verification run; the groups are those of a
    grouping that keeps it (a caller that reads the library for more, as the evaluation and
    the insights do)."""
    from dedup_gui.engine import pipeline

    read_libraries, signals_when_compared = [], []
    real_read, real_group = pipeline.read, pipeline.group_and_series

    def reading(*args, **kwargs):
        read_libraries.append(real_read(*args, **kwargs))
        return read_libraries[-1]

    def grouping(*args, **kwargs):
        signals_when_compared.append(len(read_libraries[-1].signals))
        return real_group(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read", reading)
    monkeypatch.setattr(pipeline, "group_and_series", grouping)
    params = ScanParams(roots=(str(library),), embeddings=False)
    scanned = pipeline.run_scan(params, Cache(None))
    kept = pipeline.read(params, Cache(None))
    regrouped = pipeline.group_library(kept, params, Cache(None), 0.0)
    assert signals_when_compared == [0, 10] and len(kept.signals) == 10
    assert regrouped.groups == scanned.groups and regrouped.issues == scanned.issues
    assert relative_groups(scanned.groups, library) == EXPECTED_GROUPS


def test_file_stamps_are_answered_from_the_files_themselves() -> None:
    from dedup_gui.engine.signals.group_inputs import FileStamps
    from dedup_gui.engine.types import FileEntry

    stamps = FileStamps([FileEntry("/a.jpg", 10, 1_000), FileEntry("/b.jpg", 20, 2_000)])
    assert stamps["/b.jpg"] == (20, 2_000) and stamps.get("/c.jpg") is None
    assert "/a.jpg" in stamps and "/c.jpg" not in stamps and len(stamps) == 2
    assert dict(stamps) == {"/a.jpg": (10, 1_000), "/b.jpg": (20, 2_000)}


def test_a_large_library_is_read_back_from_its_snapshot(library: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the snapshot threshold lowered to this library: the first scan (it decodes every
    file) writes none, the rescan after it does; a rescan then takes every value from the
    snapshot (the table rows are gone, and nothing is decoded), and the grown library's read
    equals a read from the tables alone, value for value and in order, and so do the groups."""
    import os
    import shutil

    from dedup_gui.engine.signals.read import read_library
    from dedup_gui.engine.store import snapshot

    grown = tmp_path / "lib"
    shutil.copytree(library, grown)
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 1)
    first = scan(grown, Cache(tmp_path / "c.db"), embeddings=True)
    tables = "SELECT count(*) FROM sqlite_master WHERE name = 'library_snapshot'"
    assert Cache(tmp_path / "c.db").db.execute(tables).fetchone()[0] == 0  # it decoded all
    assert scan(grown, Cache(tmp_path / "c.db"), embeddings=True).groups == first.groups
    assert Cache(tmp_path / "c.db").db.execute(tables).fetchone()[0] == 1  # decoded none
    with_rows = tmp_path / "rows.db"
    Cache(tmp_path / "c.db").db.conn.backup(Cache(with_rows).db.conn)  # WAL pages too
    cache = Cache(tmp_path / "c.db")
    for table in ("signals", "embeddings", "captures", "content_hashes"):
        cache.db.execute(f"DELETE FROM {table}")
    cache.db.conn.commit()
    monkeypatch.setattr(batch, "load_image", lambda *_a, **_k: pytest.fail("decoded again"))
    again = scan(grown, cache, workers=1, embeddings=True)
    assert again.stats.decoded == 0 and again.groups == first.groups
    monkeypatch.undo()
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 1)
    save(photo(11), grown / "new" / "a.jpg", quality=90)
    (grown / "b" / "one_small.jpg").unlink()
    os.utime(grown / "a" / "two.jpg", ns=(10**18, 10**18))  # changed: asked of the tables
    Cache(with_rows).db.execute("DROP TABLE library_snapshot")  # there: the tables alone
    through = read_library([str(grown)], Cache(tmp_path / "c.db"), workers=1)
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 10**9)
    rows = read_library([str(grown)], Cache(with_rows), workers=1)
    for name in ("files", "digests", "signals", "embeddings", "captures"):
        assert list(getattr(through, name).items() if name != "files" else through.files) == \
            list(getattr(rows, name).items() if name != "files" else rows.files), name


def test_the_workers_process_is_started_ahead_only_where_the_snapshot_lacks_files(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rescan whose snapshot lacks enough files to decode them in workers (photos added to
    a large library) starts the workers' process during discovery, with the modules the
    pools run; one that lacks none (an unchanged library) or has no snapshot starts none."""
    import shutil

    from dedup_gui.engine import pipeline
    from dedup_gui.engine.grouping.verify_pool import check_batch
    from dedup_gui.engine.parallel import IN_PROCESS_BELOW
    from dedup_gui.engine.signals import read
    from dedup_gui.engine.store import snapshot

    assert (batch.compute_batch.__module__, check_batch.__module__) == pipeline.WORKER_MODULES
    grown = tmp_path / "lib"
    shutil.copytree(library, grown)
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 1)
    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(read, "warm_up", lambda modules: started.append(tuple(modules)))
    params = ScanParams(roots=(str(grown),), workers=2)
    pipeline.read(params, Cache(tmp_path / "c.db"))  # a first scan: no snapshot to ask
    pipeline.read(params, Cache(tmp_path / "c.db"))  # writes the snapshot
    pipeline.read(params, Cache(tmp_path / "c.db"))  # unchanged: nothing lacking
    assert started == []
    for k in range(IN_PROCESS_BELOW):
        save(photo(100 + k), grown / "new" / f"{k:02d}.jpg", quality=90)
    Cache(tmp_path / "c.db").db.conn.backup(Cache(tmp_path / "copy.db").db.conn)
    alone = ScanParams(roots=(str(grown),), workers=1)  # decodes in this process: no pool
    assert pipeline.read(alone, Cache(tmp_path / "copy.db")).decoded == IN_PROCESS_BELOW
    assert started == []
    added = pipeline.read(params, Cache(tmp_path / "c.db"))
    assert started == [pipeline.WORKER_MODULES] and added.decoded == IN_PROCESS_BELOW


def test_a_nas_shares_thumbnails_and_recycle_bin_are_left_out_and_said(tmp_path: Path) -> None:
    """A Synology share keeps thumbnails of every photo in @eaDir and deleted files in
    #recycle: scanned, each photo came back grouped with copies the person never made."""
    share = tmp_path / "photos"
    original = photo(3)
    save(original, share / "2023" / "IMG_1.jpg", quality=92)
    save(resized_copy(original, 0.5), share / "2023" / "@eaDir" / "IMG_1.jpg"
         / "SYNOPHOTO_THUMB_XL.jpg", quality=80)
    save(original, share / "#recycle" / "IMG_1.jpg", quality=85)
    save(photo(4), share / "2023" / "IMG_2.jpg", quality=92)
    result = scan(share, Cache(tmp_path / "c.db"))
    assert result.groups == () and result.issues == ()
    assert result.stats.files == 2
    note, = result.warnings
    assert note.startswith("Skipped 2 folders that a system or app keeps for itself: ")
    assert f"NAS thumbnail folders ({share / '2023' / '@eaDir'})" in note
    assert f"recycle bins, which hold deleted files ({share / '#recycle'})" in note
    assert note.endswith("To scan one of them, add it as a folder of its own.")
    chosen = run_scan(ScanParams(roots=(str(share / "#recycle"), str(share / "2023")),
                                 embeddings=False), Cache(tmp_path / "d.db"))
    assert [len(g.files) for g in chosen.groups] == [2]  # the bin's copy, added by hand
    note, = chosen.warnings  # what was chosen was scanned: not said skipped
    assert "#recycle" not in note and "@eaDir" in note


def test_a_skipped_folders_note_names_a_few_of_each_kind_and_counts_the_rest() -> None:
    from dedup_gui.engine.signals.system_folders import headline, skipped_note
    from dedup_gui.engine.types import Issue

    thumbs = [Issue(f"/nas/{year}/@eaDir", "NAS thumbnail folders") for year in range(2015, 2025)]
    bins = [Issue("/usb/$RECYCLE.BIN", "recycle bins, which hold deleted files")]
    note = skipped_note(thumbs + bins)
    assert note == ("Skipped 11 folders that a system or app keeps for itself: NAS thumbnail "
                    "folders (10: /nas/2015/@eaDir, /nas/2016/@eaDir, …); recycle bins, which "
                    "hold deleted files (/usb/$RECYCLE.BIN). To scan one of them, add it as a "
                    "folder of its own.")
    assert headline(note) == ("Skipped 11 folders that a system or app keeps for itself (see "
                              "Scan notes).")
    assert headline("The cache was damaged: x.") == "The cache was damaged: x."
    assert skipped_note([]) is None
