"""benchmarks/scan_phases.py times every step it names (a step renamed in the pipeline fails
here, not silently in a later measurement) and leaves the measured cache file as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.images import photo, save
from tests.library import make_library

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
scan_phases = pytest.importorskip("scan_phases")


def test_every_step_is_timed_and_the_cache_is_left_alone(tmp_path: Path, capsys) -> None:
    library = make_library(tmp_path / "library")
    cache_file = tmp_path / "cache.sqlite3"
    run_scan(ScanParams(roots=(str(library),), workers=1), Cache(cache_file))
    before = cache_file.read_bytes()
    assert scan_phases.main([str(library), str(cache_file), "--regroup"]) == 0
    save(photo(9), library / "other/added.jpg")  # the additions' steps (additions.py)
    assert scan_phases.main([str(library), str(cache_file)]) == 0
    out = capsys.readouterr().out
    assert "not timed" not in out
    steps = {line.split()[-1] for line in out.splitlines() if line.strip()} - {"step"}
    named = {name for names in (*scan_phases.TIMED.values(), *scan_phases.METHODS.values())
             for name in names}
    assert named | {"READ", "GROUP"} <= steps
    assert cache_file.read_bytes() == before
    assert not Path(f"{cache_file}.phases").exists()
