"""What a drag brings: the local folders and files among its URLs (the folder panel, the window
and Find similar all accept drops)."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData


def local_paths(mime: QMimeData) -> list[str]:
    """Existing local folders and files among the dragged URLs."""
    if not mime.hasUrls():
        return []
    paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return [os.path.abspath(p) for p in paths if p and os.path.exists(p)]


def single_image(paths: list[str]) -> str | None:
    """The one image file among dropped paths, or None (folders, several files, not an image)."""
    if len(paths) != 1 or not os.path.isfile(paths[0]):
        return None
    from dedup_gui.engine.signals.scanner import is_image_file

    try:
        return paths[0] if is_image_file(paths[0]) else None
    except OSError:
        return None
