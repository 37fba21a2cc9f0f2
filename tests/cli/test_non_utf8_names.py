"""A library whose file names are not UTF-8 (names from an old Latin-1 system), scanned and
evaluated by the CLI as users run it: every JSON and CSV it writes is valid UTF-8 (read here with
strict decoders), and the exact paths read back name the real files."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dedup_gui.engine.export.results import path_from_record, read_results_json
from tests.images import photo, resized_copy, save

ROOT = Path(__file__).resolve().parents[2]
CAFE = b"caf\xe9.jpg"  # Latin-1 "café.jpg": not UTF-8
FOLDER = b"\xe9t\xe9"  # Latin-1 "été"
BROKEN = b"cass\xe9.jpg"


def fs(root: Path, *parts: bytes) -> str:
    """The str Python uses for root/parts (surrogate escapes for the bytes that are not UTF-8)."""
    return os.fsdecode(os.path.join(os.fsencode(root), *parts))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two groups: one.jpg with an exact copy named café.jpg (Latin-1) and a smaller copy in the
    folder été/ (Latin-1); two.jpg with a re-save. Plus an unrelated photo and a broken file
    with a Latin-1 name."""
    root = tmp_path_factory.mktemp("library")
    one = save(photo(1, (640, 480)), root / "one.jpg", quality=92)
    shutil.copy(one, fs(root, CAFE))
    os.mkdir(fs(root, FOLDER))
    save(resized_copy(photo(1, (640, 480)), 0.5), Path(fs(root, FOLDER, b"small.jpg")))
    save(photo(2), root / "two.jpg", quality=90)
    save(photo(2), root / "two_q60.jpg", quality=60)
    save(photo(3), root / "other.jpg", quality=90)
    Path(fs(root, BROKEN)).write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return root


def dedup(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "dedup_gui", *args, "--no-embeddings", "-q",
                           "--no-cache"], capture_output=True, env=env, timeout=120, check=False)


def strict(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="strict")


def test_scan_json_is_strict_utf8_and_gives_back_exact_paths(library: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = dedup("scan", str(library), "--json", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    data = json.loads(strict(out))
    files = [f for g in data["groups"] for f in g["files"]]
    readable = {f["path"] for f in files}
    assert str(library / "caf\ufffd.jpg") in readable
    assert str(library / "\ufffdt\ufffd" / "small.jpg") in readable
    assert {f["path"] for f in files if "path_bytes_b64" in f} == {
        str(library / "caf\ufffd.jpg"), str(library / "\ufffdt\ufffd" / "small.jpg")}
    exact = [path_from_record(f) for f in files]
    assert all(os.path.exists(p) for p in exact)
    assert {fs(library, CAFE), fs(library, FOLDER, b"small.jpg")} <= set(exact)
    assert [path_from_record(i) for i in data["issues"]] == [fs(library, BROKEN)]

    back = read_results_json(out)
    groups = [sorted(f["path"] for f in g["files"]) for g in back["groups"]]
    assert sorted(fs(library, CAFE) in g for g in groups) == [False, True]
    assert all(os.path.exists(p[k]) for g in back["groups"] for p in g["pairs"] for k in "ab")
    assert back["params"]["roots"] == [str(library)]
    assert back["issues"][0]["path"] == fs(library, BROKEN)


def test_scan_csv_is_strict_utf8_with_an_exact_column(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    run = dedup("scan", str(library), "--csv", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    rows = list(csv.DictReader(io.StringIO(strict(out), newline="")))
    assert len(rows) == 5
    assert sum(bool(r["path_bytes_b64"]) for r in rows) == 2
    assert all(os.path.exists(path_from_record(r)) for r in rows)
    assert fs(library, CAFE) in {path_from_record(r) for r in rows}


def test_evaluate_on_a_library_with_names_that_are_not_utf8(library: Path,
                                                            tmp_path: Path) -> None:
    """The truth names the Latin-1 files exactly, the way the scan's JSON does."""
    cafe = {"path": "caf\ufffd.jpg", "path_bytes_b64": "Y2Fm6S5qcGc="}
    small = {"path": "\ufffdt\ufffd/small.jpg", "path_bytes_b64": "6XTpL3NtYWxsLmpwZw=="}
    truth = tmp_path / "groups.json"
    truth.write_text(json.dumps([["one.jpg", cafe, small], ["two.jpg", "two_q60.jpg"]]),
                     encoding="utf-8")
    report = tmp_path / "report.json"
    run = dedup("evaluate", "--truth", str(truth), str(library), "--json", str(report))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert b"precision 1.000  recall 1.000" in run.stdout
    data = json.loads(strict(report))
    assert data["pairs"]["true_positives"] == 4
    assert data["groups"]["exact"] == 2
    assert [path_from_record(i) for i in data["scan"]["unreadable"]] == [fs(library, BROKEN)]


def test_report_on_a_library_with_names_that_are_not_utf8(library: Path,
                                                          tmp_path: Path) -> None:
    """The quality measures' table took the name as text and the whole report failed with a
    traceback (a curator's check); now the report is written, every file strict UTF-8."""
    out = tmp_path / "report"
    run = dedup("report", str(library), "--out", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert "caf\ufffd.jpg" in strict(out / "index.html")
    rows = list(csv.DictReader(io.StringIO(strict(out / "quality.csv"), newline="")))
    assert fs(library, CAFE) in {path_from_record(r) for r in rows}
