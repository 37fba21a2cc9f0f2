"""How Google Takeout names a photo's metadata JSON, and which photo a JSON name points to.

Why a module: Takeout writes one `.json` beside every photo, and moving a photo to the trash
without it (or with another photo's) separates the photo from its date, place and
description. Its names follow the photo's whole name: `IMG_1.JPG.json`,
`IMG_1.JPG.supplemental-metadata.json`, and `IMG_1.JPG(1).json` for the copy `IMG_1(1).JPG`.
Takeout keeps every file name within CUT_AT characters, cutting what does not fit: first the
".supplemental-metadata" part (`IMG_1.JPG.supplemental-met.json`), and where even the photo's
name does not fit, the photo's name itself (`original_1d4c…528_P.jpg` ->
`original_1d4c…528_.json`, `PXL_….COVER.jpg` -> `PXL_….COVER.json`). A cut name is matched by
prefix, and only where exactly one photo of its folder starts with it (companions.py's rule:
moving a sidecar with the wrong photo is worse than leaving it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CUT_AT = 51  # Takeout's longest file name (characters), ".json" included
SUPPLEMENTAL = ".supplemental-metadata"
_NUMBERED = re.compile(r"^(.*)(\.[^.]+)\((\d+)\)$")  # IMG_1.JPG(1) -> IMG_1(1).JPG


def json_target(stem: str) -> tuple[str, bool] | None:
    """The photo name (lower case) the JSON with this lower-case `stem` (its name less
    ".json") points to, and whether that may be the start of a cut name (match by prefix);
    None where it names no photo (`metadata.json`, `IMG_1.json`)."""
    if _may_be_cut(stem):
        return stem, True
    dot = stem.rfind(".")
    if dot > 0 and len(stem) - dot > 2 and SUPPLEMENTAL.startswith(stem[dot:]):
        stem = stem[:dot]
    if numbered := _NUMBERED.match(stem):
        stem = f"{numbered[1]}({numbered[3]}){numbered[2]}"
    return (stem, False) if _has_extension(stem) else None


def cut_photo(prefix: str, names: Iterable[str]) -> str | None:
    """The one lower-case photo name among `names` whose Takeout JSON name, cut to CUT_AT,
    starts with `prefix`: an exact name first, else the only name the prefix starts; None
    when none or several do."""
    names = list(names)
    if prefix in names:
        return prefix
    found = [n for n in names if (n + SUPPLEMENTAL).startswith(prefix)]
    return found[0] if len(found) == 1 else None


def _may_be_cut(stem: str) -> bool:
    """Whether Takeout may have cut this name to fit: it is as long as the limit allows
    (counted in characters, or in UTF-8 bytes where a name is not ASCII)."""
    name = stem + ".json"
    return max(len(name), len(name.encode())) >= CUT_AT


def _has_extension(stem: str) -> bool:
    dot = stem.rfind(".")
    return 0 < dot < len(stem) - 1
