"""A verification verdict and the memo that keeps verdicts between pairs and scans.

Why its own module: verify.py (the order of the evidence) and refute.py (the pixel rules that
refute a pair without capture metadata) both speak it; verdict_store.py stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

Loader = Callable[[str], Image.Image | None]


@dataclass(frozen=True, slots=True)
class Verdict:
    """same: True (one exposure), False (another shot or unrelated), None (undecided)."""

    same: bool | None
    note: str


# Verdicts by (path, path, level); a per-picture fact by (path, "", negative level).
Memo = dict[tuple[str, str, int], Verdict]
UNDECIDED = Verdict(None, "")
DIFFER = "pixels differ in"  # how the full pixel verdict's note starts when it decides nothing


def differs(verdict: Verdict) -> bool:
    """A pixel verdict that decided nothing: pixels compared and found different (not too
    plain to compare, not undecodable): the refuting rules may still decide the pair."""
    return verdict.same is None and verdict.note.startswith(DIFFER)


def per_file(path: str, load: Loader, memo: Memo, level: int,
             test: Callable[[Image.Image], bool]) -> bool:
    """`test` of one picture, remembered in `memo` under (path, "", level)."""
    key = (path, "", level)
    if key not in memo:
        image = load(path)
        memo[key] = Verdict(image is not None and test(image), "")
    return bool(memo[key].same)
