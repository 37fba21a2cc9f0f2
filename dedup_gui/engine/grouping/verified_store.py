"""Verification outcomes remembered per connected component, so a rescan verifies only the
components that changed.

verify_edges (verify.py) checks pairs in order and lets files that are one exposure share what
they know, but only along the pairs it checks: what it decides for a pair depends only on the
pairs, files and captures of that pair's connected component (of the checked edges), and on
which of its pictures are crowded (refute.Chain, counted over all pairs). Pairs the capture
rule refutes from their two captures join nothing: they are set apart (capture_decided.py) and
do not join components. So each component is verified on its own terms: its inputs (each
unit's path, size, mtime, capture, "may be plain" and crowded flags; each pair's tier and
values) and the verification code itself (the bytes of verify.py, pixel_verdict.py,
capture_rule.py, pixels.py and the modules it reads pictures and searches through, so any
change there verifies everything again) form a key, and its outcome per pair (tier, note,
refuted, joined) is stored under it. A component with any changed input has another key and
is verified again, with the other missed components, in one verify_edges call: the outcome is
the same as verifying the whole library at once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

from dedup_gui.engine import grids
from dedup_gui.engine.grouping import (
    capture_decided,
    capture_rule,
    disjoint,
    picture_cache,
    picture_grid,
    pixel_search,
    pixel_verdict,
    pixels,
    verify,
)
from dedup_gui.engine.grouping.component_outcome import (
    apply_outcome,
    component_key,
    decoded,
    fits,
    outcome_of,
)
from dedup_gui.engine.grouping.refute import crowded_units
from dedup_gui.engine.grouping.verdict_store import METHOD_VERSION
from dedup_gui.engine.grouping.verify import Verified
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge
from dedup_gui.engine.types import Capture

TABLE = "verified_components"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, outcome TEXT)"
_BATCH = 500
PRUNE_SLACK = 1000  # outcomes kept beyond twice the used ones before stale ones are dropped
Pair = tuple[int, int]
Verifier = Callable[[dict[Pair, Edge], Collection[int] | None], Verified]  # pairs, crowded


def _method() -> str:
    """The verification code's own fingerprint: a rule changed there changes every key."""
    digest = hashlib.sha1(str(METHOD_VERSION).encode())
    for module in (verify, pixel_verdict, picture_cache, capture_rule, disjoint, pixels,
                   pixel_search, picture_grid, grids):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # a bundle without sources: its version stands for the code
            from dedup_gui import __version__
            digest.update(__version__.encode())
    return digest.hexdigest()


class VerifiedStore:
    """Outcomes by component key in `cache`; a cache that cannot hold them stores nothing."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.method = _method()
        try:
            cache.db.execute(_CREATE)
            self.usable = True
        except sqlite3.Error as error:
            self.cache.noticed(error)
            self.usable = False

    def load(self, keys: Sequence[str]) -> dict[str, list]:
        found: dict[str, list] = {}
        if not self.usable:
            return found
        try:
            for start in range(0, len(keys), _BATCH):
                batch = list(keys[start:start + _BATCH])
                marks = ",".join("?" * len(batch))
                rows = self.cache.db.execute(
                    f"SELECT key, outcome FROM {TABLE} WHERE key IN ({marks})", batch).fetchall()
                found.update(decoded(rows))
        except (sqlite3.Error, ValueError, TypeError):
            return {}
        return found

    def prune(self, current: set[str]) -> None:
        """Forget outcomes no scan of this library uses, once they outnumber the used ones
        (another library scanned with this cache loses its outcomes only then)."""
        if not self.usable:
            return
        try:
            stored = self.cache.db.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()[0]
            if stored <= 2 * len(current) + PRUNE_SLACK:
                return
            with self.cache.db.conn:
                conn = self.cache.db.conn
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS used_components (key TEXT)")
                conn.execute("DELETE FROM used_components")
                conn.executemany("INSERT INTO used_components VALUES (?)",
                                 [(key,) for key in current])
                conn.execute(f"DELETE FROM {TABLE} WHERE key NOT IN "
                             "(SELECT key FROM used_components)")
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return

    def save(self, outcomes: Mapping[str, list]) -> None:
        if not self.usable or not outcomes:
            return
        rows = [(key, json.dumps(value)) for key, value in outcomes.items()]
        try:
            with self.cache.db.conn:
                self.cache.db.conn.executemany(
                    f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", rows)
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return


@dataclass
class Trace:
    """What verification saw besides its outcome, for additions.py's regions: the pairs it
    keyed by component (checked, not decided by captures alone), and, where it settled pairs
    the captures decide, each joined unit's exposure capture (None: it settled none)."""

    walked: list[Pair] = field(default_factory=list)
    known: dict[int, Capture | None] | None = None

    def settled(self) -> dict[int, Capture | None]:
        self.known = {} if self.known is None else self.known
        return self.known


