"""Verification: does a candidate pair show the same exposure, or only the same scene?

Hashes and embeddings say "looks alike"; a burst frame and the next one look alike too, and a
user who trusts "same picture re-saved" would trash a different moment. Every pair that
classify() put in a duplicate tier is checked here, strongest evidence first:

1. Capture metadata (GroupFile.capture; capture_rule.py): one camera (make and model, and the
   serial when both files carry one) at two different instants took two photos; at the same
   instant it took one (an edit, an export or a re-save that kept the EXIF), where the time
   is known finer than the second (a burst's frames share a whole second). Two cameras took
   two photos, at any instant. Missing metadata decides nothing.
2. Degenerate pictures (flat, tiny, extreme aspect ratios) carry no evidence in their hashes or
   embeddings: they match only as identical pixels at a compatible aspect ratio
   (pixel_verdict.py).
3. Pixels (pixel_verdict.py, grouping/pixels.py): aligned, compared tile by tile; screenshots
   by the photos inside them. A residual within re-encoding noise in every tile is the same
   picture. A difference decides nothing here: edits (filters, captions, stickers, heavy crops
   and rotations of a screenshot) and other shots both change pixels, and on the dev sets no
   residual statistic told them apart without losing real edits (measured, see the commit).
   A "re-saved" pair whose pixels differ is relabelled "edited copy".
   Where no capture is known, or where one is and the pixels differ, three rules can still
   refute a pair (grouping/refute.py): two screenshots of one template around different
   photos (frames.py), an "edited copy" with no placement in the other picture
   (placement.py: it shares no pixels with it), and an "edited copy" whose texture is
   displaced off one map (displacement.py: parallax or motion, another shot of the scene).
4. Exposures are transitive: files whose pixels agree are one exposure and share what any of
   them knows, so a messenger re-save (EXIF stripped) of frame 1 is refuted against frame 2
   because frame 1's capture instant differs from frame 2's (without a pixel check of its own).

A pair refuted as "another shot" becomes a SIMILAR edge (counted only when the user counts
similar shots) and never joins a duplicate group through the loose group compatibility either;
one whose captures were taken more than SERIES_SPAN_S apart, or two screens or pages that show
other text (screens.py), leaves no edge at all (not a series: far_apart). With similar shots
counted, the similar tier's pairs get the screen rules alone (drop_screens).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from dedup_gui.engine.grouping.capture_rule import Exposures, capture_verdict
from dedup_gui.engine.grouping.pixel_verdict import PLAIN, memoised_pixel_verdict, plain_file
from dedup_gui.engine.grouping.pixels import FULL, NEAR
from dedup_gui.engine.grouping.refute import Chain, refute, refute_screens
from dedup_gui.engine.grouping.screens import NOT_SHOTS
from dedup_gui.engine.grouping.verdict import Loader, Verdict, differs
from dedup_gui.engine.signals.capture import far_apart
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, Edge
from dedup_gui.engine.types import Capture


@dataclass(slots=True)
class Verified:
    """The edges after verification and the unit pairs refuted (never to share a group)."""

    edges: dict[tuple[int, int], Edge]
    refuted: set[tuple[int, int]] = field(default_factory=set)
    shots: dict[tuple[int, int], Edge] = field(default_factory=dict)  # another shot, alike
    joined: set[tuple[int, int]] = field(default_factory=set)  # found one exposure


def verify_edges(edges: Mapping[tuple[int, int], Edge], captures: Sequence[Capture | None],
                 paths: Sequence[str], load: Loader,
                 memo: dict[tuple[str, str, int], Verdict] | None = None,
                 suspects: Sequence[bool] | None = None,
                 crowded: Collection[int] | None = None) -> Verified:
    """Every duplicate-tier edge checked (module docstring), strongest first so that a copy
    meets its own original before its original's burst-mates (whose refutation it then
    inherits without a pixel check); `captures` and `paths` per unit; `memo` keeps pixel
    verdicts between calls (picture_cache.PictureCache.verdicts); `crowded`: refute.Chain's."""
    memo = {} if memo is None else memo
    suspects = suspects if suspects is not None else [True] * len(paths)
    exposures = Exposures(captures)
    verdicts: dict[tuple[int, int], Verdict] = {}
    checked = [(p, e) for p, e in edges.items() if e.tier in (RESAVED, EDITED)]
    chain = Chain(len(paths), (p for p, e in checked if e.tier == EDITED), crowded)
    for (i, j), edge in sorted(checked, key=lambda item: (item[1].sort_key(), item[0])):
        verdict = capture_verdict(captures[i], captures[j])
        if verdict.same is None:
            verdict = exposures.refutes(i, j) or _pixels(paths, (i, j), edge.tier,
                                                          exposures.known(i, j), load, memo,
                                                          suspects, chain)
        if verdict.same:
            exposures.join(i, j)
        verdicts[(i, j)] = verdict
    for (i, j), verdict in verdicts.items():  # what the exposures learnt after a pair's turn
        if verdict.same is None:
            verdicts[(i, j)] = exposures.refutes(i, j) or verdict
    unrelated = {(i, j) for (i, j), verdict in verdicts.items() if verdict.same is False
                 and (verdict.note in NOT_SHOTS
                      or far_apart(exposures.capture(i), exposures.capture(j)))}
    return _result(edges, verdicts, unrelated)


