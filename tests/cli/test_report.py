"""`dedup-gui report` as users run it: a subprocess, a real library, the report folder (the
refusals, which stop before any work, run in-process: same parser, same messages, faster)."""

from __future__ import annotations

import collections
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup_gui.cli.main import main
from dedup_gui.engine.export.tables import CLUSTER_COLUMNS, OUTLIER_COLUMNS
from tests.library import make_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("library"))


def dedup(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dedup_gui", *args], capture_output=True,
                          text=True, env=dict(os.environ), timeout=180)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one-line message of a refused command (exit status 2)."""
    assert main(["report", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_report_writes_the_gallery_and_csv_files(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    run = dedup("report", str(library), "--out", str(out), "--cache", str(tmp_path / "c.db"),
                "--level", "0.6", "--linkage", "complete", "-k", "2")
    assert run.returncode == 0, run.stderr
    assert f"report: {out / 'index.html'}" in run.stdout
    assert run.stdout.startswith("9 images: ") and "outlier 1:" in run.stdout
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "complete linkage at cosine ≥ 0.60" in page and "2nd nearest neighbour" in page
    assert "proposed for removal" in page and '<span class="stat" title="kept">' in page
    outliers = rows(out / "outliers.csv")
    assert tuple(outliers[0]) == OUTLIER_COLUMNS and len(outliers) == 9
    assert [int(r["rank"]) for r in outliers] == list(range(1, 10))
    assert all(Path(r["path"]).is_relative_to(library) for r in outliers)
    assert tuple(rows(out / "clusters.csv")[0]) == CLUSTER_COLUMNS
    assert len(rows(out / "groups.csv")) >= 2
    again = dedup("report", str(library), "--out", str(out), "--cache", str(tmp_path / "c.db"))
    assert again.returncode == 0, again.stderr  # an earlier report may be rewritten


def test_without_embeddings_there_are_groups_and_flags_only(library: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "report"
    run = dedup("report", str(library), "--out", str(out), "--no-embeddings", "--no-cache", "-q",
                "--show", "0")
    assert run.returncode == 0, run.stderr
    assert rows(out / "outliers.csv") == [] and rows(out / "clusters.csv") == []
    assert len(rows(out / "quality.csv")) == 9 and len(rows(out / "groups.csv")) == 6
    # the keeper proposal, as scan --csv writes it (the report's lacked it: a curator's check)
    groups = rows(out / "groups.csv")
    assert {"keep", "origin", "keeper_reason"} <= set(groups[0])
    kept = collections.Counter(r["group"] for r in groups if r["keep"] == "true")
    assert kept and all(n >= 1 for n in kept.values())
    assert len({r["group"] for r in groups}) == len(kept)  # every group keeps a file
    assert list((out / "thumbs").iterdir()) == []  # --show 0: lists in the CSV files only
    assert "No outlier ranking" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--level", "1.5"], "cluster level"),
    (["--linkage", "ward"], "invalid choice"),
    (["-k", "0"], "k must be at least 1"),
    (["--show", "-1"], "--show must be 0 or more"),
])
def test_bad_options_give_one_line(library: Path, tmp_path: Path, args: list[str],
                                   message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert message in refused(capsys, str(library), "--out", str(tmp_path / "r"), *args)
    assert not (tmp_path / "r").exists()


def test_a_folder_of_photos_is_never_used_as_the_report(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos = tmp_path / "holiday"
    photos.mkdir()
    (photos / "beach.jpg").write_bytes(b"precious")
    assert "not empty" in refused(capsys, str(library), "--out", str(photos))
    assert sorted(p.name for p in photos.iterdir()) == ["beach.jpg"]
    inside = refused(capsys, str(library), "--out", str(library / "report"))
    assert "inside the scanned folder" in inside and not (library / "report").exists()
    assert "not found" in refused(capsys, str(tmp_path / "nope"), "--out", str(tmp_path / "r"))


def test_the_report_names_the_files_it_could_not_read(library: Path, tmp_path: Path) -> None:
    """A packager's and a first user's check: the page said "2 files could not be read" and
    named them nowhere, not in a CSV either, nor on the terminal."""
    import shutil

    folder = tmp_path / "lib"
    shutil.copytree(library, folder)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    (folder / "empty.jpg").write_bytes(b"")
    out = tmp_path / "report"
    run = dedup("report", str(folder), "--out", str(out), "--no-cache", "--no-embeddings")
    assert run.returncode == 0, run.stderr
    assert "3 files or folders could not be read" in run.stdout  # with the library's own
    assert f"  {folder / 'empty.jpg'}: empty file (0 bytes)" in run.stdout
    unreadable = rows(out / "unreadable.csv")
    assert sorted(Path(r["path"]).relative_to(folder).as_posix() for r in unreadable) == \
        ["broken.jpg", "empty.jpg", "other/broken.jpg"]
    assert all(r["reason"] for r in unreadable)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="#unreadable">3 files could not be read</a>' in page
    assert '<section id="unreadable">' in page and "broken.jpg</code>: " in page
    assert '<a href="unreadable.csv">' in page
