"""Small text helpers of the report page (and the Insights window): escaping, ordinals, measures
(sizes and counts are dedup_gui.text's)."""

from __future__ import annotations

import html

from dedup_gui.engine.insights.quality import Quality
from dedup_gui.engine.pathtext import readable


def escape(text: object) -> str:
    """HTML-escaped text; undecodable bytes in file names become U+FFFD."""
    return html.escape(readable(str(text)), quote=True)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def measure_text(quality: Quality, flag: str) -> str:
    """The number behind a flag, as people read it."""
    if flag == "blurry":
        return f"sharpness {quality.sharpness:.0f}"
    if flag == "dark":
        return f"highlights {quality.highlights:.0f}/255"
    if flag == "bright":
        return f"shadows {quality.shadows:.0f}/255"
    return f"{quality.width}×{quality.height}"
