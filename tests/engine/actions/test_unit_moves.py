"""A marked photo moves to the (tmp) Trash with its RAW, Live video and sidecars in one journaled
batch, all or none, and undo brings every file back; scanned for real, with a real cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dedup_gui.engine.actions.journal import SKIPPED, TRASHED, Journal
from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch
from dedup_gui.engine.actions.unit_moves import PUT_BACK
from dedup_gui.engine.export.results import to_json_dict
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import ScanResult
from tests.images import photo, save
from tests.safety.helpers import immutable, snapshot, trash_root
from tests.units import live_video, raw_bytes, xmp

COMPANIONS = ("IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.MOV")


@pytest.fixture(autouse=True)
def _home_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                 ) -> None:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("user-home")))


def shot_library(root: Path) -> tuple[Path, list[Path]]:
    """a/IMG_1.JPG with its RAW, XMP and Live video; b/IMG_1.JPG a plain copy of the JPEG."""
    save(photo(1, (160, 120)), root / "a/IMG_1.JPG", quality=90)
    (root / "b").mkdir()
    shutil.copy(root / "a/IMG_1.JPG", root / "b/IMG_1.JPG")
    contents = {"IMG_1.CR2": raw_bytes(1), "IMG_1.JPG.xmp": xmp(5), "IMG_1.MOV": live_video()}
    unit = [root / "a" / name for name in COMPANIONS]
    for path in unit:
        path.write_bytes(contents[path.name])
    return root / "a/IMG_1.JPG", unit


def scan(root: Path, cache: Cache) -> ScanResult:
    return run_scan(ScanParams(roots=(str(root),), embeddings=False, workers=1), cache)


def test_scan_lists_companions_and_exports_them(tmp_path: Path) -> None:
    lead, unit = shot_library(tmp_path)
    result = scan(tmp_path, Cache(None))
    [group] = result.groups
    by_path = {f.path: f for f in group.files}
    assert by_path[str(lead)].companions == tuple(map(str, unit))
    assert by_path[str(tmp_path / "b/IMG_1.JPG")].companions == ()
    records = {r["path"]: r for r in to_json_dict(result)["groups"][0]["files"]}
    assert records[str(lead)]["companions"] == list(map(str, unit))


def test_unit_moves_together_and_undo_restores_it(tmp_path: Path) -> None:
    lead, unit = shot_library(tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    result = scan(tmp_path, cache)
    before = snapshot(lead, *unit)
    plan = plan_removal(result.groups, {str(lead)})
    assert (plan.count, plan.photos) == (4, 1)
    assert "with 3 that travel with it" in plan.summary()
    outcomes = move_to_trash(plan, Journal(cache))
    assert all(o.ok for o in outcomes) and not any(p.exists() for p in (lead, *unit))
    assert len(list((trash_root() / "files").iterdir())) == 4
    assert all(o.ok for o in undo_last_batch(Journal(cache)))
    assert snapshot(lead, *unit) == before


def test_a_changed_companion_holds_back_its_photo(tmp_path: Path) -> None:
    lead, unit = shot_library(tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal(scan(tmp_path, cache).groups, {str(lead)})
    xmp_path = unit[1]
    xmp_path.write_bytes(xmp(1) + b"  ")  # Lightroom rewrote the rating after the plan
    before = snapshot(lead, *unit)
    outcomes = move_to_trash(plan, Journal(cache))
    assert not any(o.ok for o in outcomes)
    assert "IMG_1.JPG.xmp, of the same shot, was held back" in outcomes[0].reason
    assert snapshot(lead, *unit) == before
    journal = Journal(cache)
    assert {i.state for i in journal.items(journal.batches()[0].id)} == {SKIPPED}


def test_plan_refuses_a_photo_whose_companion_vanished(tmp_path: Path) -> None:
    lead, unit = shot_library(tmp_path)
    groups = scan(tmp_path, Cache(None)).groups
    unit[2].unlink()
    plan = plan_removal(groups, {str(lead)})
    assert plan.count == 0
    [refusal] = plan.refusals
    assert refusal.paths == (str(lead),) and "IMG_1.MOV, which travels with it" in refusal.reason


def test_trash_refusing_a_companion_puts_the_others_back(tmp_path: Path) -> None:
    """The MOV (moved last) cannot leave: the JPEG, RAW and XMP already in the Trash come back."""
    lead, unit = shot_library(tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal(scan(tmp_path, cache).groups, {str(lead)})
    before = snapshot(lead, *unit)
    with immutable(unit[2]):
        outcomes = move_to_trash(plan, Journal(cache))
    assert not any(o.ok for o in outcomes)
    assert outcomes[0].reason == PUT_BACK.format(name="IMG_1.MOV")
    assert outcomes[0].trash_unavailable  # the photo is offered the quarantine folder instead
    assert snapshot(lead, *unit) == before
    assert not list((trash_root() / "files").iterdir())
    journal = Journal(cache)
    assert TRASHED not in {i.state for i in journal.items(journal.batches()[0].id)}
    assert journal.last_undoable() is None


def test_dry_run_judges_the_whole_unit(tmp_path: Path) -> None:
    lead, unit = shot_library(tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal(scan(tmp_path, cache).groups, {str(lead)})
    os.utime(unit[0], ns=(0, 0))
    outcomes = move_to_trash(plan, Journal(cache), dry_run=True)
    assert [o.ok for o in outcomes] == [False] * 4
    assert outcomes[1].reason == "it was modified since the scan; nothing was done"


def test_quarantine_moves_a_unit_whole_or_not_at_all(tmp_path: Path) -> None:
    """The quarantine folder (offered when the Trash refuses) never splits a shot either: when
    the MOV cannot leave, the files of its unit already moved come back to their places."""
    from dedup_gui.engine.actions.quarantine import move_to_quarantine

    lead, unit = shot_library(tmp_path / "lib")
    cache = Cache(tmp_path / "cache.sqlite3")
    plan = plan_removal(scan(tmp_path / "lib", cache).groups, {str(lead)})
    before = snapshot(lead, *unit)
    folder = tmp_path / "quarantine"
    folder.mkdir()
    with immutable(unit[2]):
        outcomes = move_to_quarantine(plan, str(folder), Journal(cache))
    assert not any(o.ok for o in outcomes)
    assert snapshot(lead, *unit) == before
    assert not [p for p in folder.rglob("*") if p.is_file()]
    journal = Journal(cache)
    assert {i.state for i in journal.items(journal.batches()[0].id)} == {SKIPPED}
    outcomes = move_to_quarantine(plan, str(folder), Journal(cache))  # now it can: all of it
    assert all(o.ok for o in outcomes) and not any(p.exists() for p in (lead, *unit))
