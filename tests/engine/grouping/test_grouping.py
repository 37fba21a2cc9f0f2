"""Grouping: exact copies first, complete linkage (no chaining), deterministic, reasons kept."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.groups import IDENTICAL_REASON, group_files
from dedup_gui.engine.grouping.merge import complete_linkage
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.tiers import RESAVED, Edge
from dedup_gui.engine.types import GroupFile


def gfile(name: str, size: int = 1000) -> GroupFile:
    return GroupFile(f"/lib/{name}", size, 1, 100, 100, "JPEG")


def groups_of(files, digests, hashes, threshold=4):
    groups = group_files(files, digests, hashes, match=MatchParams(hash_threshold=threshold))
    return [[f.path.rsplit("/", 1)[1] for f in g.files] for g in groups]


def test_chain_is_not_merged_into_one_group() -> None:
    """a~b (2 bits), b~c (3 bits), but a and c are 5 bits apart: never one group."""
    a, b, c = 0b0, 0b11, 0b11100
    files = [gfile("a"), gfile("b"), gfile("c")]
    result = groups_of(files, {}, {"/lib/a": a, "/lib/b": b, "/lib/c": c})
    assert result == [["a", "b"]]


def test_every_pair_in_a_group_is_within_the_threshold() -> None:
    rng = random.Random(7)
    files, hashes, base = [], {}, 0
    for i in range(200):
        base = rng.getrandbits(64) if i % 5 == 0 else base ^ (1 << rng.randrange(64))
        files.append(gfile(f"{i:03d}"))
        hashes[f"/lib/{i:03d}"] = base
    groups = group_files(files, {}, hashes, match=MatchParams(hash_threshold=3))
    assert groups
    for group in groups:
        paths = [f.path for f in group.files]
        for i, p in enumerate(paths):
            for q in paths[i + 1:]:
                assert (hashes[p] ^ hashes[q]).bit_count() <= 3
        assert len(group.pairs) == len(paths) * (len(paths) - 1) // 2


def test_exact_copies_group_first_and_say_so() -> None:
    files = [gfile("a"), gfile("b"), gfile("c")]
    digests = {"/lib/a": "d1", "/lib/b": "d1"}
    hashes = {"/lib/a": 0, "/lib/b": 0, "/lib/c": 0b1}
    (group,) = group_files(files, digests, hashes, match=MatchParams(hash_threshold=4))
    reasons = {(p.a.rsplit("/", 1)[1], p.b.rsplit("/", 1)[1]): p.reason for p in group.pairs}
    resaved = "same picture re-saved (phash distance 1)"
    assert reasons == {("a", "b"): IDENTICAL_REASON, ("a", "c"): resaved, ("b", "c"): resaved}
    assert group.tier == RESAVED


def test_exact_copies_without_readable_pixels_still_group() -> None:
    files = [gfile("x"), gfile("y")]
    groups = groups_of(files, {"/lib/x": "d", "/lib/y": "d"}, {})
    assert groups == [["x", "y"]]


def test_an_exact_unit_is_never_split_by_a_closer_neighbour() -> None:
    files = [gfile("a"), gfile("b"), gfile("c")]
    digests = {"/lib/a": "d1", "/lib/b": "d1"}
    hashes = {"/lib/a": 0, "/lib/b": 0, "/lib/c": 0b111111}
    assert groups_of(files, digests, hashes) == [["a", "b"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**12 - 1), min_size=2, max_size=25), st.randoms())
def test_same_files_in_any_order_give_the_same_groups(values: list[int], rnd) -> None:
    files = [gfile(f"{i:02d}") for i in range(len(values))]
    hashes = {f.path: v for f, v in zip(files, values, strict=True)}
    shuffled = files[:]
    rnd.shuffle(shuffled)
    shuffled_hashes = dict(rnd.sample(list(hashes.items()), len(hashes)))
    assert groups_of(files, {}, hashes, 3) == groups_of(shuffled, {}, shuffled_hashes, 3)


def test_complete_linkage_merges_closest_first() -> None:
    # 0-1 distance 1, 1-2 distance 2, 0-2 missing: 1 joins 0 (closer), 2 stays alone.
    def edge(d: int) -> Edge:
        return Edge(RESAVED, d, None)

    assert complete_linkage(3, {(0, 1): edge(1), (1, 2): edge(2)}) == [[0, 1]]
    # All linked: one cluster.
    assert complete_linkage(3, {(0, 1): edge(1), (1, 2): edge(2), (0, 2): edge(3)}) == [[0, 1, 2]]


def test_embeddings_read_in_place_as_float16_group_like_float32() -> None:
    """A warm rescan hands grouping the cached float16 values without a float32 copy; grouping
    computes in float32, so the groups and every pair's cosine are those of the float32 rows."""
    import numpy as np

    rng = np.random.default_rng(5)
    centres = rng.normal(size=(30, 64))
    rows = np.repeat(centres, 3, axis=0) + rng.normal(scale=0.45, size=(90, 64))
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float16)
    files = [gfile(f"{i:03d}") for i in range(len(rows))]
    hashes = {f.path: int(rng.integers(2**62)) << 1 for f in files}  # far apart: cosines decide
    match = MatchParams(hash_threshold=0, verify=False)
    half = {f.path: row for f, row in zip(files, rows, strict=True)}
    full = {path: row.astype(np.float32) for path, row in half.items()}
    from_half = group_files(files, {}, hashes, match=match, embeddings=half)
    from_full = group_files(files, {}, hashes, match=match, embeddings=full)
    assert len(from_full) > 5
    assert from_half == from_full


