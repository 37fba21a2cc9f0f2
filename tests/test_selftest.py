"""`dedup-gui --self-test` as CI and users run it (a subprocess), and the frozen app's entry points:
the hidden engine-process flag and the library path handed back to programs the app starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup_gui import __version__, frozen
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.store.cache import Cache
from dedup_gui.selftest_photos import make_library
from dedup_gui.tasks import engine_child, process


def self_test(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run([sys.executable, "-m", "dedup_gui", "--self-test"], capture_output=True,
                          text=True, env={**environment, **env}, timeout=300)


def test_self_test_passes_and_leaves_the_users_files_alone() -> None:
    run = self_test()  # no QT_QPA_PLATFORM: the self-test goes offscreen by itself
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"dedup-gui {__version__} self-test passed (python): window ")
    assert "model 320-d" in lines[0] and "36 photos" in lines[0]
    assert lines[0].endswith("6 groups as expected")
    assert not Path(os.environ["DEDUP_GUI_CACHE"]).exists()  # its own cache, in a temp folder
    assert not Path(os.environ["DEDUP_GUI_CONFIG_DIR"]).exists()
    # nor the saved review: a self-test replaced the person's last results with its own
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "dedup-gui").exists()


def test_self_test_fails_in_one_line_when_the_model_is_missing(tmp_path: Path) -> None:
    run = self_test(DEDUP_GUI_MODEL=str(tmp_path / "missing.onnx"))
    assert run.returncode == 1
    verdict = run.stdout.splitlines()[-1]
    assert verdict.startswith(f"dedup-gui {__version__} self-test FAILED (python): ")
    assert "model" in verdict and "missing.onnx" in verdict


def test_only_the_model_pairs_the_mirror_images(tmp_path: Path) -> None:
    """Why the self-test's expected groups prove the model ran: hashes alone leave the mirrored
    copies out of their groups."""
    expected = make_library(tmp_path)
    result = run_scan(ScanParams(roots=(str(tmp_path),), embeddings=False, workers=1),
                      Cache(None))
    grouped = {Path(f.path).name for g in result.groups for f in g.files}
    mirrors = {name for group in expected for name in group if "_mirror" in name}
    assert len(mirrors) == 6 and not mirrors & grouped
    assert len(result.groups) == 6  # the other copies are found by hashes, as in a real scan


# -- the frozen app's entry points -----------------------------------------------------------
def triple(request: int, progress, cancel: CancelToken) -> tuple[int, int]:
    return request * 3, os.getpid()


def test_the_engine_process_flag_runs_the_engine_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen app starts `<its executable> --engine-process`; here the executable is
    `python -m dedup_gui`, so the flag goes through the same entry point."""
    command = [sys.executable, "-m", "dedup_gui", process.ENGINE_PROCESS_FLAG]
    monkeypatch.setattr(process, "child_command", lambda: command)
    value, pid = process.run_in_process(triple, 14, lambda _e: None, CancelToken())
    assert value == 42 and pid != os.getpid()


def test_a_frozen_app_starts_itself_with_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    assert process.child_command() == [sys.executable, "-m", engine_child.__name__]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert process.child_command() == [sys.executable, process.ENGINE_PROCESS_FLAG]


def test_programs_the_app_starts_get_the_users_library_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/bundle/_internal:/home/me/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/home/me/lib")
    frozen.give_back_library_path()
    assert os.environ["LD_LIBRARY_PATH"] == "/home/me/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ
    frozen.give_back_library_path()  # the user had none: none
    assert "LD_LIBRARY_PATH" not in os.environ


def test_the_apps_own_helpers_get_the_bundles_libraries_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {"LD_LIBRARY_PATH": "/home/me/lib", "HOME": "/home/me"}
    assert frozen.helper_environment(environment) == environment  # not frozen: unchanged
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/opt/bundle/_internal", raising=False)
    helper = frozen.helper_environment(environment)
    assert helper == {"LD_LIBRARY_PATH": "/opt/bundle/_internal:/home/me/lib", "HOME": "/home/me"}
    assert frozen.helper_environment({})["LD_LIBRARY_PATH"] == "/opt/bundle/_internal"
    monkeypatch.setenv("LD_LIBRARY_PATH", "")
    child = process._child_environment()  # what the engine process is started with
    assert child["LD_LIBRARY_PATH"] == "/opt/bundle/_internal"
