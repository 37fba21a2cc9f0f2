"""Icons shipped in resources/icons (SVG), loaded by name; no Qt resource compilation.

In a source checkout the folder is the repository's resources/; an installed package carries the
same files as dedup_gui/resources (pyproject maps one onto the other). A missing icon gives an empty
QIcon rather than an error: an icon is never worth a crash.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def resource_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    return _PACKAGE.parent / "resources"


def icon_path(name: str) -> Path:
    return resource_dir() / "icons" / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()
