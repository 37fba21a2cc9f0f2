"""Photos added to a library grouped without walking the rest of it again.

Why: adding 1,000 photos to a 500k library verified, linked and put into series every stored
pair again (~400,000 pairs: ~5 s of bookkeeping, though nothing there had changed). Every
outcome of the grouping lies within a *region*: a connected component of the pairs walked by
verification (checked, not decided by the captures alone), the edges kept and the similar
shots. Verification keys and decides each walked component on its own (verified_store.py),
clusters merge only along edges and series only along shots, so nothing crosses a region
but three things, each handled here:
- crowding (refute.Chain) counts a unit's "edited copy" candidates over all its pairs: the
  units of every region an added photo has a candidate pair with are grouped again, and the
  crowded units are counted over every pair they have;
- a pair the captures alone decide between two regions is settled by both units' exposure
  captures (capture_decided.settle): it stayed apart last time (else one region); it stays
  so while the grouped-again side's exposure instant is the one stored, else everything is
  grouped again;
- any other pair between a grouped-again unit and the rest that could be an edge means the
  regions were not what was stored: everything is grouped again.

So when the last grouping's basis (basis_store.py: its files, their stamps and regions) holds
every file of this one unchanged, under the same code, settings and decisions, only the
regions the added photos touch are grouped again; the groups and series of the others come
back from the result memo. The groups are exactly a full recomputation's (property-tested in
tests/engine/grouping/test_additions.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from operator import attrgetter, le

import numpy as np

from dedup_gui.engine.grouping.basis_store import Basis, Previous, instant
from dedup_gui.engine.grouping.candidates import Part, tier_edges, verified_edges, wanted_tiers
from dedup_gui.engine.grouping.capture_decided import dated, exposed, split
from dedup_gui.engine.grouping.matching import UnitPairs
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.refute import crowded_units
from dedup_gui.engine.grouping.units import MatchParams, Unit, unit_capture
from dedup_gui.engine.grouping.verified_store import Trace, VerifiedStore, component_labels
from dedup_gui.engine.grouping.verify import Verified
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge
from dedup_gui.engine.types import Capture, Group, GroupFile, Series

Pair = tuple[int, int]
_FILES, _PATH = attrgetter("files"), attrgetter("path")


@dataclass
class Layout:
    """Where this grouping's files sit: each file's unit, each unit's first file, each
    unit's files (those of units of several files only), and which values each file's unit
    has (basis_store.Basis.values); each file's index by path when asked."""

    files: Sequence[GroupFile]
    owner: np.ndarray
    first: np.ndarray
    several: dict[int, list[int]]
    values: np.ndarray
    _index: dict[str, int] | None = None

    def files_of(self, unit: int) -> list[int]:
        return self.several.get(unit) or [int(self.first[unit])]

    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {f.path: i for i, f in enumerate(self.files)}
        return self._index


def layout(units: Sequence[Unit], files: Sequence[GroupFile]) -> Layout:
    """The Layout of `units` (build_units' order: by first path) over `files`. Files in path
    order (a scan's) need no index: the first files are all but the other copies, in order;
    each copy is found by bisection (500k files: ~0.3 s less than a dict of every path)."""
    paths = list(map(_PATH, files))
    ordered = all(map(le, paths, islice(paths, 1, None)))
    place = partial(bisect_left, paths) if ordered else {p: i for i, p in enumerate(paths)}.get
    sizes = np.fromiter(map(len, map(_FILES, units)), np.int64, len(units))
    several = {number: [place(f.path) for f in units[number].files]
               for number in np.flatnonzero(sizes > 1).tolist()}
    if ordered:
        copies = [i for places in several.values() for i in places[1:]]
        first = np.delete(np.arange(len(files)), np.array(copies, np.int64))
    else:
        first = np.fromiter((place(u.files[0].path) for u in units), np.int64, len(units))
    owner = np.zeros(len(files), np.int64)
    owner[first] = np.arange(len(units))
    for number, places in several.items():
        owner[places] = number
    values = (np.fromiter((u.hash is not None for u in units), np.uint8, len(units))
              | np.fromiter((u.embedding is not None for u in units), np.uint8, len(units)) << 1)
    return Layout(files, owner, first, several, values[owner])


@dataclass
class Scoped:
    """Verification of the units the added photos touch (`scope`, per unit) on their pairs
    among themselves (`inner`, as tier_edges gives them)."""

    previous: Previous
    layout: Layout
    scope: np.ndarray
    inner: dict[Pair, Edge]
    verified: Verified
    trace: Trace

    def joined(self, files: Sequence[GroupFile], groups: list[Group], series: list[Series]
               ) -> tuple[list[Group], list[Series]]:
        """`groups` and `series` of the scope with the last grouping's of the rest (each of
        those lies wholly inside the scope or wholly outside it: one region)."""
        inside = {files[i].path for i in np.flatnonzero(self.scope[self.layout.owner]).tolist()}
        return (groups + [g for g in self.previous.groups if g.files[0].path not in inside],
                series + [s for s in self.previous.series if s.files[0].path not in inside])


