"""benchmarks/scale_library.py writes capture metadata the way a real library carries it: camera
EXIF on originals and burst frames (one camera, instants a fraction of a second apart within a
burst), kept by exact copies, lost by re-saves; and none at all with capture=False."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from dedup_gui.engine.signals.capture import read_capture
from tests.images import photo, save

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
scale_library = pytest.importorskip("scale_library")


def _count_with_every_kind() -> int:
    """The shortest library of the default seed holding a whole burst, a copy and a re-save."""
    planned = scale_library.plan(2000, scale_library.SEED)
    first_burst = next(p for p in planned if p.kind == "frame")
    burst_end = max(p.index for p in planned if p.kind == "frame" and p.of == first_burst.of)
    last = max(burst_end, *(next(p.index for p in planned if p.kind == kind)
                            for kind in ("copy", "resave", "original")))
    return last + 1


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("sources")
    return [save(photo(k), folder / f"src{k}.jpg") for k in range(3)]


def _library(tmp_path: Path, sources: list[Path], capture: bool
             ) -> tuple[Path, list[scale_library.Planned]]:
    count = _count_with_every_kind()
    root = tmp_path / "library"
    planned = scale_library.make(root, count, tmp_path / "atlas.npy", photos=sources,
                                 workers=1, capture=capture)
    return root, planned


def test_originals_and_frames_carry_a_camera_and_distinct_instants(
        tmp_path: Path, sources: list[Path]) -> None:
    root, planned = _library(tmp_path, sources, capture=True)
    captures = {p.index: read_capture(str(scale_library.path_of(root, p.index))) for p in planned}
    drawn = [p for p in planned if p.kind in ("original", "frame")]
    assert all(captures[p.index].taken_ns and captures[p.index].model for p in drawn)
    assert len({captures[p.index].taken_ns for p in drawn}) == len(drawn)
    first = next(p for p in planned if p.kind == "frame")
    frames = [captures[p.index] for p in planned if p.kind == "frame" and p.of == first.of]
    assert len({(c.make, c.model) for c in frames}) == 1
    gaps = [(b.taken_ns - a.taken_ns) / 1e9 for a, b in itertools.pairwise(frames)]
    assert all(0 < gap <= scale_library.BURST_INTERVAL_S[1] + 0.001 for gap in gaps)
    for item in planned:
        if item.kind == "copy":
            assert captures[item.index] == captures[item.of]
        if item.kind == "resave":
            assert captures[item.index].taken_ns is None


def test_without_capture_no_file_carries_any(tmp_path: Path, sources: list[Path]) -> None:
    root, planned = _library(tmp_path, sources, capture=False)
    assert all(read_capture(str(scale_library.path_of(root, p.index))).taken_ns is None
               for p in planned)


def test_scale_truth_reads_exposures_and_bursts_from_the_plan() -> None:
    """benchmarks/scale_truth.py scores a scan against the plan: a copy or re-save is its
    original's exposure (and in its burst, if the original is a frame); frames are their own."""
    scale_truth = pytest.importorskip("scale_truth")
    planned = scale_library.plan(2000, scale_library.SEED)
    exposure, burst = scale_truth.exposures(planned)
    name = {p.index: f"img{p.index:06d}.jpg" for p in planned}
    for item in planned:
        if item.kind in ("copy", "resave"):
            assert exposure[name[item.index]] == item.of
            assert burst[name[item.index]] == burst[name[item.of]]
        else:
            assert exposure[name[item.index]] == item.index
        if item.kind == "frame":
            assert burst[name[item.index]] == item.of
        if item.kind == "original":
            assert burst[name[item.index]] is None
    frames = [p for p in planned if p.kind == "frame"]
    assert len({exposure[name[p.index]] for p in frames}) == len(frames)  # each its own
