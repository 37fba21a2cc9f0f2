"""Similar-shot series: pictures that looked like duplicates but verification showed to be other
exposures of one scene (a burst, a second try, a tripod series), each with a suggested best shot.

A series is a connected set of "another shot" pairs (single linkage: frames of a burst chain
naturally, frame 1 ~ frame 2 ~ frame 3), joined strongest first and never beyond what a series
is: its dated captures span at most SERIES_SPAN_S (signals.capture.far_apart). They are never
duplicates, so nothing is proposed for the Trash unless a person applies "keep the best of
each series".

The best shot, from the picture verification already decoded (short side SIDE px, so the numbers
mean the same for every file size):
- sharpness: variance of the 4-neighbour Laplacian over the picture's grey variance (so an
  exposure step does not change it), relative to the sharpest shot of the series; it counts up
  to SHARP_ENOUGH of the sharpest (closer is sensor noise): motion blur and missed focus are
  what differ most in a burst, and no edit recovers them;
- exposure: the share of clipped pixels (grey ≤ 3 or ≥ 252), lost detail that no edit recovers;
  among equals, the brightness closest to the series' median (the odd frame out loses);
- resolution: more pixels, a small bonus (a burst rarely differs in size; a messenger copy does).
score = min(relative sharpness, SHARP_ENOUGH) − 2 × clipped share + 0.1 × relative pixel count;
then typical brightness; then path. Measured on the burst dev set's 25 labelled bursts with a
motion-blurred frame (benchmarks/best_shot.py): the best shot is an unblurred frame in 25.
The measures are kept in the cache file (shot_store.py): a warm rescan decodes no series file.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.brackets import bracket_reason, bracket_words, nearest_normal
from dedup_gui.engine.grouping.disjoint import DisjointSets
from dedup_gui.engine.grouping.shot_store import Key, Measure
from dedup_gui.engine.grouping.units import Unit, unit_capture
from dedup_gui.engine.grouping.verdict import Loader
from dedup_gui.engine.signals.capture import SERIES_SPAN_S
from dedup_gui.engine.signals.exposure import read_exposure
from dedup_gui.engine.tiers import Edge
from dedup_gui.engine.types import Capture, GroupFile, Pair, Series

SIDE = 256
CLIP_LOW, CLIP_HIGH = 3, 252
SHARP_ENOUGH = 0.97  # closer to the sharpest than this is fresh sensor noise between frames


def find_series(units: Sequence[Unit], shots: Mapping[tuple[int, int], Edge],
                hash_kind: str, load: Loader,
                scores: MutableMapping[Key, Measure] | None = None) -> tuple[Series, ...]:
    """The series formed by the "another shot" pairs, sorted by their first path; `scores`
    as best_shot's."""
    series = []
    for members, pairs_of in _components(units, shots):
        files = tuple(sorted((f for i in members for f in units[i].files), key=lambda f: f.path))
        pairs = tuple(Pair(units[i].files[0].path, units[j].files[0].path,
                           edge.reason(hash_kind), edge.hash_distance or -1, edge.tier,
                           edge.cosine)
                      for (i, j), edge in sorted(pairs_of, key=lambda item: item[0]))
        best, reason, bracket = best_shot([units[i].files[0] for i in sorted(members)], load,
                                          scores)
        series.append(Series(files, pairs, best, reason, bracket))
    return tuple(sorted(series, key=lambda s: s.files[0].path))


def _components(units: Sequence[Unit], pairs: Mapping[tuple[int, int], Edge]
                ) -> list[tuple[set[int], list[tuple[tuple[int, int], Edge]]]]:
    """Each series: its units and its own pairs (each pair listed once, so a large library's
    thousands of series cost one pass, not one pass each). Pairs join strongest first, except
    one that would put two captures taken more than SERIES_SPAN_S apart in one series (it is
    left out, as a far-apart pair itself is). Why: a file without a capture (a re-save without
    EXIF) alike two dated photos hours apart chained them into one series, and "keep the best
    of each series" then trashed one of two unrelated photos (bench_scale's 500k capture
    library: 21 of its 4,040 series)."""
    sets = DisjointSets(len(units))
    spans = {i: _Span.of(c) for i in {i for pair in pairs for i in pair}
             if (c := unit_capture(units[i])) is not None and c.taken_ns is not None}
    kept = []
    for (i, j), edge in sorted(pairs.items(), key=lambda item: (item[1].sort_key(), item[0])):
        a, b = sets.root(i), sets.root(j)
        if a != b:
            span = _Span.joined(spans.get(a), spans.get(b))
            if span is False:
                continue
            sets.join(a, b)
            if span is not None:
                spans[b] = span
        kept.append(((i, j), edge))
    found: dict[int, tuple[set[int], list[tuple[tuple[int, int], Edge]]]] = {}
    for (i, j), edge in kept:
        members, own = found.setdefault(sets.root(i), (set(), []))
        members.update((i, j))
        own.append(((i, j), edge))
    return list(found.values())


