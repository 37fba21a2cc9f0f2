"""One formatter for sizes, counts and durations: the app, the CLI and the report agree."""

from __future__ import annotations

from dedup_gui.text import human_bytes, human_duration, plural


def test_sizes_use_decimal_units_as_file_managers_do() -> None:
    assert [human_bytes(n) for n in (0, 999, 1000, 1_500_000, 58_400_000, 2e12, 3e15)] == \
        ["0 B", "999 B", "1.0 KB", "1.5 MB", "58.4 MB", "2.0 TB", "3000.0 TB"]


def test_counts_and_durations() -> None:
    assert (plural(1, "file"), plural(2048, "file"), plural(2, "copy", "copies")) == \
        ("1 file", "2,048 files", "2 copies")
    assert [human_duration(s) for s in (None, -1, 45, 185, 3720)] == \
        ["", "", "45 s", "3 min 05 s", "1 h 02 min"]