def scoped(previous: Previous, where: Layout, units: Sequence[Unit], found: UnitPairs,
           match: MatchParams, cancel: CancelToken | None, pictures: PictureCache,
           verified_store: VerifiedStore | None) -> Scoped | None:
    """The added photos' regions verified on their own, or None where the rest must be
    grouped again too (module docstring)."""
    if verified_store is None or not _same_units(previous, where):
        return None
    wanted = wanted_tiers(found, match)
    scope = _scope(previous, where, found.a[wanted], found.b[wanted])
    chosen = np.flatnonzero(wanted & (scope[found.a] | scope[found.b]))
    touching = tier_edges(found, match, chosen)
    inner = {p: e for p, e in touching.items() if scope[p[0]] and scope[p[1]]}
    captures: list[Capture | None] = [None] * len(units)
    for unit in {u for pair in touching for u in pair}:
        captures[unit] = unit_capture(units[unit])
    crowded = frozenset(u for u in crowded_units(p for p, e in touching.items()
                                                 if e.tier == EDITED) if scope[u])
    trace = Trace()
    verified = verified_edges(units, inner, match, cancel, pictures, verified_store,
                              Part(captures, crowded), trace)
    if not _apart_as_before(previous, where, scope, touching, inner, captures, verified, match,
                            trace):
        return None
    return Scoped(previous, where, scope, inner, verified, trace)


def _same_units(previous: Previous, where: Layout) -> bool:
    """Whether the stored files fall into units as they did (an added exact copy may join
    one: that unit is grouped again): each stored unit is one unit now, and no two are."""
    kept = ~previous.added
    then, now = previous.units[kept], where.owner[kept]
    one_now = np.full(int(then.max(initial=-1)) + 1, -1, np.int64)
    one_now[then] = now  # a stored unit split in two keeps one of them here
    one_then = np.full(len(where.first), -1, np.int64)
    one_then[now] = then  # two stored units in one keep one of them here
    return np.array_equal(one_now[then], now) and np.array_equal(one_then[now], then)


def _scope(previous: Previous, where: Layout, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per unit: whether it is grouped again. The units holding an added photo, and every
    unit of a region that one of them pairs with or that held one of their other files."""
    added = np.zeros(len(where.first), bool)
    added[where.owner[previous.added]] = True
    region = previous.regions[where.first]
    touch = added[a] | added[b]
    old_of_added = previous.regions[added[where.owner] & ~previous.added]
    dirty = np.unique(np.concatenate([region[a[touch]], region[b[touch]], old_of_added]))
    return added | np.isin(region, dirty[dirty >= 0])


def _apart_as_before(previous: Previous, where: Layout, scope: np.ndarray,
                     touching: dict[Pair, Edge], inner: dict[Pair, Edge],
                     captures: Sequence[Capture | None], verified: Verified,
                     match: MatchParams, trace: Trace) -> bool:
    """Whether every pair between the grouped-again units and the rest still leaves them
    apart: decided by captures whose exposure instants are those stored."""
    cross = [p for p in touching if p not in inner]
    verifiable = {p for p in cross if match.verify and touching[p].tier in (RESAVED, EDITED)}
    if any(touching[p].tier in match.tiers for p in cross if p not in verifiable):
        return False  # an edge unless verification removes it: one region, not two
    checked = [p for p in cross if p in verifiable]
    walked, decided = split(checked, captures)
    if walked:
        return False
    if decided and trace.known is None:  # settled no pair inside: rebuilt here (and kept)
        trace.known = exposed(captures, verified.joined, inner)
    known = trace.known or {}
    for pair in decided:
        unit = pair[0] if scope[pair[0]] else pair[1]
        now = instant(known[unit] if unit in known else dated(captures[unit]))
        if now != previous.exposed.get(int(where.first[unit]), instant(dated(captures[unit]))):
            return False
    return True


def made_basis(files: Sequence[GroupFile], units: Sequence[Unit], where: Layout,
               verified: Verified, trace: Trace, part: Scoped | None) -> Basis:
    """This grouping's basis: each file's region and exposure instant, those of the scope
    (or of everything) from `verified` and its `trace`, the rest as stored. The exposures are
    those settling pairs the captures decide needed (none settled: no such pair, so none is
    read later either)."""
    pairs = [*trace.walked, *verified.edges, *verified.shots]
    label = component_labels(len(units), pairs)[where.owner]
    exposed = {file: instant(capture) for unit, capture in (trace.known or {}).items()
               for file in where.files_of(unit)}
    if part is None:
        return Basis(files, where.values, where.owner, label, exposed)
    inside = part.scope[where.owner]
    stored = part.previous.regions
    regions = np.where(inside, label + int(stored.max(initial=-1)) + 1, stored)
    exposed.update({file: moment for file, moment in part.previous.exposed.items()
                    if not inside[file]})
    return Basis(files, where.values, where.owner, regions, exposed)