def verify_components(edges: Mapping[Pair, Edge], count: int, facts: Callable[[int], str],
                      run: Verifier, store: VerifiedStore | None,
                      captures: Sequence[Capture | None] | None = None, *,
                      crowded: Collection[int] | None = None, prune: bool = True,
                      trace: Trace | None = None) -> Verified:
    """verify_edges over `edges` among `count` units through `run`, reusing the stored outcome
    of every component whose inputs are unchanged. `facts(unit)`: its verification inputs as
    one string; `captures` (per unit): the pairs they refute on their own are set apart from
    the components (capture_decided.py). `crowded`: the crowded units when `edges` are part
    of a library (counted over all its pairs: additions.py); `prune` off there too (the
    other parts' outcomes are still used). `trace` gets what additions.py keeps of it."""
    checked = sorted(p for p, e in edges.items() if e.tier in (RESAVED, EDITED))
    if store is None or not checked:
        if trace is not None:
            trace.walked.extend(checked)
        return run(dict(edges), crowded)
    if crowded is None:
        crowded = frozenset(crowded_units(p for p in checked if edges[p].tier == EDITED))
    walked, decided = ((checked, []) if captures is None
                       else capture_decided.split(checked, captures))
    by_component = _by_component(count, walked)
    keys = {root: component_key(store.method, pairs, edges, facts, crowded)
            for root, pairs in by_component.items()}
    stored = store.load(sorted(set(keys.values())))
    outcomes = {root: stored[keys[root]] for root, pairs in by_component.items()
                if fits(stored.get(keys[root]), len(pairs))}
    missed = {p: edges[p] for root, pairs in by_component.items() if root not in outcomes
              for p in pairs}
    fresh = run(missed, crowded) if missed else Verified({})
    result = Verified({p: e for p, e in edges.items() if e.tier not in (RESAVED, EDITED)})
    saved = {}
    for root, pairs in by_component.items():
        if root not in outcomes:
            outcomes[root] = saved[keys[root]] = outcome_of(fresh, pairs)
        apply_outcome(result, pairs, edges, outcomes[root])
    if decided:
        known = None if trace is None else trace.settled()
        _merge(result, capture_decided.settle(decided, edges, captures or (), result.joined,
                                              known))
    store.save(saved)
    if prune:
        store.prune(set(keys.values()))
    if trace is not None:
        trace.walked.extend(walked)
    return _in_order(result, edges)


def _by_component(count: int, pairs: Sequence[Pair]) -> dict[int, list[Pair]]:
    """`pairs` by connected component of `count` units (labelled by its smallest unit:
    component_labels), each in the order given."""
    if not pairs:
        return {}
    firsts = np.fromiter((a for a, _ in pairs), np.int64, len(pairs))
    roots = component_labels(count, pairs)[firsts].tolist()  # one array lookup in all
    by_component: dict[int, list[Pair]] = {}
    for root, pair in zip(roots, pairs, strict=True):
        by_component.setdefault(root, []).append(pair)
    return by_component


def component_labels(count: int, pairs: Sequence[Pair]) -> np.ndarray:
    """Each of `count` units labelled by the smallest unit joined to it through `pairs`
    (itself if none): minimum-label propagation with pointer jumping, as whole arrays."""
    label = np.arange(count)
    if not pairs:
        return label
    a, b = np.fromiter(chain.from_iterable(pairs), np.int64, 2 * len(pairs)).reshape(-1, 2).T
    while True:
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(label, before):
            return label


def _merge(result: Verified, more: Verified) -> None:
    result.edges.update(more.edges)
    result.refuted.update(more.refuted)
    result.shots.update(more.shots)
    result.joined.update(more.joined)


def _in_order(result: Verified, edges: Mapping[Pair, Edge]) -> Verified:
    """The edges in the order verify_edges gives them (that of `edges`)."""
    result.edges = {p: result.edges[p] for p in edges if p in result.edges}
    result.shots = {p: result.shots[p] for p in edges if p in result.shots}
    return result
