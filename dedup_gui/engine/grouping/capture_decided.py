"""Pairs the capture rule refutes from their own two captures, set apart from the components
that verification keys and stores (verified_store.py).

Why: in a large library most look-alike pairs are chance ones between two cameras, or one
camera at two instants (bench_scale's 500k capture library: 334,000 of its 423,000 checked
pairs). The walk (verify.verify_edges) decides such a pair from the two captures alone, and the
pair changes nothing the walk knows afterwards: no exposures joined, no pictures put on one
map. Joined through those pairs, that library's checked pairs made one component of 328,000
pairs, verified again whole whenever one new photo touched it; without them its largest
component holds 27,000 pairs, and a thousand new photos touch 28,000 (not 328,000).

Two things the walk takes from these pairs are kept exactly:
- their "edited copy" candidates count towards refute.Chain's crowding, so the crowded pictures
  are counted over all pairs and handed to each component's walk (verified_store.py);
- a refuted pair leaves no edge when its two exposures were taken far apart (far_apart), and
  an exposure's capture is what the walk's joins made it: the joins (Verified.joined) are
  replayed here in the walk's order (an exposure's capture depends on the order of its joins).

Both run on every regroup over all checked pairs, so the rules are read as arrays (_Columns,
_Instants): the capture rule's and far_apart's definitions, one comparison per pair, equal to
them pair by pair (tests/engine/grouping/test_capture_decided.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from dedup_gui.engine.grouping.capture_rule import Exposures, camera_key, capture_verdict
from dedup_gui.engine.grouping.verify import Verified, noted
from dedup_gui.engine.signals.capture import SERIES_SPAN_S, far_apart
from dedup_gui.engine.tiers import SIMILAR, Edge
from dedup_gui.engine.types import Capture

Pair = tuple[int, int]


class _Instants:
    """What far_apart reads of each capture, one row each: the instant, whether it is dated,
    and whether it carries its offset. Raises OverflowError for an instant beyond int64 (a
    damaged date: then the pairs are compared one by one)."""

    def __init__(self, captures: Sequence[Capture | None]) -> None:
        rows = [(0, False, False) if c is None else (c.taken_ns or 0, c.taken_ns is not None,
                                                     c.has_offset) for c in captures]
        taken, dated, offset = zip(*rows, strict=True)
        self.taken = np.array(taken, np.int64)
        self.dated, self.offset = np.array(dated, bool), np.array(offset, bool)


class _Columns(_Instants):
    """The capture rule's facts besides the instants, one row per capture: camera named (make
    and model), which camera, which serial (-1: none), which image ID (-1: none). Spelling each
    camera is its cost (~0.5 s for a 500k library's ~300,000 captures), which settle, reading
    instants only, does not pay. Made for the units of some pairs: never empty."""

    def __init__(self, captures: Sequence[Capture | None]) -> None:
        super().__init__(captures)
        cameras: dict[tuple[str, str], int] = {}
        serials: dict[str, int] = {}
        ids: dict[str, int] = {}
        rows = []
        for c in captures:
            if c is None:
                rows.append((False, -1, -1, -1))
                continue
            make, model = camera_key(c)
            rows.append((bool(make and model), cameras.setdefault((make, model), len(cameras)),
                         serials.setdefault(c.serial.strip(), len(serials)) if c.serial else -1,
                         ids.setdefault(c.unique_id, len(ids)) if c.unique_id else -1))
        named, camera, serial, image = zip(*rows, strict=True)
        self.named = np.array(named, bool)
        self.camera, self.serial, self.image = (np.array(x, np.int64)
                                                for x in (camera, serial, image))


def split(pairs: Sequence[Pair], captures: Sequence[Capture | None]
          ) -> tuple[list[Pair], list[Pair]]:
    """(walked, decided): the pairs the walk must check, and those whose two captures alone
    refute them (two cameras, or one camera at two instants)."""
    if not pairs:
        return [], []
    try:
        decided = _refuted(np.array(pairs, np.int64), captures)
    except OverflowError:
        decided = np.array([capture_verdict(captures[i], captures[j], notes=False).same is False
                            for i, j in pairs], bool)
    return [pairs[k] for k in np.flatnonzero(~decided).tolist()], \
        [pairs[k] for k in np.flatnonzero(decided).tolist()]


def _refuted(pairs: np.ndarray, captures: Sequence[Capture | None]) -> np.ndarray:
    """capture_verdict(...).same is False for each pair, as arrays."""
    units, place = np.unique(pairs, return_inverse=True)
    c = _Columns([captures[u] for u in units.tolist()])
    a, b = place.reshape(pairs.shape).T
    other_body = (c.serial[a] >= 0) & (c.serial[b] >= 0) & (c.serial[a] != c.serial[b])
    other_camera = (c.camera[a] != c.camera[b]) | other_body
    one_image = (c.image[a] >= 0) & (c.image[a] == c.image[b])
    two_instants = c.dated[a] & c.dated[b] & ~one_image & (c.taken[a] != c.taken[b])
    return c.named[a] & c.named[b] & (other_camera | two_instants)


def settle(decided: Sequence[Pair], edges: Mapping[Pair, Edge],
           captures: Sequence[Capture | None], joined: set[Pair],
           known_out: dict[int, Capture | None] | None = None) -> Verified:
    """The walk's outcome for the `decided` pairs: each refuted, with a "similar shot" edge
    noted by the capture rule, unless the two exposures were taken far apart (then no edge).
    `joined`: every pair the walk found one exposure, its exposures rebuilt from them (and
    put in `known_out`: additions.py keeps them)."""
    result = Verified({}, set(decided))
    if not decided:
        return result
    known = exposed(captures, joined, edges)
    if known_out is not None:
        known_out.update(known)
    pairs = np.array(decided, np.int64)
    units, place = np.unique(pairs, return_inverse=True)
    seen = [known[u] if u in known else dated(captures[u]) for u in units.tolist()]
    try:
        far = _far_apart(_Instants(seen), place.reshape(pairs.shape))
    except OverflowError:
        index = {u: k for k, u in enumerate(units.tolist())}
        far = np.array([far_apart(seen[index[i]], seen[index[j]]) for i, j in decided], bool)
    for k in np.flatnonzero(~far).tolist():
        pair = decided[k]
        note = capture_verdict(captures[pair[0]], captures[pair[1]]).note
        result.edges[pair] = result.shots[pair] = noted(edges[pair], SIMILAR, note)
    return result


def exposed(captures: Sequence[Capture | None], joined: set[Pair],
             edges: Mapping[Pair, Edge]) -> dict[int, Capture | None]:
    """unit -> its exposure's capture, for the units of `joined`, the joins replayed in the
    walk's order (verify_edges') on those units alone."""
    members = sorted({unit for pair in joined for unit in pair})
    local = {unit: place for place, unit in enumerate(members)}
    exposures = Exposures([captures[unit] for unit in members])
    for i, j in sorted(joined, key=lambda pair: (edges[pair].sort_key(), pair)):
        exposures.join(local[i], local[j])
    return {unit: exposures.capture(local[unit]) for unit in members}


def dated(capture: Capture | None) -> Capture | None:
    """A lone unit's exposure capture: its own, when dated (Exposures keeps dated ones)."""
    return capture if capture is not None and capture.taken_ns is not None else None


def _far_apart(c: _Instants, place: np.ndarray) -> np.ndarray:
    """far_apart of each pair of rows, as arrays."""
    a, b = place.T
    early, late = np.minimum(c.taken[a], c.taken[b]), np.maximum(c.taken[a], c.taken[b])
    apart = late.astype(np.uint64) - early.astype(np.uint64)  # exact: never negative, < 2**64
    return c.dated[a] & c.dated[b] & (c.offset[a] == c.offset[b]) & \
        (apart > np.uint64(SERIES_SPAN_S * 10**9))
