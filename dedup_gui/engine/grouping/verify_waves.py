"""The verification walk's dry run: which pixel checks it will ask for, a wave at a time.

verify_edges (verify.py) walks the pairs in order, and a verdict can rest on earlier ones in
two ways; the pool (verify_pool.py) must not compute what the walk will not ask for:

- Exposures are transitive. Once a messenger re-save (no EXIF) agrees with its captured
  original, it is known by the original's capture, so its chance look-alikes from other
  cameras or other instants are refuted by capture, without pixels, and its pairs with other
  uncaptured files are checked fully (the answer can refute through it), not by the
  refuting rules. So a pair waits while a check still out may give one of its sides a capture
  (Plan): in a large library most look-alike pairs of a re-save are chance ones, and each
  full pixel check costs tens of milliseconds (bench_scale's 500k library: see the README).
  A pair checked fully whose pixels differ gets the refuting rules' checks in a later wave,
  as the walk asks for them (verify._pixels).
- With the displacement rule on, the walk's Chain skips a pair once its pictures were found
  on one map through others: a pair that earlier pending pairs could close (were they all on
  one map) waits for their verdicts.

Asked again as verdicts come in (verify_pool.prefetch), the dry run gives the next wave.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from dedup_gui.engine.grouping import refute as rules
from dedup_gui.engine.grouping.capture_rule import Exposures, capture_verdict
from dedup_gui.engine.grouping.pixels import FULL, NEAR
from dedup_gui.engine.grouping.verdict import Memo, differs
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge
from dedup_gui.engine.types import Capture

Check = tuple[str, str, str]  # (path, path, tier) handed to refute() without a Chain
PIXELS = "pixels"  # a Check's tier for the full pixel verdict, not refute()


class _NeedsPixels(Exception):
    """Raised by the dry run's loader: this pair's checks decode."""


def _refuse(path: str) -> None:
    raise _NeedsPixels(path)


class Plan:
    """The exposures as the walk will know them at each pair's turn, as far as the memo says:
    the joins whose verdicts are in, and the exposures that a check still out (handed to the
    pool, or found in this wave) may join to a captured one (`waiting`)."""

    def __init__(self, exposures: Exposures) -> None:
        self.exposures = exposures
        self.waiting: set[int] = set()  # exposure roots

    def copy(self) -> Plan:
        plan = Plan(self.exposures.copy())
        plan.waiting = set(self.waiting)
        return plan

    def waits(self, i: int, j: int) -> bool:
        return bool({self.exposures.root(i), self.exposures.root(j)} & self.waiting)

    def join(self, i: int, j: int) -> None:
        waited = self.waits(i, j)
        self.exposures.join(i, j)
        if waited:
            self.waiting.add(self.exposures.root(i))

    def out(self, i: int, j: int) -> None:
        """A full pixel check of (i, j) is out: a side without a capture may gain one (both
        sides, when both have one: joined, they would conflict and be known by none)."""
        sides = [k for k in (i, j) if self.exposures.capture(k) is None] or [i, j]
        self.waiting.update(self.exposures.root(k) for k in sides)


@dataclass(slots=True)
class _State:
    """What the dry run knows before the walk's `step`-th pair."""

    step: int
    plan: Plan
    chain: rules.Chain
    maybe: rules.Chain

    def copy(self, step: int) -> _State:
        return _State(step, self.plan.copy(), self.chain.copy(), self.maybe.copy())


