"""Groups that hold other shots: similar shots counted as duplicates, by the person's choice.

Why: the keep rules rank a group's files as copies of one photo and propose the rest for the
Trash. A group joined by "similar shot" pairs holds different photos (a burst, a second try),
and that proposed trashing every shot but one: a first-user review turned on "Also group
similar shots" and found 67 burst frames marked Remove, a burst's camera original among them,
because another frame was the "largest file". The review promises that other shots are never
marked unless the person asks (Mark ▸ Keep the best of each series). So in such a group each
photo (the files joined by duplicate pairs: identical, re-saved, edited) keeps its best file by
the same rules, and only that photo's other copies are proposed; no shot is proposed for another.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.tiers import SIMILAR
from dedup_gui.engine.types import Group, GroupFile

SHOTS_KEPT = "similar shots: the best file of each photo kept; other shots are never marked"


def kept_per_photo(group: Group, ranked: Sequence[GroupFile]) -> list[GroupFile]:
    """The first file of `ranked` (the keep rules' order, best first) of each photo of
    `group`: its files joined by pairs of a duplicate tier. One file when nothing in the
    group is a similar shot."""
    if group.tier != SIMILAR:
        return list(ranked[:1])
    photo = {f.path: f.path for f in group.files}

    def root(path: str) -> str:
        while photo[path] != path:
            photo[path] = photo[photo[path]]
            path = photo[path]
        return path

    for pair in group.pairs:
        if pair.tier != SIMILAR and pair.a in photo and pair.b in photo:
            photo[root(pair.a)] = root(pair.b)
    seen: set[str] = set()
    kept = []
    for file in ranked:
        if (one := root(file.path)) not in seen:
            seen.add(one)
            kept.append(file)
    return kept
