"""The fingerprints that key the stored pairs (grouping/fingerprints.py): equal signals, equal
fingerprints, in any chunking; other signals, other fingerprints; and pairs stored under the
PAIR_VERSION 1 fingerprints taken over by an upgraded scan without searching again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.fingerprints import (
    fingerprints,
    hash_words,
    legacy_fingerprints,
    rekeyed,
)
from dedup_gui.engine.grouping.matching import candidate_pairs
from dedup_gui.engine.grouping.pair_store import PairStore, StoredPairs, stamp
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import GroupFile

FILE = GroupFile("/x.jpg", 1, 1, 1, 1, "JPEG")
DIM = 12


def prints(units: list[Unit], hash_size: int = 8, chunk: int = 4096) -> list[bytes]:
    return fingerprints(units, hash_words(units, hash_size), chunk)[0].tolist()


def unit(hash_: int | None, vector: list[float] | None, dtype: type = np.float16) -> Unit:
    return Unit((FILE,), hash_, None if vector is None else np.array(vector, dtype))


SIGNAL = st.tuples(st.one_of(st.none(), st.integers(0, 2**64 - 1)),
                   st.one_of(st.none(), st.lists(st.sampled_from([0.0, 0.5, -1.0, 0.25]),
                                                 min_size=DIM, max_size=DIM)))


@settings(max_examples=150, deadline=None)
@given(st.lists(SIGNAL, max_size=30), st.integers(1, 9), st.sampled_from(["16", "32", "mixed"]))
def test_equal_signals_have_equal_fingerprints_and_others_other_ones(
        signals: list, chunk: int, dtypes: str) -> None:
    """Whatever the chunking and the embeddings' dtype (float16 cached values, float32 in
    evaluation, or both in one library: then compared as float32), two units share a
    fingerprint exactly when their hash and embedding values are equal."""
    def dtype(k: int) -> type:
        return np.float16 if dtypes == "16" or (dtypes == "mixed" and k % 2) else np.float32

    units = [unit(h, v, dtype(k)) for k, (h, v) in enumerate(signals)]
    found = prints(units, chunk=chunk)
    assert found == prints(units, chunk=4096)
    values = [(h, None if v is None else tuple(v)) for h, v in signals]
    for i in range(len(units)):
        for j in range(len(units)):
            assert (found[i] == found[j]) == (values[i] == values[j])


def test_what_a_unit_has_is_part_of_its_fingerprint() -> None:
    """No hash and hash 0, no embedding and a zero one, are other signals."""
    zeros = [0.0] * DIM
    units = [unit(None, None), unit(0, None), unit(None, zeros), unit(0, zeros),
             unit(1, zeros)]
    assert len(set(prints(units))) == len(units)


def test_wide_hashes_are_fingerprinted_by_every_word() -> None:
    low, high = unit(1, None), unit(1 | 1 << 200, None)
    assert len(set(prints([low, high], hash_size=16))) == 2


def test_the_fingerprint_of_a_signal_stays_what_caches_were_keyed_by() -> None:
    """Pinned: another value would search every cache's library again at its next scan."""
    found = prints([unit(0xF0F0, [0.5] * DIM), unit(None, None)])
    assert [f.hex() for f in found] == ["ddb815666d813c1d4d9eadffee46d25a",
                                        "a99f91f018b4252f36fc9deeefc5aa20"]


def _library(rng: np.random.Generator, count: int) -> list[Unit]:
    scenes = rng.normal(size=(3, DIM))
    units = []
    for k in range(count):
        vector = scenes[k % 3] + 0.3 * rng.normal(size=DIM)
        units.append(Unit((GroupFile(f"/lib/{k:03d}.jpg", 1, 1, 1, 1, "JPEG"),),
                          int(rng.integers(0, 2**63)) if k % 7 else None,
                          None if k % 11 == 5 else
                          (vector / np.linalg.norm(vector)).astype(np.float16)))
    return units


def _as_legacy(store: PairStore, units: list[Unit], settings: dict) -> None:
    """Rewrite the stored pairs as PAIR_VERSION 1 wrote them: keyed by the BLAKE2b prints."""
    current, legacy = fingerprints(units, hash_words(units, 8))[0], legacy_fingerprints(units)
    stored = store.load(stamp(**settings))
    renamed = {c: old for c, old in zip(current.tolist(), legacy.tolist(), strict=True)}
    known = np.array([renamed[k] for k in stored.known.tolist()], "S16")
    order = np.argsort(known)
    place = np.empty(len(order), np.int64)
    place[order] = np.arange(len(order))
    a, b = place[stored.a], place[stored.b]
    store.save(stamp(version=1, **settings),
               StoredPairs(known[order], np.minimum(a, b), np.maximum(a, b), stored.distance,
                           stored.cosine))


