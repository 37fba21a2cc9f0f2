"""Not duplicates on a pair: two files of a group are different photos.

The decision goes to the cache database (so every later scan respects it), and the group is formed
again at once without that pair, the way the next scan will form it (engine decisions.regroup):
the rest stays grouped wherever it is still linked. The old group is hidden and the re-formed ones
are appended (the list shows them in its place), so every other group keeps its number, marks
and trash state. Undo (shared with
the trash flow's, newest first) forgets the decision and brings the old group back.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from dedup_gui import paths
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.qt.review.identical_copies import apart_pairs, identical_classes
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.steps import Done
from dedup_gui.qt.review.trash_flow import TrashFlow
from dedup_gui.qt.workers.runner import EngineCall, TaskRunner
from dedup_gui.tasks.cache import forget_not_duplicates, mark_not_duplicates
from dedup_gui.tasks.scan import ScanOutcome, keep_chain, read_origins
from dedup_gui.tasks.summaries import GroupSummaries, summarise


@dataclass(frozen=True, slots=True)
class Split:
    """A remembered pair and the results with the group formed again (or why not saved)."""

    outcome: ScanOutcome
    group: int  # the group the pair was in
    added: range  # the re-formed groups' numbers (empty: neither file has another match)
    pair: tuple[str, str]
    problem: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()  # split_apart: every pair remembered

    @property
    def paths(self) -> set[str]:
        """The files the decision is about (Undo forgets every decision among them)."""
        return {p for pair in (self.pair, *self.pairs) for p in pair}


@dataclass(frozen=True, slots=True)
class _Step:
    split: Split
    generation: int  # ReviewState.generation when it was done
    trash_depth: int  # len(TrashFlow.history) then: whose step is newer, for Undo


def split_pair(outcome: ScanOutcome, group: int, pair: tuple[GroupFile, GroupFile],
               protected: Sequence[str], rule_dicts: Sequence[dict]) -> Split:
    """Remember the pair and form its group again (on the worker: a burst of hundreds of shots
    takes a while to regroup)."""
    from dedup_gui.engine.grouping.regroup import regroup

    paths = (pair[0].path, pair[1].path)
    if problem := mark_not_duplicates(pair):
        return Split(outcome, group, range(0), paths, problem)
    formed = regroup(outcome.result.groups[group], {paths})
    first = len(outcome.result.groups)
    return Split(with_groups(outcome, formed, protected, rule_dicts), group,
                 range(first, first + len(formed)), paths)


def split_apart(outcome: ScanOutcome, group: int, pairs: Sequence[tuple[GroupFile, GroupFile]],
                protected: Sequence[str], rule_dicts: Sequence[dict]) -> Split:
    """Remember every pair of `pairs` (a group's files said not duplicates, all but its
    identical copies: identical_classes) and form the group again: the identical copies stay
    a group."""
    from dedup_gui.engine.grouping.regroup import regroup

    marked = tuple((a.path, b.path) for a, b in pairs)
    for pair in pairs:
        if problem := mark_not_duplicates(pair):
            return Split(outcome, group, range(0), marked[0], problem, marked)
    formed = regroup(outcome.result.groups[group], set(marked))
    first = len(outcome.result.groups)
    return Split(with_groups(outcome, formed, protected, rule_dicts), group,
                 range(first, first + len(formed)), marked[0], None, marked)


def with_groups(outcome: ScanOutcome, groups: Sequence[Group], protected: Sequence[str],
                rule_dicts: Sequence[dict]) -> ScanOutcome:
    """`outcome` with `groups` appended, each pre-marked by the rule chain."""
    from dedup_gui.engine.actions.keep_rules import propose

    chain = keep_chain(rule_dicts)
    provenance = read_origins(groups, str(paths.cache_path())) if outcome.provenance else {}
    proposals = [propose(g, chain, protected, outcome.dates, provenance or None) for g in groups]
    removals = [set(p.remove) for p in proposals]
    all_groups = outcome.result.groups + tuple(groups)
    all_removals = [*outcome.removals, *removals]
    summaries = (_extend(outcome.summaries, groups, removals, len(outcome.result.groups))
                 if outcome.summaries is not None else summarise(all_groups, all_removals))
    return dataclasses.replace(
        outcome, result=dataclasses.replace(outcome.result, groups=all_groups),
        removals=all_removals, reasons=[*outcome.reasons, *(p.reason for p in proposals)],
        protected_paths=outcome.protected_paths | {x for p in proposals for x in p.protected},
        provenance={**outcome.provenance, **provenance},
        summaries=summaries)


def _extend(summaries: GroupSummaries, groups: Sequence[Group], removals: list[set[str]],
            first: int) -> GroupSummaries:
    """The list's summaries plus the appended groups' (the old ones are shared, not copied)."""
    more = summarise(groups, removals)
    of_path = dict(summaries.groups_of_path)
    for path, indices in more.groups_of_path.items():
        of_path[path] = [*of_path.get(path, ()), *(first + i for i in indices)]
    return GroupSummaries(summaries.tiers + more.tiers, summaries.folders + more.folders,
                          summaries.search + more.search, of_path,
                          {**summaries.sizes, **more.sizes}, summaries.reclaim + more.reclaim)


class PairDecisions(QObject):
    message = Signal(str)
    changed = Signal()  # busy or undo availability changed
    show_group = Signal(int)  # the group to review next (-1: the one after the old group)

    def __init__(self, state: ReviewState, runner: TaskRunner, flow: TrashFlow,
                 protected: Callable[[], list[str]], rules: Callable[[], list[dict]]) -> None:
        super().__init__(state)
        self.state = state
        self.runner = runner
        self.flow = flow
        self.protected = protected
        self.rules = rules
        self.history: list[_Step] = []
        self.busy = False

    def mark(self, group: int | None, pair: tuple[GroupFile, GroupFile] | None) -> None:
        """Remember that the two files of `pair` (in `group`) are not duplicates."""
        outcome = self.state.outcome
        if group is None or pair is None or outcome is None or self.busy or self.flow.busy:
            return
        generation, protected, rules = self.state.generation, self.protected(), self.rules()
        self._start(lambda _progress, _cancel: split_pair(outcome, group, pair, protected,
                                                          rules),
                    lambda split: self._marked(split, generation))

    def mark_apart(self, group: int, pairs: Sequence[tuple[GroupFile, GroupFile]]) -> None:
        """Remember that the files of `group` are not duplicates, except its identical
        copies (`pairs`: every pair across two classes of identical bytes)."""
        outcome = self.state.outcome
        if outcome is None or not pairs or self.busy or self.flow.busy:
            return
        generation, protected, rules = self.state.generation, self.protected(), self.rules()
        self._start(lambda _progress, _cancel: split_apart(outcome, group, pairs, protected,
                                                           rules),
                    lambda split: self._marked(split, generation))

    def _marked(self, split: Split, generation: int) -> None:
        a, b = (os.path.basename(p) for p in split.pair)
        if split.pairs:  # a whole group: its identical copies stay together
            a = f"these {len(split.paths)} files"
        if split.problem:
            self.message.emit(f"Not remembered: {split.problem}")
            return
        if generation != self.state.generation:  # new results came meanwhile
            self.message.emit(f"Remembered: {a} and {b} are not duplicates.")
            return
        self.state.add_groups(split.outcome, split.group)
        self.state.set_dismissed(split.group, True)
        self.history.append(_Step(split, generation, len(self.flow.history)))
        rest = ("the rest of the group stays together" if split.added
                else "neither has another match, so the group is gone")
        if split.pairs:
            self.message.emit(f"Remembered: {a} are not duplicates, but identical copies "
                              "(the same bytes) stay a group. Undo: Ctrl+Z.")
            self.show_group.emit(split.added[0] if split.added else -1)
            return
        self.message.emit(f"Remembered: {a} and {b} are not duplicates; {rest}. Undo: Ctrl+Z.")
        self.show_group.emit(split.added[0] if split.added else -1)

    # -- Undo, shared with the trash flow ----------------------------------------------------
    def owns_undo(self) -> bool:
        """Whether Undo should take back a pair decision (the newest undoable step)."""
        return (bool(self.history) and not self.busy
                and self.history[-1].trash_depth >= len(self.flow.history))

    def undo(self) -> None:
        step = self.history.pop()
        paths = sorted(step.split.paths)
        self._start(lambda _progress, _cancel: forget_not_duplicates(paths),
                    lambda problem: self._undone(step, problem))

    def _undone(self, step: _Step, problem: str | None) -> None:
        if problem:
            self.history.append(step)
            self.message.emit(f"Could not undo: {problem}")
            return
        if step.generation != self.state.generation:
            self.message.emit("Forgotten: the next scan may group these two files again.")
            return
        for group in step.split.added:
            self.state.set_dismissed(group, True)
        self.state.set_dismissed(step.split.group, False)
        self.flow.redone.append(Done("pair", step.split.paths, step.split.group,
                                     step.generation))
        self.message.emit("The group is back as it was. Redo: Ctrl+Shift+Z.")
        self.show_group.emit(step.split.group)

    def redo(self, done: Done) -> None:
        """Say again that the pair of `done` (taken back by Undo) are not duplicates."""
        same = done.generation == self.state.generation  # other results: other group numbers
        files = {f.path: f for f in self.state.groups[done.group].files} if same else {}
        if not same or not done.paths <= files.keys():
            self.message.emit("Cannot redo: these are other results (scan or open again).")
            self.changed.emit()
            return
        if len(done.paths) > 2:  # a whole group with identical copies (mark_apart)
            group = self.state.groups[done.group]
            self.mark_apart(done.group, apart_pairs(identical_classes(
                group, [files[p] for p in sorted(done.paths)])))
            return
        a, b = sorted(done.paths)
        self.mark(done.group, (files[a], files[b]))

    def _start(self, call: EngineCall, done: Callable[[Any], None]) -> None:
        self.busy = True
        self.changed.emit()
        self.runner.start(call, finished=lambda value: self._finish(done, value),
                          failed=lambda message, _details: self._finish(
                              lambda _v: self.message.emit(f"Failed: {message}"), None))

    def _finish(self, done: Callable[[Any], None], value: Any) -> None:
        self.busy = False
        done(value)
        self.changed.emit()
