"""The saved session and similar-shot series: their marks read back, a session saved before
series had marks reads as none, and a shot changed or gone since the scan is found like a
grouped file."""

from __future__ import annotations

import os
from pathlib import Path

from dedup_gui.engine.types import GroupFile, ScanResult, ScanStats, Series
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.session import (
    Session,
    changed_since_scan,
    load_session,
    save_session,
    series_marks,
)


def _outcome(tmp_path: Path) -> ScanOutcome:
    files = []
    for name in ("IMG_1.JPG", "IMG_2.JPG", "IMG_3.JPG"):
        path = tmp_path / name
        path.write_bytes(name.encode())
        stat = path.stat()
        files.append(GroupFile(str(path), stat.st_size, stat.st_mtime_ns, 4, 3, "JPEG"))
    series = Series(tuple(files), (), files[1].path, "sharpest of 3")
    return ScanOutcome(ScanResult((), (), ScanStats(), series=(series,)), [], [])


def test_series_marks_survive_the_session_file(tmp_path: Path) -> None:
    outcome = _outcome(tmp_path)
    marks = [{outcome.result.series[0].files[0].path}]
    assert save_session(Session(outcome, [], series_remove=marks), tmp_path / "s.pickle") is None
    session, problem = load_session(tmp_path / "s.pickle")
    assert problem is None and series_marks(session, 1) == marks
    assert session.outcome.result.series == outcome.result.series


def test_a_session_from_before_series_marks_reads_as_none_marked(tmp_path: Path) -> None:
    session = Session(_outcome(tmp_path), [])
    del session.series_remove  # as a session pickled by the version before
    assert series_marks(session, 1) == [set()]
    assert series_marks(Session(_outcome(tmp_path), [], series_remove=[set(), set()]), 1) == \
        [set()]  # marks that do not fit the results are not used


def test_a_shot_changed_or_gone_since_the_scan_is_found(tmp_path: Path) -> None:
    outcome = _outcome(tmp_path)
    first, second, third = (f.path for f in outcome.result.series[0].files)
    os.remove(first)
    Path(second).write_bytes(b"edited since")
    assert changed_since_scan(outcome, set()) == {first, second}
    assert changed_since_scan(outcome, {first}) == {second}
    assert third not in changed_since_scan(outcome, set())


class _FillsTheDisk:
    """Pickles into a few bytes, then fails as a full disk does."""

    def __reduce__(self) -> tuple:
        raise OSError(28, "No space left on device")


def test_a_session_that_cannot_be_written_leaves_no_cut_file(tmp_path: Path) -> None:
    """A hostile-input check on a full disk found last-results.tmp left behind."""
    saved = tmp_path / "last-results.pickle"
    outcome = _outcome(tmp_path)
    problem = save_session(Session(outcome, [_FillsTheDisk()]), saved)  # type: ignore[list-item]
    assert problem == "The results could not be saved for next time: No space left on device."
    assert not saved.exists() and not saved.with_suffix(".tmp").exists()
