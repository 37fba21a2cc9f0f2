"""Test scaffolding set up once: Qt offscreen on a 1920 × 1080 screen, and every user folder
redirected into tmp."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# A desktop's screen: Qt's offscreen one is 800 × 800, smaller than the window's minimum, and
# the window fits the screen it opens on (qt/window/first_size.py).
SCREEN = Path(__file__).with_name("offscreen_screen.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SCREEN}")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache, config and the trash live in tmp: tests never touch the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DEDUP_GUI_CACHE", str(home / "cache" / "cache.sqlite3"))
    monkeypatch.setenv("DEDUP_GUI_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))


def dataset(name: str) -> Path:
    """A folder of ../shared/datasets, or skip the test when it is not there."""
    folder = SHARED / name
    if not (folder / "groups.json").is_file():
        pytest.skip(f"dataset {name} not available (../shared is absent)")
    return folder
