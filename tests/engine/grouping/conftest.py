"""Fixtures shared by the grouping tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup_gui.engine.grouping import picture_cache


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The files verification decodes (its PictureCache's loader)."""
    seen: list[str] = []
    real = picture_cache.load_image

    def counted(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(picture_cache, "load_image", counted)
    return seen
