"""A copy in a recycle bin or a snapshot is never kept in place of a live copy.

Why: a scan leaves those folders out, but a person may add one to see what it holds (a NAS
share with its #recycle beside it, a drive's $RECYCLE.BIN). The keep rules then kept the bin's
full-size original and proposed the only live copy, a messenger's re-save, for the Trash (a
first-user check): once the NAS empties its bin, the photo is gone. So when the rules' keeper
lies in a bin or snapshot, the best-ranked file outside is kept in its place, and the bin's
better files stay where they are, kept beside it (a byte copy of the live keeper is not: it is
a copy like any other).
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.actions.kept_beside import also_kept, name_in
from dedup_gui.engine.signals.system_folders import in_bin_or_snapshot
from dedup_gui.engine.types import Group, GroupFile

OUTSIDE_REASON = "the best copy outside a recycle bin or snapshot"
IN_BIN = "in a recycle bin or snapshot, left in place"


def outside_bins(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                 reason: str) -> tuple[list[GroupFile], str]:
    """`keep` with a live file first wherever the rules' keeper is in a bin or snapshot, and
    the reason saying so; unchanged when the keeper is live or no file is."""
    if not keep or not in_bin_or_snapshot(keep[0].path):
        return keep, reason
    live = next((f for f in ranked if not in_bin_or_snapshot(f.path)), None)
    if live is None:
        return keep, reason
    twins = identical_to(group, {live.path})
    beside = [f for f in keep if f.path != live.path and f.path not in twins]
    names = [name_in(group, f) for f in beside]
    return [live, *beside], also_kept(OUTSIDE_REASON, IN_BIN, names) if names \
        else OUTSIDE_REASON
