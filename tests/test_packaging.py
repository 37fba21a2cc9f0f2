"""What a Linux desktop gets: icons that match app.svg at every size, a valid desktop entry and
AppStream file, install/uninstall scripts that put exactly those files in place and take them
away, and one version number everywhere (--version, About, CHANGELOG, metainfo)."""

from __future__ import annotations

import configparser
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from dedup_gui import __version__
from dedup_gui.qt.app import create_app, create_main_window

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
PACKAGING = ROOT / "packaging"
APPID = "io.github.dedup_gui.DedupGui"


def _render_icons_module():
    spec = importlib.util.spec_from_file_location("render_icons", PACKAGING / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_icons = _render_icons_module()


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def exec_program(value: str) -> str:
    """The program of an Exec= value, unescaped as the Desktop Entry spec says: string escapes
    first, then the quoting rules."""
    text = value.replace("\\\\", "\\")
    assert text.endswith(" %F"), f"Exec takes no folders: {value!r}"
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)" %F', text)
    assert match, f"Exec is not one quoted argument: {value!r}"
    return re.sub(r"\\(.)", r"\1", match.group(1)).replace("%%", "%")


# -- icons ------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", render_icons.SIZES)
def test_each_png_is_app_svg_at_its_size(qapp: QApplication, size: int) -> None:
    path = render_icons.png_path(size)
    with Image.open(path) as image:
        assert image.size == (size, size) and image.mode == "RGBA"
        committed = np.asarray(image, dtype=np.int16)
    fresh = np.asarray(Image.open(io.BytesIO(render_icons.render_png(size))).convert("RGBA"),
                       dtype=np.int16)
    assert np.abs(committed - fresh).mean() < 1.0, "app.svg changed: run render_icons.py"
    assert committed[..., 3].max() == 255 and committed[0, 0, 3] == 0  # drawn, on transparency


def test_windows_and_macos_icons_carry_every_size() -> None:
    with Image.open(render_icons.ICO) as ico:
        assert set(ico.info["sizes"]) == {(n, n) for n in render_icons.ICO_SIZES}
    with Image.open(render_icons.ICNS) as icns:
        assert {(w, h) for w, h, _scale in icns.info["sizes"]} >= {(16, 16), (256, 256),
                                                                   (512, 512)}


# -- desktop entry and AppStream ----------------------------------------------------------------
def test_desktop_entry_names_the_app_its_icon_and_its_window(qapp: QApplication) -> None:
    entry = desktop_entry(RESOURCES / "dedup-gui.desktop")
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"] == "dedup-gui %F" and entry["Icon"] == render_icons.ICON_NAME
    assert entry["Categories"].endswith(";") and "Graphics" in entry["Categories"]
    app = create_app()
    assert app.desktopFileName() == "dedup-gui" == entry["StartupWMClass"]
    if shutil.which("desktop-file-validate"):
        run = subprocess.run(["desktop-file-validate", str(RESOURCES / "dedup-gui.desktop")],
                             capture_output=True, text=True)
        assert run.returncode == 0 and not run.stdout.strip(), run.stdout


def test_appstream_metadata_launches_the_desktop_entry_and_has_this_release() -> None:
    path = RESOURCES / f"{APPID}.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.get("type") == "desktop-application" and root.findtext("id") == APPID
    assert root.find("launchable").text == "dedup-gui.desktop"
    assert root.find("releases/release").get("version") == __version__
    if shutil.which("appstreamcli"):
        run = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


# -- one version everywhere -----------------------------------------------------------------
def test_changelog_newest_entry_is_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## \[([^\]]+)\]", text, re.M).group(1) == __version__


