"""Verification inside a cold scan takes the pictures the signal stage decoded at its own size
(signals/handoff.py) instead of decoding them again: the same verdicts, fewer decodes, within
the budget; pictures whose signal decode was not verification's are decoded as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup_gui.engine import pipeline
from dedup_gui.engine.pipeline import ScanParams, group_library, run_scan
from dedup_gui.engine.signals import handoff
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import caption, crop, jpeg, scene
from tests.engine.grouping.test_displacement import viewpoint

# 640×480 decodes at 1/2 for the embedding (224 px) but in full for verification (256 px)
NOT_ALIKE = {"view_a.jpg", "view_b.jpg"}
ALL = {"photo.jpg", "crop.jpg", "caption.png"} | NOT_ALIKE


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """Edited copies of one photo (checked by placement and displacement: decoded) and two
    viewpoints of one scene (another shot: decoded, refuted)."""
    folder = tmp_path_factory.mktemp("handoff")
    photo = scene(3, (480, 360))
    photo.save(folder / "photo.jpg", quality=92)
    jpeg(crop(photo, 0.1), 80).save(folder / "crop.jpg", quality=80)
    caption(photo).resize((720, 540)).save(folder / "caption.png")
    viewpoint(0.0).save(folder / "view_a.jpg", quality=90)
    viewpoint(40.0).save(folder / "view_b.jpg", quality=90)
    return folder


def _outcome(result) -> list:
    """Groups and series with every pair's tier and reason (the verdicts' notes)."""
    return [(sorted(Path(f.path).name for f in g.files),
             sorted((Path(p.a).name, Path(p.b).name, p.tier, p.reason) for p in g.pairs))
            for g in (*result.groups, *result.series)]


def _scan(folder: Path):
    """A cold scan in this process (one worker: verification's decodes are all seen here)."""
    return run_scan(ScanParams(roots=(str(folder),), workers=1), Cache(None))


def test_a_cold_scans_verification_decodes_only_what_the_signal_stage_did_not(
        library, loads, monkeypatch) -> None:
    handed = _outcome(_scan(library))
    handed_loads = set(loads)
    loads.clear()
    monkeypatch.setattr(handoff, "BUDGET", 0)
    decoding = _outcome(_scan(library))
    assert set(loads) == ALL  # without the hand-off: every file of a checked pair
    assert handed_loads == NOT_ALIKE  # with it: only those whose decode was not its own
    assert handed == decoding
    assert any("one map" in reason for _, pairs in handed for *_, reason in pairs)


def test_the_budget_is_a_hard_cap_and_what_it_leaves_out_is_decoded(library, loads,
                                                                    monkeypatch) -> None:
    budget = 480 * 360 * 3 + 100  # one picture (photo.jpg's is the largest) but not two
    monkeypatch.setattr(handoff, "BUDGET", budget)
    params = ScanParams(roots=(str(library),), workers=1)
    read = pipeline.read(params, Cache(None))
    kept = {Path(p).name for p in read.pictures}
    assert read.pictures.used <= budget and len(kept) == 1 and kept < ALL - NOT_ALIKE
    outcome = _outcome(group_library(read, params, Cache(None), 0.0))
    assert set(loads) == ALL - kept
    assert len(read.pictures) == 0 and read.pictures.used == 0  # the scan is over
    monkeypatch.setattr(handoff, "BUDGET", 0)
    assert outcome == _outcome(_scan(library))


def test_a_scan_that_does_not_verify_keeps_no_pictures(library) -> None:
    read = pipeline.read(ScanParams(roots=(str(library),), workers=1, verify=False),
                         Cache(None))
    assert len(read.pictures) == 0 and read.pictures.used == 0
