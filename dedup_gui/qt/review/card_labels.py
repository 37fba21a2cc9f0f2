"""What a group's cards say about the keeper, following the person's marks.

The scan proposes a keeper and reads every label against it ("original", "smaller re-save of
the kept photo"), stars the fact that decided and names the rule in the header. A person who
keeps another file instead must not see a star and a rule sentence for a choice no rule made:
so when the files kept now differ from the proposal's, the labels are read again against them
(the engine's relabel_for_keeper, from the group-wide evidence the scan cached), no fact is
starred, and the header says the choice is the person's, with the suggestion beside it. The
file the kept copy was made from still reads "Original": the person is trashing the original.
Files kept only because their folder was ticked Protected after the scan do not make the choice
the person's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.actions.provenance_marks import relabel_for_keeper
from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.review.file_facts import FileFacts, group_facts
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import plural


def kept_now(state: ReviewState, group: int) -> frozenset[str]:
    """The group's files not marked Remove, less those changed or gone since the scan (their
    marks were dropped: each read "the keeper", three in one group, and the header "kept by
    your choice" though nobody chose: a real-window check)."""
    return frozenset(f.path for f in state.groups[group].files
                     if not state.is_marked(group, f.path) and f.path not in state.gone)


def proposed_keep(state: ReviewState, group: int) -> frozenset[str]:
    """The files the scan's keeper rules keep (empty without results)."""
    if state.outcome is None:
        return frozenset()
    removals = state.outcome.removals[group]
    return frozenset(f.path for f in state.groups[group].files if f.path not in removals)


def rule_keepers(state: ReviewState, group: int) -> frozenset[str]:
    """The files the rule chain kept: the proposal's, less the protected files kept beside
    them (keep_rules._kept_beside); all of them when protection alone decided."""
    proposed = proposed_keep(state, group)
    if state.outcome is None:
        return proposed
    return (proposed - state.outcome.protected_paths) or proposed


def as_suggested(state: ReviewState, group: int) -> bool:
    """The files kept now are the proposal's, perhaps with files under a folder ticked
    Protected since the scan: those are kept beside the suggestion, not instead of it, so
    the labels and the rule's words stand (they called a protected messenger copy
    "Original" and the choice the person's, in a real-window check)."""
    kept, proposed = kept_now(state, group), proposed_keep(state, group) - state.gone
    return proposed <= kept and kept - proposed <= state.protected | state.released_in(group)


def card_facts(state: ReviewState, group: int, files: Sequence[GroupFile],
               taken: Callable[[GroupFile], int | None]) -> tuple[list[FileFacts], frozenset]:
    """The cards' facts for the marks as they are now, and the kept files they were read for."""
    kept, outcome = kept_now(state, group), state.outcome
    provenance = origins_now(state, group, files)
    reason = outcome.reasons[group] if outcome else ""
    keepers = kept
    if outcome is not None and as_suggested(state, group):
        keepers = rule_keepers(state, group)  # a protected file says how it matches them
    elif outcome is not None:
        reason = ""  # the person chose: no rule decided, nothing is starred

    def origin(file: GroupFile) -> str:
        known = provenance.get(file.path)
        return known.label if known is not None else ""

    return group_facts(files, taken, state.groups[group], keepers, reason, origin), kept


def origins_now(state: ReviewState, group: int, files: Sequence[GroupFile]
                ) -> Mapping[str, Provenance]:
    """How each file was made, read against the files kept now (the scan's words while the
    marks are the suggestion's); `files` in the cards' order (the first kept one is the
    keeper). The compare view reads it too: it showed the scan's words after the person
    swapped the marks, the cards the new ones (a real-window check)."""
    outcome = state.outcome
    provenance = outcome.provenance if outcome else {}
    if outcome is None or as_suggested(state, group):
        return provenance
    kept = sorted(kept_now(state, group), key=_first_in(files))
    return {**provenance, **relabel_for_keeper(state.groups[group], provenance, kept)}


def _first_in(files: Sequence[GroupFile]) -> Callable[[str], int]:
    order = {f.path: i for i, f in enumerate(files)}
    return lambda path: order.get(path, len(order))


def header_reason(state: ReviewState, group: int) -> str:
    """The header's words on the keeper: the rule's, or the person's choice beside it (plain
    text: the header elides it to one line)."""
    reason = state.outcome.reasons[group] if state.outcome else ""
    if not reason:
        return ""
    if state.released_in(group):  # a move took the keeper (a series' shot): nobody chose
        return f" · kept because the suggested file is no longer in place (suggested: {reason})"
    if not as_suggested(state, group):
        return f" · kept by your choice (suggested: {reason})"
    also = len(kept_now(state, group) & state.protected - rule_keepers(state, group))
    also = f" · also kept: {plural(also, 'file')} in a protected folder" if also else ""
    if reason.startswith("kept: "):  # the "most original" rule says it in a sentence
        return f"{also} · {reason}"  # the short note first: the sentence is what elides
    return f"{also} · kept by the rule {reason}"
