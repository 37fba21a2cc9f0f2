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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dedup_gui.engine.grouping.capture_rule import Exposures, capture_verdict, far_apart
from dedup_gui.engine.grouping.verify import Verified, noted
from dedup_gui.engine.tiers import SIMILAR, Edge
from dedup_gui.engine.types import Capture

Pair = tuple[int, int]


def split(pairs: Sequence[Pair], captures: Sequence[Capture | None]
          ) -> tuple[list[Pair], list[Pair]]:
    """(walked, decided): the pairs the walk must check, and those whose two captures alone
    refute them (two cameras, or one camera at two instants)."""
    walked: list[Pair] = []
    decided: list[Pair] = []
    for pair in pairs:
        same = capture_verdict(captures[pair[0]], captures[pair[1]], notes=False).same
        (decided if same is False else walked).append(pair)
    return walked, decided


def settle(decided: Sequence[Pair], edges: Mapping[Pair, Edge],
           captures: Sequence[Capture | None], joined: set[Pair]) -> Verified:
    """The walk's outcome for the `decided` pairs: each refuted, with a "similar shot" edge
    noted by the capture rule, unless the two exposures were taken far apart (then no edge).
    `joined`: every pair the walk found one exposure, its exposures rebuilt from them."""
    exposures = Exposures(captures)
    for i, j in sorted(joined, key=lambda pair: (edges[pair].sort_key(), pair)):
        exposures.join(i, j)
    result = Verified({}, set(decided))
    for pair in decided:
        i, j = pair
        if far_apart(exposures.capture(i), exposures.capture(j)):
            continue
        note = capture_verdict(captures[i], captures[j]).note
        result.edges[pair] = result.shots[pair] = noted(edges[pair], SIMILAR, note)
    return result