class DryRun:
    """The dry run for one scan's edges, asked again wave after wave: the walk's order and the
    capture rule's verdicts (they rest on no other pair) are worked out once, and each wave
    walks only the pairs the capture rule leaves undecided or joins. Why: a large library's
    look-alike pairs are mostly chance ones between two cameras (refuted by capture), and the
    dry run is asked after each verdict near a wave's end (bench_scale's 500k library: the
    workers waited on it).

    Each wave starts where the last one first missed a verdict, from what it knew there: the
    pairs before it found every verdict they read in the memo, which only grows, so walking
    them again gives the same. Why: the stage ends in a tail of waves of one check each, and
    walking all 88,919 pairs of the 500k capture library again for each took 0.5 s while the
    workers waited (121 waves, 61 s; now 12-17 s, the tail's last 53 waves in 3 s)."""

    def __init__(self, edges: Mapping[tuple[int, int], Edge],
                 captures: Sequence[Capture | None], paths: Sequence[str],
                 suspects: Sequence[bool], crowded: Collection[int] | None = None) -> None:
        checked = [(p, e) for p, e in edges.items() if e.tier in (RESAVED, EDITED)]
        chain = rules.Chain(len(paths), (p for p, e in checked if e.tier == EDITED), crowded)
        self._start: _State | None = _State(0, Plan(Exposures(captures)), chain, chain.fresh())
        self._steps: list[tuple[int, int, Edge, bool | None]] = []
        for (i, j), edge in sorted(checked, key=lambda item: (item[1].sort_key(), item[0])):
            same = capture_verdict(captures[i], captures[j], notes=False).same
            if same is not False:
                self._steps.append((i, j, edge, same))
        self._paths, self._suspects = paths, suspects

    def __call__(self, memo: Memo) -> list[Check]:
        """The next wave: the pixel checks the walk will ask for that `memo` does not hold, in
        the walk's order (module docstring): PIXELS for a pair whose exposures have a capture
        (verify._pixels checks it fully), else the refuting rules' checks (refute.refute). A
        pair the capture rule decides gives none, nor one without a capture whose side may be
        plain (the walk's degenerate rule decides it in the parent)."""
        paths, suspects = self._paths, self._suspects
        state, self._start = self._start, None
        assert state is not None
        plan, chain, maybe = state.plan, state.chain, state.maybe
        found: list[Check] = []
        step = state.step

        def missed() -> None:  # called before this step changes anything: the next start
            if self._start is None:
                self._start = state.copy(step)

        for step in range(state.step, len(self._steps)):
            i, j, edge, same = self._steps[step]
            if same:
                plan.join(i, j)
            elif plan.waits(i, j) or plan.exposures.refutes(i, j, notes=False) is not None:
                continue
            elif plan.exposures.known(i, j):
                # pixels differ: the refuting rules next, as verify._pixels asks for them
                if _full(plan, (i, j), paths, memo, found, missed) and (check := _refuting(
                        edge, (i, j), paths, memo, chain, maybe, missed)) is not None:
                    found.append(check)
            elif suspects[i] or suspects[j]:  # the walk's degenerate rule, in the parent
                near = memo.get((paths[i], paths[j], NEAR))
                if near is None:
                    missed()
                elif near.same:
                    plan.join(i, j)
            elif (check := _refuting(edge, (i, j), paths, memo, chain, maybe, missed)) \
                    is not None:
                found.append(check)
        if self._start is None:  # every verdict was in: nothing is left to ask for
            self._start = _State(len(self._steps), plan, chain, maybe)
        return found


def _full(plan: Plan, pair: tuple[int, int], paths: Sequence[str], memo: Memo,
          found: list[Check], missed: Callable[[], None]) -> bool:
    """A pair the walk checks by its full pixel verdict (a side's exposure has a capture): its
    verdict joins exposures when in, else a PIXELS check that its exposures wait for. True
    when the verdict is in and the pixels differ: the walk asks the refuting rules next."""
    i, j = pair
    verdict = memo.get((paths[i], paths[j], FULL))
    if verdict is not None:
        if verdict.same:
            plan.join(i, j)
        return differs(verdict)
    missed()
    plan.out(i, j)
    found.append((paths[i], paths[j], PIXELS))
    return False


def _refuting(edge: Edge, pair: tuple[int, int], paths: Sequence[str], memo: Memo,
              chain: rules.Chain, maybe: rules.Chain, missed: Callable[[], None]
              ) -> Check | None:
    """The refuting rules' check of a pair with no capture known, if it needs pixels."""
    i, j = pair
    # a pair the Chain closes (a crowded picture) gets the frame rule only
    tier = edge.tier if chain.open(i, j) else rules.FRAMES_ONLY
    try:
        verdict = rules.refute(paths[i], paths[j], edge.tier, _refuse, memo, chain, pair)
    except _NeedsPixels:
        missed()
        if tier == EDITED and rules.DISPLACEMENT_RULE:
            if not maybe.open(i, j):
                return None  # closed if an earlier pair of this wave joins: the next wave
            maybe.join(i, j)
        return (paths[i], paths[j], tier)
    if verdict.note == rules.ONE_MAP:
        maybe.join(i, j)
    return None
