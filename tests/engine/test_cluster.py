"""The signal stage on a real Dask LocalCluster of 2 worker processes: the same signals, the same
cache rows and the same groups as a local scan."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from dedup_gui.cli.main import main
from dedup_gui.engine.cluster import ClusterUnavailable, cluster_mapper

pytest.importorskip("distributed")

from tests.library import make_library


def _pids(items: list[int]) -> list[int]:
    """Runs on a worker: which process did the work."""
    return [os.getpid() for _ in items]


def test_batches_run_on_the_cluster_workers_not_here() -> None:
    mapper = cluster_mapper("local", local_workers=2)
    results = list(mapper(_pids, list(range(200)), batch_size=8))
    assert sorted(i for batch, _ in results for i in batch) == list(range(200))
    pids = {pid for _, values in results for pid in values}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def _rows(cache: Path) -> dict[str, list]:
    """Signal, embedding and capture rows, keyed by path, without the cache's own columns."""
    with sqlite3.connect(cache) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if t in ("signals", "embeddings", "captures")]
        assert len(tables) == 3
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}


def test_scan_on_a_local_cluster_matches_the_local_scan(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    outputs = {}
    for name, extra in (("here", []), ("cluster", ["--dask", "local", "--workers", "2"])):
        out = tmp_path / f"{name}.json"
        code = main(["scan", str(library), "--cache", str(tmp_path / f"{name}.db"), "-q",
                     "--json", str(out), *extra])
        assert code == 0
        outputs[name] = json.loads(out.read_text(encoding="utf-8"))
    assert outputs["cluster"]["groups"] == outputs["here"]["groups"]
    assert outputs["here"]["groups"]  # (generated pictures all look alike to the CNN)
    assert _rows(tmp_path / "cluster.db") == _rows(tmp_path / "here.db")


def test_without_the_extra_the_message_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ClusterUnavailable, match=r"pip install \"dedup-gui\[dask\]\""):
        cluster_mapper("local")
    library = make_library(tmp_path / "library")
    assert main(["scan", str(library), "--cache", str(tmp_path / "c.db"), "-q",
                 "--dask", "local"]) == 2
    assert "dedup-gui[dask]" in capsys.readouterr().err


def test_in_the_app_bundle_the_message_says_it_has_no_dask(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle has no pip: "pip install" alone read as something its user could do."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(ClusterUnavailable, match="this app bundle does not include Dask"):
        cluster_mapper("local")


@pytest.mark.parametrize("address, said", [
    ("garbage-address", "not a Dask scheduler address: 'garbage-address'"),
    ("", "--dask needs a scheduler address"),
    ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
])
def test_a_wrong_address_is_one_line_even_when_nothing_needs_decoding(
        tmp_path: Path, capsys: pytest.CaptureFixture, address: str, said: str) -> None:
    """The address is checked before the scan: a malformed one printed a traceback, and with
    every file cached a scan never asked the scheduler and passed (a curator's check)."""
    library = make_library(tmp_path / "library")
    cache = str(tmp_path / "c.db")
    assert main(["scan", str(library), "--cache", cache, "-q", "--no-embeddings"]) == 0
    capsys.readouterr()
    assert main(["scan", str(library), "--cache", cache, "-q", "--no-embeddings",
                 "--dask", address]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