def test_version_flag_prints_the_version() -> None:
    run = subprocess.run([sys.executable, "-m", "dedup_gui", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == f"dedup-gui {__version__}"


def test_about_box_shows_the_version(qtbot: QtBot) -> None:
    window = create_main_window()
    qtbot.addWidget(window)
    seen: list[str] = []

    def close_about(tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.done(0)
        elif tries:
            QTimer.singleShot(20, lambda: close_about(tries - 1))

    QTimer.singleShot(0, close_about)
    window.actions.about.trigger()  # modal: returns once close_about has closed it
    assert seen and f"dedup-gui {__version__}" in seen[0]


# -- install-desktop-entry.sh / uninstall-desktop-entry.sh ------------------------------------
def fake_bundle(folder: Path) -> Path:
    """A bundle's shape: the executable, and _internal/ (its resources are the checkout's)."""
    (folder / "_internal").mkdir(parents=True)
    exe = folder / "dedup-gui"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return exe


def run_script(name: str, *args: str, data: Path, cwd: Path = PACKAGING
               ) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    return subprocess.run(["bash", str(cwd / name), *args], capture_output=True, text=True,
                          env=env, timeout=60)


def installed_files(data: Path) -> set[str]:
    return {str(p.relative_to(data)) for p in data.rglob("*") if p.is_file()
            and p.name not in ("mimeinfo.cache", "icon-theme.cache")}


def test_install_puts_the_entry_icons_and_metadata_in_place_and_uninstall_removes_them(
        tmp_path: Path) -> None:
    exe = fake_bundle(tmp_path / 'odd "name" with $HOME and 100%')
    data = tmp_path / "share"
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "other.desktop").write_text("[Desktop Entry]\n")  # not ours
    run = run_script("install-desktop-entry.sh", str(exe.parent), data=data)
    assert run.returncode == 0, run.stderr
    expected = {"applications/dedup-gui.desktop", "applications/other.desktop",
                f"metainfo/{APPID}.metainfo.xml", "icons/hicolor/scalable/apps/dedup-gui.svg"}
    expected |= {f"icons/hicolor/{n}x{n}/apps/dedup-gui.png" for n in render_icons.SIZES}
    assert installed_files(data) == expected
    entry = desktop_entry(data / "applications" / "dedup-gui.desktop")
    assert exec_program(entry["Exec"]) == str(exe)
    assert entry["TryExec"].replace("\\\\", "\\") == str(exe)
    assert entry["Icon"] == "dedup-gui"
    run = run_script("uninstall-desktop-entry.sh", data=data)
    assert run.returncode == 0, run.stderr
    assert installed_files(data) == {"applications/other.desktop"}


def test_install_from_inside_a_bundle_uses_the_bundles_own_files(tmp_path: Path) -> None:
    exe = fake_bundle(tmp_path / "dedup-gui")
    shutil.copytree(RESOURCES, tmp_path / "dedup-gui" / "_internal" / "dedup_gui" / "resources")
    shutil.copy(PACKAGING / "install-desktop-entry.sh", exe.parent)
    run = run_script("install-desktop-entry.sh", data=tmp_path / "share", cwd=exe.parent)
    assert run.returncode == 0, run.stderr
    entry = desktop_entry(tmp_path / "share" / "applications" / "dedup-gui.desktop")
    assert exec_program(entry["Exec"]) == str(exe)


def test_install_without_a_bundle_says_how_to_build_one(tmp_path: Path) -> None:
    run = run_script("install-desktop-entry.sh", str(tmp_path / "nothing"), data=tmp_path / "d")
    assert run.returncode == 1 and "packaging/build.sh" in run.stderr
    assert not (tmp_path / "d").exists()


def test_the_bundle_carries_every_runtime_licence(tmp_path: Path) -> None:
    """A packager found no licence in the repository or the bundle (pyproject said MIT; Qt,
    libheif and LibRaw travel inside the wheels under their own licences)."""
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    run = subprocess.run([sys.executable, str(PACKAGING / "collect_licenses.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    index = (tmp_path / "licenses" / "THIRD-PARTY.txt").read_text()
    for name in ("pillow", "pillow_heif", "rawpy", "onnxruntime", "PySide6_Essentials",
                 "numpy", "send2trash"):
        assert re.search(rf"^{name} [\d.]+: ", index, re.IGNORECASE | re.MULTILINE), name
    assert "LGPL-3.0" in index  # Qt's, named even though its wheel has no licence file
    assert (tmp_path / "licenses" / "rawpy" / "LICENSE.LibRaw").is_file()
    assert (tmp_path / "licenses" / "pillow-heif" / "LICENSES_bundled.txt").is_file()
    assert not re.search(r"^pytest ", index, re.MULTILINE)  # only what the app needs to run
