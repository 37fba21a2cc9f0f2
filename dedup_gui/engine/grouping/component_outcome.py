"""One verified component's stored form: the key its inputs make, and its outcome per pair as
written to the cache, read back and applied.

Why a module of its own: these are the bytes every user's cache holds (verified_store.py keeps
them by component). Their format changes only deliberately (a changed key re-verifies every
component of every library: tests/engine/grouping/test_verified_store.py pins it), so it is
kept apart from the code that decides which components to look up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping

from dedup_gui.engine.grouping.verify import Verified, noted
from dedup_gui.engine.tiers import Edge

Pair = tuple[int, int]


def component_key(method: str, pairs: list[Pair], edges: Mapping[Pair, Edge],
                  facts: Callable[[int], str], crowded: Collection[int] = frozenset()) -> str:
    """The component's inputs as one digest; a crowded unit (refute.Chain) says so."""
    units = sorted({i for pair in pairs for i in pair})
    local = {unit: place for place, unit in enumerate(units)}
    text = [method, *(facts(unit) + ("\0crowded" if unit in crowded else "") for unit in units)]
    for pair in pairs:
        e = edges[pair]
        text.append(f"{local[pair[0]]} {local[pair[1]]} {e.tier} {e.hash_distance} "
                    f"{e.cosine!r} {e.note}")
    return hashlib.sha1("\n".join(text).encode("utf-8", "surrogateescape")).hexdigest()


def outcome_of(fresh: Verified, pairs: list[Pair]) -> list:
    """Per pair, in order: [tier or None (dropped), note, refuted, joined (one exposure)]."""
    outcome = []
    for pair in pairs:
        edge = fresh.edges.get(pair)
        outcome.append([None if edge is None else edge.tier, "" if edge is None else edge.note,
                        pair in fresh.refuted, pair in fresh.joined])
    return outcome


def fits(outcome: object, count: int) -> bool:
    """A stored outcome of this code's shape for `count` pairs (an older release wrote three
    fields a pair); one that does not fit is verified again, never misapplied."""
    return isinstance(outcome, list) and len(outcome) == count and all(
        isinstance(entry, list) and len(entry) == 4 for entry in outcome)


def apply_outcome(result: Verified, pairs: list[Pair], edges: Mapping[Pair, Edge],
                  outcome: list) -> None:
    for pair, (tier, note, refuted, joined) in zip(pairs, outcome, strict=True):
        if refuted:
            result.refuted.add(pair)
        if joined:
            result.joined.add(pair)
        if tier is None:
            continue
        result.edges[pair] = noted(edges[pair], tier, note)
        if refuted:
            result.shots[pair] = result.edges[pair]


def decoded(rows: list[tuple[str, str]]) -> list[tuple[str, list]]:
    """(key, outcome text) rows as (key, outcome): the texts parsed as one JSON array (one
    call, not one per component). A text that is not one JSON value fails as a whole."""
    values = json.loads("[" + ",".join(text for _, text in rows) + "]")
    if len(values) != len(rows):  # a text was several values ("1, 2"): not ours
        raise ValueError("a stored outcome is not one value")
    return [(key, value) for (key, _), value in zip(rows, values, strict=True)]
