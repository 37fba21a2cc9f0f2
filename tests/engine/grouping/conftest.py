"""Fixtures shared by the grouping tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup_gui.engine.grouping import verify


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The files verification decodes (its PictureCache's loader)."""
    seen: list[str] = []
    real = verify.load_image

    def counted(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(verify, "load_image", counted)
    return seen
