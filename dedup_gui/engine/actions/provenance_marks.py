"""Provenance labels as the marks read them: how each file relates to the file that is kept.

Why: provenance.py labels each file against the whole group before anyone chooses a keeper, so
a file nothing was found against reads "original" even when it is marked Remove, and a file
"smaller" than an upscale stays "smaller" when it is the one kept. A person reads the label
next to the mark: "Original" on a file about to go to the Trash says the app is trashing the
original. So once the keeper is known, only it (and files byte-identical to it) may read
"original"; every other file says how it relates to the kept one, and the keeper loses labels
that were only true against a file it beat. One exception: when a rule (or the person) keeps a
derived copy, the file it was derived from still reads "original" (sources_of_keeper). Scores
are left alone: relabelling never changes which file is kept, so it can run again for any new
keeper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.camera_edits import EDITS, is_camera_edit
from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.actions.own_edits import own_edits
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.tiers import IDENTICAL, RESAVED
from dedup_gui.engine.types import Group, GroupFile

IDENTICAL_COPY = "identical copy"
OTHER_COPY = "another version of the kept photo"  # neutral: nothing says which came first
# Labels that say "this file has less than another member": false next to a keeper that has
# no more (a "smaller re-save" is not smaller than the file kept instead).
_LESS_THAN_KEEPER = frozenset({p.SMALLER})
# Frames that a file with the camera data was not given by a meme site or a screenshot: flat
# areas its edit clipped read as them (camera_edits.py). Such a kept edit reads "Edited", not
# "Captioned/meme" (two first-user checks), and so do its copies (a border the person added
# in an editor is an edit too).
_FRAMES_OF_FLAT_AREAS = frozenset({p.CAPTIONED, p.SCREENSHOT, p.PADDED})


def relabel_for_keeper(group: Group, provenance: Mapping[str, Provenance],
                       keep: Sequence[str]) -> dict[str, Provenance]:
    """path -> Provenance of `group`'s files with labels relative to the kept files `keep`
    (the proposal's keeper first); files without provenance are left out."""
    if not keep:
        return {f.path: provenance[f.path] for f in group.files if f.path in provenance}
    kept = {f.path: f for f in group.files if f.path in keep}
    keeper = kept.get(keep[0]) or next(iter(kept.values()), None)
    twins = identical_to(group, set(kept))
    sources = sources_of_keeper(group, provenance, keeper)
    edits = own_edits(group)
    clipped = _copies_of_camera_edits(group, provenance, set(kept))
    result = {}
    for file in group.files:
        own = provenance.get(file.path)
        if own is None:
            continue
        base = _group_wide(own)
        if file.path in kept:
            labels = _as_keeper(own, base, group, provenance)
        elif file.path in twins:
            labels = (IDENTICAL_COPY,)
        elif file.path in sources:
            labels = (p.ORIGINAL,)
        else:
            labels = _against(file, base, keeper)
        if file.path in edits and file.path not in twins:
            labels = (edits[file.path],
                      *(x for x in labels if x not in (p.ORIGINAL, OTHER_COPY)))
        elif is_camera_edit(own) or file.path in clipped:  # "Edited", not "Smaller re-save"
            labels = tuple(sorted(dict.fromkeys(p.EDITED if x in _FRAMES_OF_FLAT_AREAS else x
                                                for x in labels), key=lambda x: x not in EDITS))
        result[file.path] = replace(own, labels=labels, assessed=base)
    return result


def _copies_of_camera_edits(group: Group, provenance: Mapping[str, Provenance],
                            kept: set[str]) -> set[str]:
    """Files not kept whose pixels agree with a kept camera edit (a byte-identical or re-saved
    pair with it): the flat areas that edit clipped are theirs too, so they read as an edit
    as it does. Why: a Facebook download of a contrast edit, marked Remove, read
    "Captioned/meme" beside the kept edit that reads "Edited" (a DSLR check)."""
    edits = {path for path in kept if is_camera_edit(provenance.get(path))}
    return {other for pair in group.pairs if pair.tier in (IDENTICAL, RESAVED)
            for mine, other in ((pair.a, pair.b), (pair.b, pair.a))
            if mine in edits and other not in kept}


def sources_of_keeper(group: Group, provenance: Mapping[str, Provenance],
                      keeper: GroupFile | None) -> set[str]:
    """The original the evidence sees, when the file kept is less original than it: the most
    original file with nothing derived about it (the most pixels, then bytes, among equals),
    and its byte-identical copies. Why: a rule above "most original" (largest file first)
    kept a screenshot of a photo, and the photo, marked Remove, read "smaller re-save" of it
    (a real-window check); it is the original, and its card must say so to the person about
    to trash it."""
    if keeper is None or keeper.path not in provenance:
        return set()
    scores = {f.path: provenance[f.path].score for f in group.files if f.path in provenance}
    best = min(scores.values())
    candidates = [f for f in group.files if scores.get(f.path) == best
                  and not set(_group_wide(provenance[f.path])) - {p.ORIGINAL}]
    if scores[keeper.path] <= best or not candidates:
        return set()
    source = min(candidates, key=lambda f: (-f.width * f.height, -f.size, f.path))
    return {source.path} | identical_to(group, {source.path})


def _group_wide(known: Provenance) -> tuple[str, ...]:
    """The labels assessed against the whole group (a relabelled Provenance keeps them)."""
    return known.labels if known.assessed is None else known.assessed


def relabel_all(groups: Sequence[Group], provenance: Mapping[str, Provenance],
                keepers: Sequence[Sequence[str]]) -> dict[str, Provenance]:
    """`relabel_for_keeper` over many groups (`keepers[i]`: the kept paths of `groups[i]`);
    files in no group keep their provenance as it is."""
    result = dict(provenance)
    for group, keep in zip(groups, keepers, strict=True):
        result.update(relabel_for_keeper(group, provenance, keep))
    return result


def _as_keeper(own: Provenance, base: tuple[str, ...], group: Group,
               provenance: Mapping[str, Provenance]) -> tuple[str, ...]:
    """A keeper that the evidence calls the most original is no "smaller re-save": the bigger
    members lost on stronger evidence (an upscale, stripped camera data), which their own
    labels say. Kept for another reason (a rule chain, a person), it may well be smaller."""
    scores = [provenance[f.path].score for f in group.files if f.path in provenance]
    if own.score <= min(scores):
        return tuple(label for label in base if label not in _LESS_THAN_KEEPER)
    return base


def _against(file: GroupFile, base: tuple[str, ...], keeper: GroupFile | None
             ) -> tuple[str, ...]:
    """A removed file's labels: its own derivations that hold next to the keeper, else the
    plainest true relation to it (smaller, another format, or simply another copy)."""
    labels = [label for label in base
              if not (label in _LESS_THAN_KEEPER and not _smaller(file, keeper))]
    if labels:
        return tuple(labels)
    if _smaller(file, keeper):
        return (p.SMALLER,)
    if keeper is not None and _format(file) and _format(keeper) and \
            _format(file) != _format(keeper):
        return (p.CONVERTED,)
    return (OTHER_COPY,)


def _smaller(file: GroupFile, keeper: GroupFile | None) -> bool:
    """Fewer pixels than the keeper by the margin provenance.py uses for "smaller"."""
    if keeper is None or not keeper.width or not keeper.height:
        return False
    return file.width * file.height < p.SMALLER_SHARE * keeper.width * keeper.height


def _format(file: GroupFile) -> str:
    return (file.format or "").upper()
