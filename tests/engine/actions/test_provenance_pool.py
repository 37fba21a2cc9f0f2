"""Provenance assessed on the worker pool gives what one process gives, reads only what the
cache lacks, reports progress and stops on cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup_gui.engine.actions.proposals import STAGE_ORIGINS, proposals_for
from dedup_gui.engine.actions.provenance import ORIGINAL, SMALLER
from dedup_gui.engine.actions.provenance_cache import provenance_for
from dedup_gui.engine.actions.provenance_facts import read_facts
from dedup_gui.engine.actions.provenance_pool import POOL_FROM, assess_runs, runs_of
from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group, GroupFile
from tests.images import photo, save


def _file(path: Path) -> GroupFile:
    stat = path.stat()
    return GroupFile(str(path), stat.st_size, stat.st_mtime_ns, 64, 48, "JPEG")


def _groups(root: Path, count: int) -> list[Group]:
    """`count` groups of an original and a smaller re-save of it (plus a grey copy in every
    third group): real JPEG files."""
    groups = []
    for i in range(count):
        source = photo(100 + i, (192, 144))
        files = [save(source, root / f"DCIM/{i}.jpg", quality=92),
                 save(source.resize((96, 72)), root / f"chat/{i}.jpg", quality=75)]
        if i % 3 == 0:
            files.append(save(source.convert("L"), root / f"grey/{i}.jpg", quality=85))
        groups.append(Group(tuple(_file(f) for f in files), ()))
    return groups


def test_the_pool_gives_what_one_process_gives(tmp_path: Path) -> None:
    groups = _groups(tmp_path, 10)
    assert sum(len(g.files) for g in groups) >= POOL_FROM  # enough to go to the pool
    seen: list[tuple[int, int]] = []
    pooled = provenance_for(groups, None, workers=2, progress=lambda *a: seen.append(a))
    alone = provenance_for(groups, None, workers=1)
    assert pooled == alone and len(pooled) == sum(len(g.files) for g in groups)
    assert pooled[str(tmp_path / "DCIM/0.jpg")].label == ORIGINAL
    assert pooled[str(tmp_path / "chat/0.jpg")].label == SMALLER
    assert seen[-1] == (10, 10) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_pool_stores_facts_and_groups_for_the_next_rescan(tmp_path: Path) -> None:
    groups = _groups(tmp_path, 8)
    cache = Cache(tmp_path / "cache.db")
    try:
        first = provenance_for(groups, cache, workers=2)
        rows = cache.db.execute("SELECT count(*) FROM provenance_facts").fetchone()[0]
        assert rows == sum(len(g.files) for g in groups)
        seen: list[tuple[int, int]] = []
        assert provenance_for(groups, cache, workers=2, progress=lambda *a: seen.append(a)) \
            == first
        assert seen == [(8, 8)]  # every group one stored row: nothing assessed again
    finally:
        cache.close()


def test_a_run_reads_only_the_facts_the_cache_lacks(tmp_path: Path) -> None:
    group = _groups(tmp_path, 1)[0]
    a, b = group.files[0].path, group.files[1].path
    known = {a: read_facts(a), b: read_facts(b)}
    (key, assessed, fresh), = assess_runs([[("k", group, known)]])
    assert key == "k" and set(fresh) == {f.path for f in group.files} - {a, b}
    assert assessed[b].label == SMALLER


def test_runs_never_split_a_group_and_hold_about_run_files(tmp_path: Path) -> None:
    groups = _groups(tmp_path, 12)
    runs = runs_of([(str(i), g, {}) for i, g in enumerate(groups)])
    assert [item for run in runs for item in run] == [(str(i), g, {})
                                                      for i, g in enumerate(groups)]
    assert len(runs) >= 2 and all(sum(len(g.files) for _, g, _ in run) <= 16 + 2
                                  for run in runs)


def test_a_cancelled_assessment_stops(tmp_path: Path) -> None:
    groups = _groups(tmp_path, 10)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        provenance_for(groups, None, workers=2, cancel=token)


def test_proposals_report_the_origins_stage(tmp_path: Path) -> None:
    """The CLI's progress bar shows this stage (a cold scan's longest wait after decoding)."""
    groups = _groups(tmp_path, 3)
    events: list[ProgressEvent] = []
    proposals, _ = proposals_for(groups, None, progress=events.append)
    assert len(proposals) == 3
    assert {e.stage for e in events} == {STAGE_ORIGINS}
    assert (events[-1].done, events[-1].total) == (3, 3)