@pytest.mark.parametrize("grown", [0, 5])
def test_pairs_stored_by_the_last_version_are_taken_over_without_searching(
        tmp_path: Path, grown: int) -> None:
    """A cache of the previous release: its pairs are rekeyed, not searched again; only new
    signals are searched; the pairs are those of a full search, and stored anew."""
    rng = np.random.default_rng(3)
    units = _library(rng, 60)
    settings = dict(hash_threshold=10, hash_size=8, min_cosine=0.5, hash_kind="phash")
    cache = Cache(tmp_path / "cache.sqlite3")
    store = PairStore(cache)
    candidate_pairs(units[:50], 10, 8, 0.5, store, hash_kind="phash")
    _as_legacy(store, units[:50], settings)
    assert store.load_any([stamp(**settings)])[0] == -1  # only the old version is stored
    now = units[5:50 + grown]  # five gone, some added
    taken = candidate_pairs(now, 10, 8, 0.5, store, hash_kind="phash")
    full = candidate_pairs(now, 10, 8, 0.5, None)
    assert taken.searched == grown
    for name in ("a", "b", "distance", "cosine"):
        assert np.array_equal(getattr(taken, name), getattr(full, name), equal_nan=True)
    assert store.load_any([stamp(**settings)])[0] == 0
    assert candidate_pairs(now, 10, 8, 0.5, store, hash_kind="phash").searched == 0
    cache.close()


def test_stored_pairs_are_not_taken_over_where_the_fingerprints_disagree() -> None:
    """Two units one fingerprint calls one signal and the other two: nothing is taken over
    (searched again), never two signals' pairs merged."""
    legacy = np.array([b"a", b"a", b"c"], "S16")
    current = np.array([b"x", b"y", b"z"], "S16")
    stored = StoredPairs(np.array([b"a", b"c"], "S16"), np.array([0]), np.array([1]),
                         np.array([3]), np.array([0.9]))
    assert len(rekeyed(stored, legacy, current).known) == 0
    same = rekeyed(stored, np.array([b"a", b"b", b"c"], "S16"), current)
    assert same.known.tolist() == [b"x", b"z"] and (same.a.tolist(), same.b.tolist()) == ([0], [1])


@pytest.mark.parametrize("dtypes", ["16", "mixed"])
def test_the_units_matrix_kept_from_fingerprinting_holds_each_units_embedding(
        dtypes: str) -> None:
    """The search reads the matrix the fingerprints joined, by unit: each unit's embedding,
    zeros without one; in the signals' order (a fallback) it is the stacked matrix."""
    from dedup_gui.engine.grouping.signal_rows import signal_rows
    from dedup_gui.engine.grouping.unit_vectors import stacked_rows

    units = _library(np.random.default_rng(8), 40)
    units += units[:6]  # shared signals
    if dtypes == "mixed":
        units = [Unit(u.files, u.hash, None if u.embedding is None or k % 3 else
                      u.embedding.astype(np.float32)) for k, u in enumerate(units)]
    signals = signal_rows(units, 8)
    assert signals.joined is not None and len(signals.keys) < len(units)
    for unit_, row in zip(units, signals.joined, strict=True):
        expected = np.zeros(DIM) if unit_.embedding is None else unit_.embedding
        assert np.array_equal(row.astype(np.float32), np.asarray(expected, np.float32))
    assert np.array_equal(signals.vectors.astype(np.float32),
                          stacked_rows(signals.reps, signals.has_vector).astype(np.float32))


def _reference(units: list[Unit], threshold: int, min_cosine: float) -> dict:
    """Every unit pair within the threshold or at min_cosine, by brute force."""
    found = {}
    for i, x in enumerate(units):
        for j in range(i + 1, len(units)):
            y = units[j]
            distance = -1 if x.hash is None or y.hash is None else (x.hash ^ y.hash).bit_count()
            cosine = np.nan if x.embedding is None or y.embedding is None else \
                float((x.embedding.astype(np.float64) * y.embedding.astype(np.float64)).sum())
            if 0 <= distance <= threshold or cosine >= min_cosine:
                found[(i, j)] = (distance, cosine)
    return found


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 45), twins=st.integers(0, 4),
       min_cosine=st.sampled_from([0.5, 0.9, 0.0005]), stored=st.integers(0, 45))
def test_candidate_pairs_are_every_pair_a_brute_force_finds(
        tmp_path_factory, seed: int, size: int, twins: int, min_cosine: float,
        stored: int) -> None:
    """Searched on the units' matrix (zero rows for units without an embedding, units that
    share a signal), or on the signals' own (a lowest cosine of 0 or less), whole or as
    queries after a scan of part of the library: the pairs and values a brute force over
    every unit pair finds."""
    units = _library(np.random.default_rng(seed), size)
    units += [Unit((GroupFile(f"/lib/twin{k}.png", 1, 1, 1, 1, "PNG"),), u.hash, u.embedding)
              for k, u in enumerate(units[:twins])]
    store = PairStore(Cache(tmp_path_factory.mktemp("c") / "cache.sqlite3"))
    if stored:
        candidate_pairs(units[:stored], 10, 8, min_cosine, store)
    found = candidate_pairs(units, 10, 8, min_cosine, store)
    pairs = list(zip(found.a.tolist(), found.b.tolist(), strict=True))
    expected = _reference(units, 10, min_cosine)
    assert pairs == sorted(expected)
    for k, pair in enumerate(pairs):
        distance, cosine = expected[pair]
        assert found.distance[k] == distance
        assert np.isclose(found.cosine[k], cosine, rtol=0, atol=1e-9, equal_nan=True)