class _Span:
    """The earliest and latest dated capture of a series, per kind of clock (instants with
    OffsetTimeOriginal, or a camera's wall time: signals.capture.far_apart compares only like
    with like). A series never spans more than SERIES_SPAN_S on one kind of clock, so two
    series may join only when their union does not either (then no cross pair is far apart)."""

    __slots__ = ("bounds",)

    def __init__(self, bounds: dict[bool, tuple[int, int]]) -> None:
        self.bounds = bounds  # has_offset -> (earliest, latest) capture instant, ns

    @staticmethod
    def of(capture: Capture) -> _Span:
        taken = capture.taken_ns or 0
        return _Span({capture.has_offset: (taken, taken)})

    @staticmethod
    def joined(a: _Span | None, b: _Span | None) -> _Span | bool | None:
        """The span of two series together; None when neither is dated, False when it is
        more than SERIES_SPAN_S."""
        if a is None or b is None:
            return a or b
        bounds = dict(a.bounds)
        for clock, (low, high) in b.bounds.items():
            first, last = bounds.get(clock, (low, high))
            first, last = min(first, low), max(last, high)
            if last - first > SERIES_SPAN_S * 1e9:
                return False
            bounds[clock] = (first, last)
        return _Span(bounds)


def best_shot(files: Sequence[GroupFile], load: Loader,
              scores: MutableMapping[Key, Measure] | None = None) -> tuple[str, str, str]:
    """The suggested shot to keep, why, in words (module docstring), and the bracket's words
    when the shots are an exposure bracket (brackets.py; '' otherwise). `scores` remembers
    each file's measures by (path, size, mtime): a rescan decodes nothing (shot_store.py)."""
    measured = [(f, _measured(f, load, scores)) for f in files]
    readable = [(f, m) for f, m in measured if m is not None]
    if not readable:
        return min(f.path for f in files), "none could be read", ""
    sharpest = max(m[0] for _, m in readable) or 1.0
    largest = max(f.width * f.height for f, _ in readable) or 1
    typical = float(np.median([m[2] for _, m in readable]))

    def rank(item: tuple[GroupFile, tuple]) -> tuple[float, float, str]:
        """Best first: the highest score, then the brightness nearest the typical one, then
        the first path (plain path order: a file whose path begins another's comes first)."""
        file, (sharpness, clipped, mean, *_exposure) = item
        value = (min(sharpness / sharpest, SHARP_ENOUGH) - 2 * clipped
                 + 0.1 * file.width * file.height / largest)
        return -value, abs(mean - typical), file.path

    exposures = [(m[3], m[4]) for _, m in readable]
    if bracket := bracket_words(exposures):
        normal = [readable[i] for i in nearest_normal(exposures)]
        best, measure = min(normal, key=rank)
        return best.path, bracket_reason(measure[3], bracket), bracket
    best, (sharpness, clipped, *_rest) = min(readable, key=rank)
    return best.path, _reason(len(files), sharpness / sharpest, clipped), ""


def _reason(count: int, relative: float, clipped: float) -> str:
    """Why the best shot won, as the review and the report show it."""
    sharp = (f"sharpest of {count}" if relative >= 1.0 else  # "as sharp as the sharpest"
             f"among the sharpest of {count}" if relative >= SHARP_ENOUGH  # read as second
             else "best balance")
    exposure = ("no clipped highlights or shadows" if clipped < 0.0005
                else f"{clipped:.0%} clipped" if clipped >= 0.005 else "under 1% clipped")
    return f"{sharp}, {exposure}"


def _measured(file: GroupFile, load: Loader,
              scores: MutableMapping[Key, Measure] | None) -> Measure:
    key = (file.path, file.size, file.mtime_ns)
    if scores is not None and key in scores:
        return scores[key]
    measure = _measure(load(file.path))
    if measure is not None:
        measure = (*measure, *read_exposure(file.path))
    if scores is not None:
        scores[key] = measure
    return measure


def _measure(image: Image.Image | None) -> tuple[float, float, float] | None:
    """(sharpness, clipped share, mean grey) at short side SIDE, or None if unreadable.
    Sharpness is the Laplacian's variance over the picture's own grey variance: an exposure
    step scales both alike, so a brighter frame does not look sharper (on the burst set the
    plain variance made the +1 EV frame "sharpest" in 13 of 30 bursts with exposure steps)."""
    if image is None:
        return None
    grey = image.convert("L")
    short = min(grey.size)
    if short > SIDE:
        k = SIDE / short
        grey = grey.resize((max(1, round(grey.width * k)), max(1, round(grey.height * k))),
                           Image.Resampling.BOX)
    pixels = np.asarray(grey, dtype=np.float32)
    if min(pixels.shape) < 3:
        return 0.0, 1.0, float(pixels.mean())
    lap = (pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
           - 4.0 * pixels[1:-1, 1:-1])
    clipped = float(((pixels <= CLIP_LOW) | (pixels >= CLIP_HIGH)).mean())
    return float(lap.var()) / max(float(pixels.var()), 1.0), clipped, float(pixels.mean())