def drop_screens(verified: Verified, paths: Sequence[str], load: Loader,
                 memo: dict[tuple[str, str, int], Verdict]) -> None:
    """Refute, in place, the SIMILAR edges that are two screens or a screen and a photo
    (refute.refute_screens; `paths` per unit): they leave no edge. Only called with similar
    shots counted, whose pairs the walk does not verify."""
    for pair, edge in list(verified.edges.items()):
        if edge.tier == SIMILAR and \
                refute_screens(paths[pair[0]], paths[pair[1]], load, memo).same is False:
            del verified.edges[pair]
            verified.shots.pop(pair, None)
            verified.refuted.add(pair)


def _result(edges: Mapping[tuple[int, int], Edge],
            verdicts: Mapping[tuple[int, int], Verdict],
            unrelated: set[tuple[int, int]]) -> Verified:
    """The verdicts applied (_apply); an `unrelated` pair is refuted and leaves no edge."""
    result = Verified({})
    for pair, edge in edges.items():
        verdict = verdicts.get(pair)
        checked = edge if verdict is None else _apply(edge, verdict)
        refuted = verdict is not None and verdict.same is False
        if refuted:
            result.refuted.add(pair)
        elif verdict is not None and verdict.same:
            result.joined.add(pair)
        if checked is not None and pair not in unrelated:
            result.edges[pair] = checked
            if refuted:
                result.shots[pair] = checked
    return result


def _pixels(paths: Sequence[str], pair: tuple[int, int], tier: str, known: bool,
            load: Loader, memo: dict[tuple[str, str, int], Verdict],
            suspects: Sequence[bool], chain: Chain | None = None) -> Verdict:
    """The pixel verdict, searching only as hard as its answer matters: fully where a side's
    exposure has a known capture (its copies inherit it, so the answer can refute a pair).
    Without one, an alignment could only relabel "re-saved" as "edited copy" (a scan must
    not pay about 25 ms a pair for that: it took a 600-photo scan from 2.0 to 5.3 s), so such
    a pair gets the degenerate-picture rule, from a per-file flag, and the cheaper rules that
    can refute it (refute.py: two photos in one frame, no placement, displaced texture).
    Those rules hold whatever the metadata says, so a captured pair whose pixels differ gets
    them too: a re-save without EXIF next to a chance look-alike with EXIF (unrelated
    pictures at cosine 0.76, its own original not met first) stayed an "edited copy",
    proposed for the Trash (bench_scale's 20k library: 25 of its 68 false pairs)."""
    a, b = paths[pair[0]], paths[pair[1]]
    plain = (suspects[pair[0]] and plain_file(a, load, memo)) or \
        (suspects[pair[1]] and plain_file(b, load, memo))
    if not known and not plain:
        return refute(a, b, tier, load, memo, chain, pair)
    verdict = memoised_pixel_verdict(a, b, FULL if known else NEAR, load, memo)
    if known and differs(verdict):
        refuted = refute(a, b, tier, load, memo, chain, pair)
        if refuted.same is False:
            return refuted
    return verdict


def _apply(edge: Edge, verdict: Verdict) -> Edge | None:
    """The edge with its evidence noted: kept when the same exposure, relabelled "edited copy"
    when pixels differ but nothing refutes it, SIMILAR when another shot, None when the
    pictures are too plain to be even alike."""
    if verdict.same:
        return noted(edge, edge.tier, verdict.note)
    if verdict.same is None:
        tier = EDITED if edge.tier == RESAVED and verdict.note else edge.tier
        return noted(edge, tier, verdict.note)
    if verdict.note == PLAIN:
        return None
    return noted(edge, SIMILAR, verdict.note)


def noted(edge: Edge, tier: str, note: str) -> Edge:
    """replace(edge, tier=tier, note=note), the edge itself where both are already so (Edges
    are frozen: sharing one is safe), else made directly: dataclasses.replace costs ~3 µs a
    call, and re-verifying a big component, or applying a warm rescan's stored outcomes
    (verified_store.py: 500k files, 140k edges), makes hundreds of thousands."""
    if edge.tier == tier and edge.note == note:
        return edge
    return Edge(tier, edge.hash_distance, edge.cosine, note)
