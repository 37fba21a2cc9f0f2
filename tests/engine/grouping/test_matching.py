"""Incremental matching: pairs and verification outcomes stored in a real SQLite cache, reused on
rescans of a library that gains, loses and changes files, give exactly the pairs, groups and
series a full recomputation gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.candidates import _min_cosine, unit_edges
from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.matching import candidate_pairs
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.grouping.units import MatchParams, build_units
from dedup_gui.engine.grouping.verified_store import VerifiedStore
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import DEFAULT_TIERS, SIMILAR, TierThresholds
from dedup_gui.engine.types import Capture, GroupFile

DIM = 24
MATCHES = (MatchParams(hash_threshold=10),
           MatchParams(hash_threshold=10, verify=False),
           MatchParams(hash_threshold=6, tiers=DEFAULT_TIERS | {SIMILAR}, verify=False),
           MatchParams(hash_threshold=8, tiers=frozenset({"identical", "resaved"}), verify=False),
           MatchParams(hash_threshold=10, verify=False,
                       thresholds=TierThresholds(10, 0.5, 0.9, 0.7, 0.4)))


@dataclass
class Library:
    """Synthetic signals: pictures drawn around a few scenes, so pairs fall on both sides of
    every threshold; some files share bytes (digests), some share signals but not bytes."""

    rng: np.random.Generator
    scenes: np.ndarray
    scene_hashes: list[int]
    files: dict[str, tuple[int | None, np.ndarray | None, str | None]] = field(default_factory=dict)
    captures: dict[str, Capture] = field(default_factory=dict)
    made: int = 0

    def capture(self, path: str) -> None:
        """Some files carry a capture: one of two cameras, one of a few instants, some hours
        apart, a few with one image ID (so verification confirms some pairs and refutes others,
        also through copies; the capture rule alone decides many, and some of those leave no
        edge: far apart, as the exposures' captures say when the walk ends)."""
        if self.rng.random() < 0.5:
            instant = int(self.rng.integers(0, 3)) * 10**9 * int(self.rng.choice([1, 3600]))
            camera = "One" if self.rng.random() < 0.7 else "Two"
            shared = "id-1" if self.rng.random() < 0.2 else ""  # one exposure, two clocks
            self.captures[path] = Capture(instant, False, "Cam", camera, unique_id=shared)
        else:
            self.captures.pop(path, None)

    def picture(self) -> tuple[int | None, np.ndarray | None]:
        scene = int(self.rng.integers(len(self.scenes)))
        noise = float(self.rng.choice([0.05, 0.3, 0.6, 0.9, 2.0]))
        vector = self.scenes[scene] + noise * self.rng.normal(size=DIM)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        flips = self.rng.choice(64, size=int(self.rng.integers(0, 20)), replace=False)
        hash_ = self.scene_hashes[scene] ^ sum(1 << int(b) for b in flips)
        if self.rng.random() < 0.05:
            return None, None  # unreadable
        return hash_, (None if self.rng.random() < 0.1 else vector)

    def add(self) -> None:
        self.made += 1
        self.files[f"/lib/{self.made:04d}.jpg"] = (*self.picture(), None)
        self.capture(f"/lib/{self.made:04d}.jpg")

    def step(self, action: str) -> None:
        paths = sorted(self.files)
        if action == "add" or not paths:
            return self.add()
        path = paths[int(self.rng.integers(len(paths)))]
        if action == "remove":
            del self.files[path]
        elif action == "change":
            self.files[path] = (*self.picture(), None)
            self.capture(path)
        elif action == "retag":  # only the capture changed (a Takeout .json beside it)
            self.capture(path)
        elif action == "copy":  # identical bytes: one unit
            self.made += 1
            digest = self.files[path][2] or f"d{self.made}"
            self.files[path] = (*self.files[path][:2], digest)
            self.files[f"/lib/{self.made:04d}.jpg"] = self.files[path]
        else:  # "twin": same signals, other bytes
            self.made += 1
            self.files[f"/lib/{self.made:04d}.png"] = (*self.files[path][:2], None)

    def arguments(self) -> tuple[list[GroupFile], dict, dict, dict]:
        files = [GroupFile(p, 1, 1, 64, 64, "JPEG", self.captures.get(p))
                 for p in sorted(self.files)]
        digests = {p: d for p, (_, _, d) in self.files.items() if d}
        hashes = {p: h for p, (h, _, _) in self.files.items() if h is not None}
        vectors = {p: v for p, (_, v, _) in self.files.items() if v is not None}
        return files, digests, hashes, vectors


def library(seed: int, size: int) -> Library:
    rng = np.random.default_rng(seed)
    made = Library(rng, rng.normal(size=(4, DIM)), [int(h) for h in rng.integers(0, 2**63, 4)])
    for _ in range(size):
        made.add()
    return made


def pairs_of(lib: Library, match: MatchParams, store: PairStore | None):
    files, digests, hashes, vectors = lib.arguments()
    units = build_units(files, digests, hashes, (), vectors)
    return candidate_pairs(units, match.hash_threshold, match.hash_size, _min_cosine(match),
                           store, hash_kind=match.hash_kind)


def groups_of(lib: Library, match: MatchParams, cache: Cache | None):
    files, digests, hashes, vectors = lib.arguments()
    stores = (PairStore(cache), VerifiedStore(cache)) if cache is not None else (None, None)
    return group_and_series(files, digests, hashes, match=match, embeddings=vectors,
                            store=stores[0], verified_store=stores[1])


def verified_of(lib: Library, match: MatchParams, cache: Cache | None):
    """Every verified edge, refuted pair and shot, in order: a pair the capture rule decides
    alone leaves nothing in the groups when its exposures' captures are far apart, so the
    groups alone would not show one decided wrongly."""
    files, digests, hashes, vectors = lib.arguments()
    units = build_units(files, digests, hashes, (), vectors)
    stores = (PairStore(cache), VerifiedStore(cache)) if cache is not None else (None, None)
    found = unit_edges(units, match, store=stores[0], verified_store=stores[1])
    return list(found.edges.items()), found.refuted, list(found.shots.items())


ACTIONS = st.sampled_from(["add", "remove", "change", "retag", "copy", "twin"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(0, 40),
       steps=st.lists(st.tuples(st.lists(ACTIONS, min_size=0, max_size=12),
                                st.integers(0, len(MATCHES) - 1)), min_size=1, max_size=5))
def test_rescans_from_stored_pairs_equal_a_full_recomputation(
        tmp_path_factory, seed: int, size: int, steps: list) -> None:
    cache = Cache(tmp_path_factory.mktemp("cache") / "cache.sqlite3")
    lib = library(seed, size)
    for actions, which in steps:
        for action in actions:
            lib.step(action)
        match = MATCHES[which]
        stored, full = pairs_of(lib, match, PairStore(cache)), pairs_of(lib, match, None)
        for name in ("a", "b", "distance", "cosine"):
            assert np.array_equal(getattr(stored, name), getattr(full, name), equal_nan=True)
        assert groups_of(lib, match, cache) == groups_of(lib, match, None)
        assert verified_of(lib, match, cache) == verified_of(lib, match, None)
    cache.close()


def test_a_rescan_searches_only_new_or_changed_signals(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    lib, match = library(7, 60), MATCHES[0]
    assert pairs_of(lib, match, PairStore(cache)).searched == 60 - lib_unreadable(lib)
    assert pairs_of(lib, match, PairStore(cache)).searched == 0
    lib.step("add")
    lib.step("add")
    assert pairs_of(lib, match, PairStore(cache)).searched <= 2
    lib.step("remove")
    assert pairs_of(lib, match, PairStore(cache)).searched == 0
    cache.close()
    reopened = Cache(tmp_path / "cache.sqlite3")  # kept in the file, not in memory
    assert pairs_of(lib, match, PairStore(reopened)).searched == 0
    # other settings: everything is searched again
    assert pairs_of(lib, MATCHES[2], PairStore(reopened)).searched > 2
    reopened.close()


def test_a_rescan_stacks_only_the_vectors_it_computes(tmp_path: Path, monkeypatch) -> None:
    """A rescan that searches nothing still computes the cosine of each signal two units
    share (a PNG twin of a JPEG): it stacks those rows, not the library's (500k: ~2.8 s)."""
    import dedup_gui.engine.grouping.signal_rows as signal_rows

    cache = Cache(tmp_path / "cache.sqlite3")
    lib, match = library(7, 60), MATCHES[0]
    twinned = next(p for p, (_, vector, _) in lib.files.items() if vector is not None)
    lib.files["/lib/twin.png"] = (*lib.files[twinned][:2], None)  # same signals, other bytes
    first = pairs_of(lib, match, PairStore(cache))
    stacked: list[int] = []
    stack = signal_rows.stacked_rows
    monkeypatch.setattr(signal_rows, "stacked_rows",
                        lambda reps, has: stacked.append(len(reps)) or stack(reps, has))
    again = pairs_of(lib, match, PairStore(cache))
    assert again.searched == 0 and stacked and max(stacked) <= 2
    for name in ("a", "b", "distance", "cosine"):
        assert np.array_equal(getattr(again, name), getattr(first, name), equal_nan=True)
    cache.close()


def lib_unreadable(lib: Library) -> int:
    """Files without any signal count once: they all share one (empty) fingerprint."""
    empty = sum(1 for h, v, _ in lib.files.values() if h is None and v is None)
    return max(0, empty - 1)


def test_stale_verification_outcomes_are_dropped_once_they_outnumber_used_ones(
        tmp_path: Path, monkeypatch) -> None:
    from dedup_gui.engine.grouping import verified_store

    monkeypatch.setattr(verified_store, "PRUNE_SLACK", 0)
    cache = Cache(tmp_path / "cache.sqlite3")
    lib, match = library(11, 40), MATCHES[0]
    groups_of(lib, match, cache)
    count = "SELECT COUNT(*) FROM verified_components"
    used = cache.db.execute(count).fetchone()[0]
    assert used > 0
    sizes = []
    for _ in range(8):  # every picture changed: every component has a new key
        for path in list(lib.files):
            lib.files[path] = (*lib.picture(), None)
        groups_of(lib, match, cache)
        sizes.append(cache.db.execute(count).fetchone()[0])
    assert any(b < a for a, b in pairwise(sizes))  # else it only grows
    assert groups_of(lib, match, cache) == groups_of(lib, match, None)
    cache.close()


def test_float16_embeddings_give_the_float32_pairs_bit_for_bit(tmp_path: Path) -> None:
    """A scan hands over the cached float16 values (kept so in the search matrix: half the
    memory); the pairs, their cosines and the groups are those of the same values in float32,
    for a full search and for a rescan that queries new files against stored pairs."""
    lib, match = library(3, 60), MATCHES[2]

    def arguments(dtype: type) -> tuple:
        files, digests, hashes, vectors = lib.arguments()
        return files, digests, hashes, {p: v.astype(np.float16).astype(dtype)
                                        for p, v in vectors.items()}

    def pairs(dtype: type, store: PairStore | None):
        files, digests, hashes, vectors = arguments(dtype)
        units = build_units(files, digests, hashes, (), vectors)
        assert {u.embedding.dtype for u in units if u.embedding is not None} == {np.dtype(dtype)}
        return candidate_pairs(units, match.hash_threshold, match.hash_size, _min_cosine(match),
                               store, hash_kind=match.hash_kind)

    half_cache, full_cache = Cache(tmp_path / "half.sqlite3"), Cache(tmp_path / "full.sqlite3")
    for _ in range(2):
        found = [pairs(np.float16, PairStore(half_cache)), pairs(np.float32, PairStore(full_cache)),
                 pairs(np.float16, None)]
        assert len(found[0].a) > 20 and found[0].searched == found[1].searched
        for name in ("a", "b", "distance", "cosine"):
            for other in found[1:]:
                assert np.array_equal(getattr(found[0], name), getattr(other, name),
                                      equal_nan=True)
        for _ in range(5):
            lib.step("add")  # the second round queries these against the stored pairs
    files, digests, hashes, vectors = arguments(np.float16)
    full = {p: v.astype(np.float32) for p, v in vectors.items()}
    assert group_and_series(files, digests, hashes, match=match, embeddings=vectors) == \
        group_and_series(files, digests, hashes, match=match, embeddings=full)


def test_float32_embeddings_keep_their_precision() -> None:
    """Only values that are float16 already are kept as float16: a pair's cosine is the float64
    sum of its float32 products, whatever the dtype of the other pictures."""
    rng = np.random.default_rng(9)
    a = rng.normal(size=DIM)
    b = a + 0.1 * rng.normal(size=DIM)
    a, b = (v / np.linalg.norm(v) for v in (a, b))
    vectors = {"/lib/a.jpg": a.astype(np.float32), "/lib/b.jpg": b.astype(np.float32),
               "/lib/c.jpg": a.astype(np.float16)}
    files = [GroupFile(p, 1, 1, 64, 64, "JPEG") for p in sorted(vectors)]
    units = build_units(files, {}, {}, (), vectors)
    found = candidate_pairs(units, 10, 8, 0.5, None)
    first = list(zip(found.a.tolist(), found.b.tolist(), strict=True)).index((0, 1))
    exact = float((vectors["/lib/a.jpg"].astype(np.float64) * vectors["/lib/b.jpg"]).sum())
    assert found.cosine[first] == exact


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(min_size=16, max_size=16), max_size=40),
       st.lists(st.binary(min_size=16, max_size=16), max_size=40), st.booleans())
def test_stored_fingerprints_are_matched_like_isin(ours: list[bytes], stored: list[bytes],
                                                   shuffled: bool) -> None:
    """Which signals were searched before: one binary search into the stored (sorted) keys,
    the same answer as np.isin, and np.isin itself for keys not stored sorted."""
    from dedup_gui.engine.grouping.matching import _members

    keys = np.unique(np.array(ours + stored[::2], "S16"))
    known = np.unique(np.array(stored, "S16"))
    if shuffled:
        known = known[::-1]
    assert np.array_equal(_members(keys, known), np.isin(keys, known))


def test_the_search_matrix_is_the_stacked_embeddings_whatever_their_layout() -> None:
    """Rows joined as bytes where they are contiguous rows of one dtype (most of a rescan that
    adds files), stacked otherwise: the same matrix, writable, rows without an embedding 0."""
    from dedup_gui.engine.grouping.unit_vectors import stacked_rows
    from dedup_gui.engine.grouping.units import Unit

    rng = np.random.default_rng(5)
    base = rng.normal(size=(6, DIM))
    layouts = {
        "float16 from bytes": [np.frombuffer(v.astype(np.float16).tobytes(), np.float16)
                               for v in base],
        "float32": [v.astype(np.float32) for v in base],
        "mixed": [v.astype(np.float16 if i % 2 else np.float32) for i, v in enumerate(base)],
        "strided views": list(np.repeat(base.astype(np.float16), 2, axis=1)[:, ::2]),
    }
    for name, vectors in layouts.items():
        for missing in ((), (0, 3)):
            units = [Unit((), None, None if i in missing else v) for i, v in enumerate(vectors)]
            has = np.array([u.embedding is not None for u in units])
            got = stacked_rows(units, has)
            dtype = np.float16 if all(v.dtype == np.float16 for v in vectors) else np.float32
            want = np.zeros((len(units), DIM), dtype)
            want[has] = np.stack([v for v, h in zip(vectors, has, strict=True) if h])
            assert got.dtype == dtype and got.flags.writeable, name
            assert got.tobytes() == want.tobytes(), name
