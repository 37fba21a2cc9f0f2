"""Capture units never split, as a property over random libraries (hypothesis).

Each example writes units into folders: a photo with any of a RAW, a Live video (ffmpeg), an XMP
named either way, an iOS AAE and a Takeout JSON; some units are copied elsewhere (the whole unit,
or the photo alone). It scans them for real (real cache, real files), marks random photos, then
may change a companion after the plan or make one impossible to move (chattr +i: the Trash
refuses it after others of its unit already moved), and moves the marks to a real (tmp) Trash.
Whatever was drawn:
  - every unit is whole after the move: all of its files in place, or none;
  - files of units nobody marked are untouched;
  - Undo leaves every file of every unit byte-identical in its place, and the Trash empty.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.actions.journal import Journal
from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.safety.helpers import immutable, jpeg, snapshot, trash_root, write
from tests.units import companion_bytes, live_video

KINDS = (".CR2", ".MOV", ".xmp", ".JPG.xmp", ".AAE", ".JPG.json")
FOLDERS = 3


@pytest.fixture(autouse=True)
def _home_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                 ) -> None:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("user-home")))


@dataclass(frozen=True)
class Shot:
    folder: int
    kinds: tuple[str, ...]
    copy_to: int | None  # another folder holding a copy
    copy_whole: bool  # the copy has the companions too


@dataclass(frozen=True)
class Case:
    shots: tuple[Shot, ...]
    marks: frozenset[str]  # relative photo paths
    mishap: str  # "none", "changed" or "stuck"
    victim: int  # which companion (of all, in path order) the mishap hits


@st.composite
def cases(draw: st.DrawFn) -> Case:
    shots = []
    for _ in range(draw(st.integers(1, 4))):
        folder = draw(st.integers(0, FOLDERS - 1))
        kinds = tuple(k for k in KINDS if draw(st.booleans()))
        others = [f for f in range(FOLDERS) if f != folder]
        copy_to = draw(st.one_of(st.none(), st.sampled_from(others)))
        shots.append(Shot(folder, kinds, copy_to, draw(st.booleans())))
    photos = sorted({p for i, s in enumerate(shots) for p in _photos(i, s)})
    marks = draw(st.sets(st.sampled_from(photos), min_size=1))
    return Case(tuple(shots), frozenset(marks), draw(st.sampled_from(["none", "changed",
                                                                      "stuck"])),
                draw(st.integers(0, 40)))


def _photos(index: int, shot: Shot) -> list[str]:
    folders = [shot.folder] + ([shot.copy_to] if shot.copy_to is not None else [])
    return [f"d{f}/IMG_{index}.JPG" for f in folders]


def write_units(root: Path, case: Case) -> list[list[Path]]:
    """Every unit on disk as [photo, companions...]; a shot's second photo is its copy."""
    units = []
    for index, shot in enumerate(case.shots):
        name = f"IMG_{index}"
        photo = write(root / f"d{shot.folder}" / f"{name}.JPG", jpeg(60 + index))
        unit = [photo] + [write(photo.with_name(name + kind),
                                companion_bytes(kind, index, photo.name)) for kind in shot.kinds]
        units.append(unit)
        if shot.copy_to is not None:
            folder = root / f"d{shot.copy_to}"
            folder.mkdir(exist_ok=True)
            copies = unit if shot.copy_whole else unit[:1]
            units.append([Path(shutil.copy2(p, folder / p.name)) for p in copies])
    return units


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases())
def test_units_never_split_and_undo_restores_them(case: Case) -> None:
    live_video()  # made once, before any example (or skipped without ffmpeg)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        units = write_units(root, case)
        cache = Cache(root / "cache.sqlite3")
        result = run_scan(ScanParams(roots=(str(root),), embeddings=False, workers=1), cache)
        lead_of = {f.path: f for g in result.groups for f in g.files}
        for unit in units:  # the scan found each unit whole
            if str(unit[0]) in lead_of:
                assert lead_of[str(unit[0])].companions == tuple(sorted(map(str, unit[1:])))
        plan = plan_removal(result.groups, {str(root / m) for m in case.marks})
        companions = sorted(p for unit in units for p in unit[1:])
        victim = companions[case.victim % len(companions)] if companions else None
        if case.mishap == "changed" and victim is not None:
            os.utime(victim, ns=(1, 1))
        before = snapshot(*(p for unit in units for p in unit))
        if case.mishap == "stuck" and victim is not None:
            with immutable(victim):
                move_to_trash(plan, Journal(cache))
        else:
            move_to_trash(plan, Journal(cache))
        planned_units = {f.unit or f.path for f in plan.files}
        for unit in units:
            present = [p.exists() for p in unit]
            assert all(present) or not any(present), f"unit split: {unit}"
            if str(unit[0]) not in planned_units:
                assert all(present) and snapshot(*unit) == {k: before[k] for k in map(str, unit)}
        while undo_last_batch(Journal(cache)):
            pass
        assert snapshot(*before) == before
        files = trash_root() / "files"
        assert not files.exists() or not list(files.iterdir())
        cache.close()
