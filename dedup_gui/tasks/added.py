"""A file the person adds to the results by hand: Find similar found a copy the scan missed.

Why a new outcome rather than a side list: the results the review, the Trash, Save results and
the session on disk all read are the ScanOutcome, so a file added there is reviewed, marked,
moved, undone, saved and reopened like any other. The pair that links it says so in words
("added by you"), so the card, the JSON and the report never present it as the engine's match.
"""

from __future__ import annotations

from dataclasses import replace

from dedup_gui.engine.tiers import EDITED, SIMILAR
from dedup_gui.engine.types import Group, GroupFile, Pair
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.summaries import summarise

FAR = 64  # the pair's hash distance: unknown, so it sorts after every measured pair


def added_reason(alike: int) -> str:
    return f"added by you from Find similar ({alike} % alike)"


def with_file_added(outcome: ScanOutcome, group: int | None, query: GroupFile,
                    found: GroupFile, remove: bool, alike: int, same_picture: bool,
                    removals: list[set[str]]) -> tuple[ScanOutcome, int]:
    """`outcome` with `found` added to `group` beside `query` (a new group of the two when
    `group` is None), marked Remove when `remove`; and the group's index. `removals` are the
    review's marks now, per group (the new outcome's proposals: what "keep the suggestion"
    returns to stays the scan's for other groups)."""
    pair = Pair(query.path, found.path, added_reason(alike), FAR,
                EDITED if same_picture else SIMILAR)
    groups = list(outcome.result.groups)
    proposals = [set(r) for r in outcome.removals]
    reasons = list(outcome.reasons)
    if group is None:
        group = len(groups)
        groups.append(Group(tuple(sorted((query, found), key=lambda f: f.path)), (pair,)))
        proposals.append(set())
        reasons.append("kept: the photo you searched for")
        removals.append(set())
    else:
        old = groups[group]
        files = tuple(sorted((*old.files, found), key=lambda f: f.path))
        groups[group] = Group(files, (*old.pairs, pair))
    if remove:
        proposals[group].add(found.path)
        removals[group].add(found.path)
    result = replace(outcome.result, groups=tuple(groups))
    summaries = summarise(result.groups, removals)
    return replace(outcome, result=result, removals=proposals, reasons=reasons,
                   summaries=summaries), group