def test_loose_alikeness_of_float16_embeddings_is_computed_in_float32() -> None:
    """Float16 values read in place decide exactly as their float32 rows: a pair just below the
    threshold stays below (in float16 the product and the threshold would round together)."""
    import numpy as np

    from dedup_gui.engine.grouping.groups import _alike
    from dedup_gui.engine.grouping.units import Unit

    rng = np.random.default_rng(11)
    for _ in range(20):
        a = rng.normal(size=320)
        b = a + rng.normal(size=320)  # cosine about 0.7
        a, b = (v / np.linalg.norm(v) for v in (a, b))
        a, b = a.astype(np.float16), b.astype(np.float16)
        units = [Unit((gfile("a"),), 0, a), Unit((gfile("b"),), 0, b)]
        exact = (a[None].astype(np.float32) @ b[None].astype(np.float32).T)[0, 0]
        assert _alike(units, [0], [1], float(exact))[0, 0]
        assert not _alike(units, [0], [1], float(np.nextafter(exact, np.float32(2))))[0, 0]


def test_clusters_whose_cross_pairs_all_match_merge_without_a_cosine_product(
        monkeypatch) -> None:
    """Two units on one edge (most groups of a library) always merge: the loose-alikeness
    product is computed only where a cross pair does not match (a warm rescan of 500k files
    made one per group); the groups are those of the full rule."""
    import numpy as np

    from dedup_gui.engine.grouping import groups

    rng = np.random.default_rng(3)
    centre = rng.normal(size=64)
    rows = [centre + rng.normal(scale=s, size=64) for s in (0.01, 0.02, 0.6)]
    rows = [(r / np.linalg.norm(r)).astype(np.float32) for r in rows]
    files = [gfile(n) for n in ("a", "b", "c", "x", "y")]
    other = rng.normal(size=64)
    vectors = {**{f.path: r for f, r in zip(files, rows, strict=False)},
               "/lib/x": (other / np.linalg.norm(other)).astype(np.float32)}
    hashes = {"/lib/a": 0, "/lib/b": 1, "/lib/c": 3 << 40, "/lib/x": 7 << 20, "/lib/y": 7 << 20}
    match = MatchParams(hash_threshold=2, verify=False)
    expected = group_files(files, {}, hashes, match=match, embeddings=vectors)
    products = []
    alike = groups._alike
    monkeypatch.setattr(groups, "_alike",
                        lambda *a: products.append((list(a[1]), list(a[2]))) or alike(*a))
    assert group_files(files, {}, hashes, match=match, embeddings=vectors) == expected
    assert [[f.path[5:] for f in g.files] for g in expected] == [["a", "b", "c"], ["x", "y"]]
    assert all(len(left) + len(right) > 2 for left, right in products)
