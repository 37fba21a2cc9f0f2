"""A scan leaves no identifier behind: with HOME and the cache folder pointed at empty folders, a
real scan with embeddings (the CLI, and the app's engine process, each with worker processes)
leaves nothing there but dedup-gui's own files. onnxruntime would otherwise write a device id
(Microsoft/DeveloperTools/.onnxruntime/deviceid) into the cache folder when imported."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup_gui.engine.progress import CancelToken
from dedup_gui.paths import APP_NAME
from tests.images import photo, save

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = 30  # above parallel.IN_PROCESS_BELOW: the signals are computed in worker processes
# Where a user's setting could point dedup-gui elsewhere; removed so the defaults apply.
OVERRIDES = ("DEDUP_GUI_CACHE", "DEDUP_GUI_CONFIG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    for seed in range(PHOTOS):
        save(photo(seed, (160, 120)), root / f"photo{seed}.jpg", quality=85)
    return root


def user_environment(home: Path) -> dict[str, str]:
    """An empty home and cache folder; telemetry asked for ("0"), as a user's shell might."""
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    return {**env, "HOME": str(home / "home"), "XDG_CACHE_HOME": str(home / "cache"),
            "ORT_DISABLE_TELEMETRY": "0", "PYTHONPATH": str(ROOT)}


def leftovers(home: Path) -> list[str]:
    """Every file under `home` that is not inside a dedup-gui folder."""
    found = []
    for folder, _dirs, files in os.walk(home):
        for name in files:
            relative = Path(folder, name).relative_to(home)
            if APP_NAME not in relative.parts:
                found.append(str(relative))
    return sorted(found)


def test_a_cli_scan_with_embeddings_leaves_only_our_cache(library: Path,
                                                          tmp_path: Path) -> None:
    for folder in ("home", "cache"):
        (tmp_path / folder).mkdir()
    run = subprocess.run([sys.executable, "-m", "dedup_gui", "scan", str(library), "--workers",
                          "2", "-q"], capture_output=True, text=True, timeout=300,
                         env=user_environment(tmp_path), check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{PHOTOS} files, ")
    assert (tmp_path / "cache" / APP_NAME / "cache.sqlite3").is_file()  # it used this folder
    assert leftovers(tmp_path) == []


def test_the_engine_process_scan_leaves_only_our_cache(library: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup_gui.tasks.process import run_in_process
    from dedup_gui.tasks.scan import ScanRequest, ScanSettings, scan_outcome

    for folder in ("home", "cache"):
        (tmp_path / folder).mkdir()
    for key, value in user_environment(tmp_path).items():
        monkeypatch.setenv(key, value)
    for key in OVERRIDES:
        monkeypatch.delenv(key, raising=False)
    request = ScanRequest(ScanSettings((str(library),)), (), ())
    outcome = run_in_process(scan_outcome, request, lambda _event: None, CancelToken())
    assert outcome.result.stats.files == PHOTOS
    assert Path(request.cache_path).is_file()
    assert Path(request.cache_path).is_relative_to(tmp_path / "cache" / APP_NAME)
    assert leftovers(tmp_path) == []


def test_onnxruntime_is_imported_in_one_module_only() -> None:
    """embedding.runtime() switches telemetry off before the import; an import elsewhere
    could come first and leave the device id behind."""
    importers = []
    for path in (ROOT / "dedup_gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "onnxruntime" for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert importers == ["dedup_gui/engine/signals/embedding.py"]
